// The call's screens: the incoming-call screen, the call screen's tiles (who is there, their
// video, muted or not), its buttons and status line (timer, reconnecting), the speaker list,
// and the "Join" buttons of group calls in chat headers.
import { icon } from "./dom.js";
import { $, live, me, others, state, titleOf } from "./call-state.js";
import { playTone, stopTone } from "./call-media.js";

export function avatar(person, size) {
  const box = document.createElement("span");
  box.className = `avatar avatar--${size} avatar--c${person.colour}`;
  box.setAttribute("aria-hidden", "true");
  if (person.avatar) {
    const img = document.createElement("img");
    img.src = person.avatar;
    img.alt = "";
    box.classList.remove(`avatar--c${person.colour}`);
    box.append(img);
  } else {
    box.textContent = person.initials;
  }
  return box;
}

export function groupAvatar(size) {
  const box = document.createElement("span");
  box.className = `avatar avatar--${size} avatar--c4 call-group-avatar`;
  box.setAttribute("aria-hidden", "true");
  box.append(icon("users", 44));
  return box;
}

// --- Tiles ---------------------------------------------------------------------------------------
export function addTile(userId, person, self) {
  const template = document.getElementById("call-tile-template");
  const tile = template.content.firstElementChild.cloneNode(true);
  tile.dataset.userId = String(userId);
  if (self) tile.classList.add("call-tile--self");
  tile.querySelector(".call-tile__name").textContent = self ? state.text.you : person.name || "";
  if (person.colour !== undefined) tile.querySelector(".call-tile__avatar").append(avatar(person, "xl"));
  const video = tile.querySelector("video");
  video.muted = true; // sound plays through the blessed audio elements
  const grid = $("[data-call-grid]");
  if (self) grid.prepend(tile);
  else grid.append(tile);
  state.current.tiles.set(userId, tile);
  grid.dataset.count = String(state.current.tiles.size);
  return tile;
}

export function removeTile(userId) {
  const tile = state.current.tiles.get(userId);
  tile?.remove();
  state.current.tiles.delete(userId);
  $("[data-call-grid]").dataset.count = String(state.current.tiles.size);
}

export function showLocal() {
  const tile = state.current.tiles.get(me);
  const video = tile.querySelector("video");
  const track = state.current.screenTrack || state.current.stream.getVideoTracks()[0];
  if (track) {
    video.srcObject = new MediaStream([track]);
    video.play().catch(() => {});
  } else {
    video.srcObject = null;
  }
  tile.dataset.mirror = String(!state.current.screenTrack && state.current.facing === "user");
  paintMedia(me);
}

export function paintMedia(userId) {
  if (!state.current) return;
  const tile = state.current.tiles.get(userId);
  if (!tile) return;
  let audio;
  let video;
  if (userId === me) {
    const mic = state.current.stream.getAudioTracks()[0];
    const camera = state.current.screenTrack || state.current.stream.getVideoTracks()[0];
    audio = Boolean(mic && mic.enabled);
    video = Boolean(camera && camera.enabled);
  } else {
    const state = state.current.media.get(userId) || { audio: true, video: true };
    const stream = tile.querySelector("video").srcObject;
    const track = stream?.getVideoTracks?.()[0];
    audio = state.audio !== false;
    video = Boolean(track && !track.muted && track.readyState === "live" && state.video !== false);
  }
  tile.dataset.video = String(video);
  tile.querySelector(".call-tile__muted").hidden = audio;
}

// --- Buttons and devices -------------------------------------------------------------------------
export function updateButtons() {
  if (!state.current) return;
  const mic = state.current.stream.getAudioTracks()[0];
  const camera = state.current.stream.getVideoTracks()[0];
  const micOff = !mic || !mic.enabled;
  const cameraOff = !(state.current.screenTrack || (camera && camera.enabled));
  setPressed("[data-call-mic]", micOff);
  setPressed("[data-call-camera]", cameraOff);
  setPressed("[data-call-share]", Boolean(state.current.screenTrack));
  $("[data-call-flip]").hidden = !(camera && camera.enabled && state.current.cameras > 1);
  const canShare =
    navigator.mediaDevices?.getDisplayMedia && window.matchMedia("(pointer: fine)").matches;
  $("[data-call-share]").hidden = !canShare;
  $("[data-call-screen]").dataset.video = String(!cameraOff);
}

