// The feed: publishing with upload progress, likes and saves that answer at once (and roll back
// on failure), comments, the "new posts" pill and counts kept live from realtime events.

import { on } from "./realtime.js";
import { toast } from "./ui.js";
import { fromHTML } from "./dom.js";
import { errorOf, errorText as refusal, getPartial, post, upload } from "./http.js";

const root = document.querySelector("[data-feed]");
const me = Number(document.body.dataset.userId);
const i18n = root?.dataset || {};
const list = root?.querySelector("[data-feed-list]");
const pill = root?.querySelector("[data-new-posts]");

const JSON_ANSWER = { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" };

function errorText(response) {
  return refusal(response, i18n.i18nFailed);
}

function send(form, extra = {}) {
  const body = new FormData(form);
  for (const [key, value] of Object.entries(extra)) body.set(key, value);
  return post(form.getAttribute("action"), body, { headers: JSON_ANSWER });
}

// --- Publishing ---------------------------------------------------------------------------------
const composer = root?.querySelector("[data-composer]");
if (composer) {
  const text = composer.querySelector("[data-post-text]");
  const files = composer.querySelector("[data-files]");
  const previews = composer.querySelector("[data-previews]");
  const progress = composer.querySelector("[data-progress]");
  const audience = composer.querySelector("[data-audience]");
  const community = composer.querySelector("[data-community]");
  const publish = composer.querySelector("[data-publish]");
  let clientId = crypto.randomUUID();

  const grow = () => {
    text.style.height = "auto";
    text.style.height = `${Math.min(text.scrollHeight, window.innerHeight * 0.4)}px`;
  };
  text.addEventListener("input", grow);
  audience.addEventListener("change", () => {
    if (community) community.hidden = audience.value !== "community";
  });

  files.addEventListener("change", () => {
    previews.replaceChildren();
    const chosen = [...files.files];
    if (chosen.length > 10) toast(i18n.i18nTooMany, "error");
    for (const file of chosen.slice(0, 10)) {
      const item = document.createElement("li");
      if (file.type.startsWith("image/")) {
        const img = document.createElement("img");
        img.alt = "";
        img.src = URL.createObjectURL(file);
        item.append(img);
      } else {
        item.textContent = file.name.split(".").pop().toUpperCase();
      }
      previews.append(item);
    }
    previews.hidden = !chosen.length;
  });

  composer.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim() && !files.files.length) {
      text.focus();
      return;
    }
    const body = new FormData(composer);
    body.set("client_id", clientId);
    progress.hidden = !files.files.length;
    progress.value = 0;
    publish.setAttribute("aria-busy", "true");
    const done = () => {
      publish.removeAttribute("aria-busy");
      progress.hidden = true;
    };
    let answer;
    try {
      answer = await upload(composer.getAttribute("action"), body, {
        headers: { "X-Requested-With": "XMLHttpRequest" },
        onProgress: (percent) => { progress.value = percent; },
      });
    } catch {
      done();
      toast(i18n.i18nFailed, "error");
      return;
    }
    done();
    if (answer.ok) {
      for (const card of fromHTML(answer.text)) insertCard(card, true);
      composer.reset();
      previews.replaceChildren();
      previews.hidden = true;
      if (community) community.hidden = true;
      grow();
      clientId = crypto.randomUUID(); // the next post is a new one; a retry keeps the id
      return;
    }
    toast(errorOf(answer.text, i18n.i18nFailed), "error");
  });
}

function insertCard(card, fresh = false) {
  if (!list) return;
  const id = card.dataset.postId;
  if (list.querySelector(`[data-post-id="${id}"]`)) return;
  const first = list.querySelector("[data-post]");
  if (fresh) card.classList.add("is-new");
  if (first && Number(first.dataset.postId) > Number(id)) {
    // Older than what is on top (a slow upload finishing late): put it in order.
    const after = [...list.querySelectorAll("[data-post]")].find((c) => Number(c.dataset.postId) < Number(id));
    list.insertBefore(card, after || list.querySelector(".feed__more"));
  } else {
    list.prepend(card);
  }
  root.querySelector("[data-feed-empty]")?.remove();
  if (Number(id) > Number(root.dataset.newest || 0)) root.dataset.newest = id;
  window.htmx?.process(card);
}

// --- New posts from others ------------------------------------------------------------------------
async function loadNewer() {
  const response = await getPartial(`${root.dataset.feedUrl}?after=${root.dataset.newest || 0}`);
  if (!response.ok) return;
  for (const card of fromHTML(await response.text()).reverse()) insertCard(card, true);
  pill.hidden = true;
}

