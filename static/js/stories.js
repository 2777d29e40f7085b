// Status updates: the row kept live, the full-screen viewer (progress, tap back/forward,
// auto-advance, views recorded), and the small behaviours of the "new status update" form.
import { on } from "./realtime.js";
import { getPartial, post } from "./http.js";

const STORY_MS = 5000;

// --- The row ------------------------------------------------------------------------------
const row = document.getElementById("stories-row");
if (row) {
  let timer = 0;
  const refresh = async () => {
    try {
      const response = await getPartial(row.dataset.rowUrl);
      if (response.ok) row.innerHTML = await response.text();
    } catch {
      // Offline: the next event or reconnect refreshes.
    }
  };
  const schedule = (delay = 250) => {
    clearTimeout(timer);
    timer = setTimeout(refresh, delay);
  };
  on("story.posted", () => schedule());
  on("story.deleted", () => schedule());
  on("realtime.ready", () => schedule(0));
  // Back from the viewer (bfcache): the rings I have just seen turn grey.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) schedule(0);
  });
}

// --- The viewer ---------------------------------------------------------------------------
const viewer = document.querySelector("[data-story-viewer]");
if (viewer) {
  const stories = [...viewer.querySelectorAll("[data-story]")];
  const fills = [...viewer.querySelectorAll("[data-story-fill]")];
  const reported = new Set();
  let index = Math.min(Number(viewer.dataset.start || 0), stories.length - 1);
  let progress = null;

  const markSeen = (story) => {
    if (story.dataset.seen === undefined || reported.has(story.dataset.story)) return;
    reported.add(story.dataset.story);
    // Recorded once on the server whatever happens here; a lost request is retried next time.
    post(story.dataset.seenUrl).then((response) => {
      if (response.ok) story.dataset.seen = "true";
      else reported.delete(story.dataset.story);
    }).catch(() => reported.delete(story.dataset.story));
  };

  const leave = () => {
    window.location.assign(viewer.dataset.nextUrl || viewer.dataset.closeUrl);
  };

  const play = () => {
    progress?.cancel();
    const fill = fills[index];
    progress = fill.animate([{ transform: "scaleX(0)" }, { transform: "scaleX(1)" }], {
      duration: STORY_MS,
      easing: "linear",
      fill: "forwards",
    });
    progress.onfinish = () => go(index + 1);
  };

  const show = (next) => {
    index = next;
    stories.forEach((story, i) => {
      story.hidden = i !== index;
    });
    fills.forEach((fill, i) => {
      fill.getAnimations().forEach((animation) => animation !== progress && animation.cancel());
      fill.style.transform = i < index ? "scaleX(1)" : "scaleX(0)";
    });
    const story = stories[index];
    markSeen(story);
    const photo = story.querySelector("img.story__photo");
    if (photo && !photo.complete) {
      // Count the seconds from when the photo is there to be seen.
      progress?.cancel();
      const start = () => story === stories[index] && play();
      photo.addEventListener("load", start, { once: true });
      photo.addEventListener("error", start, { once: true });
    } else {
      play();
    }
  };

  const go = (next) => {
    if (next >= stories.length) leave();
    else show(Math.max(0, next));
  };

  viewer.querySelector("[data-story-prev]").addEventListener("click", () => go(index - 1));
  viewer.querySelector("[data-story-next]").addEventListener("click", () => go(index + 1));
  document.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") go(index - 1);
    else if (event.key === "ArrowRight") go(index + 1);
    else if (event.key === "Escape") window.location.assign(viewer.dataset.closeUrl);
    else if (event.key === " ") {
      event.preventDefault();
      if (progress?.playState === "paused") progress.play();
      else progress?.pause();
    }
  });
  // Holding a finger (or the mouse) on the update pauses it, as on every phone.
  viewer.addEventListener("pointerdown", (event) => {
    if (event.target.closest("[data-story-prev], [data-story-next]")) progress?.pause();
  });
  for (const type of ["pointerup", "pointercancel", "pointerleave"]) {
    viewer.addEventListener(type, () => {
      if (progress?.playState === "paused" && !document.hidden) progress.play();
    });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) progress?.pause();
    else progress?.play();
  });
  // The author's own controls stop the clock while they are used.
  for (const control of viewer.querySelectorAll(".story__foot a, .story__foot button")) {
    control.addEventListener("focus", () => progress?.pause());
  }
  for (const form of viewer.querySelectorAll("form[data-story-delete]")) {
    form.addEventListener("submit", (event) => {
      progress?.pause();
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        progress?.play();
      }
    });
  }
  show(index);
}

// --- The "new status update" form --------------------------------------------------------------
const form = document.querySelector("[data-story-form]");
if (form) {
  const preview = form.querySelector("[data-story-preview]");
  const community = form.querySelector("[data-community-field]");
  const audience = form.querySelector("#id_audience");
  const sync = () => {
    const kind = form.querySelector("input[name=kind]:checked")?.value || "text";
    for (const part of form.querySelectorAll("[data-kind-part]")) {
      part.hidden = part.dataset.kindPart !== kind;
    }
    const colour = form.querySelector("input[name=background]:checked")?.value || "teal";
    preview.className = preview.className.replace(/story--bg-\w+/, `story--bg-${colour}`);
    if (community) community.hidden = audience.value !== "community";
    form.querySelector("#id_photo").required = kind === "photo";
    form.querySelector("#id_text").required = kind === "text";
  };
  form.addEventListener("change", sync);
  form.addEventListener("submit", () => {
    form.querySelector("button[type=submit]")?.setAttribute("aria-busy", "true");
  });
  sync();
}
