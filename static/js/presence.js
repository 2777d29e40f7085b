// Keeps every "online" / "last seen" line on the page true as members come and go.
import { on } from "./realtime.js";

export function watchPresence() {
  const body = document.body.dataset;
  on("presence.changed", (event) => {
    const text = event.online ? body.i18nOnline : body.i18nSeenNow;
    for (const line of document.querySelectorAll(`[data-presence-user="${event.user_id}"]`)) {
      line.textContent = text;
      line.classList.toggle("is-online", event.online);
    }
    for (const dot of document.querySelectorAll(`[data-presence-dot="${event.user_id}"]`)) {
      dot.hidden = !event.online;
    }
  });
}
