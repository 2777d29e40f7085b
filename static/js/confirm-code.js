// The link in a verification email (…/confirm-email/?code=…): fill the code in and confirm it,
// so that a tap in the mail app does what typing the code would do.
const code = new URLSearchParams(window.location.search).get("code");
if (code) {
  const input = [...document.querySelectorAll('input[name="code"]')].find(
    (field) => field.form && !field.form.querySelector('input[name="action"]'),
  );
  if (input && !input.value) {
    input.value = code.trim().slice(0, 32);
    input.form.requestSubmit();
  }
}
