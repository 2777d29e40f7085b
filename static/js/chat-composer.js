// The chat's composer: writing (size, Enter, the draft, typing), replying and editing, and sending
// through the outbox (text, voice, stickers queued by other modules), with photos and files sent
// at once with upload progress. What is written is kept until the server has it.
import * as realtime from "./realtime.js";
import * as outbox from "./outbox.js";
import { toast } from "./ui.js";
import { icon } from "./dom.js";
import { errorOf, errorText, post, upload as uploadForm } from "./http.js";
import { attachRecorder, pendingLabel } from "./voice-recorder.js";
import { chatId, i18n, list, me, nearBottom, placeHTML, root, toBottom } from "./chat-history.js";

const composer = root.querySelector("[data-composer]");
const input = root.querySelector("[data-composer-input]");

let replyTo = null;
let editing = null;
let flushing = false;

// Writes of the chat page go as HTMX would send them: the server answers with partials.
function send(url, fields) {
  return post(url, fields, { headers: { "HX-Request": "true" } });
}

// --- Sending (through the outbox) ------------------------------------------------------------
export function pendingBubble(entry) {
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

export async function flush() {
  if (flushing || !navigator.onLine) return;
  flushing = true;
  try {
    for (const entry of await outbox.pending(chatId)) {
      if (entry.failed) continue;
      let response;
      try {
        // Entries queued by other modules (a sticker) name their own URL and fields.
        response = await send(entry.url || root.dataset.sendUrl, {
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
        placeHTML(await response.text());
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
    const response = await send(`/chats/messages/${node.dataset.messageId}/edit/`, { text }).catch(() => null);
    if (!response?.ok) {
      toast(response ? await errorText(response) : i18n.i18nFailed, "error");
      return;
    }
    placeHTML(await response.text());
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

// What was written here but not sent (offline, or the tab closed) is shown and sent again.
export async function resumeOutbox() {
  const entries = await outbox.pending(chatId);
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
}

// --- Photos and files: sent at once, with upload progress ----------------------------------
async function upload(files) {
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
  let answer;
  try {
    answer = await uploadForm(root.dataset.sendUrl, body, { onProgress: (percent) => { progress.value = percent; } });
  } catch {
    node.remove();
    toast(i18n.i18nFailed, "error");
    return;
  }
  if (answer.ok) {
    placeHTML(answer.text);
    toBottom();
    return;
  }
  node.remove();
  toast(errorOf(answer.text, answer.statusText), "error");
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
  send(root.dataset.draftUrl, { text }).catch(() => {});
}

let lastTyping = 0;
function typing() {
  const now = Date.now();
  if (now - lastTyping < 3000) return;
  lastTyping = now;
  realtime.send({ type: "chat.typing", chat_id: chatId });
}

export function startReply(node) {
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

export function startEditing(node) {
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
