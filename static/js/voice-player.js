// Playing voice messages in a chat: one at a time through one audio element, play/pause, seek by
// tapping the waveform (or the arrow keys), speed 1x / 1.5x / 2x (remembered), and on to the next
// unplayed voice message when one ends. The unplayed dot: an incoming message keeps it until I
// play it; mine keeps it until someone else has (told live by the `voice.listened` event).
//
// The recording is fetched once into a blob: seeking then works whatever the server's range
// support, and a bubble swapped by a live update keeps playing (state is kept by message id).

import * as realtime from "./realtime.js";
import { post, request } from "./http.js";

const root = document.querySelector("section.chat[data-chat]");
const list = root?.querySelector("[data-messages]");
const me = Number(document.body.dataset.userId);
const chatId = Number(root?.dataset.chatId);
const kind = root?.dataset.chatKind;
const SPEEDS = [1, 1.5, 2];
const SPEED_KEY = "toricy.voice-speed";
const STEP_SECONDS = 5;

const audio = new Audio();
audio.preload = "auto";
const blobs = new Map(); // message id -> object URL of its recording
let current = null; // message id of the voice message in the audio element
let frame = 0;
let speed = SPEEDS.includes(Number(localStorage.getItem(SPEED_KEY))) ? Number(localStorage.getItem(SPEED_KEY)) : 1;

