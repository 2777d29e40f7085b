// A message's menu (its "more" button or a long press): reply, copy, forward, edit, pin, readers,
// delete, reactions; and the other taps on bubbles (reaction chips, jumps to a quoted message).
import { toast } from "./ui.js";
import { errorText, post } from "./http.js";
import { i18n, kind, list, placeHTML, readers, root } from "./chat-history.js";
import { startEditing, startReply } from "./chat-composer.js";

const menu = document.getElementById("message-menu");
let menuTarget = null;

function send(url, fields) {
  return post(url, fields, { headers: { "HX-Request": "true" } });
}

function openMenu(node) {
  if (!menu || node.classList.contains("msg--pending") || node.classList.contains("msg--deleted")) return;
  menuTarget = node;
  const mine = node.classList.contains("msg--mine");
  for (const item of menu.querySelectorAll("[data-only-mine]")) item.hidden = !mine;
  for (const item of menu.querySelectorAll("[data-only-group]")) item.hidden = kind === "direct" || kind === "saved";
  // A sticker has no text to copy or edit.
  const sticker = node.classList.contains("msg--sticker");
  for (const item of menu.querySelectorAll("[data-only-text]")) {
    item.hidden = sticker || (item.hasAttribute("data-only-mine") && !mine);
  }
  const pin = menu.querySelector('[data-action="pin"]');
  if (pin) pin.dataset.pinned = node.hasAttribute("data-pinned") ? "1" : "0";
  for (const label of menu.querySelectorAll("[data-pin-label]")) {
    label.hidden = label.dataset.pinLabel !== (node.hasAttribute("data-pinned") ? "unpin" : "pin");
  }
  menu.querySelector("[data-readers]")?.replaceChildren();
  menu.showModal();
}

async function act(action, node) {
  const id = node.dataset.messageId;
  let response = null;
  try {
    if (action === "reply") return startReply(node);
    if (action === "edit") return startEditing(node);
    if (action === "copy") {
      await navigator.clipboard?.writeText(node.querySelector(".msg__text")?.innerText || "");
      return toast(menu.dataset.copied, "success");
    }
    if (action === "forward") {
      window.location.href = `/chats/messages/${id}/forward/`;
      return undefined;
    }
    if (action === "readers") {
      const html = await readers(id);
      if (html !== null) menu.querySelector("[data-readers]").innerHTML = html;
      menu.showModal();
      return undefined;
    }
    if (action === "pin") {
      response = await send(`/chats/messages/${id}/pin/`, { pinned: node.hasAttribute("data-pinned") ? "0" : "1" });
    } else if (action === "delete-me" || action === "delete-all") {
      response = await send(`/chats/messages/${id}/delete/`, { for: action === "delete-all" ? "everyone" : "me" });
      if (response.ok && action === "delete-me") node.remove();
    } else if (action.startsWith("react:")) {
      response = await send(`/chats/messages/${id}/react/`, { icon: action.slice(6) });
    }
  } catch {
    return toast(i18n.i18nFailed, "error");
  }
  if (response && !response.ok) return toast(await errorText(response), "error");
  if (response && response.status === 200) placeHTML(await response.text());
  return undefined;
}

if (menu) {
  menu.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || !menuTarget) return;
    const action = button.dataset.action;
    if (action !== "readers") menu.close();
    act(action, menuTarget);
  });
}

list.addEventListener("click", (event) => {
  const more = event.target.closest("[data-message-menu]");
  if (more) return openMenu(more.closest(".msg"));
  const chip = event.target.closest("[data-react]");
  if (chip) return act(`react:${chip.dataset.react}`, chip.closest(".msg"));
  const jump = event.target.closest("[data-jump]");
  if (jump) {
    const target = document.getElementById(`m-${jump.dataset.jump}`);
    if (target) {
      event.preventDefault();
      target.scrollIntoView({ block: "center", behavior: "smooth" });
      target.classList.add("msg--highlight");
      setTimeout(() => target.classList.remove("msg--highlight"), 1600);
    }
  }
  return undefined;
});
list.addEventListener("contextmenu", (event) => {
  const node = event.target.closest(".msg:not(.msg--system)");
  if (node && !event.target.closest("a")) {
    event.preventDefault();
    openMenu(node);
  }
});
root.querySelector(".chat__pinned")?.addEventListener("click", (event) => {
  const target = document.getElementById(`m-${event.currentTarget.dataset.jump}`);
  if (target) {
    event.preventDefault();
    target.scrollIntoView({ block: "center", behavior: "smooth" });
  }
});
