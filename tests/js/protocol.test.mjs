// Unit tests of the page ↔ runtime protocol's encoding (pure module; Node's test runner).
import assert from "node:assert/strict";
import { test } from "node:test";

import { pack, unpack } from "../../web/src/protocol.js";

test("pack replaces typed arrays by numbered buffer placeholders with their dtype", () => {
  const pixels = new Float32Array([0, 0.5, 1]);
  const [json, buffers] = pack({ pixels, top_n: 3, nested: [new Int32Array([7])] });
  assert.deepEqual(JSON.parse(json), {
    pixels: { $buffer: 0, dtype: "float32" },
    top_n: 3,
    nested: [{ $buffer: 1, dtype: "int32" }],
  });
  assert.equal(buffers[0], pixels);
  assert.deepEqual(Array.from(buffers[1]), [7]);
});

test("pack refuses typed arrays Python cannot take", () => {
  assert.throws(() => pack({ x: new Float64Array(2) }), /cannot send a Float64Array/);
});

test("unpack fills the placeholders of an answer with its buffers", () => {
  const probabilities = new Float32Array([0.1, 0.9]);
  const indices = new Int32Array([1, 0]);
  const text = JSON.stringify({
    ok: true,
    value: {
      blank: false,
      top: 1,
      probabilities: { $buffer: 0, dtype: "float32" },
      connections: [{ k: 1, indices: { $buffer: 1, dtype: "int32" } }],
    },
  });
  const answer = unpack(text, [probabilities, indices]);
  assert.equal(answer.value.probabilities, probabilities);
  assert.equal(answer.value.connections[0].indices, indices);
  assert.equal(answer.value.top, 1);
});

test("unpack makes typed-array views of an answer's one blob (offset in bytes, length in items)", () => {
  const blob = new Uint8Array(24);
  new Float32Array(blob.buffer, 0, 2).set([0.5, 2]);
  new Int32Array(blob.buffer, 8, 3).set([-1, 7, 9]);
  const text = JSON.stringify({
    p: { $buffer: 0, dtype: "float32", offset: 0, length: 2 },
    i: { $buffer: 0, dtype: "int32", offset: 8, length: 3 },
    none: { $buffer: 0, dtype: "uint8", offset: 20, length: 0 },
  });
  const answer = unpack(text, [blob]);
  assert.deepEqual(Array.from(answer.p), [0.5, 2]);
  assert.ok(answer.i instanceof Int32Array);
  assert.deepEqual(Array.from(answer.i), [-1, 7, 9]);
  assert.equal(answer.p.buffer, blob.buffer); // views, no copies
  assert.equal(answer.none.length, 0);
});

test("unpack refuses views outside their blob, misaligned or of an unknown dtype", () => {
  const blob = [new Uint8Array(8)];
  const view = (fields) => JSON.stringify({ a: { $buffer: 0, ...fields } });
  assert.throws(() => unpack(view({ dtype: "float32", offset: 4, length: 2 }), blob), RangeError);
  assert.throws(() => unpack(view({ dtype: "int32", offset: 2, length: 1 }), blob), RangeError);
  assert.throws(() => unpack(view({ dtype: "float64", offset: 0, length: 1 }), blob), /unknown dtype/);
});

test("unpack of a placeholder without its buffer is an error, not undefined", () => {
  assert.throws(() => unpack('{"a": {"$buffer": 2}}', [new Float32Array(1)]), /names buffer 2 of 1/);
});

test("pack → unpack round trip", () => {
  const value = { pixels: new Float32Array([0.25]), name: "predict", flags: [true, null] };
  const [json, buffers] = pack(value);
  assert.deepEqual(unpack(json, buffers), value);
});
