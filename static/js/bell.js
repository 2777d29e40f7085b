// The bell in the header: its unread count follows the member's notifications live.
import { on } from "./realtime.js";
import { request } from "./http.js";

const bell = document.querySelector("[data-bell]");
const badge = bell?.querySelector("[data-bell-count]");

function show(unread) {
  if (!badge || typeof unread !== "number") return;
  badge.textContent = unread > 99 ? "99+" : String(unread);
  badge.hidden = unread <= 0;
  bell.dataset.unread = String(unread);
}

if (bell) {
  // A new notification, one taken back, some read on any device: each carries the new count.
  on("notification.created", (event) => show(event.unread));
  on("notification.withdrawn", (event) => show(event.unread));
  on("notifications.read", (event) => show(event.unread));
  // The count is not replayed after a reconnect: ask the server again (not on the first
  // connection: the page came with a fresh count).
  let connected = document.documentElement.dataset.realtime === "open";
  on("realtime.ready", async () => {
    if (!connected) {
      connected = true;
      return;
    }
    try {
      const response = await request(bell.dataset.countUrl);
      if (response.ok) show((await response.json()).unread);
    } catch {
      // Offline again: the next reconnect asks.
    }
  });
}
