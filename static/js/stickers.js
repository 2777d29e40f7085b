// Stickers: playing them calmly, the composer's picker, and the sheet of a sticker's pack.
//
// A sticker plays only while it is on screen (an IntersectionObserver), loops three times and
// then rests on its first frame; a tap plays it again. Off screen it is paused, so a chat with
// dozens of stickers costs no more than the few in view. Under prefers-reduced-motion every
// sticker shows its first frame, still. Lottie stickers play through lottie-web (loaded on first
// need), animated WebP as an <img> swapped with its still poster, WebM as a muted <video>.

import { getPartial } from "./http.js";

const LOOPS = 3;
const script = document.querySelector("script[data-lottie]");
const lottieUrl = script?.dataset.lottie;
const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
const players = new WeakMap();
let lottieLoading = null;

function loadLottie() {
  if (!lottieLoading) lottieLoading = import(lottieUrl).then(() => globalThis.lottie);
  return lottieLoading;
}

// --- Players ------------------------------------------------------------------------------------
class Player {
  constructor(node) {
    this.node = node;
    this.kind = node.dataset.sticker;
    this.loops = 0;
    this.visible = false;
    this.anim = null;
    this.timer = null;
    node.dataset.state = "resting";
    if (this.kind === "webm") {
      node.loop = false;
      node.addEventListener("ended", () => this.looped());
    }
  }

  async ensureLottie() {
    if (this.anim || this.kind !== "lottie") return this.anim;
    const lottie = await loadLottie();
    if (this.anim) return this.anim;
    this.anim = lottie.loadAnimation({
      container: this.node,
      renderer: "svg",
      loop: false,
      autoplay: false,
      path: this.node.dataset.src,
      rendererSettings: { progressiveLoad: true },
    });
    this.anim.addEventListener("complete", () => this.looped());
    await new Promise((resolve) => {
      if (this.anim.isLoaded) resolve();
      else this.anim.addEventListener("DOMLoaded", resolve, { once: true });
    });
    return this.anim;
  }

  async show() {
    this.visible = true;
    if (this.kind === "lottie") await this.ensureLottie();
    if (!this.visible) return;
    if (reduced.matches) {
      this.rest();
      return;
    }
    if (this.loops < LOOPS) this.play();
  }

  hide() {
    this.visible = false;
    if (this.node.dataset.state === "playing") this.pause();
    // Seen again later, it plays again from the start.
    this.loops = 0;
  }

  play() {
    this.node.dataset.state = "playing";
    if (this.kind === "lottie") {
      this.anim?.goToAndPlay(0, true);
    } else if (this.kind === "webm") {
      this.node.currentTime = 0;
      this.node.play().catch(() => this.rest());
    } else {
      // An animated image cannot be paused: it is shown while playing, its poster otherwise.
      this.node.src = this.node.dataset.src;
      clearTimeout(this.timer);
      const loop = Math.max(Number(this.node.dataset.duration) || 2000, 300);
      this.timer = setTimeout(() => {
        this.loops = LOOPS;
        this.rest();
      }, loop * LOOPS);
    }
  }

  looped() {
    this.loops += 1;
    if (this.visible && this.loops < LOOPS && !reduced.matches) this.play();
    else this.rest();
  }

  pause() {
    this.node.dataset.state = "paused";
    clearTimeout(this.timer);
    if (this.kind === "lottie") this.anim?.pause();
    else if (this.kind === "webm") this.node.pause();
    else if (this.node.dataset.poster) this.node.src = this.node.dataset.poster;
  }

  rest() {
    this.node.dataset.state = "resting";
    clearTimeout(this.timer);
    if (this.kind === "lottie") this.anim?.goToAndStop(0, true);
    else if (this.kind === "webm") {
      this.node.pause();
      this.node.currentTime = 0;
    } else if (this.node.dataset.poster) this.node.src = this.node.dataset.poster;
  }

  replay() {
    if (reduced.matches) return;
    this.loops = 0;
    this.play();
  }
}

const watcher = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      const player = players.get(entry.target);
      if (!player) continue;
      if (entry.isIntersecting) player.show();
      else player.hide();
    }
  },
  { rootMargin: "80px 0px" },
);

function adopt(scope) {
  const nodes = scope.matches?.("[data-sticker]") ? [scope] : scope.querySelectorAll?.("[data-sticker]") || [];
  for (const node of nodes) {
    if (players.has(node)) continue;
    players.set(node, new Player(node));
    watcher.observe(node);
  }
}

function release(scope) {
  const nodes = scope.matches?.("[data-sticker]") ? [scope] : scope.querySelectorAll?.("[data-sticker]") || [];
  for (const node of nodes) {
    const player = players.get(node);
    if (!player) continue;
    watcher.unobserve(node);
    player.anim?.destroy();
    clearTimeout(player.timer);
    players.delete(node);
  }
}

