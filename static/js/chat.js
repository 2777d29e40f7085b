// The chat page: history, sending (with the outbox), live updates, reading, typing, actions.
//
// The database is the truth. Every bubble carries its chat sequence (data-seq); the page keeps
// bubbles ordered by it, never shows one twice (by message id and by client id), and after every
// (re)connect asks the server for everything after the newest bubble it shows.

import * as realtime from "./realtime.js";
import * as outbox from "./outbox.js";
import { toast } from "./ui.js";
import { attachRecorder, pendingLabel } from "./voice-recorder.js";
import "./voice-player.js";

const root = document.querySelector("section.chat[data-chat]");
const me = Number(document.body.dataset.userId);
const chatId = Number(root.dataset.chatId);
const kind = root.dataset.chatKind;
const list = root.querySelector("[data-messages]");
const scroller = root.querySelector("[data-chat-scroll]");
const composer = root.querySelector("[data-composer]");
const input = root.querySelector("[data-composer-input]");
const subtitle = document.querySelector("[data-typing-target]");
const menu = document.getElementById("message-menu");
const i18n = root.dataset;
const sprite = document.body.dataset.iconSprite;
const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];

let hasMore = root.dataset.hasMore === "1";
let loadingOlder = false;
let readSeq = Number(root.dataset.readSeq || 0);
let peerRead = Number(root.dataset.peerReadSeq || 0);
let peerDelivered = Number(root.dataset.peerDeliveredSeq || 0);
let replyTo = null;
let editing = null;
let flushing = false;

// --- Small helpers -------------------------------------------------------------------------------
function post(url, data) {
  const body = new FormData();
  for (const [key, value] of Object.entries(data)) body.append(key, value);
  return fetch(url, {
    method: "POST",
    body,
    headers: { "X-CSRFToken": csrf, "HX-Request": "true" },
    credentials: "same-origin",
  });
}

async function errorText(response) {
  try {
    return (await response.json()).error;
  } catch {
    return response.statusText;
  }
}

function icon(name, size = 16) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("width", size);
  svg.setAttribute("height", size);
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", `${sprite}#i-${name}`);
  svg.append(use);
  return svg;
}

function fromHTML(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return [...template.content.children];
}

function nearBottom() {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
}

function toBottom() {
  scroller.scrollTop = scroller.scrollHeight;
}

function bubbles() {
  return list.querySelectorAll(".msg[data-seq]");
}

function lastSeq() {
  const all = bubbles();
  return all.length ? Number(all[all.length - 1].dataset.seq) : 0;
}

// --- Placing bubbles -----------------------------------------------------------------------------
function decorate(node) {
  if (!node.matches?.(".msg")) return;
  if (Number(node.dataset.senderId) === me) node.classList.add("msg--mine");
  ticks(node);
}

function ticks(node) {
  if (!node.classList.contains("msg--mine") || node.classList.contains("msg--pending")) return;
  const box = node.querySelector(".msg__ticks");
  if (!box) return;
  const seq = Number(node.dataset.seq);
  let state = "sent";
  if (kind === "direct") {
    if (peerRead >= seq) state = "read";
    else if (peerDelivered >= seq) state = "delivered";
  }
  if (box.dataset.state === state) return;
  box.dataset.state = state;
  box.replaceChildren(icon(state === "sent" ? "check" : "check-check", 14));
}

function place(node) {
  decorate(node);
  const id = node.dataset.messageId;
  const existing = id && list.querySelector(`[data-message-id="${id}"]`);
  if (existing) {
    existing.replaceWith(node);
    return;
  }
  // My own optimistic bubble becomes the stored one.
  const cid = node.dataset.clientId;
  const pending = cid && list.querySelector(`.msg--pending[data-client-id="${CSS.escape(cid)}"]`);
  if (pending) pending.remove();
  const seq = Number(node.dataset.seq);
  let after = null;
  for (const other of bubbles()) {
    if (Number(other.dataset.seq) < seq) after = other;
    else break;
  }
  if (after) after.after(node);
  else list.prepend(node);
  // Pending bubbles stay last: they have no place in the sequence yet.
  for (const waiting of list.querySelectorAll(".msg--pending")) list.append(waiting);
  root.querySelector("[data-chat-empty]")?.remove();
}

