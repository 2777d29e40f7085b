// Calls on every page: the incoming-call screen (on every tab of the member), the call screen,
// media, and a mesh of peer connections (call-peer.js) signalled over the tab's websocket.
//
// The server decides who is in a call (HTTP: start, join, decline, leave) and says so with
// whole snapshots (call.ringing / call.updated / call.ended); this module makes the screen and
// the peer connections match the newest snapshot. Signalling frames (call.signal) are relayed by
// the server only between tabs that have joined the same call.
//
// call-state.js   what the modules share (the call this tab is in, the one ringing here)
// call-media.js   tones, the audio elements, the microphone and camera, statistics
// call-screen.js  the incoming-call and call screens, tiles, status, "Join" buttons
// call-signal.js  the peers of the mesh and the signalling between them
// call-controls.js the buttons: microphone, camera, flip, screen sharing
import * as realtime from "./realtime.js";
import { toast } from "./ui.js";
import { csrfToken, getJSON, postJSON } from "./http.js";
import { $, dismissed, endedText, live, me, mine, readStrings, session, state, titleOf } from "./call-state.js";
import { blessSpeakers, chooseSpeaker, openMedia, pollStats, releaseSpeaker, speakers, stats, stopTone } from "./call-media.js";
import { addTile, fillDevices, hideIncoming, showIncoming, showJoinButtons, showLocal, updateButtons, updateStatus } from "./call-screen.js";
import { applyToCall, onSignal, sendMediaState } from "./call-signal.js";
import { flipCamera, toggleCamera, toggleMic, toggleShare } from "./call-controls.js";

const STATS_MS = 1000;
// A joined tab tells the server it is still there; the server takes a tab out of the call after
// CALL_SILENCE_SECONDS (40 s) without one, so a crashed browser does not leave anyone "busy".
const ALIVE_MS = 10_000;
const ENDED_SCREEN_MS = 1600;

// Start, join, decline, leave: JSON answers; a refusal throws with the server's words.
function post(url, fields = {}) {
  return postJSON(url, new URLSearchParams({ session, ...fields }), state.text.failed);
}

// --- Entering and leaving a call -----------------------------------------------------------------
function newCall(call, ice, stream) {
  return {
    id: call.id,
    snapshot: call,
    ice,
    stream,
    video: stream.getVideoTracks().length > 0,
    screenTrack: null,
    cameraTrack: stream.getVideoTracks()[0] || null,
    facing: "user",
    peers: new Map(), // "user:session" -> Peer
    expected: new Map(), // "user:session" -> timer: a newcomer who should call us
    tiles: new Map(), // user id -> tile element
    media: new Map(), // user id -> {audio, video}
    statsTimer: 0,
    clockTimer: 0,
    lastBytes: new Map(),
    quality: "good",
  };
}

async function startCall({ chat, member, video }) {
  if (state.current) return;
  blessSpeakers();
  let stream;
  try {
    stream = await openMedia(video);
  } catch (error) {
    console.error(error);
    toast(state.text.noMedia, "error");
    return;
  }
  const fields = { video: video ? "1" : "0" };
  if (chat) fields.chat = chat;
  if (member) fields.member = member;
  let body;
  try {
    body = await post("/calls/start/", fields);
  } catch (error) {
    stream.getTracks().forEach((t) => t.stop());
    toast(error.message, "error");
    return;
  }
  if (body.call.state === "ended") {
    stream.getTracks().forEach((t) => t.stop());
    toast(endedText(body.call), "info");
    return;
  }
  enter(body.call, body.ice, stream);
}

async function accept() {
  const call = state.ringingFor;
  if (!call) return;
  blessSpeakers();
  hideIncoming();
  let stream;
  try {
    stream = await openMedia(call.video);
  } catch (error) {
    console.error(error);
    toast(state.text.noMedia, "error");
    post(`/calls/${call.id}/decline/`).catch(() => {});
    return;
  }
  try {
    const body = await post(`/calls/${call.id}/join/`);
    enter(body.call, body.ice, stream);
  } catch (error) {
    stream.getTracks().forEach((t) => t.stop());
    toast(error.message, "error");
  }
}

async function join(callId) {
  const call = live.get(callId);
  if (!call || state.current) return;
  state.ringingFor = call;
  await accept();
}

function decline() {
  const call = state.ringingFor;
  if (!call) return;
  dismissed.add(call.id);
  hideIncoming();
  if (call.is_group) return; // a group's call goes on; "Join" stays in the group's header
  post(`/calls/${call.id}/decline/`).catch((error) => toast(error.message, "error"));
}

function enter(call, ice, stream) {
  state.current = newCall(call, ice, stream);
  // Both pressed "call" at once: the server joined this tab to the other's call, whose ringing
  // may have reached this tab first.
  if (state.ringingFor && state.ringingFor.id === call.id) hideIncoming();
  document.documentElement.dataset.inCall = "true";
  state.layer.hidden = false;
  $("[data-call-screen]").hidden = false;
  $("[data-call-title]").textContent = titleOf(call);
  $("[data-call-screen]").dataset.video = String(state.current.video);
  $("[data-call-screen]").dataset.group = String(call.is_group);
  addTile(me, { name: state.text.you, ...mine(call) }, true);
  showLocal();
  updateButtons();
  applyToCall(call, true);
  state.current.statsTimer = setInterval(pollStats, STATS_MS);
  state.current.clockTimer = setInterval(updateStatus, 1000);
  const callId = call.id;
  state.current.aliveTimer = setInterval(
    () => realtime.send({ type: "call.alive", call_id: callId, session }),
    ALIVE_MS,
  );
  fillDevices();
  $("[data-call-hangup]").focus();
}