new MutationObserver((changes) => {
  for (const change of changes) {
    for (const node of change.addedNodes) if (node.nodeType === 1) adopt(node);
    for (const node of change.removedNodes) if (node.nodeType === 1) release(node);
  }
}).observe(document.body, { childList: true, subtree: true });
adopt(document.body);

reduced.addEventListener("change", () => {
  for (const node of document.querySelectorAll("[data-sticker]")) players.get(node)?.rest();
});

// --- The picker ---------------------------------------------------------------------------------
const button = document.querySelector("[data-sticker-button]");
const composer = button?.closest("[data-composer]");
const chatRoot = document.querySelector("section.chat[data-chat]");
let panel = null;
let lastSent = 0;
let searchTimer = null;
let searchSeq = 0;

async function fetchHTML(url) {
  const response = await getPartial(url);
  if (!response.ok) throw new Error(response.statusText);
  return response.text();
}

function selectTab(tab) {
  for (const other of panel.querySelectorAll("[data-sticker-tab]")) {
    const chosen = other === tab;
    other.setAttribute("aria-selected", chosen ? "true" : "false");
    const pane = document.getElementById(other.getAttribute("aria-controls"));
    if (pane) pane.hidden = !chosen;
  }
}

async function openPicker() {
  if (!panel) {
    panel = document.createElement("div");
    panel.className = "sticker-picker";
    panel.id = "sticker-picker";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", button.getAttribute("aria-label"));
    composer.append(panel);
    panel.addEventListener("click", onPickerClick);
    panel.addEventListener("input", onSearch);
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closePicker(true);
    });
  }
  panel.hidden = false;
  button.setAttribute("aria-expanded", "true");
  try {
    panel.innerHTML = await fetchHTML(button.dataset.url);
  } catch {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
  }
}

function closePicker(focusButton = false) {
  if (!panel || panel.hidden) return;
  panel.hidden = true;
  button.setAttribute("aria-expanded", "false");
  panel.replaceChildren(); // its players stop with it
  if (focusButton) button.focus();
}

function send(stickerId, node) {
  // One tap sends one sticker: a second tap while the first is leaving is ignored, and the
  // outbox entry keeps one client id through every retry.
  const now = Date.now();
  if (now - lastSent < 800) return;
  lastSent = now;
  closePicker();
  chatRoot.dispatchEvent(
    new CustomEvent("chat:queue", {
      detail: {
        clientId: crypto.randomUUID(),
        url: button.dataset.sendUrl,
        fields: { sticker: stickerId },
        pendingClass: "msg--sticker",
      },
    }),
  );
  node?.blur();
}

function onPickerClick(event) {
  const tab = event.target.closest("[data-sticker-tab]");
  if (tab) {
    selectTab(tab);
    return;
  }
  const item = event.target.closest("[data-send-sticker]");
  if (item) send(item.dataset.sendSticker, item);
}

function onSearch(event) {
  const field = event.target.closest("[data-sticker-search]");
  if (!field) return;
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    const results = panel.querySelector("[data-sticker-results]");
    const panes = panel.querySelector("[data-sticker-panes]");
    const tabs = panel.querySelector("[data-sticker-tabs]");
    const query = field.value.trim();
    if (!query) {
      searchSeq += 1;
      results.hidden = true;
      results.replaceChildren();
      panes.hidden = false;
      tabs.hidden = false;
      return;
    }
    const url = `${field.dataset.url}?q=${encodeURIComponent(query)}`;
    const asked = ++searchSeq;
    let html;
    try {
      html = await fetchHTML(url);
    } catch {
      return;
    }
    if (asked !== searchSeq) return; // a later search is on its way: its answer wins
    results.innerHTML = html;
    results.hidden = false;
    panes.hidden = true;
    tabs.hidden = true;
  }, 200);
}

if (button && composer && chatRoot) {
  button.addEventListener("click", () => {
    if (panel && !panel.hidden) closePicker();
    else openPicker();
  });
  document.addEventListener("click", (event) => {
    if (!panel || panel.hidden) return;
    if (panel.contains(event.target) || button.contains(event.target)) return;
    closePicker();
  });
}

// --- A sticker in a chat: tap plays it again and shows its pack ---------------------------------
let sheet = null;

function packSheet() {
  if (!sheet) {
    sheet = document.createElement("dialog");
    sheet.className = "sheet sticker-sheet";
    sheet.addEventListener("click", (event) => {
      if (event.target === sheet || event.target.closest("[data-sticker-sheet-close]")) sheet.close();
    });
    sheet.addEventListener("close", () => sheet.replaceChildren());
    document.body.append(sheet);
  }
  return sheet;
}

document.addEventListener("click", async (event) => {
  const opener = event.target.closest("[data-sticker-pack]");
  if (!opener) return;
  const node = opener.querySelector("[data-sticker]");
  if (node) players.get(node)?.replay();
  let html;
  try {
    html = await fetchHTML(opener.dataset.stickerPack);
  } catch {
    return;
  }
  const dialog = packSheet();
  dialog.innerHTML = html;
  window.htmx?.process(dialog); // its add/remove form is an hx-post form
  dialog.showModal();
});

