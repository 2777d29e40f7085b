// One RTCPeerConnection to one other tab in a call, negotiated with the "perfect negotiation"
// pattern (W3C WebRTC spec, section 10): both sides may offer at any time (adding a camera or a
// screen mid-call); when offers cross, the polite side rolls its own back and the impolite side
// ignores the other's. ICE restarts when the path breaks (a phone moving from Wi-Fi to mobile).

const CANDIDATE_BATCH_MS = 40;
const DISCONNECTED_GRACE_MS = 2500;
const STUCK_MS = 8000;

export class Peer {
  constructor({ userId, session, polite, config, send, onTrack, onState }) {
    this.userId = userId;
    this.session = session;
    this.polite = polite;
    this.send = send;
    this.onTrack = onTrack;
    this.onState = onState;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.settingRemoteAnswerPending = false;
    this.inbox = Promise.resolve();
    this.pendingCandidates = [];
    this.candidateTimer = 0;
    this.restartTimer = 0;
    this.everConnected = false;
    this.closed = false;
    this.pc = new RTCPeerConnection(config);
    this.wire();
    // A connection that never started checking (its first exchange went wrong) starts over.
    this.watchdog = setTimeout(() => {
      if (!this.closed && this.pc.connectionState === "new") this.restartIce();
    }, STUCK_MS);
  }

  wire() {
    const pc = this.pc;
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        this.send({ description: pc.localDescription.toJSON() });
      } catch (error) {
        console.error("call: offer failed", error);
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (!candidate || !candidate.candidate) return;
      this.pendingCandidates.push(candidate.toJSON());
      // Candidates come in bursts; one frame per burst keeps under the socket's rate limit.
      if (!this.candidateTimer) {
        this.candidateTimer = setTimeout(() => this.flushCandidates(), CANDIDATE_BATCH_MS);
      }
    };
    pc.ontrack = ({ track, streams }) => this.onTrack(this, track, streams[0]);
    pc.oniceconnectionstatechange = () => {
      const state = pc.iceConnectionState;
      clearTimeout(this.restartTimer);
      if (state === "failed") {
        this.restartIce();
      } else if (state === "disconnected") {
        this.restartTimer = setTimeout(() => {
          if (pc.iceConnectionState === "disconnected") this.restartIce();
        }, DISCONNECTED_GRACE_MS);
      }
      this.report();
    };
    pc.onconnectionstatechange = () => this.report();
  }

  report() {
    const state = this.pc.connectionState;
    if (state === "connected") this.everConnected = true;
    this.onState(this, state);
  }

  flushCandidates() {
    this.candidateTimer = 0;
    if (!this.pendingCandidates.length || this.closed) return;
    const candidates = this.pendingCandidates.splice(0, 30);
    this.send({ candidates });
    if (this.pendingCandidates.length) this.flushCandidates();
  }

  restartIce() {
    if (this.closed) return;
    // restartIce() marks the connection as needing negotiation: the next offer carries new ICE
    // credentials, whichever side makes it.
    this.pc.restartIce();
  }

  // Frames from the other tab are applied strictly in order.
  receive(frame) {
    this.inbox = this.inbox.then(() => this.apply(frame)).catch((error) => {
      console.error("call: signal failed", error);
    });
    return this.inbox;
  }

  async apply({ description, candidates }) {
    if (this.closed) return;
    const pc = this.pc;
    if (description) {
      const readyForOffer =
        !this.makingOffer && (pc.signalingState === "stable" || this.settingRemoteAnswerPending);
      const offerCollision = description.type === "offer" && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) return;
      this.settingRemoteAnswerPending = description.type === "answer";
      await pc.setRemoteDescription(description); // a polite peer rolls back its own offer here
      this.settingRemoteAnswerPending = false;
      if (description.type === "offer") {
        await pc.setLocalDescription();
        this.send({ description: pc.localDescription.toJSON() });
      }
    }
    for (const candidate of candidates || []) {
      try {
        await pc.addIceCandidate(candidate);
      } catch (error) {
        if (!this.ignoreOffer) throw error;
      }
    }
  }

  // Send a track: replace the one of the same kind if there is a sender for it, else add it
  // (which renegotiates).
  setTrack(kind, track, stream) {
    const sender = this.pc.getSenders().find((s) => s.track?.kind === kind || s.kindHint === kind);
    if (sender) {
      sender.replaceTrack(track);
      return;
    }
    if (track) {
      const added = this.pc.addTrack(track, stream);
      added.kindHint = kind;
    }
  }

  close() {
    this.closed = true;
    clearTimeout(this.candidateTimer);
    clearTimeout(this.restartTimer);
    clearTimeout(this.watchdog);
    this.pc.close();
  }
}