if (pill) {
  pill.addEventListener("click", () => {
    loadNewer();
    window.scrollTo({ top: 0, behavior: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  });
  on("post.created", (frame) => {
    if (frame.author_id === me) return;
    if (Number(frame.post_id) <= Number(root.dataset.newest || 0)) return;
    if (list.querySelector(`[data-post-id="${frame.post_id}"]`)) return;
    pill.hidden = false;
  });
  // After a reconnect: anything newer shows the pill again (the server knows).
  on("realtime.ready", async () => {
    const response = await getPartial(`${root.dataset.feedUrl}?after=${root.dataset.newest || 0}`);
    if (response.ok && (await response.text()).trim()) pill.hidden = false;
  });
}

// --- Counts in place ------------------------------------------------------------------------------
function cards(postId) {
  return document.querySelectorAll(`[data-post-id="${postId}"]`);
}

function setCounts(postId, likes, comments) {
  for (const card of cards(postId)) {
    if (likes !== undefined) card.querySelector("[data-like-count]").textContent = likes;
    if (comments !== undefined) card.querySelector("[data-comment-count]").textContent = comments;
  }
}

on("post.counts", (frame) => setCounts(frame.post_id, frame.likes, frame.comments));
on("post.removed", (frame) => {
  for (const card of cards(frame.post_id)) {
    if (root?.dataset.postPage) continue; // the page of the post says so on its next load
    card.remove();
  }
});

// --- Likes and saves: optimistic, rolled back with a message ---------------------------------------
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (form.matches("[data-like-form], [data-save-form]")) {
    event.preventDefault();
    const like = form.matches("[data-like-form]");
    const button = form.querySelector("button");
    const field = form.querySelector("input[name=liked], input[name=saved]");
    const card = form.closest("[data-post]");
    const counter = card?.querySelector("[data-like-count]");
    const wasOn = button.getAttribute("aria-pressed") === "true";
    const before = counter ? Number(counter.textContent) : 0;
    const apply = (state, count) => {
      button.setAttribute("aria-pressed", String(state));
      field.value = state ? "0" : "1";
      if (like && counter) setCounts(card.dataset.postId, count);
    };
    apply(!wasOn, before + (wasOn ? -1 : 1));
    if (like && !wasOn) {
      button.classList.remove("is-popping");
      void button.offsetWidth; // restart the animation
      button.classList.add("is-popping");
    }
    try {
      const response = await send(form, { [field.name]: wasOn ? "0" : "1" });
      if (!response.ok) throw new Error(await errorText(response));
      const data = await response.json();
      if (like) setCounts(card.dataset.postId, data.likes);
    } catch (error) {
      apply(wasOn, before);
      toast(error.message && error.message !== "Failed to fetch" ? error.message : i18n.i18nFailed, "error");
    }
    return;
  }
  const confirmText = form.dataset.confirm || event.submitter?.dataset.confirmButton;
  if (confirmText && !window.confirm(confirmText)) event.preventDefault();
});

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.requestSubmit();
});

// --- Comments -------------------------------------------------------------------------------------
const commentForm = document.querySelector("[data-comment-form]");
if (commentForm) {
  const input = commentForm.querySelector("[data-comment-input]");
  const parent = commentForm.querySelector("[data-parent]");
  const replying = commentForm.querySelector("[data-replying]");
  const replyingText = commentForm.querySelector("[data-replying-text]");
  const clientField = commentForm.querySelector("[data-client-id]");
  const commentList = document.querySelector("[data-comment-list]");
  clientField.value = crypto.randomUUID();

  const cancelReply = () => {
    parent.value = "";
    replying.hidden = true;
  };
  commentForm.querySelector("[data-cancel-reply]").addEventListener("click", cancelReply);
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-reply-to]");
    if (!button) return;
    parent.value = button.dataset.replyTo;
    replyingText.textContent = `${input.dataset.i18nReplying} @${button.dataset.replyName}`;
    replying.hidden = false;
    if (!input.value.includes(`@${button.dataset.replyName}`)) input.value = `@${button.dataset.replyName} ${input.value}`;
    input.focus();
  });
  input.addEventListener("input", () => {
    input.style.height = "auto";
    input.style.height = `${input.scrollHeight}px`;
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) commentForm.requestSubmit();
  });

  commentForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    const button = commentForm.querySelector("button[type=submit]");
    const body = new FormData(commentForm);
    const thread = parent.value && document.querySelector(`[data-replies="${parent.value}"]`);
    // Shown at once, faded, until the server has it; taken back (text restored) if it fails.
    const pending = document.createElement("div");
    pending.className = `comment is-pending${thread ? " comment--reply" : ""}`;
    const bubble = document.createElement("div");
    bubble.className = "comment__bubble comment__text";
    bubble.textContent = input.value.trim();
    pending.append(bubble);
    (thread || commentList).append(pending);
    const text = input.value;
    input.value = "";
    input.style.height = "";
    cancelReply();
    clientField.value = crypto.randomUUID();
    button.setAttribute("aria-busy", "true");
    try {
      const response = await post(commentForm.getAttribute("action"), body, { headers: JSON_ANSWER });
      if (!response.ok) throw new Error(await errorText(response));
      const [node] = fromHTML(await response.text());
      if (document.getElementById(node.id)) pending.remove();
      else pending.replaceWith(node);
      document.querySelector("[data-comments-empty]")?.remove();
      node.scrollIntoView({ block: "nearest" });
    } catch (error) {
      pending.remove();
      if (!input.value) input.value = text;
      clientField.value = body.get("client_id"); // a retry of the same comment keeps its id
      toast(error.message && error.message !== "Failed to fetch" ? error.message : i18n.i18nFailed, "error");
    } finally {
      button.removeAttribute("aria-busy");
    }
  });

  // Others' new comments on this post: fetch the newest page and add what is missing.
  const postId = root?.dataset.postPage;
  on("post.counts", async (frame) => {
    if (String(frame.post_id) !== String(postId)) return;
    const response = await getPartial(`${window.location.pathname}comments/`);
    if (!response.ok) return;
    for (const node of fromHTML(await response.text())) {
      if (!node.id?.startsWith("comment-")) continue;
      for (const fresh of [node, ...node.querySelectorAll(".comment")]) {
        if (document.getElementById(fresh.id)) continue;
        if (fresh.classList.contains("comment--reply")) {
          const thread = fresh.parentElement?.dataset.replies;
          document.querySelector(`[data-replies="${thread}"]`)?.append(fresh.cloneNode(true));
        } else {
          commentList.append(fresh.cloneNode(true));
        }
        document.querySelector("[data-comments-empty]")?.remove();
      }
    }
  });
}
