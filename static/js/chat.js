// The chat page: its bubbles and live updates (chat-history.js), the composer and the outbox
// (chat-composer.js), the message menu (chat-menu.js) and voice playback; this module starts
// them and keeps the page caught up after every reconnect.
import * as realtime from "./realtime.js";
// Voice first, as before the split: its listeners on the bubbles come before the menu's.
import "./voice-recorder.js";
import "./voice-player.js";
import { bubbles, catchUp, decorate, lastSeq, loadOlder, markDelivered, markRead, scroller, separators, toBottom, unreadMarker } from "./chat-history.js";
import { flush, resumeOutbox } from "./chat-composer.js";
import "./chat-menu.js";

realtime.on("realtime.ready", () => {
  catchUp().then(flush);
});
window.addEventListener("online", flush);
document.addEventListener("visibilitychange", markRead);
scroller.addEventListener("scroll", () => {
  if (scroller.scrollTop < 200) loadOlder();
  markRead();
}, { passive: true });

// --- Start --------------------------------------------------------------------------------------
for (const node of bubbles()) decorate(node);
separators();
const marker = unreadMarker();
const at = new URLSearchParams(window.location.search).get("at");
const target = at && document.getElementById(`m-${at}`);
if (target) {
  target.scrollIntoView({ block: "center" });
  target.classList.add("msg--highlight");
} else if (marker) {
  marker.scrollIntoView({ block: "start" });
} else {
  toBottom();
}
markDelivered(lastSeq());
markRead();
resumeOutbox();
