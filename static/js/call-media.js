// A call's media: the ringtone and ringback (Web Audio), the audio elements remote sound plays
// through, the microphone and camera, the speaker choice, and the statistics of each connection
// (quality, who is speaking, and what the tests read).
import { $, me, state } from "./call-state.js";

const SPEAKING_LEVEL = 0.02;

// --- Sounds: a ringtone and a ringback tone made with Web Audio (no file to load) -------------
const tones = { context: null, timer: 0, nodes: [] };

export function audioContext() {
  if (!tones.context) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    tones.context = new Context();
  }
  if (tones.context.state === "suspended") tones.context.resume().catch(() => {});
  return tones.context;
}

export function playTone(kind) {
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

export function stopTone() {
  clearInterval(tones.timer);
  tones.timer = 0;
  if (navigator.vibrate) navigator.vibrate(0);
}

// --- Remote audio: elements blessed inside the click, so Safari lets them play later ------------
export const speakers = [];

export function blessSpeakers(count = 6) {
  while (speakers.length < count) {
    const element = document.createElement("audio");
    element.autoplay = true;
    element.className = "visually-hidden";
    state.layer.append(element);
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

export function speakerFor(key, stream) {
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

export function releaseSpeaker(key) {
  const speaker = speakers.find((s) => s.key === key);
  if (!speaker) return;
  speaker.key = null;
  speaker.element.srcObject = new MediaStream();
}

export function chooseSpeaker() {
  const sink = $("[data-call-speaker-select]").value;
  for (const speaker of speakers) speaker.element.setSinkId?.(sink).catch(() => {});
}

// --- Local media ---------------------------------------------------------------------------------
export async function openMedia(video) {
  const constraints = {
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: video ? { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } } : false,
  };
  return navigator.mediaDevices.getUserMedia(constraints);
}

// --- Quality and who is speaking -----------------------------------------------------------------
export async function pollStats() {
  if (!state.current) return;
  let worst = "good";
  for (const [key, peer] of state.current.peers) {
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
    const before = state.current?.lastBytes.get(key) || { lost: 0, received: 0 };
    state.current?.lastBytes.set(key, { lost, received });
    const newLost = lost - before.lost;
    const newReceived = received - before.received;
    const lossRate = newLost / Math.max(1, newLost + newReceived);
    let quality = "good";
    if (lossRate > 0.1 || rtt > 0.6) quality = "poor";
    else if (lossRate > 0.03 || rtt > 0.3) quality = "fair";
    if (quality === "poor" || (quality === "fair" && worst === "good")) worst = quality;
    const tile = state.current?.tiles.get(peer.userId);
    if (tile) tile.dataset.speaking = String(level > SPEAKING_LEVEL);
  }
  if (!state.current) return;
  await localLevel();
  state.current.quality = worst;
  const indicator = $("[data-call-quality]");
  indicator.dataset.quality = worst;
  indicator.setAttribute("aria-label", state.text[`quality${worst[0].toUpperCase()}${worst.slice(1)}`]);
}

export async function localLevel() {
  const peer = state.current.peers.values().next().value;
  const tile = state.current.tiles.get(me);
  if (!peer || !tile) return;
  const mic = state.current.stream.getAudioTracks()[0];
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
export async function stats() {
  if (!state.current) return [];
  const result = [];
  for (const peer of state.current.peers.values()) {
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