function separators() {
  for (const old of list.querySelectorAll(".chat__day")) old.remove();
  let previous = null;
  const today = new Date();
  const yesterday = new Date(Date.now() - 86400000);
  const iso = (date) => date.toLocaleDateString("sv-SE");
  for (const node of list.querySelectorAll(".msg[data-day]")) {
    const day = node.dataset.day;
    if (day !== previous) {
      const label = document.createElement("div");
      label.className = "chat__day";
      label.setAttribute("role", "separator");
      if (day === iso(today)) label.textContent = i18n.i18nToday;
      else if (day === iso(yesterday)) label.textContent = i18n.i18nYesterday;
      else label.textContent = new Date(`${day}T12:00:00`).toLocaleDateString(document.documentElement.lang, { day: "numeric", month: "long" });
      node.before(label);
    }
    previous = day;
  }
  // Consecutive messages of one author group into one block.
  let last = null;
  for (const node of list.querySelectorAll(".msg, .chat__day")) {
    const sender = node.classList.contains("msg--system") || node.classList.contains("chat__day") ? null : node.dataset.senderId;
    node.classList.toggle("msg--follow", sender !== null && sender === last);
    last = sender;
  }
}

function unreadMarker() {
  list.querySelector(".chat__unread")?.remove();
  const first = [...bubbles()].find((node) => Number(node.dataset.seq) > readSeq && Number(node.dataset.senderId) !== me);
  if (!first) return null;
  const marker = document.createElement("div");
  marker.className = "chat__unread";
  marker.setAttribute("role", "separator");
  marker.textContent = i18n.i18nUnread;
  first.before(marker);
  return marker;
}

// --- Reading ---------------------------------------------------------------------------------
let readTimer = 0;
function markRead() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (document.visibilityState !== "visible") return;
    const seq = lastSeq();
    if (seq <= readSeq || !nearBottom()) return;
    readSeq = seq;
    post(root.dataset.readUrl, { seq }).catch(() => {});
  }, 400);
}

function markDelivered(seq) {
  post(root.dataset.deliveredUrl, { seq }).catch(() => {});
}

// --- History ---------------------------------------------------------------------------------
async function loadOlder() {
  if (!hasMore || loadingOlder) return;
  const first = bubbles()[0];
  if (!first) return;
  loadingOlder = true;
  const height = scroller.scrollHeight;
  try {
    const response = await fetch(`${root.dataset.historyUrl}?before=${first.dataset.seq}`, { credentials: "same-origin" });
    if (!response.ok) return;
    hasMore = response.headers.get("X-Has-More") === "1";
    for (const node of fromHTML(await response.text())) place(node);
    separators();
    scroller.scrollTop += scroller.scrollHeight - height;
  } finally {
    loadingOlder = false;
  }
}

async function catchUp() {
  // Everything after the newest bubble shown, page by page: nothing missed, nothing twice.
  for (let round = 0; round < 20; round += 1) {
    const stick = nearBottom();
    const response = await fetch(`${root.dataset.historyUrl}?after=${lastSeq()}`, { credentials: "same-origin" });
    if (!response.ok) return;
    const nodes = fromHTML(await response.text());
    for (const node of nodes) place(node);
    if (nodes.length) {
      separators();
      if (stick) toBottom();
      markDelivered(lastSeq());
      markRead();
    }
    if (response.headers.get("X-Has-More") !== "1") return;
  }
}

// --- Sending (through the outbox) ------------------------------------------------------------
function pendingBubble(entry) {
  const node = document.createElement("article");
  node.className = "msg msg--mine msg--pending";
  node.dataset.clientId = entry.clientId;
  node.dataset.senderId = String(me);
  const bubble = document.createElement("div");
  bubble.className = "msg__bubble";
  const text = document.createElement("div");
  text.className = "msg__text";
  text.dir = "auto";
  text.textContent = entry.voice ? pendingLabel(entry) : entry.text;
  const meta = document.createElement("div");
  meta.className = "msg__meta";
  const state = document.createElement("span");
  state.className = "msg__ticks";
  state.dataset.state = "pending";
  state.append(icon("clock", 14));
  meta.append(state);
  bubble.append(text, meta);
  node.append(bubble);
  return node;
}

