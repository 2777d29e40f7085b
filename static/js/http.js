// Every request a module makes itself: same-origin, the CSRF token on writes, and the server's
// refusals read one way. For fetch and HTMX requests the server answers a refusal with a 4xx and
// JSON {"error": "..."}; errorText reads it and refuse shows it as a toast.
import { toast } from "./ui.js";

// The token the page carries for HTMX (hx-headers on <body>), or a form's hidden field.
export function csrfToken() {
  try {
    const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    if (token) return token;
  } catch {
    // not JSON: try the form field
  }
  return document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
}

// fields: FormData, URLSearchParams, a string (JSON), or a plain object (sent as a form).
function bodyOf(fields) {
  if (fields === undefined || fields === null) return undefined;
  if (fields instanceof FormData || fields instanceof URLSearchParams || typeof fields === "string") {
    return fields;
  }
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return body;
}

// Says "a script asks" on every request, so a refusal comes back as JSON, never as a redirect
// to the previous page (which a script would follow and take for success).
const SCRIPT = { "X-Requested-With": "XMLHttpRequest" };

// fetch() with the session cookie, and the CSRF token on anything but GET. Returns the Response;
// rejects only when the network fails.
export function request(url, { method = "GET", body, headers = {} } = {}) {
  const write = method !== "GET" && method !== "HEAD";
  return fetch(url, {
    method,
    body: bodyOf(body),
    headers: write ? { ...SCRIPT, "X-CSRFToken": csrfToken(), ...headers } : { ...SCRIPT, ...headers },
    credentials: "same-origin",
  });
}

export function post(url, body, { headers = {} } = {}) {
  return request(url, { method: "POST", body, headers });
}

// A partial of the page, asked for as HTMX asks (the server answers with the fragment).
export function getPartial(url) {
  return request(url, { headers: { "HX-Request": "true" } });
}

export function getJSON(url) {
  return request(url, { headers: { Accept: "application/json" } });
}

// The refusal's words: the server's {"error": "..."}, else the fallback.
export async function errorText(response, fallback = response.statusText) {
  try {
    return (await response.json()).error || fallback;
  } catch {
    return fallback;
  }
}

// The same, for an answer already read as text (an XMLHttpRequest's).
export function errorOf(text, fallback) {
  try {
    return JSON.parse(text).error || fallback;
  } catch {
    return fallback;
  }
}

// Say why the server refused, as a toast.
export async function refuse(response, fallback) {
  const message = await errorText(response, fallback);
  toast(message, "error");
  return message;
}

// A POST that answers JSON: the parsed answer, or an Error carrying the server's words.
export async function postJSON(url, body, fallback) {
  const response = await post(url, body, { headers: { Accept: "application/json" } });
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    answer = {};
  }
  if (!response.ok) throw new Error(answer.error || fallback);
  return answer;
}

// An upload with progress (fetch cannot report it): resolves with {ok, status, text} when the
// server answers, rejects when the network fails.
export function upload(url, body, { headers = {}, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("X-Requested-With", SCRIPT["X-Requested-With"]);
    for (const [key, value] of Object.entries(headers)) xhr.setRequestHeader(key, value);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && onProgress) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.addEventListener("load", () => {
      resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, statusText: xhr.statusText, text: xhr.responseText });
    });
    xhr.addEventListener("error", () => reject(new Error("network")));
    xhr.send(body);
  });
}
