// Passkeys: allauth.mfa's WebAuthn ceremonies, each started by one button, with errors a member can read.
//
// A button carries data-passkey="create" | "get" | "login" and sits in (or names with form=) the form
// that allauth expects: the ceremony's result goes into its hidden `credential` input, then the form
// is sent. "create" and "get" read allauth's options from a <script type="application/json"> (made
// with json_script, never executed) named by data-options; "login" asks the form's own URL for them.
// The JSON <-> ArrayBuffer conversion is allauth's copy of github/webauthn-json (window.webauthnJSON),
// a classic script the page loads before this module.
import { toast } from "./ui.js";
import { getJSON } from "./http.js";

const supported = Boolean(window.PublicKeyCredential && window.webauthnJSON);

function options(button) {
  return JSON.parse(document.getElementById(button.dataset.options).textContent);
}

const ceremonies = {
  create(button) {
    const { creation_options: creation } = options(button);
    // One button makes a passkey, not a second-factor key: a credential the device keeps (it can
    // sign in without a username) and that always asks for the fingerprint, face or screen lock.
    const selection = (creation.publicKey.authenticatorSelection ||= {});
    selection.residentKey = "required";
    selection.requireResidentKey = true;
    selection.userVerification = "required";
    return window.webauthnJSON.create(creation);
  },
  get(button) {
    return window.webauthnJSON.get(options(button).request_options);
  },
  async login(button) {
    const response = await getJSON(button.form.action);
    if (!response.ok) throw new Error(`passkey options: HTTP ${response.status}`);
    const data = await response.json();
    return window.webauthnJSON.get(data.request_options);
  },
};

function busy(button, on) {
  if (on) button.setAttribute("aria-busy", "true");
  else button.removeAttribute("aria-busy");
  button.disabled = on;
}

async function start(button) {
  const form = button.form;
  busy(button, true);
  try {
    const credential = await ceremonies[button.dataset.passkey](button);
    form.elements.credential.value = JSON.stringify(credential);
    form.submit();
  } catch (error) {
    busy(button, false);
    // NotAllowedError: the member closed the prompt, or it timed out; anything else is a failure.
    const cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
    toast(cancelled ? button.dataset.cancelledText : button.dataset.failedText, "error");
    console.error(error);
  }
}

for (const button of document.querySelectorAll("button[data-passkey]")) {
  if (!supported) {
    // Old browsers, and any address that is not https (or localhost), have no WebAuthn at all.
    button.hidden = true;
    const note = document.getElementById(button.dataset.unsupported || "");
    if (note) note.hidden = false;
    continue;
  }
  button.addEventListener("click", (event) => {
    event.preventDefault();
    start(button);
  });
}