function showFailed(entry, message) {
  const node = list.querySelector(`.msg--pending[data-client-id="${CSS.escape(entry.clientId)}"]`);
  if (!node) return;
  node.classList.add("msg--failed");
  let retry = node.querySelector(".msg__retry");
  if (!retry) {
    retry = document.createElement("button");
    retry.type = "button";
    retry.className = "msg__retry";
    retry.append(icon("refresh-cw", 14), document.createTextNode(` ${i18n.i18nFailed}`));
    retry.addEventListener("click", async () => {
      node.classList.remove("msg--failed");
      retry.remove();
      entry.failed = false;
      await outbox.put(entry);
      flush();
    });
    node.querySelector(".msg__bubble").append(retry);
  }
  if (message) retry.title = message;
}

async function flush() {
  if (flushing || !navigator.onLine) return;
  flushing = true;
  try {
    for (const entry of await outbox.pending(chatId)) {
      if (entry.failed) continue;
      let response;
      try {
        // Entries queued by other modules (a sticker) name their own URL and fields.
        response = await post(entry.url || root.dataset.sendUrl, {
          client_id: entry.clientId,
          text: entry.text,
          ...(entry.replyTo ? { reply_to: entry.replyTo } : {}),
          ...(entry.fields || {}),
          ...(entry.voice ? { voice: entry.voice } : {}),
        });
      } catch {
        return; // offline again: the rest waits, in order
      }
      if (response.ok) {
        await outbox.remove(entry.clientId);
        const stick = nearBottom();
        for (const node of fromHTML(await response.text())) place(node);
        separators();
        if (stick) toBottom();
      } else if (response.status >= 400 && response.status < 500) {
        // Refused for good (too long, not allowed): say so, keep it for the member to see.
        entry.failed = true;
        await outbox.put(entry);
        const message = await errorText(response);
        showFailed(entry, message);
        toast(message, "error");
      } else {
        return; // the server is having a moment: try again when the connection settles
      }
    }
  } finally {
    flushing = false;
  }
}

async function submit() {
  const text = input.value.trim();
  if (!text) return;
  if (editing) {
    const node = editing;
    stopEditing();
    const response = await post(`/chats/messages/${node.dataset.messageId}/edit/`, { text }).catch(() => null);
    if (!response?.ok) {
      toast(response ? await errorText(response) : i18n.i18nFailed, "error");
      return;
    }
    for (const fresh of fromHTML(await response.text())) place(fresh);
    separators();
    return;
  }
  const entry = {
    clientId: crypto.randomUUID(),
    chatId,
    text,
    replyTo: replyTo ? Number(replyTo.dataset.messageId) : null,
    createdAt: Date.now(),
  };
  input.value = "";
  autosize();
  cancelReply();
  saveDraftNow("");
  await outbox.put(entry);
  list.append(pendingBubble(entry));
  root.querySelector("[data-chat-empty]")?.remove();
  toBottom();
  flush();
}

// Other modules (stickers.js) hand a ready entry to the same outbox: stored, shown, sent once.
root.addEventListener("chat:queue", async (event) => {
  const entry = { chatId, text: "", createdAt: Date.now(), ...event.detail };
  await outbox.put(entry);
  const node = pendingBubble(entry);
  if (entry.pendingClass) node.classList.add(entry.pendingClass);
  list.append(node);
  root.querySelector("[data-chat-empty]")?.remove();
  toBottom();
  flush();
});

// A voice message goes through the outbox like text: the recording waits there while offline.
async function sendVoice(voice, duration) {
  const entry = { clientId: crypto.randomUUID(), chatId, text: "", voice, duration, createdAt: Date.now() };
  if (replyTo) entry.replyTo = Number(replyTo.dataset.messageId);
  cancelReply();
  await outbox.put(entry);
  list.append(pendingBubble(entry));
  root.querySelector("[data-chat-empty]")?.remove();
  toBottom();
  flush();
}

