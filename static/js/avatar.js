// The profile photo: choose a picture, frame the square in the browser (Cropper.js), send it.
// Without this module (or if the cropper cannot load) the form sends the original and the
// server takes the middle square.
import { toast } from "./ui.js";
import { post } from "./http.js";

const form = document.querySelector("form[data-avatar-form]");
const dialog = document.getElementById("crop-dialog");

if (form && dialog) {
  const input = form.querySelector('input[type="file"]');
  let cropper = null;
  let url = null;

  const busy = (on) => form.querySelector(".file-button")?.toggleAttribute("aria-busy", on);

  const send = async (blob, name) => {
    const data = new FormData(form);
    data.set("avatar", blob, name);
    busy(true);
    try {
      const response = await post(form.action, data, { headers: { "HX-Request": "true" } });
      if (!response.ok) throw new Error(String(response.status));
      window.location.reload(); // the page shows the new photo and what the server said
    } catch {
      busy(false);
      toast(form.dataset.errorText, "error");
    }
  };

  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    let Cropper;
    try {
      ({ default: Cropper } = await import(form.dataset.cropper));
    } catch {
      busy(true);
      form.requestSubmit();
      return;
    }
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(file);
    const area = dialog.querySelector("[data-crop-area]");
    area.replaceChildren();
    const image = new Image();
    image.alt = "";
    image.src = url;
    cropper = new Cropper(image, {
      container: area,
      template:
        "<cropper-canvas background>" +
        "<cropper-image translatable scalable></cropper-image>" +
        '<cropper-shade hidden></cropper-shade>' +
        '<cropper-handle action="move" plain></cropper-handle>' +
        '<cropper-selection initial-coverage="0.85" aspect-ratio="1" movable resizable outlined>' +
        '<cropper-grid role="grid" covered></cropper-grid>' +
        '<cropper-handle action="move" plain></cropper-handle>' +
        '<cropper-handle action="ne-resize"></cropper-handle>' +
        '<cropper-handle action="nw-resize"></cropper-handle>' +
        '<cropper-handle action="se-resize"></cropper-handle>' +
        '<cropper-handle action="sw-resize"></cropper-handle>' +
        "</cropper-selection></cropper-canvas>",
    });
    dialog.showModal();
  });

  dialog.querySelector("[data-crop-save]").addEventListener("click", async () => {
    if (!cropper) return;
    const canvas = await cropper.getCropperSelection().$toCanvas({ width: 512, height: 512 });
    dialog.close();
    canvas.toBlob((blob) => send(blob, "avatar.jpg"), "image/jpeg", 0.9);
  });

  dialog.addEventListener("close", () => {
    input.value = "";
  });
}
