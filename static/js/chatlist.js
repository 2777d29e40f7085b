// The chat list: kept true live (new messages, reads, mutes, folders), row menus, and the small
// behaviours of the chat-management pages (menus that close, a filter over a list of people).
import { on } from "./realtime.js";
import { toast } from "./ui.js";
import { getPartial, post, refuse } from "./http.js";

const DEBOUNCE_MS = 250;
const list = document.getElementById("chat-list");
let timer = 0;
let inFlight = null;
let again = false;

function menuOpen() {
  return Boolean(list?.querySelector("details[data-menu][open]"));
}

async function refresh() {
  if (!list) return;
  if (inFlight) {
    again = true;
    return;
  }
  if (menuOpen()) {
    // Do not pull a row out from under the member's finger: refresh when the menu closes.
    again = true;
    return;
  }
  inFlight = getPartial(list.dataset.refreshUrl);
  try {
    const response = await inFlight;
    if (response.ok) {
      const html = await response.text();
      if (!menuOpen()) list.innerHTML = html;
      else again = true;
    }
  } catch {
    // Offline: the next event or reconnect refreshes.
  } finally {
    inFlight = null;
    if (again) {
      again = false;
      schedule();
    }
  }
}

function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(timer);
  timer = setTimeout(refresh, delay);
}

if (list) {
  on("message.created", () => schedule());
  on("chat.changed", () => schedule());
  on("chat.read", () => schedule());
  on("chat.removed", () => schedule());
  on("folders.changed", () => schedule());
  // After a reconnect the list may have missed anything: ask the server again.
  on("realtime.ready", () => schedule(0));
  list.addEventListener("toggle", (event) => {
    if (event.target.matches?.("details[data-menu]") && !event.target.open && again) {
      again = false;
      schedule(0);
    }
  }, true);

  // Row actions (pin, archive, mute) go over fetch; the list redraws from the server.
  list.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-chat-action]");
    if (!form) return;
    event.preventDefault();
    const body = new FormData(form);
    if (event.submitter?.name) body.set(event.submitter.name, event.submitter.value);
    form.closest("details")?.removeAttribute("open");
    try {
      // Not form.action: the form has a field named "action", which shadows the property.
      const response = await post(form.getAttribute("action"), body, { headers: { "HX-Request": "true" } });
      if (!response.ok) await refuse(response, list.dataset.errorText || "Error");
    } catch {
      toast(list.dataset.errorText || "Error", "error");
    }
    schedule(0);
  });
}

// Menus (<details data-menu>): one open at a time; a click elsewhere or Escape closes them.
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details[data-menu][open]")) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details[data-menu][open]")) {
    menu.removeAttribute("open");
    menu.querySelector("summary")?.focus();
  }
});

// A search field over a list of people: hides rows whose text does not contain the words.
const fold = (text) => text.toLocaleLowerCase().replaceAll("ё", "е");
for (const input of document.querySelectorAll("input[data-filter]")) {
  const items = document.querySelectorAll(input.dataset.filter);
  input.addEventListener("input", () => {
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    for (const item of items) {
      const text = fold(item.dataset.filterText || item.textContent);
      item.hidden = !words.every((word) => text.includes(word));
    }
  });
}