async function hangUp() {
  if (!state.current) return;
  const id = state.current.id;
  finish(state.text.ended);
  try {
    await post(`/calls/${id}/leave/`);
  } catch (error) {
    console.error(error);
  }
}

function finish(message) {
  if (!state.current) return;
  const call = state.current;
  state.current = null;
  stopTone();
  clearInterval(call.statsTimer);
  clearInterval(call.clockTimer);
  clearInterval(call.aliveTimer);
  for (const timer of call.expected.values()) clearTimeout(timer);
  for (const peer of call.peers.values()) peer.close();
  for (const track of call.stream.getTracks()) track.stop();
  call.screenTrack?.stop();
  for (const speaker of speakers) releaseSpeaker(speaker.key);
  delete document.documentElement.dataset.inCall;
  $("[data-call-status]").textContent = message || state.text.ended;
  $("[data-call-quality]").hidden = true;
  // The last words stay a moment so the member sees why the call ended.
  setTimeout(() => {
    if (state.current) return;
    $("[data-call-screen]").hidden = true;
    $("[data-call-grid]").replaceChildren();
    if (!state.ringingFor) state.layer.hidden = true;
  }, ENDED_SCREEN_MS);
}

// --- Snapshots -----------------------------------------------------------------------------------
function applySnapshot(call) {
  if (call.state === "ended") live.delete(call.id);
  else live.set(call.id, call);
  showJoinButtons();
  if (state.current && state.current.id === call.id) {
    if (call.state === "ended") {
      finish(endedText(call));
      return;
    }
    const self = mine(call);
    if (!self || self.state !== "joined" || self.session !== session) {
      finish(state.text.ended); // moved to another tab or device, or left from elsewhere
      return;
    }
    applyToCall(call);
    return;
  }
  const self = mine(call);
  const ringsHere =
    call.state !== "ended" && self && self.state === "ringing" && !dismissed.has(call.id);
  if (ringsHere && !state.current) {
    showIncoming(call);
  } else if (state.ringingFor && state.ringingFor.id === call.id) {
    hideIncoming();
  }
}

async function refresh() {
  try {
    const response = await getJSON("/calls/live/");
    if (!response.ok) return;
    const { calls } = await response.json();
    const ids = new Set(calls.map((c) => c.id));
    for (const id of [...live.keys()]) if (!ids.has(id)) live.delete(id);
    if (state.current && !ids.has(state.current.id)) finish(state.text.ended);
    if (state.ringingFor && !ids.has(state.ringingFor.id)) hideIncoming();
    for (const call of calls) applySnapshot(call);
    showJoinButtons();
  } catch (error) {
    console.error(error);
  }
}

// --- Wiring --------------------------------------------------------------------------------------
export function startCalls() {
  state.layer = document.getElementById("call-layer");
  if (!state.layer || !me) return;
  readStrings();
  document.addEventListener("click", (event) => {
    const start = event.target.closest("[data-call-start]");
    if (start) {
      event.preventDefault();
      start.closest("dialog")?.close();
      startCall({
        chat: start.dataset.chat,
        member: start.dataset.member,
        video: start.dataset.video === "1",
      });
      return;
    }
    const joinButton = event.target.closest("[data-call-join-chat]");
    if (joinButton && joinButton.dataset.callId) {
      event.preventDefault();
      join(Number(joinButton.dataset.callId));
    }
  });
  $("[data-call-accept]").addEventListener("click", accept);
  $("[data-call-decline]").addEventListener("click", decline);
  $("[data-call-hangup]").addEventListener("click", hangUp);
  $("[data-call-mic]").addEventListener("click", toggleMic);
  $("[data-call-camera]").addEventListener("click", toggleCamera);
  $("[data-call-flip]").addEventListener("click", flipCamera);
  $("[data-call-share]").addEventListener("click", toggleShare);
  $("[data-call-speaker-select]").addEventListener("change", chooseSpeaker);
  state.layer.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.ringingFor && !state.current) decline();
  });
  realtime.on("call.ringing", (frame) => applySnapshot(frame.call));
  realtime.on("call.updated", (frame) => applySnapshot(frame.call));
  realtime.on("call.ended", (frame) => applySnapshot(frame.call));
  realtime.on("call.signal", onSignal);
  // After a reconnect, signals sent while the socket was down are lost: the call is refetched
  // and my microphone and camera state is told to the others again.
  realtime.on("realtime.ready", () => refresh().then(() => sendMediaState()));
  realtime.on("realtime.state", updateStatus);
  window.addEventListener("online", () => {
    // A new network: new paths; every peer restarts ICE.
    for (const peer of state.current?.peers.values() || []) peer.restartIce();
  });
  window.addEventListener("pagehide", () => {
    if (!state.current) return;
    const form = new FormData();
    form.append("session", session);
    form.append("csrfmiddlewaretoken", csrfToken());
    navigator.sendBeacon(`/calls/${state.current.id}/leave/`, form);
  });
  document.body.addEventListener("htmx:afterSettle", showJoinButtons);
}

export const calls = {
  stats,
  get current() {
    return state.current ? state.current.snapshot : null;
  },
  session,
};