function clock(seconds) {
  const total = Math.max(0, Math.floor(seconds || 0));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

function idOf(voice) {
  return voice.closest(".msg")?.dataset.messageId || null;
}

function voiceOf(id) {
  return id ? list.querySelector(`.msg[data-message-id="${CSS.escape(id)}"] [data-voice]`) : null;
}

function listeners(voice) {
  return (voice.dataset.listenedBy || "").split(",").filter(Boolean).map(Number);
}

function mine(voice) {
  return Number(voice.closest(".msg")?.dataset.senderId) === me;
}

function unplayed(voice) {
  const ids = listeners(voice);
  if (mine(voice)) return kind !== "saved" && !ids.some((id) => id !== me);
  return !ids.includes(me);
}

function durationOf(voice) {
  return Number(voice.dataset.duration) || audio.duration || 0;
}

function paint(voice) {
  const active = idOf(voice) === current;
  const total = durationOf(voice);
  const at = active ? audio.currentTime : 0;
  const playing = active && !audio.paused && !audio.ended;
  voice.classList.toggle("voice--unplayed", unplayed(voice));
  voice.classList.toggle("voice--active", active && (playing || at > 0));
  voice.classList.toggle("voice--playing", playing);
  voice.style.setProperty("--progress", total ? Math.min(1, at / total).toFixed(4) : "0");
  const time = voice.querySelector("[data-voice-time]");
  time.textContent = active && (playing || at > 0) ? clock(at) : time.dataset.total;
  const wave = voice.querySelector("[data-voice-wave]");
  wave.setAttribute("aria-valuenow", String(Math.floor(at)));
  wave.setAttribute("aria-valuetext", `${clock(at)} / ${time.dataset.total}`);
  const button = voice.querySelector("[data-voice-play]");
  button.setAttribute("aria-label", playing ? button.dataset.labelPause : button.dataset.labelPlay);
  button.setAttribute("aria-pressed", playing ? "true" : "false");
  voice.querySelector("[data-voice-speed]").textContent = `${speed}x`;
}

function paintAll(scope = list) {
  for (const voice of scope.querySelectorAll("[data-voice]")) paint(voice);
}

function tick() {
  cancelAnimationFrame(frame);
  const voice = voiceOf(current);
  if (voice) paint(voice);
  if (!audio.paused) frame = requestAnimationFrame(tick);
}

async function source(voice, id) {
  let url = blobs.get(id);
  if (!url) {
    const response = await request(voice.dataset.src);
    if (!response.ok) throw new Error(response.statusText);
    url = URL.createObjectURL(new Blob([await response.arrayBuffer()], { type: "audio/mp4" }));
    blobs.set(id, url);
  }
  return url;
}

function heard(voice, id) {
  if (mine(voice) || !unplayed(voice)) return;
  voice.dataset.listenedBy = [...listeners(voice), me].join(",");
  paint(voice);
  // No body: an empty multipart form is one Django refuses to parse.
  post(`/chats/messages/${id}/listened/`).catch(() => {});
}

async function play(voice, at = null) {
  const id = idOf(voice);
  if (!id) return;
  if (current !== id) {
    audio.pause();
    const before = voiceOf(current);
    current = id;
    if (before) paint(before);
    voice.classList.add("voice--loading");
    let url;
    try {
      url = await source(voice, id);
    } catch {
      voice.classList.remove("voice--loading");
      if (current === id) current = null;
      return;
    }
    voice.classList.remove("voice--loading");
    if (current !== id) return; // another message was chosen meanwhile
    audio.src = url;
    await new Promise((resolve) => {
      audio.addEventListener("loadedmetadata", resolve, { once: true });
      audio.addEventListener("error", resolve, { once: true });
    });
  }
  if (at !== null) audio.currentTime = Math.max(0, Math.min(at, durationOf(voice)));
  audio.defaultPlaybackRate = speed;
  audio.playbackRate = speed;
  try {
    await audio.play();
  } catch {
    return;
  }
  heard(voice, id);
  tick();
}

function toggle(voice) {
  if (idOf(voice) === current && !audio.paused) {
    audio.pause();
  } else {
    play(voice);
  }
}

function seek(voice, at) {
  if (idOf(voice) === current) {
    audio.currentTime = Math.max(0, Math.min(at, durationOf(voice)));
    tick();
  } else {
    play(voice, at);
  }
}

function nextUnplayed(after) {
  const all = [...list.querySelectorAll("[data-voice]")];
  const start = all.indexOf(after);
  return all.slice(start + 1).find((voice) => !mine(voice) && unplayed(voice)) || null;
}

audio.addEventListener("play", tick);
audio.addEventListener("pause", tick);
audio.addEventListener("seeked", tick);
audio.addEventListener("ended", () => {
  const finished = voiceOf(current);
  current = null;
  audio.removeAttribute("src");
  if (!finished) return;
  paint(finished);
  const next = nextUnplayed(finished);
  if (next) play(next);
});

if (list) {
  list.addEventListener("click", (event) => {
    const voice = event.target.closest("[data-voice]");
    if (!voice) return;
    if (event.target.closest("[data-voice-play]")) {
      toggle(voice);
    } else if (event.target.closest("[data-voice-speed]")) {
      speed = SPEEDS[(SPEEDS.indexOf(speed) + 1) % SPEEDS.length];
      localStorage.setItem(SPEED_KEY, String(speed));
      audio.defaultPlaybackRate = speed;
      audio.playbackRate = speed;
      paintAll();
    } else {
      const wave = event.target.closest("[data-voice-wave]");
      if (!wave) return;
      const box = wave.getBoundingClientRect();
      const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      seek(voice, share * durationOf(voice));
    }
  });
  list.addEventListener("keydown", (event) => {
    const wave = event.target.closest?.("[data-voice-wave]");
    if (!wave) return;
    const voice = wave.closest("[data-voice]");
    const at = idOf(voice) === current ? audio.currentTime : 0;
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      seek(voice, at + (event.key === "ArrowRight" ? STEP_SECONDS : -STEP_SECONDS));
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      toggle(voice);
    }
  });
  // Bubbles come and go (history, live events, a re-rendered bubble): each is drawn as it
  // arrives, the one playing included.
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        if (node.matches("[data-voice]")) paint(node);
        else paintAll(node);
      }
    }
  }).observe(list, { childList: true });
  paintAll();

  realtime.on("voice.listened", (event) => {
    if (event.chat_id !== chatId) return;
    const voice = voiceOf(String(event.message_id));
    if (!voice || listeners(voice).includes(event.user_id)) return;
    voice.dataset.listenedBy = [...listeners(voice), event.user_id].join(",");
    paint(voice);
  });
}