// --- Photos and files: sent at once, with upload progress ----------------------------------
function upload(files) {
  if (!files.length) return;
  const entry = { clientId: crypto.randomUUID(), chatId, text: input.value.trim(), createdAt: Date.now() };
  const node = pendingBubble({ ...entry, text: entry.text || `${i18n.i18nUploading}…` });
  const progress = document.createElement("progress");
  progress.className = "msg__progress";
  progress.max = 100;
  progress.value = 0;
  node.querySelector(".msg__bubble").prepend(progress);
  list.append(node);
  toBottom();
  input.value = "";
  autosize();
  const body = new FormData();
  body.append("client_id", entry.clientId);
  body.append("text", entry.text);
  for (const file of files) body.append("files", file);
  const request = new XMLHttpRequest();
  request.open("POST", root.dataset.sendUrl);
  request.setRequestHeader("X-CSRFToken", csrf);
  request.upload.addEventListener("progress", (event) => {
    if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
  });
  request.addEventListener("load", () => {
    if (request.status === 200 || request.status === 201) {
      for (const fresh of fromHTML(request.responseText)) place(fresh);
      separators();
      toBottom();
      return;
    }
    let message = request.statusText;
    try {
      message = JSON.parse(request.responseText).error;
    } catch {
      // not JSON: keep the status text
    }
    node.remove();
    toast(message, "error");
  });
  request.addEventListener("error", () => {
    node.remove();
    toast(i18n.i18nFailed, "error");
  });
  request.send(body);
}

const attachInput = root.querySelector("[data-attach-input]");
root.querySelector("[data-attach-button]")?.addEventListener("click", () => attachInput.click());
attachInput?.addEventListener("change", () => {
  upload([...attachInput.files]);
  attachInput.value = "";
});

