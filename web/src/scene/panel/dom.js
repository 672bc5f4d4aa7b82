// A tiny helper to build DOM elements: el("div", {class: "x", "data-testid": "y"}, children).

/**
 * @param {string} tag
 * @param {Record<string, string|number|boolean|Function>} attributes `on*` keys add listeners
 * @param {(Node|string)[]} children
 */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "text") {
      element.textContent = String(value);
    } else if (name === "style") {
      element.style.cssText = String(value); // CSSOM, not an attribute: allowed by the CSP
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  element.append(...children);
  return element;
}
