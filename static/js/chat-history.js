// The chat's bubbles: placed in sequence order (never twice), day separators and author groups,
// ticks, reading and delivery marks, older pages, catching up after a reconnect, and the live
// events that change what is shown (new, edited and hidden messages, reads, typing).
//
// The database is the truth. Every bubble carries its chat sequence (data-seq); the page keeps
// bubbles ordered by it, never shows one twice (by message id and by client id), and after every
// (re)connect asks the server for everything after the newest bubble it shows.
import * as realtime from "./realtime.js";
import { fromHTML, icon } from "./dom.js";
import { post, request } from "./http.js";

export const root = document.querySelector("section.chat[data-chat]");
export const me = Number(document.body.dataset.userId);
export const chatId = Number(root.dataset.chatId);
export const kind = root.dataset.chatKind;
export const list = root.querySelector("[data-messages]");
export const scroller = root.querySelector("[data-chat-scroll]");
export const i18n = root.dataset;
const subtitle = document.querySelector("[data-typing-target]");

let hasMore = root.dataset.hasMore === "1";
let loadingOlder = false;
let readSeq = Number(root.dataset.readSeq || 0);
let peerRead = Number(root.dataset.peerReadSeq || 0);
let peerDelivered = Number(root.dataset.peerDeliveredSeq || 0);

export function nearBottom() {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
}

export function toBottom() {
  scroller.scrollTop = scroller.scrollHeight;
}

export function bubbles() {
  return list.querySelectorAll(".msg[data-seq]");
}

export function lastSeq() {
  const all = bubbles();
  return all.length ? Number(all[all.length - 1].dataset.seq) : 0;
}

// --- Placing bubbles -----------------------------------------------------------------------------
export function decorate(node) {
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

export function place(node) {
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

// Place every bubble of a server answer (a partial), then redraw separators.
export function placeHTML(html) {
  for (const node of fromHTML(html)) place(node);
  separators();
}

export function separators() {
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

export function unreadMarker() {
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
export function markRead() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (document.visibilityState !== "visible") return;
    const seq = lastSeq();
    if (seq <= readSeq || !nearBottom()) return;
    readSeq = seq;
    post(root.dataset.readUrl, { seq }, { headers: { "HX-Request": "true" } }).catch(() => {});
  }, 400);
}

export function markDelivered(seq) {
  post(root.dataset.deliveredUrl, { seq }, { headers: { "HX-Request": "true" } }).catch(() => {});
}

// --- History ---------------------------------------------------------------------------------
export async function loadOlder() {
  if (!hasMore || loadingOlder) return;
  const first = bubbles()[0];
  if (!first) return;
  loadingOlder = true;
  const height = scroller.scrollHeight;
  try {
    const response = await request(`${root.dataset.historyUrl}?before=${first.dataset.seq}`);
    if (!response.ok) return;
    hasMore = response.headers.get("X-Has-More") === "1";
    placeHTML(await response.text());
    scroller.scrollTop += scroller.scrollHeight - height;
  } finally {
    loadingOlder = false;
  }
}

export async function catchUp() {
  // Everything after the newest bubble shown, page by page: nothing missed, nothing twice.
  for (let round = 0; round < 20; round += 1) {
    const stick = nearBottom();
    const response = await request(`${root.dataset.historyUrl}?after=${lastSeq()}`);
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

// Who has read a message (a group's list), as the server renders it.
export async function readers(id) {
  const answer = await request(`/chats/messages/${id}/readers/`);
  return answer.ok ? answer.text() : null;
}

// --- Live -------------------------------------------------------------------------------------
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

realtime.on("message.created", (frame) => {
  if (frame.chat_id !== chatId) return;
  const stick = nearBottom() || frame.sender_id === me;
  placeHTML(frame.html);
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
  placeHTML(frame.html);
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
realtime.on("chat.typing", (frame) => {
  if (frame.chat_id !== chatId || frame.user_id === me || !subtitle) return;
  if (subtitleBefore === null) subtitleBefore = [...subtitle.childNodes];
  const text = kind === "direct" ? i18n.i18nTyping : `${frame.name} ${i18n.i18nTyping}`;
  subtitle.replaceChildren(document.createTextNode(text));
  subtitle.classList.add("is-typing");
  clearTimeout(typingTimer);
  typingTimer = setTimeout(clearTyping, 5000);
});
