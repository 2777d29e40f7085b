// Boots every page: the realtime connection, live presence, dialogs, toasts, the service worker.
import * as realtime from "./realtime.js";
import { watchPresence, watchStatuses } from "./presence.js";
import { calls, startCalls } from "./call.js";
import { wireAutosubmit, wireDialogs, wireSharing, wireLiveSettings, wireToasts } from "./ui.js";

const body = document.body;
wireDialogs();
wireToasts();
wireLiveSettings();
wireAutosubmit();
wireSharing();

if (body.dataset.userId) {
  watchPresence();
  watchStatuses();
  startCalls();
  realtime.on("realtime.reset", () => window.location.reload());
  realtime.start({ seq: Number(body.dataset.eventSeq || 0) });
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

window.toricy = { realtime, calls };
