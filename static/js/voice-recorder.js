// Recording a voice message in the composer, like Telegram: hold the microphone to record, slide
// left to cancel, release to send. A tap (or Enter/Space) records hands-free until Send or the
// bin. The browser's MediaRecorder encodes (Opus in WebM or Ogg, AAC in MP4 where that is all it
// offers); the server checks and re-encodes. A live timer and level meter show it is listening.

import { toast } from "./ui.js";

const TAP_MS = 300; // shorter than this is a tap: keep recording hands-free
const CANCEL_PX = 120; // slide this far left while holding to throw the recording away
const MIN_MS = 700; // shorter holds are an accident, not a message
const BITRATE = 48000;
const TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
const BARS = 160; // levels kept; as many as fit are drawn, one every PITCH pixels
const PITCH = 4;
const STEP_MS = 70;

export function supported() {
  return Boolean(navigator.mediaDevices?.getUserMedia && window.MediaRecorder);
}

export function clock(seconds) {
  const total = Math.max(0, Math.round(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** What the pending bubble says until the server has the recording. */
export function pendingLabel(entry) {
  const label = document.querySelector("[data-recorder]")?.dataset.i18nPending || "";
  return `${label} ${clock(entry.duration || 0)}`;
}

/**
 * Wire the microphone of `composer`; `onRecorded(blob, seconds)` gets each finished recording.
 */
export function attachRecorder(composer, onRecorded) {
  const button = composer.querySelector("[data-voice-record]");
  const panel = composer.querySelector("[data-recorder]");
  if (!button || !panel) return;
  if (!supported()) {
    composer.classList.add("composer--no-voice");
    return;
  }
  const time = panel.querySelector("[data-recorder-time]");
  const canvas = panel.querySelector("[data-recorder-level]");
  const hint = panel.querySelector("[data-recorder-hint]");
  const maxSeconds = Number(panel.dataset.maxSeconds) || 900;

  // One recording at a time; `state` is idle, starting, holding, locked or stopping.
  let state = "idle";
  let session = null;
  let press = null;
  let lockedAt = 0;

  function show(on) {
    panel.hidden = !on;
    composer.classList.toggle("composer--recording", on);
    if (!on) {
      composer.classList.remove("composer--locked");
      panel.classList.remove("recorder--locked");
      composer.style.removeProperty("--level");
      hint.style.removeProperty("transform");
      time.textContent = clock(0);
    }
  }

  function lock() {
    state = "locked";
    lockedAt = performance.now();
    composer.classList.add("composer--locked");
    panel.classList.add("recorder--locked");
    hint.style.removeProperty("transform");
    panel.querySelector("[data-recorder-send]").focus();
  }

  async function start(handsFree = false) {
    state = "starting";
    show(true);
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch {
      state = "idle";
      show(false);
      toast(panel.dataset.i18nDenied, "error");
      return;
    }
    if (state !== "starting" && state !== "locked") {
      // Cancelled while the browser was asking for the microphone.
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || "";
    let recorder;
    try {
      recorder = new MediaRecorder(stream, { ...(mimeType ? { mimeType } : {}), audioBitsPerSecond: BITRATE });
    } catch {
      for (const track of stream.getTracks()) track.stop();
      state = "idle";
      show(false);
      toast(panel.dataset.i18nUnsupported, "error");
      return;
    }
    const chunks = [];
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data.size) chunks.push(event.data);
    });
    session = { stream, recorder, chunks, startedAt: performance.now(), levels: [], frame: 0, context: null };
    meter(session);
    recorder.start(250);
    if (state === "starting") state = handsFree ? "locked" : "holding";
    if (state === "locked") lock();
  }

  function meter(current) {
    const AudioContext = window.AudioContext || window.webkitAudioContext;
    let analyser = null;
    let samples = null;
    if (AudioContext) {
      current.context = new AudioContext();
      const source = current.context.createMediaStreamSource(current.stream);
      analyser = current.context.createAnalyser();
      analyser.fftSize = 1024;
      samples = new Float32Array(analyser.fftSize);
      source.connect(analyser);
    }
    const draw = () => {
      if (session !== current) return;
      const seconds = (performance.now() - current.startedAt) / 1000;
      time.textContent = clock(Math.floor(seconds));
      let level = 0;
      if (analyser) {
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      }
      composer.style.setProperty("--level", level.toFixed(3));
      // One bar every STEP_MS (the loudest moment in it), so the meter moves at a calm pace.
      current.peak = Math.max(current.peak || 0, level);
      const now = performance.now();
      if (!current.pushedAt || now - current.pushedAt >= STEP_MS) {
        current.levels.push(current.peak);
        if (current.levels.length > BARS) current.levels.shift();
        current.peak = 0;
        current.pushedAt = now;
        paint(current.levels);
      }
      if (seconds >= maxSeconds - 0.5) {
        // A little before the limit: the server measures the samples and refuses a second more.
        finish(true);
        return;
      }
      current.frame = requestAnimationFrame(draw);
    };
    current.frame = requestAnimationFrame(draw);
  }

  function paint(levels) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    const pen = canvas.getContext("2d");
    pen.setTransform(ratio, 0, 0, ratio, 0, 0);
    pen.clearRect(0, 0, width, height);
    pen.fillStyle = getComputedStyle(canvas).color;
    const bar = 2.5;
    const shown = levels.slice(-Math.floor(width / PITCH));
    // The newest level on the right, older ones moving left.
    shown.forEach((level, index) => {
      const tall = Math.max(3, level * height);
      const x = width - (shown.length - index) * PITCH;
      pen.beginPath();
      pen.roundRect?.(x, (height - tall) / 2, bar, tall, bar / 2);
      if (!pen.roundRect) pen.rect(x, (height - tall) / 2, bar, tall);
      pen.fill();
    });
  }

  function release(current) {
    cancelAnimationFrame(current.frame);
    for (const track of current.stream.getTracks()) track.stop();
    current.context?.close().catch(() => {});
  }

  function finish(send) {
    const current = session;
    session = null;
    state = "idle";
    show(false);
    if (!current) return;
    const seconds = (performance.now() - current.startedAt) / 1000;
    const { recorder, chunks } = current;
    recorder.addEventListener("stop", () => {
      release(current);
      if (!send) return;
      if (seconds * 1000 < MIN_MS) {
        toast(panel.dataset.i18nTooShort, "info");
        return;
      }
      const type = (recorder.mimeType || chunks[0]?.type || "audio/webm").split(";")[0];
      onRecorded(new Blob(chunks, { type }), Math.round(seconds * 10) / 10);
    }, { once: true });
    if (recorder.state !== "inactive") recorder.stop();
    else recorder.dispatchEvent(new Event("stop"));
  }

  function cancel() {
    if (state === "starting") {
      state = "idle";
      show(false);
      return;
    }
    finish(false);
  }

  // --- Holding, sliding, tapping ---------------------------------------------------------------
  button.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || state !== "idle") return;
    event.preventDefault();
    button.setPointerCapture?.(event.pointerId);
    press = { id: event.pointerId, x: event.clientX, at: performance.now() };
    start();
  });
  button.addEventListener("pointermove", (event) => {
    if (!press || event.pointerId !== press.id || (state !== "holding" && state !== "starting")) return;
    const slide = Math.max(0, press.x - event.clientX);
    hint.style.transform = `translateX(${-Math.min(slide, CANCEL_PX)}px)`;
    if (slide >= CANCEL_PX) {
      press = null;
      cancel();
    }
  });
  const up = (event) => {
    if (!press || event.pointerId !== press.id) return;
    const quick = performance.now() - press.at < TAP_MS;
    // A touch gives the page its user gesture only now: the level meter may start (Safari).
    session?.context?.resume?.().catch(() => {});
    const wasCancelled = event.type === "pointercancel";
    press = null;
    if (wasCancelled) {
      cancel();
    } else if (state === "holding") {
      if (quick) lock();
      else finish(true);
    } else if (state === "starting") {
      // The browser is still asking for the microphone: the first recording is hands-free.
      state = "locked";
      lock();
    }
  };
  button.addEventListener("pointerup", up);
  button.addEventListener("pointercancel", up);
  button.addEventListener("contextmenu", (event) => event.preventDefault());
  // After a tap the phone sends a click where the finger was, and Send now stands there: no click.
  button.addEventListener("touchend", (event) => event.preventDefault());
  // Enter or Space on the button: record hands-free.
  button.addEventListener("click", (event) => {
    if (event.detail !== 0 || state !== "idle") return;
    start(true);
  });
  panel.querySelector("[data-recorder-cancel]").addEventListener("click", cancel);
  panel.querySelector("[data-recorder-send]").addEventListener("click", () => {
    if (performance.now() - lockedAt > TAP_MS) finish(true);
  });
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state !== "idle") {
      event.preventDefault();
      cancel();
    }
  });
  // Leaving the page while recording throws the recording away rather than sending half of it.
  window.addEventListener("pagehide", () => {
    if (state !== "idle") cancel();
  });
}
