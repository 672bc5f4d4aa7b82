// Text that changes with every frame (percentages, the winner): written into the element's one
// text node in place. Assigning `textContent` replaces that node, and the browser then drops
// and rebuilds its layout object and restyles it; changing the node's data only re-shapes it.

/** Show `text` in `element`; writes nothing when it already shows exactly that. */
export function setText(element, text) {
  const node = element.firstChild;
  if (node !== null && node === element.lastChild && node.nodeType === TEXT_NODE) {
    if (node.data !== text) node.data = text;
  } else if (element.textContent !== text) {
    element.textContent = text;
  }
}

const TEXT_NODE = 3; // Node.TEXT_NODE, without needing a DOM (the Node tests run without one)