// --- Composer: size, Enter, draft, typing, reply, edit ----------------------------------------
function autosize() {
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 180)}px`;
}

let draftTimer = 0;
function saveDraftNow(text) {
  clearTimeout(draftTimer);
  post(root.dataset.draftUrl, { text }).catch(() => {});
}

let lastTyping = 0;
function typing() {
  const now = Date.now();
  if (now - lastTyping < 3000) return;
  lastTyping = now;
  realtime.send({ type: "chat.typing", chat_id: chatId });
}

function startReply(node) {
  stopEditing();
  replyTo = node;
  const preview = root.querySelector("[data-reply-preview]");
  preview.querySelector("[data-reply-text]").textContent = node.querySelector(".msg__text")?.textContent.trim() || node.querySelector("[data-voice-wave]")?.getAttribute("aria-label") || "…";
  preview.hidden = false;
  input.focus();
}

function cancelReply() {
  replyTo = null;
  const preview = root.querySelector("[data-reply-preview]");
  if (preview) preview.hidden = true;
}

function startEditing(node) {
  cancelReply();
  editing = node;
  input.value = node.querySelector(".msg__text")?.innerText.trim() || "";
  autosize();
  composer.classList.add("composer--editing");
  input.focus();
}

function stopEditing() {
  editing = null;
  composer?.classList.remove("composer--editing");
}

if (composer) {
  autosize();
  attachRecorder(composer, sendVoice);
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (event) => {
    const enterSends = document.documentElement.dataset.enterSends !== "false";
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && enterSends) {
      event.preventDefault();
      submit();
    } else if (event.key === "Escape") {
      cancelReply();
      if (editing) {
        stopEditing();
        input.value = "";
        autosize();
      }
    }
  });
  input.addEventListener("input", () => {
    autosize();
    typing();
    clearTimeout(draftTimer);
    if (!editing) draftTimer = setTimeout(() => saveDraftNow(input.value), 800);
  });
  root.querySelector("[data-reply-cancel]")?.addEventListener("click", cancelReply);
}

// --- Message menu -----------------------------------------------------------------------------
let menuTarget = null;

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
      const answer = await fetch(`/chats/messages/${id}/readers/`, { credentials: "same-origin" });
      if (answer.ok) menu.querySelector("[data-readers]").innerHTML = await answer.text();
      menu.showModal();
      return undefined;
    }
    if (action === "pin") {
      response = await post(`/chats/messages/${id}/pin/`, { pinned: node.hasAttribute("data-pinned") ? "0" : "1" });
    } else if (action === "delete-me" || action === "delete-all") {
      response = await post(`/chats/messages/${id}/delete/`, { for: action === "delete-all" ? "everyone" : "me" });
      if (response.ok && action === "delete-me") node.remove();
    } else if (action.startsWith("react:")) {
      response = await post(`/chats/messages/${id}/react/`, { icon: action.slice(6) });
    }
  } catch {
    return toast(i18n.i18nFailed, "error");
  }
  if (response && !response.ok) return toast(await errorText(response), "error");
  if (response && response.status === 200) {
    for (const fresh of fromHTML(await response.text())) place(fresh);
    separators();
  }
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

// --- Live -------------------------------------------------------------------------------------
realtime.on("message.created", (frame) => {
  if (frame.chat_id !== chatId) return;
  const stick = nearBottom() || frame.sender_id === me;
  for (const node of fromHTML(frame.html)) place(node);
  separators();
  if (stick) toBottom();
  if (frame.sender_id !== me) {
    markDelivered(frame.chat_seq);
    markRead();
    clearTyping();
  }
});
realtime.on("message.updated", (frame) => {
  if (frame.chat_id !== chatId) return;
  if (!list.querySelector(`[data-message-id="${frame.message_id}"]`)) return;
  for (const node of fromHTML(frame.html)) place(node);
  separators();
});
realtime.on("message.hidden", (frame) => {
  if (frame.chat_id === chatId) list.querySelector(`[data-message-id="${frame.message_id}"]`)?.remove();
});
realtime.on("chat.read", (frame) => {
  if (frame.chat_id !== chatId) return;
  if (frame.user_id === me) {
    readSeq = Math.max(readSeq, frame.read_seq);
    return;
  }
  peerRead = Math.max(peerRead, frame.read_seq);
  peerDelivered = Math.max(peerDelivered, frame.read_seq);
  for (const node of list.querySelectorAll(".msg--mine")) ticks(node);
});
realtime.on("chat.delivered", (frame) => {
  if (frame.chat_id !== chatId || frame.user_id === me) return;
  peerDelivered = Math.max(peerDelivered, frame.delivered_seq);
  for (const node of list.querySelectorAll(".msg--mine")) ticks(node);
});
realtime.on("chat.removed", (frame) => {
  if (frame.chat_id === chatId) window.location.href = "/chats/";
});

let typingTimer = 0;
let subtitleBefore = null;
function clearTyping() {
  clearTimeout(typingTimer);
  if (subtitle && subtitleBefore !== null) {
    subtitle.replaceChildren(...subtitleBefore);
    subtitleBefore = null;
  }
  subtitle?.classList.remove("is-typing");
}
realtime.on("chat.typing", (frame) => {
  if (frame.chat_id !== chatId || frame.user_id === me || !subtitle) return;
  if (subtitleBefore === null) subtitleBefore = [...subtitle.childNodes];
  const text = kind === "direct" ? i18n.i18nTyping : `${frame.name} ${i18n.i18nTyping}`;
  subtitle.replaceChildren(document.createTextNode(text));
  subtitle.classList.add("is-typing");
  clearTimeout(typingTimer);
  typingTimer = setTimeout(clearTyping, 5000);
});

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
// What was written here but not sent (offline, or the tab closed) is shown and sent again.
outbox.pending(chatId).then((entries) => {
  for (const entry of entries) {
    if (!list.querySelector(`[data-client-id="${CSS.escape(entry.clientId)}"]`)) {
      list.append(pendingBubble(entry));
      if (entry.failed) showFailed(entry);
    } else {
      outbox.remove(entry.clientId); // it reached the server before the reload
    }
  }
  if (entries.length) toBottom();
  flush();
});
