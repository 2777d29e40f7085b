// The tab's one websocket: connect, resume from the last sequence seen, dispatch events to the
// handlers pages register, reconnect with jittered backoff. The database is the truth; this only
// makes the page catch up with it.

const handlers = new Map();
const PING_MS = 25000;
const MAX_BACKOFF_MS = 30000;
const SHOW_BANNER_AFTER_MS = 1500;

let socket = null;
let url = "";
let lastSeq = 0;
let attempt = 0;
let pingTimer = 0;
let retryTimer = 0;
let bannerTimer = 0;
let stopped = false;
let resyncing = false;

export function on(type, handler) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(handler);
  return () => handlers.get(type).delete(handler);
}

function emit(type, frame) {
  for (const handler of handlers.get(type) || []) {
    try {
      handler(frame);
    } catch (error) {
      console.error("realtime handler failed", type, error);
    }
  }
  for (const handler of handlers.get("*") || []) handler(frame);
}

export function send(frame) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(frame));
    return true;
  }
  return false;
}

export function currentSeq() {
  return lastSeq;
}

function setState(state) {
  document.documentElement.dataset.realtime = state;
  const banner = document.getElementById("connection-status");
  clearTimeout(bannerTimer);
  if (!banner) return;
  if (state === "open") {
    banner.hidden = true;
  } else {
    // A quick reconnect should not flash a banner; a real outage shows it.
    bannerTimer = setTimeout(() => { banner.hidden = false; }, SHOW_BANNER_AFTER_MS);
  }
  emit("realtime.state", { type: "realtime.state", state });
}

function receive(event) {
  let frame;
  try {
    frame = JSON.parse(event.data);
  } catch {
    return;
  }
  if (frame.type === "ready") {
    attempt = 0;
    resyncing = false;
    setState("open");
    if (frame.reset) {
      emit("realtime.reset", frame);
    }
    lastSeq = Math.max(lastSeq, frame.seq || 0);
    emit("realtime.ready", frame);
    return;
  }
  if (typeof frame.seq === "number") {
    if (frame.seq <= lastSeq) return; // already applied: replay and live delivery can overlap
    if (frame.seq > lastSeq + 1) {
      // A frame was dropped on the way (a full channel layer): ask the database for the gap,
      // which brings this one too, in order.
      if (!resyncing) {
        resyncing = true;
        send({ type: "resume", since: lastSeq });
      }
      return;
    }
    lastSeq = frame.seq;
  }
  emit(frame.type, frame);
}

function connect() {
  clearTimeout(retryTimer);
  if (stopped || (socket && socket.readyState <= WebSocket.OPEN)) return;
  setState("connecting");
  const ws = new WebSocket(url);
  socket = ws;
  ws.addEventListener("open", () => {
    ws.send(JSON.stringify({ type: "resume", since: lastSeq }));
    clearInterval(pingTimer);
    pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
  });
  ws.addEventListener("message", receive);
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return; // an old socket closing after a newer one took over
    clearInterval(pingTimer);
    socket = null;
    if (event.code === 4401) {
      // The session is gone (signed out elsewhere): the sign-in page is the honest answer.
      window.location.reload();
      return;
    }
    scheduleReconnect();
  });
}

function scheduleReconnect() {
  if (stopped) return;
  setState("connecting");
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
  attempt += 1;
  retryTimer = setTimeout(connect, base / 2 + Math.random() * base / 2);
}

let listening = false;

export function start({ seq = 0, path = "/ws/" } = {}) {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  url = `${scheme}://${window.location.host}${path}`;
  lastSeq = Math.max(lastSeq, seq);
  stopped = false;
  attempt = 0;
  if (!listening) {
    listening = true;
    window.addEventListener("online", () => { attempt = 0; connect(); });
    window.addEventListener("offline", () => setState("connecting"));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") connect();
    });
  }
  connect();
}

export function stop() {
  stopped = true;
  clearInterval(pingTimer);
  clearTimeout(retryTimer);
  const ws = socket;
  socket = null;
  if (ws) ws.close();
}
