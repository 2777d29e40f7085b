// Building page fragments in the browser: HTML the server rendered, and icons from the sprite.

// The elements of a piece of server-rendered HTML (a partial), ready to place.
export function fromHTML(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return [...template.content.children];
}

// An icon from the vendored sprite, as the {% icon %} template tag draws it (decorative).
export function icon(name, size = 16) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("width", size);
  svg.setAttribute("height", size);
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", `${document.body.dataset.iconSprite}#i-${name}`);
  svg.append(use);
  return svg;
}
