// The Contact Picker where the phone has it (Chrome on Android): the member picks contacts,
// the page sends them as JSON; everywhere else the file upload below it is the way.
import { toast } from "./ui.js";
import { post } from "./http.js";

const card = document.getElementById("contact-picker");
if (card && "contacts" in navigator && "ContactsManager" in window) {
  card.hidden = false;
  card.querySelector("[data-pick-contacts]").addEventListener("click", async () => {
    let picked;
    try {
      picked = await navigator.contacts.select(["name", "tel", "email"], { multiple: true });
    } catch {
      return; // the member closed the picker
    }
    if (!picked.length) return;
    try {
      const response = await post(card.dataset.url, JSON.stringify(picked), {
        headers: { "Content-Type": "application/json" },
      });
      const answer = await response.json();
      if (response.ok) window.location.assign(answer.redirect);
      else toast(answer.error || card.dataset.errorText, "error");
    } catch {
      toast(card.dataset.errorText, "error");
    }
  });
}
