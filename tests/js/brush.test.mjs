// Unit tests of the brush and the pixel checks (pure modules; Node's test runner).
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkPixels } from "../../web/src/pixels.js";
import { BRUSH_SIZES, STEP, segmentPoints, stamp, strokeLine } from "../../web/src/ui/brush.js";

const SIZE = 28;

test("segment points are evenly spaced, at most STEP apart, and end at the end point", () => {
  const points = segmentPoints(1, 1, 4, 5); // length 5
  assert.equal(points.length, Math.ceil(5 / STEP));
  assert.deepEqual(points.at(-1), [4, 5]);
  let previous = [1, 1];
  for (const point of points) {
    assert.ok(Math.hypot(point[0] - previous[0], point[1] - previous[1]) <= STEP + 1e-9);
    previous = point;
  }
  assert.deepEqual(segmentPoints(2, 2, 2, 2), [[2, 2]]); // a click still stamps once
});

test("a fast stroke leaves no gaps: every cell along the line is inked", () => {
  const pixels = new Float32Array(SIZE * SIZE);
  strokeLine(pixels, SIZE, 2.5, 14.5, 25.5, 14.5, BRUSH_SIZES[1]);
  for (let col = 3; col <= 25; col++) assert.ok(pixels[14 * SIZE + col] > 0.9, `gap at column ${col}`);
  assert.equal(pixels[2 * SIZE + 14], 0); // far from the line: untouched
});

test("the brush has a solid centre, a soft edge, and stays inside the grid", () => {
  const pixels = new Float32Array(SIZE * SIZE);
  stamp(pixels, SIZE, 0.5, 0.5, BRUSH_SIZES[3]);
  assert.equal(pixels[0], 1);
  const edge = pixels[SIZE + 1]; // the diagonal neighbour, 1.4 cells away
  assert.ok(edge > 0 && edge < 1, `edge ${edge}`);
  assert.ok(pixels.every((value) => value >= 0 && value <= 1));
});

test("erasing removes ink and leaves no faint ghosts", () => {
  const pixels = new Float32Array(SIZE * SIZE);
  stamp(pixels, SIZE, 14, 14, BRUSH_SIZES[2]);
  stamp(pixels, SIZE, 14, 14, BRUSH_SIZES[2], true);
  assert.ok(pixels.every((value) => value === 0 || value >= 0.05));
  assert.equal(pixels[13 * SIZE + 13], 0);
});

test("checkPixels accepts arrays and typed arrays of numbers in [0, 1]", () => {
  assert.deepEqual(Array.from(checkPixels([0, 0.5, 1], 3)), [0, 0.5, 1]);
  assert.deepEqual(Array.from(checkPixels(new Float32Array([1, 0]), 2)), [1, 0]);
});

test("checkPixels refuses bad input with a clear message", () => {
  assert.throws(
    () => checkPixels("abc", 3),
    /must be an array of 3 numbers in \[0, 1\], got the string "abc"/,
  );
  assert.throws(() => checkPixels(null, 3), /got null/);
  assert.throws(() => checkPixels({ length: 3 }, 3), /got a Object/);
  assert.throws(() => checkPixels([0, 1], 3), /must be 3 numbers in \[0, 1\], got 2/);
  assert.throws(() => checkPixels([0, Number.NaN, 1], 3), /pixel 1 must be a number in \[0, 1\], got NaN/);
  assert.throws(() => checkPixels([0, 1, Number.POSITIVE_INFINITY], 3), /pixel 2 .* got Infinity/);
  assert.throws(() => checkPixels([0, -0.1, 1], 3), /pixel 1 .* got -0.1/);
  assert.throws(() => checkPixels([0, 1.5, 1], 3), /got 1.5/);
  assert.throws(() => checkPixels([0, "1", 1], 3), /got the string "1"/);
});

test("checkPixels on random inputs: a faithful copy or a TypeError/RangeError, nothing else", () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const odd = [Number.NaN, Number.POSITIVE_INFINITY, -1e-9, 1 + 1e-9, "0.5", null, undefined, {}, [], true];
  for (let run = 0; run < 300; run++) {
    const length = random() < 0.2 ? Math.floor(random() * 10) : 6;
    const values = Array.from({ length }, () =>
      random() < 0.05 ? odd[Math.floor(random() * odd.length)] : random(),
    );
    const input = random() < 0.3 ? Float32Array.from(values.map(Number)) : values;
    try {
      const pixels = checkPixels(input, 6);
      assert.equal(pixels.length, 6);
      assert.deepEqual(
        Array.from(pixels),
        Array.from(input, (value) => Math.fround(value)),
      );
    } catch (error) {
      assert.ok(error instanceof TypeError || error instanceof RangeError, String(error));
      assert.match(error.message, /pixel|pixels/);
    }
  }
});
