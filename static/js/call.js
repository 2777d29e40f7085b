// Calls on every page: the incoming-call screen (on every tab of the member), the call screen,
// media, and a mesh of peer connections (call-peer.js) signalled over the tab's websocket.
//
// The server decides who is in a call (HTTP: start, join, decline, leave) and says so with
// whole snapshots (call.ringing / call.updated / call.ended); this module makes the screen and
// the peer connections match the newest snapshot. Signalling frames (call.signal) are relayed by
// the server only between tabs that have joined the same call.
import * as realtime from "./realtime.js";
import { toast } from "./ui.js";
import { csrfToken, getJSON, postJSON } from "./http.js";
import { Peer } from "./call-peer.js";

const STATS_MS = 1000;
// A joined tab tells the server it is still there; the server takes a tab out of the call after
// CALL_SILENCE_SECONDS (40 s) without one, so a crashed browser does not leave anyone "busy".
const ALIVE_MS = 10_000;
const SPEAKING_LEVEL = 0.02;
const ENDED_SCREEN_MS = 1600;
const FIRST_OFFER_WAIT_MS = 5000;

const me = Number(document.body.dataset.userId || 0);
// This tab's name in calls: the server relays signalling to the one tab that joined.
const session = `t${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;

let layer = null;
let text = {};
let current = null; // the call this tab is in
let ringingFor = null; // the snapshot of the call ringing on this tab
const dismissed = new Set();
const live = new Map(); // call id -> newest snapshot of calls going on that concern the member

// --- Small helpers -------------------------------------------------------------------------------
function post(url, fields = {}) {
  return postJSON(url, new URLSearchParams({ session, ...fields }), text.failed);
}

function $(selector) {
  return layer.querySelector(selector);
}

function mine(call) {
  return call.participants.find((p) => p.user_id === me);
}

function others(call) {
  return call.participants.filter((p) => p.user_id !== me);
}

function titleOf(call) {
  if (call.is_group) return call.chat_title;
  return others(call)[0]?.name || "";
}

function avatar(person, size) {
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

function groupAvatar(size) {
  const box = document.createElement("span");
  box.className = `avatar avatar--${size} avatar--c4 call-group-avatar`;
  box.setAttribute("aria-hidden", "true");
  const sprite = document.body.dataset.iconSprite;
  box.innerHTML = `<svg class="icon" aria-hidden="true"><use href="${sprite}#i-users"></use></svg>`;
  return box;
}

// --- Sounds: a ringtone and a ringback tone made with Web Audio (no file to load) -------------
const tones = { context: null, timer: 0, nodes: [] };

function audioContext() {
  if (!tones.context) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    tones.context = new Context();
  }
  if (tones.context.state === "suspended") tones.context.resume().catch(() => {});
  return tones.context;
}

function playTone(kind) {
  stopTone();
  if (document.documentElement.dataset.sounds === "false") return;
  const context = audioContext();
  if (!context) return;
  const pattern = kind === "ring" ? [[523, 0, 0.4], [659, 0.45, 0.4]] : [[425, 0, 1.0]];
  const period = kind === "ring" ? 2200 : 4000;
  const beep = () => {
    const start = context.currentTime + 0.02;
    for (const [frequency, offset, length] of pattern) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0, start + offset);
      gain.gain.linearRampToValueAtTime(kind === "ring" ? 0.18 : 0.08, start + offset + 0.04);
      gain.gain.linearRampToValueAtTime(0, start + offset + length);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + length + 0.05);
    }
    if (kind === "ring" && navigator.vibrate) navigator.vibrate([300, 200, 300]);
  };
  beep();
  tones.timer = setInterval(beep, period);
}

function stopTone() {
  clearInterval(tones.timer);
  tones.timer = 0;
  if (navigator.vibrate) navigator.vibrate(0);
}

// --- Remote audio: elements blessed inside the click, so Safari lets them play later ------------
const speakers = [];

function blessSpeakers(count = 6) {
  while (speakers.length < count) {
    const element = document.createElement("audio");
    element.autoplay = true;
    element.className = "visually-hidden";
    layer.append(element);
    speakers.push({ element, key: null });
  }
  for (const speaker of speakers) {
    // play() inside the user's click marks the element as allowed to play sound afterwards.
    if (!speaker.key) {
      speaker.element.srcObject = new MediaStream();
      speaker.element.play().catch(() => {});
    }
  }
  audioContext();
}

function speakerFor(key, stream) {
  let speaker = speakers.find((s) => s.key === key) || speakers.find((s) => !s.key);
  if (!speaker) {
    blessSpeakers(speakers.length + 1);
    speaker = speakers.find((s) => !s.key);
  }
  speaker.key = key;
  if (speaker.element.srcObject !== stream) speaker.element.srcObject = stream;
  speaker.element.play().catch(() => {});
  const sink = $("[data-call-speaker-select]")?.value;
  if (sink && speaker.element.setSinkId) speaker.element.setSinkId(sink).catch(() => {});
}

function releaseSpeaker(key) {
  const speaker = speakers.find((s) => s.key === key);
  if (!speaker) return;
  speaker.key = null;
  speaker.element.srcObject = new MediaStream();
}

// --- Local media ---------------------------------------------------------------------------------
async function openMedia(video) {
  const constraints = {
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: video ? { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } } : false,
  };
  return navigator.mediaDevices.getUserMedia(constraints);
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
  if (current) return;
  blessSpeakers();
  let stream;
  try {
    stream = await openMedia(video);
  } catch (error) {
    console.error(error);
    toast(text.noMedia, "error");
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
  const call = ringingFor;
  if (!call) return;
  blessSpeakers();
  hideIncoming();
  let stream;
  try {
    stream = await openMedia(call.video);
  } catch (error) {
    console.error(error);
    toast(text.noMedia, "error");
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
  if (!call || current) return;
  ringingFor = call;
  await accept();
}

function decline() {
  const call = ringingFor;
  if (!call) return;
  dismissed.add(call.id);
  hideIncoming();
  if (call.is_group) return; // a group's call goes on; "Join" stays in the group's header
  post(`/calls/${call.id}/decline/`).catch((error) => toast(error.message, "error"));
}

function enter(call, ice, stream) {
  current = newCall(call, ice, stream);
  // Both pressed "call" at once: the server joined this tab to the other's call, whose ringing
  // may have reached this tab first.
  if (ringingFor && ringingFor.id === call.id) hideIncoming();
  document.documentElement.dataset.inCall = "true";
  layer.hidden = false;
  $("[data-call-screen]").hidden = false;
  $("[data-call-title]").textContent = titleOf(call);
  $("[data-call-screen]").dataset.video = String(current.video);
  $("[data-call-screen]").dataset.group = String(call.is_group);
  addTile(me, { name: text.you, ...mine(call) }, true);
  showLocal();
  updateButtons();
  applyToCall(call, true);
  current.statsTimer = setInterval(pollStats, STATS_MS);
  current.clockTimer = setInterval(updateStatus, 1000);
  const callId = call.id;
  current.aliveTimer = setInterval(
    () => realtime.send({ type: "call.alive", call_id: callId, session }),
    ALIVE_MS,
  );
  fillDevices();
  $("[data-call-hangup]").focus();
}

async function hangUp() {
  if (!current) return;
  const id = current.id;
  finish(text.ended);
  try {
    await post(`/calls/${id}/leave/`);
  } catch (error) {
    console.error(error);
  }
}

function finish(message) {
  if (!current) return;
  const call = current;
  current = null;
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
  $("[data-call-status]").textContent = message || text.ended;
  $("[data-call-quality]").hidden = true;
  // The last words stay a moment so the member sees why the call ended.
  setTimeout(() => {
    if (current) return;
    $("[data-call-screen]").hidden = true;
    $("[data-call-grid]").replaceChildren();
    if (!ringingFor) layer.hidden = true;
  }, ENDED_SCREEN_MS);
}

function endedText(call) {
  const outcome = call.outcome;
  if (outcome === "busy") return text.busy;
  if (outcome === "declined") return text.declined;
  if (outcome === "missed") return text.missed;
  if (outcome === "cancelled") return text.cancelled;
  return text.ended;
}

// --- Snapshots -----------------------------------------------------------------------------------
function applySnapshot(call) {
  if (call.state === "ended") live.delete(call.id);
  else live.set(call.id, call);
  showJoinButtons();
  if (current && current.id === call.id) {
    if (call.state === "ended") {
      finish(endedText(call));
      return;
    }
    const self = mine(call);
    if (!self || self.state !== "joined" || self.session !== session) {
      finish(text.ended); // moved to another tab or device, or left from elsewhere
      return;
    }
    applyToCall(call);
    return;
  }
  const self = mine(call);
  const ringsHere =
    call.state !== "ended" && self && self.state === "ringing" && !dismissed.has(call.id);
  if (ringsHere && !current) {
    showIncoming(call);
  } else if (ringingFor && ringingFor.id === call.id) {
    hideIncoming();
  }
}

function applyToCall(call, entering = false) {
  current.snapshot = call;
  const joined = others(call).filter((p) => p.state === "joined" && p.session);
  const wanted = new Set(joined.map((p) => `${p.user_id}:${p.session}`));
  for (const [key, peer] of current.peers) {
    if (!wanted.has(key)) dropPeer(key, peer);
  }
  // Whoever joins calls those already in: offers never cross at the start (crossing offers are
  // still handled, by perfect negotiation, for everything that comes later). If someone's first
  // offer is lost, this side makes the connection itself after a moment.
  for (const person of joined) {
    const key = `${person.user_id}:${person.session}`;
    if (entering) ensurePeer(person.user_id, person.session);
    else if (!current.peers.has(key) && !current.expected.has(key)) {
      current.expected.set(
        key,
        setTimeout(() => {
          if (current?.snapshot.participants.some((p) => p.session === person.session)) {
            ensurePeer(person.user_id, person.session);
          }
        }, FIRST_OFFER_WAIT_MS),
      );
    }
  }
  for (const person of call.participants) {
    const tile = current.tiles.get(person.user_id);
    if (person.user_id === me) continue;
    if (person.state === "joined" && !tile) addTile(person.user_id, person, false);
    if (tile && !tile.querySelector(".call-tile__name").textContent) {
      tile.querySelector(".call-tile__name").textContent = person.name;
      tile.querySelector(".call-tile__avatar").replaceChildren(avatar(person, "xl"));
    }
    if (person.state !== "joined" && tile) removeTile(person.user_id);
  }
  if (call.state === "ringing" && !call.is_group) playTone("ringback");
  else if (current.peers.size || call.is_group) stopTone();
  updateStatus();
}

// --- Peers ---------------------------------------------------------------------------------------
function ensurePeer(userId, peerSession) {
  const key = `${userId}:${peerSession}`;
  if (current.peers.has(key)) return current.peers.get(key);
  clearTimeout(current.expected.get(key));
  current.expected.delete(key);
  for (const [otherKey, peer] of current.peers) {
    if (peer.userId === userId) dropPeer(otherKey, peer); // they moved to another tab
  }
  const peer = new Peer({
    userId,
    session: peerSession,
    polite: me > userId,
    config: current.ice,
    send: (payload) => signal(userId, peerSession, payload),
    onTrack: remoteTrack,
    onState: peerState,
  });
  current.peers.set(key, peer);
  for (const track of current.stream.getTracks()) {
    const outgoing = track.kind === "video" && current.screenTrack ? current.screenTrack : track;
    peer.setTrack(track.kind, outgoing, current.stream);
  }
  if (!current.stream.getVideoTracks().length && current.screenTrack) {
    peer.setTrack("video", current.screenTrack, current.stream);
  }
  sendMediaState(peer);
  return peer;
}

function dropPeer(key, peer) {
  peer.close();
  current.peers.delete(key);
  releaseSpeaker(key);
}

function signal(userId, peerSession, payload) {
  if (!current) return;
  realtime.send({
    type: "call.signal",
    call_id: current.id,
    to: userId,
    to_session: peerSession,
    session,
    ...payload,
  });
}

function onSignal(frame) {
  if (!current || frame.call_id !== current.id || frame.to_session !== session) return;
  if (frame.media) {
    current.media.set(frame.from_user, frame.media);
    paintMedia(frame.from_user);
  }
  let peer = current.peers.get(`${frame.from_user}:${frame.from_session}`);
  // Only a newcomer's offer opens a connection here; anything else before it has nothing to do.
  if (!peer && frame.description?.type === "offer") {
    peer = ensurePeer(frame.from_user, frame.from_session);
  }
  if (peer && (frame.description || frame.candidates)) peer.receive(frame);
}

function remoteTrack(peer, track, stream) {
  if (!current) return;
  const key = `${peer.userId}:${peer.session}`;
  const person = current.snapshot.participants.find((p) => p.user_id === peer.userId);
  const tile = current.tiles.get(peer.userId) || addTile(peer.userId, person || {}, false);
  const video = tile.querySelector("video");
  if (video.srcObject !== stream) video.srcObject = stream;
  video.play().catch(() => {});
  if (track.kind === "audio") speakerFor(key, stream);
  if (track.kind === "video") {
    tile.dataset.hasVideo = "true";
    track.addEventListener("mute", () => paintMedia(peer.userId));
    track.addEventListener("unmute", () => paintMedia(peer.userId));
  }
  paintMedia(peer.userId);
}

function peerState(peer, state) {
  if (!current) return;
  const tile = current.tiles.get(peer.userId);
  if (tile) tile.dataset.connection = state;
  if (state === "connected") stopTone();
  updateStatus();
}

function sendMediaState(peer) {
  if (!current) return;
  const audio = current.stream.getAudioTracks()[0];
  const video = current.screenTrack || current.stream.getVideoTracks()[0];
  const media = {
    audio: Boolean(audio && audio.enabled),
    video: Boolean(video && video.enabled && video.readyState === "live"),
    screen: Boolean(current.screenTrack),
  };
  const peers = peer ? [peer] : [...current.peers.values()];
  for (const each of peers) signal(each.userId, each.session, { media });
}

// --- Tiles ---------------------------------------------------------------------------------------
function addTile(userId, person, self) {
  const template = document.getElementById("call-tile-template");
  const tile = template.content.firstElementChild.cloneNode(true);
  tile.dataset.userId = String(userId);
  if (self) tile.classList.add("call-tile--self");
  tile.querySelector(".call-tile__name").textContent = self ? text.you : person.name || "";
  if (person.colour !== undefined) tile.querySelector(".call-tile__avatar").append(avatar(person, "xl"));
  const video = tile.querySelector("video");
  video.muted = true; // sound plays through the blessed audio elements
  const grid = $("[data-call-grid]");
  if (self) grid.prepend(tile);
  else grid.append(tile);
  current.tiles.set(userId, tile);
  grid.dataset.count = String(current.tiles.size);
  return tile;
}

function removeTile(userId) {
  const tile = current.tiles.get(userId);
  tile?.remove();
  current.tiles.delete(userId);
  $("[data-call-grid]").dataset.count = String(current.tiles.size);
}

function showLocal() {
  const tile = current.tiles.get(me);
  const video = tile.querySelector("video");
  const track = current.screenTrack || current.stream.getVideoTracks()[0];
  if (track) {
    video.srcObject = new MediaStream([track]);
    video.play().catch(() => {});
  } else {
    video.srcObject = null;
  }
  tile.dataset.mirror = String(!current.screenTrack && current.facing === "user");
  paintMedia(me);
}

function paintMedia(userId) {
  if (!current) return;
  const tile = current.tiles.get(userId);
  if (!tile) return;
  let audio;
  let video;
  if (userId === me) {
    const mic = current.stream.getAudioTracks()[0];
    const camera = current.screenTrack || current.stream.getVideoTracks()[0];
    audio = Boolean(mic && mic.enabled);
    video = Boolean(camera && camera.enabled);
  } else {
    const state = current.media.get(userId) || { audio: true, video: true };
    const stream = tile.querySelector("video").srcObject;
    const track = stream?.getVideoTracks?.()[0];
    audio = state.audio !== false;
    video = Boolean(track && !track.muted && track.readyState === "live" && state.video !== false);
  }
  tile.dataset.video = String(video);
  tile.querySelector(".call-tile__muted").hidden = audio;
}

// --- Controls ------------------------------------------------------------------------------------
function updateButtons() {
  if (!current) return;
  const mic = current.stream.getAudioTracks()[0];
  const camera = current.stream.getVideoTracks()[0];
  const micOff = !mic || !mic.enabled;
  const cameraOff = !(current.screenTrack || (camera && camera.enabled));
  setPressed("[data-call-mic]", micOff);
  setPressed("[data-call-camera]", cameraOff);
  setPressed("[data-call-share]", Boolean(current.screenTrack));
  $("[data-call-flip]").hidden = !(camera && camera.enabled && current.cameras > 1);
  const canShare =
    navigator.mediaDevices?.getDisplayMedia && window.matchMedia("(pointer: fine)").matches;
  $("[data-call-share]").hidden = !canShare;
  $("[data-call-screen]").dataset.video = String(!cameraOff);
}

function setPressed(selector, pressed) {
  const button = $(selector);
  button.setAttribute("aria-pressed", String(pressed));
}

function toggleMic() {
  const mic = current?.stream.getAudioTracks()[0];
  if (!mic) return;
  mic.enabled = !mic.enabled;
  updateButtons();
  paintMedia(me);
  sendMediaState();
}

async function toggleCamera() {
  if (!current) return;
  let camera = current.stream.getVideoTracks()[0];
  if (!camera) {
    // An audio call turns into a video call: a new track, and every peer renegotiates.
    try {
      const media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" } });
      camera = media.getVideoTracks()[0];
    } catch (error) {
      console.error(error);
      toast(text.noMedia, "error");
      return;
    }
    current.stream.addTrack(camera);
    current.cameraTrack = camera;
    if (!current.screenTrack) {
      for (const peer of current.peers.values()) peer.setTrack("video", camera, current.stream);
    }
  } else {
    camera.enabled = !camera.enabled;
  }
  updateButtons();
  showLocal();
  sendMediaState();
}

async function flipCamera() {
  const camera = current?.stream.getVideoTracks()[0];
  if (!camera) return;
  const facing = current.facing === "user" ? "environment" : "user";
  try {
    camera.stop();
    const media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: facing } });
    const next = media.getVideoTracks()[0];
    current.stream.removeTrack(camera);
    current.stream.addTrack(next);
    current.cameraTrack = next;
    current.facing = facing;
    if (!current.screenTrack) {
      for (const peer of current.peers.values()) peer.setTrack("video", next, current.stream);
    }
    showLocal();
  } catch (error) {
    console.error(error);
  }
}

async function toggleShare() {
  if (!current) return;
  if (current.screenTrack) {
    stopShare();
    return;
  }
  let screen;
  try {
    const media = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    screen = media.getVideoTracks()[0];
  } catch {
    return; // the member closed the picker
  }
  current.screenTrack = screen;
  screen.addEventListener("ended", stopShare);
  for (const peer of current.peers.values()) peer.setTrack("video", screen, current.stream);
  updateButtons();
  showLocal();
  sendMediaState();
}

function stopShare() {
  if (!current || !current.screenTrack) return;
  const screen = current.screenTrack;
  current.screenTrack = null;
  screen.stop();
  const camera = current.stream.getVideoTracks()[0] || null;
  for (const peer of current.peers.values()) peer.setTrack("video", camera, current.stream);
  updateButtons();
  showLocal();
  sendMediaState();
}

async function fillDevices() {
  if (!current || !navigator.mediaDevices?.enumerateDevices) return;
  const devices = await navigator.mediaDevices.enumerateDevices();
  current.cameras = devices.filter((d) => d.kind === "videoinput").length;
  updateButtons();
  const outputs = devices.filter((d) => d.kind === "audiooutput" && d.deviceId !== "default");
  const canChoose = "setSinkId" in HTMLMediaElement.prototype && outputs.length > 1;
  const select = $("[data-call-speaker-select]");
  $("[data-call-speaker]").hidden = !canChoose;
  if (!canChoose) return;
  select.replaceChildren(new Option(text.defaultSpeaker, ""));
  outputs.forEach((d, i) => select.append(new Option(d.label || `${i + 1}`, d.deviceId)));
}

function chooseSpeaker() {
  const sink = $("[data-call-speaker-select]").value;
  for (const speaker of speakers) speaker.element.setSinkId?.(sink).catch(() => {});
}

// --- Status, timer, quality, who is speaking -----------------------------------------------------
function clock(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

function updateStatus() {
  if (!current) return;
  const call = current.snapshot;
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
    words = text.reconnecting;
    state = "reconnecting";
  } else if (call.state === "ringing" && !call.is_group) {
    words = call.created_by === me ? text.ringing : text.connecting;
  } else if (!peers.length && call.is_group) {
    words = text.waiting;
  } else if (!connected.length) {
    words = text.connecting;
  } else {
    words = clock((Date.now() - Date.parse(call.answered_at || new Date())) / 1000);
    state = "live";
  }
  status.textContent = words;
  status.dataset.state = state;
  quality.hidden = state !== "live";
  $("[data-call-screen]").dataset.state = state;
}

async function pollStats() {
  if (!current) return;
  let worst = "good";
  for (const [key, peer] of current.peers) {
    let report;
    try {
      report = await peer.pc.getStats();
    } catch {
      continue;
    }
    let lost = 0;
    let received = 0;
    let rtt = 0;
    let level = 0;
    report.forEach((stat) => {
      if (stat.type === "inbound-rtp") {
        lost += stat.packetsLost || 0;
        received += stat.packetsReceived || 0;
        if (stat.kind === "audio") level = Math.max(level, stat.audioLevel || 0);
      }
      if (stat.type === "candidate-pair" && stat.nominated && stat.state === "succeeded") {
        rtt = stat.currentRoundTripTime || rtt;
      }
    });
    const before = current?.lastBytes.get(key) || { lost: 0, received: 0 };
    current?.lastBytes.set(key, { lost, received });
    const newLost = lost - before.lost;
    const newReceived = received - before.received;
    const lossRate = newLost / Math.max(1, newLost + newReceived);
    let quality = "good";
    if (lossRate > 0.1 || rtt > 0.6) quality = "poor";
    else if (lossRate > 0.03 || rtt > 0.3) quality = "fair";
    if (quality === "poor" || (quality === "fair" && worst === "good")) worst = quality;
    const tile = current?.tiles.get(peer.userId);
    if (tile) tile.dataset.speaking = String(level > SPEAKING_LEVEL);
  }
  if (!current) return;
  await localLevel();
  current.quality = worst;
  const indicator = $("[data-call-quality]");
  indicator.dataset.quality = worst;
  indicator.setAttribute("aria-label", text[`quality${worst[0].toUpperCase()}${worst.slice(1)}`]);
}

async function localLevel() {
  const peer = current.peers.values().next().value;
  const tile = current.tiles.get(me);
  if (!peer || !tile) return;
  const mic = current.stream.getAudioTracks()[0];
  let level = 0;
  try {
    (await peer.pc.getStats()).forEach((stat) => {
      if (stat.type === "media-source" && stat.kind === "audio") level = stat.audioLevel || 0;
    });
  } catch {
    return;
  }
  tile.dataset.speaking = String(Boolean(mic?.enabled) && level > SPEAKING_LEVEL);
}

// What the tests read: bytes received per kind and the path each peer connection took.
async function stats() {
  if (!current) return [];
  const result = [];
  for (const peer of current.peers.values()) {
    const report = await peer.pc.getStats();
    const entry = { user_id: peer.userId, audio: 0, video: 0, path: null, state: peer.pc.connectionState };
    const candidates = new Map();
    let pair = null;
    report.forEach((stat) => {
      if (stat.type === "inbound-rtp") entry[stat.kind] += stat.bytesReceived || 0;
      if (stat.type === "inbound-rtp" && stat.kind === "video") {
        entry.width = stat.frameWidth || 0;
        entry.height = stat.frameHeight || 0;
      }
      if (stat.type === "local-candidate" || stat.type === "remote-candidate") candidates.set(stat.id, stat);
      if (stat.type === "transport" && stat.selectedCandidatePairId) pair = stat.selectedCandidatePairId;
    });
    report.forEach((stat) => {
      if (stat.type === "candidate-pair" && stat.id === pair) {
        entry.path = {
          local: candidates.get(stat.localCandidateId)?.candidateType,
          remote: candidates.get(stat.remoteCandidateId)?.candidateType,
        };
      }
    });
    result.push(entry);
  }
  return result;
}

// --- Incoming call screen ------------------------------------------------------------------------
function showIncoming(call) {
  if (ringingFor && ringingFor.id === call.id) {
    ringingFor = call;
    return;
  }
  ringingFor = call;
  const caller = call.participants.find((p) => p.user_id === call.created_by) || others(call)[0];
  const box = $("[data-call-incoming-avatar]");
  box.replaceChildren(call.is_group ? groupAvatar("xl") : avatar(caller, "xl"));
  $("[data-call-incoming-name]").textContent = titleOf(call);
  let kind = call.video ? text.incomingVideo : text.incomingAudio;
  if (call.is_group) kind = `${text.incomingGroup} · ${caller?.name || ""} ${text.invites}`;
  $("[data-call-incoming-kind]").textContent = kind;
  $("[data-call-incoming]").dataset.video = String(call.video);
  layer.hidden = false;
  $("[data-call-incoming]").hidden = false;
  playTone("ring");
  notifyIfAway(call, kind);
  $("[data-call-accept]").focus();
}

function hideIncoming() {
  ringingFor = null;
  $("[data-call-incoming]").hidden = true;
  if (!current) stopTone();
  if (!current && $("[data-call-screen]").hidden) layer.hidden = true;
}

function notifyIfAway(call, kind) {
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
function showJoinButtons() {
  for (const button of document.querySelectorAll("[data-call-join-chat]")) {
    const chatId = Number(button.dataset.callJoinChat);
    const call = [...live.values()].find((c) => c.chat_id === chatId && c.is_group);
    const inIt = current && call && current.id === call.id;
    button.hidden = !call || inIt;
    if (call) button.dataset.callId = String(call.id);
  }
}

async function refresh() {
  try {
    const response = await getJSON("/calls/live/");
    if (!response.ok) return;
    const { calls } = await response.json();
    const ids = new Set(calls.map((c) => c.id));
    for (const id of [...live.keys()]) if (!ids.has(id)) live.delete(id);
    if (current && !ids.has(current.id)) finish(text.ended);
    if (ringingFor && !ids.has(ringingFor.id)) hideIncoming();
    for (const call of calls) applySnapshot(call);
    showJoinButtons();
  } catch (error) {
    console.error(error);
  }
}

// --- Wiring --------------------------------------------------------------------------------------
function readStrings() {
  const data = layer.dataset;
  text = {};
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith("i18n")) {
      const name = key.slice(4);
      text[name[0].toLowerCase() + name.slice(1)] = value;
    }
  }
}

export function startCalls() {
  layer = document.getElementById("call-layer");
  if (!layer || !me) return;
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
  layer.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && ringingFor && !current) decline();
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
    for (const peer of current?.peers.values() || []) peer.restartIce();
  });
  window.addEventListener("pagehide", () => {
    if (!current) return;
    const form = new FormData();
    form.append("session", session);
    form.append("csrfmiddlewaretoken", csrfToken());
    navigator.sendBeacon(`/calls/${current.id}/leave/`, form);
  });
  document.body.addEventListener("htmx:afterSettle", showJoinButtons);
}

export const calls = {
  stats,
  get current() {
    return current ? current.snapshot : null;
  },
  session,
};
