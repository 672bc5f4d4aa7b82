// Unit tests of the shareable URL state (pure module; runs under Node's test runner).
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeDrawing, encodeDrawing, readHash, urlWithState } from "../../web/src/url-state.js";

test("a drawing survives encode → decode at 16 grey levels", async () => {
  const pixels = new Float32Array(784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i % 16) / 15;
  const decoded = await decodeDrawing(await encodeDrawing(pixels));
  assert.deepEqual(Array.from(decoded), Array.from(pixels));
});

test("a damaged drawing is refused", async () => {
  const text = await encodeDrawing(new Float32Array(784));
  await assert.rejects(decodeDrawing(text, 100));
});

test("empty values are left out of the URL and read back", () => {
  const url = urlWithState({ d: "abc", w: "", t: 3, p: null }, "http://example.test/page");
  assert.equal(url, "http://example.test/page#d=abc&t=3");
  assert.deepEqual(readHash(new URL(url).hash), { d: "abc", t: "3" });
});
