// Signalling and the mesh: one Peer (call-peer.js) per other tab in the call, made and dropped to
// match the newest snapshot; offers, answers, candidates and media states relayed over the tab's
// websocket (call.signal frames, which the server passes only between tabs in the same call).
import * as realtime from "./realtime.js";
import { Peer } from "./call-peer.js";
import { me, others, session, state } from "./call-state.js";
import { playTone, releaseSpeaker, speakerFor, stopTone } from "./call-media.js";
import { addTile, avatar, paintMedia, removeTile, updateStatus } from "./call-screen.js";

const FIRST_OFFER_WAIT_MS = 5000;

export function applyToCall(call, entering = false) {
  state.current.snapshot = call;
  const joined = others(call).filter((p) => p.state === "joined" && p.session);
  const wanted = new Set(joined.map((p) => `${p.user_id}:${p.session}`));
  for (const [key, peer] of state.current.peers) {
    if (!wanted.has(key)) dropPeer(key, peer);
  }
  // Whoever joins calls those already in: offers never cross at the start (crossing offers are
  // still handled, by perfect negotiation, for everything that comes later). If someone's first
  // offer is lost, this side makes the connection itself after a moment.
  for (const person of joined) {
    const key = `${person.user_id}:${person.session}`;
    if (entering) ensurePeer(person.user_id, person.session);
    else if (!state.current.peers.has(key) && !state.current.expected.has(key)) {
      state.current.expected.set(
        key,
        setTimeout(() => {
          if (state.current?.snapshot.participants.some((p) => p.session === person.session)) {
            ensurePeer(person.user_id, person.session);
          }
        }, FIRST_OFFER_WAIT_MS),
      );
    }
  }
  for (const person of call.participants) {
    const tile = state.current.tiles.get(person.user_id);
    if (person.user_id === me) continue;
    if (person.state === "joined" && !tile) addTile(person.user_id, person, false);
    if (tile && !tile.querySelector(".call-tile__name").textContent) {
      tile.querySelector(".call-tile__name").textContent = person.name;
      tile.querySelector(".call-tile__avatar").replaceChildren(avatar(person, "xl"));
    }
    if (person.state !== "joined" && tile) removeTile(person.user_id);
  }
  if (call.state === "ringing" && !call.is_group) playTone("ringback");
  else if (state.current.peers.size || call.is_group) stopTone();
  updateStatus();
}

export function ensurePeer(userId, peerSession) {
  const key = `${userId}:${peerSession}`;
  if (state.current.peers.has(key)) return state.current.peers.get(key);
  clearTimeout(state.current.expected.get(key));
  state.current.expected.delete(key);
  for (const [otherKey, peer] of state.current.peers) {
    if (peer.userId === userId) dropPeer(otherKey, peer); // they moved to another tab
  }
  const peer = new Peer({
    userId,
    session: peerSession,
    polite: me > userId,
    config: state.current.ice,
    send: (payload) => signal(userId, peerSession, payload),
    onTrack: remoteTrack,
    onState: peerState,
  });
  state.current.peers.set(key, peer);
  for (const track of state.current.stream.getTracks()) {
    const outgoing = track.kind === "video" && state.current.screenTrack ? state.current.screenTrack : track;
    peer.setTrack(track.kind, outgoing, state.current.stream);
  }
  if (!state.current.stream.getVideoTracks().length && state.current.screenTrack) {
    peer.setTrack("video", state.current.screenTrack, state.current.stream);
  }
  sendMediaState(peer);
  return peer;
}

export function dropPeer(key, peer) {
  peer.close();
  state.current.peers.delete(key);
  releaseSpeaker(key);
}

export function signal(userId, peerSession, payload) {
  if (!state.current) return;
  realtime.send({
    type: "call.signal",
    call_id: state.current.id,
    to: userId,
    to_session: peerSession,
    session,
    ...payload,
  });
}

export function onSignal(frame) {
  if (!state.current || frame.call_id !== state.current.id || frame.to_session !== session) return;
  if (frame.media) {
    state.current.media.set(frame.from_user, frame.media);
    paintMedia(frame.from_user);
  }
  let peer = state.current.peers.get(`${frame.from_user}:${frame.from_session}`);
  // Only a newcomer's offer opens a connection here; anything else before it has nothing to do.
  if (!peer && frame.description?.type === "offer") {
    peer = ensurePeer(frame.from_user, frame.from_session);
  }
  if (peer && (frame.description || frame.candidates)) peer.receive(frame);
}

export function remoteTrack(peer, track, stream) {
  if (!state.current) return;
  const key = `${peer.userId}:${peer.session}`;
  const person = state.current.snapshot.participants.find((p) => p.user_id === peer.userId);
  const tile = state.current.tiles.get(peer.userId) || addTile(peer.userId, person || {}, false);
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

export function peerState(peer, state) {
  if (!state.current) return;
  const tile = state.current.tiles.get(peer.userId);
  if (tile) tile.dataset.connection = state;
  if (state === "connected") stopTone();
  updateStatus();
}

export function sendMediaState(peer) {
  if (!state.current) return;
  const audio = state.current.stream.getAudioTracks()[0];
  const video = state.current.screenTrack || state.current.stream.getVideoTracks()[0];
  const media = {
    audio: Boolean(audio && audio.enabled),
    video: Boolean(video && video.enabled && video.readyState === "live"),
    screen: Boolean(state.current.screenTrack),
  };
  const peers = peer ? [peer] : [...current.peers.values()];
  for (const each of peers) signal(each.userId, each.session, { media });
}
