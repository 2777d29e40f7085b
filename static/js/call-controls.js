// The call screen's controls: microphone, camera (an audio call can turn into a video call),
// flipping the camera, sharing the screen (the speaker choice is in call-media.js).
import { me, state } from "./call-state.js";
import { toast } from "./ui.js";
import { showLocal, paintMedia, updateButtons } from "./call-screen.js";
import { sendMediaState } from "./call-signal.js";

export function toggleMic() {
  const mic = state.current?.stream.getAudioTracks()[0];
  if (!mic) return;
  mic.enabled = !mic.enabled;
  updateButtons();
  paintMedia(me);
  sendMediaState();
}

export async function toggleCamera() {
  if (!state.current) return;
  let camera = state.current.stream.getVideoTracks()[0];
  if (!camera) {
    // An audio call turns into a video call: a new track, and every peer renegotiates.
    try {
      const media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" } });
      camera = media.getVideoTracks()[0];
    } catch (error) {
      console.error(error);
      toast(state.text.noMedia, "error");
      return;
    }
    state.current.stream.addTrack(camera);
    state.current.cameraTrack = camera;
    if (!state.current.screenTrack) {
      for (const peer of state.current.peers.values()) peer.setTrack("video", camera, state.current.stream);
    }
  } else {
    camera.enabled = !camera.enabled;
  }
  updateButtons();
  showLocal();
  sendMediaState();
}

export async function flipCamera() {
  const camera = state.current?.stream.getVideoTracks()[0];
  if (!camera) return;
  const facing = state.current.facing === "user" ? "environment" : "user";
  try {
    camera.stop();
    const media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: facing } });
    const next = media.getVideoTracks()[0];
    state.current.stream.removeTrack(camera);
    state.current.stream.addTrack(next);
    state.current.cameraTrack = next;
    state.current.facing = facing;
    if (!state.current.screenTrack) {
      for (const peer of state.current.peers.values()) peer.setTrack("video", next, state.current.stream);
    }
    showLocal();
  } catch (error) {
    console.error(error);
  }
}

export async function toggleShare() {
  if (!state.current) return;
  if (state.current.screenTrack) {
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
  state.current.screenTrack = screen;
  screen.addEventListener("ended", stopShare);
  for (const peer of state.current.peers.values()) peer.setTrack("video", screen, state.current.stream);
  updateButtons();
  showLocal();
  sendMediaState();
}

export function stopShare() {
  if (!state.current || !state.current.screenTrack) return;
  const screen = state.current.screenTrack;
  state.current.screenTrack = null;
  screen.stop();
  const camera = state.current.stream.getVideoTracks()[0] || null;
  for (const peer of state.current.peers.values()) peer.setTrack("video", camera, state.current.stream);
  updateButtons();
  showLocal();
  sendMediaState();
}
