// Unit tests of setText (web/src/ui/text-node.js) on a minimal stand-in for DOM elements.
import assert from "node:assert/strict";
import { test } from "node:test";

import { setText } from "../../web/src/ui/text-node.js";

/** An element with childNodes, firstChild/lastChild and textContent, that counts its writes. */
function element(...children) {
  const target = { writes: 0, replaced: 0, childNodes: children };
  Object.defineProperties(target, {
    firstChild: { get: () => target.childNodes[0] ?? null },
    lastChild: { get: () => target.childNodes.at(-1) ?? null },
    textContent: {
      get: () => target.childNodes.map((node) => node.data ?? "").join(""),
      set: (text) => {
        target.replaced += 1;
        target.childNodes = text === "" ? [] : [textNode(text)];
      },
    },
  });
  return target;
}

function textNode(text) {
  const node = { nodeType: 3, writes: 0 };
  let data = text;
  Object.defineProperty(node, "data", {
    get: () => data,
    set: (value) => {
      node.writes += 1;
      data = value;
    },
  });
  return node;
}

test("a changed text is written into the element's one text node, which stays", () => {
  const node = textNode("12.0%");
  const target = element(node);
  setText(target, "98.5%");
  assert.equal(target.textContent, "98.5%");
  assert.equal(target.firstChild, node);
  assert.equal(target.replaced, 0);
  setText(target, ""); // an empty text keeps the node too, for the next frame
  assert.equal(target.firstChild, node);
  assert.equal(target.textContent, "");
});

test("an unchanged text writes nothing", () => {
  const node = textNode("7");
  const target = element(node);
  setText(target, "7");
  assert.equal(node.writes, 0);
  assert.equal(target.replaced, 0);
});

test("an empty element or one with other children gets its text through textContent", () => {
  const empty = element();
  setText(empty, "3");
  assert.equal(empty.textContent, "3");
  assert.equal(empty.replaced, 1);
  setText(empty, "4"); // now it has one text node
  assert.equal(empty.replaced, 1);
  const mixed = element(textNode("a"), { nodeType: 1, data: undefined });
  setText(mixed, "b");
  assert.equal(mixed.textContent, "b");
  assert.equal(mixed.replaced, 1);
  const elementChild = element({ nodeType: 1 });
  setText(elementChild, "c");
  assert.equal(elementChild.replaced, 1);
});
