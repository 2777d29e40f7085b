// Small behaviours of the design system: dialogs, toasts, the theme switch.
// (http.js uses toast() from here; the two import each other only for functions called later.)
import { post } from "./http.js";

export function wireDialogs(root = document) {
  root.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      document.getElementById(opener.dataset.openDialog)?.showModal();
      return;
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) closer.closest("dialog")?.close();
  });
  // A click on the backdrop closes a dialog, as on every phone.
  root.addEventListener("click", (event) => {
    if (event.target instanceof HTMLDialogElement) event.target.close();
  });
}

export function toast(text, kind = "info") {
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = document.createElement("div");
  item.className = `toast toast--${kind}`;
  item.setAttribute("role", kind === "error" ? "alert" : "status");
  item.textContent = text;
  box.append(item);
  dismissLater(item);
}

function dismissLater(item) {
  setTimeout(() => {
    item.classList.add("is-leaving");
    item.addEventListener("animationend", () => item.remove(), { once: true });
    setTimeout(() => item.remove(), 400); // when animations are off, animationend never comes
  }, 4000);
}

export function wireToasts() {
  for (const item of document.querySelectorAll("#toasts .toast")) dismissLater(item);
}

// Settings that change how every page looks: applied at once, then saved on the server so
// every device of the member follows on its next page.
const LIVE = {
  theme: "theme",
  accent: "accent",
  text_size: "textSize",
  chat_background: "chatBackground",
  enter_sends: "enterSends",
  sounds: "sounds",
};

export function wireLiveSettings() {
  const form = document.querySelector("form[data-live-settings]");
  if (!form) return;
  form.addEventListener("change", (event) => {
    const key = LIVE[event.target.name];
    if (!key) return;
    const root = document.documentElement;
    const before = root.dataset[key];
    root.dataset[key] = event.target.type === "checkbox" ? String(event.target.checked) : event.target.value;
    const failed = () => {
      if (before === undefined) delete root.dataset[key];
      else root.dataset[key] = before;
      toast(form.dataset.errorText || "Error", "error");
    };
    post(form.action, new FormData(form), { headers: { "HX-Request": "true" } }).then((response) => {
      if (!response.ok) failed();
    }).catch(failed);
  });
}

export function wireAutosubmit(root = document) {
  // Choosing a file is the whole gesture: the form sends itself, the button shows it is busy.
  root.addEventListener("change", (event) => {
    const form = event.target.closest("form[data-autosubmit]");
    if (!form || event.target.type !== "file" || !event.target.files.length) return;
    form.querySelector(".file-button")?.setAttribute("aria-busy", "true");
    form.requestSubmit();
  });
}

export function wireSharing(root = document) {
  // Share where the phone can (its share sheet), copy everywhere.
  for (const button of root.querySelectorAll("[data-share]")) {
    if (navigator.share) button.hidden = false;
  }
  root.addEventListener("click", async (event) => {
    const copy = event.target.closest("[data-copy]");
    if (copy) {
      try {
        await navigator.clipboard.writeText(copy.dataset.copy);
        toast(copy.dataset.copied, "success");
      } catch {
        window.prompt("", copy.dataset.copy);
      }
      return;
    }
    const share = event.target.closest("[data-share]");
    if (share) {
      navigator.share({ title: share.dataset.shareTitle, url: share.dataset.share }).catch(() => {});
    }
  });
}
