// Keeps every "online" / "last seen" line on the page true as members come and go.
import { on } from "./realtime.js";
import { icon } from "./dom.js";

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

// A member's custom status changes in place wherever it is shown (profile, rows, chat headers).
export function watchStatuses() {
  const sprite = document.body.dataset.iconSprite;
  on("status.changed", (event) => {
    for (const line of document.querySelectorAll(`[data-status-user="${event.user_id}"]`)) {
      line.replaceChildren();
      line.hidden = !(event.text || event.icon);
      if (event.icon && sprite) {
        line.append(icon(event.icon, 16));
      }
      const text = document.createElement("span");
      text.textContent = event.text;
      line.append(text);
    }
  });
}