export function setPressed(selector, pressed) {
  const button = $(selector);
  button.setAttribute("aria-pressed", String(pressed));
}

export async function fillDevices() {
  if (!state.current || !navigator.mediaDevices?.enumerateDevices) return;
  const devices = await navigator.mediaDevices.enumerateDevices();
  state.current.cameras = devices.filter((d) => d.kind === "videoinput").length;
  updateButtons();
  const outputs = devices.filter((d) => d.kind === "audiooutput" && d.deviceId !== "default");
  const canChoose = "setSinkId" in HTMLMediaElement.prototype && outputs.length > 1;
  const select = $("[data-call-speaker-select]");
  $("[data-call-speaker]").hidden = !canChoose;
  if (!canChoose) return;
  select.replaceChildren(new Option(state.text.defaultSpeaker, ""));
  outputs.forEach((d, i) => select.append(new Option(d.label || `${i + 1}`, d.deviceId)));
}

// --- Status and timer ----------------------------------------------------------------------------
export function clock(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

export function updateStatus() {
  if (!state.current) return;
  const call = state.current.snapshot;
  const status = $("[data-call-status]");
  const quality = $("[data-call-quality]");
  const peers = [...current.peers.values()];
  const connected = peers.filter((p) => p.pc.connectionState === "connected");
  const broken = peers.some(
    (p) => p.everConnected && ["disconnected", "failed"].includes(p.pc.connectionState),
  );
  let words;
  let state = "ok";
  if (document.documentElement.dataset.realtime === "connecting" || broken) {
    words = state.text.reconnecting;
    state = "reconnecting";
  } else if (call.state === "ringing" && !call.is_group) {
    words = call.created_by === me ? state.text.ringing : state.text.connecting;
  } else if (!peers.length && call.is_group) {
    words = state.text.waiting;
  } else if (!connected.length) {
    words = state.text.connecting;
  } else {
    words = clock((Date.now() - Date.parse(call.answered_at || new Date())) / 1000);
    state = "live";
  }
  status.textContent = words;
  status.dataset.state = state;
  quality.hidden = state !== "live";
  $("[data-call-screen]").dataset.state = state;
}

// --- Incoming call screen ------------------------------------------------------------------------
export function showIncoming(call) {
  if (state.ringingFor && state.ringingFor.id === call.id) {
    state.ringingFor = call;
    return;
  }
  state.ringingFor = call;
  const caller = call.participants.find((p) => p.user_id === call.created_by) || others(call)[0];
  const box = $("[data-call-incoming-avatar]");
  box.replaceChildren(call.is_group ? groupAvatar("xl") : avatar(caller, "xl"));
  $("[data-call-incoming-name]").textContent = titleOf(call);
  let kind = call.video ? state.text.incomingVideo : state.text.incomingAudio;
  if (call.is_group) kind = `${state.text.incomingGroup} · ${caller?.name || ""} ${state.text.invites}`;
  $("[data-call-incoming-kind]").textContent = kind;
  $("[data-call-incoming]").dataset.video = String(call.video);
  state.layer.hidden = false;
  $("[data-call-incoming]").hidden = false;
  playTone("ring");
  notifyIfAway(call, kind);
  $("[data-call-accept]").focus();
}

export function hideIncoming() {
  state.ringingFor = null;
  $("[data-call-incoming]").hidden = true;
  if (!state.current) stopTone();
  if (!state.current && $("[data-call-screen]").hidden) state.layer.hidden = true;
}

export function notifyIfAway(call, kind) {
  if (document.hasFocus() || !("Notification" in window)) return;
  if (Notification.permission !== "granted") return;
  try {
    const note = new Notification(titleOf(call), { body: kind, tag: `call-${call.id}` });
    note.onclick = () => {
      window.focus();
      note.close();
    };
  } catch {
    // Some phones allow notifications only from the service worker.
  }
}

// --- Group calls in headers ----------------------------------------------------------------------
export function showJoinButtons() {
  for (const button of document.querySelectorAll("[data-call-join-chat]")) {
    const chatId = Number(button.dataset.callJoinChat);
    const call = [...live.values()].find((c) => c.chat_id === chatId && c.is_group);
    const inIt = state.current && call && state.current.id === call.id;
    button.hidden = !call || inIt;
    if (call) button.dataset.callId = String(call.id);
  }
}
