// Unit tests of the learning modules that need no browser: argument checks, the API's result,
// and the example store's in-memory fallback (used where IndexedDB is unavailable).
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkExportFile, checkLabel, trainResult } from "../../web/src/learn/checks.js";
import { ExampleStore } from "../../web/src/learn/examples-store.js";

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

test("a label is a class index or one of the label strings", () => {
  assert.equal(checkLabel(3, DIGITS), 3);
  assert.equal(checkLabel("7", DIGITS), 7);
  assert.equal(checkLabel("Ankle boot", ["T-shirt/top", "Ankle boot"]), 1);
});

test("labels outside the dataset are refused with the labels named", () => {
  for (const bad of [10, -1, 2.5, "x", null, undefined, true, [1]]) {
    assert.throws(() => checkLabel(bad, DIGITS), /not one of this model's labels \(0, 1/);
  }
});

test("empty or oversized files are refused before reading", () => {
  assert.throws(() => checkExportFile(null, 10), /No file/);
  assert.throws(() => checkExportFile({ name: "a.json", size: 0 }, 10), /a\.json is empty/);
  assert.throws(() => checkExportFile({ name: "b.json", size: 11 }, 10), /larger than the 10-byte limit/);
  assert.doesNotThrow(() => checkExportFile({ name: "c.json", size: 10 }, 10));
});

test("the train result uses wall-clock time and says whether it was stopped", () => {
  const done = {
    images_seen: 8000,
    held_out_accuracy: 0.91,
    seconds: 1.5,
    wall_seconds: 2,
    epoch: 1,
    epochs: 1,
    epoch_progress: 1,
  };
  assert.deepEqual(trainResult(done), {
    imagesSeen: 8000,
    heldOutAccuracy: 0.91,
    imagesPerSecond: 4000,
    seconds: 2,
    computeSeconds: 1.5,
    epoch: 1,
    stopped: false,
    diverged: false,
  });
  assert.equal(trainResult({ ...done, images_seen: 640, epoch_progress: 0.08 }).stopped, true);
  const exploded = trainResult({ ...done, images_seen: 32, epoch_progress: 0.004, diverged: true });
  assert.equal(exploded.diverged, true);
  assert.equal(exploded.stopped, true);
});

test("the example store keeps examples per dataset in memory without IndexedDB", async () => {
  const store = new ExampleStore(null);
  const first = await store.add("mnist", 3, new Uint8Array(784).fill(7));
  await store.add("fashion-mnist", 1, new Uint8Array(784));
  await store.add("mnist", 5, new Uint8Array(784));
  const mnist = await store.list("mnist");
  assert.deepEqual(
    mnist.map((e) => e.label),
    [3, 5],
  );
  assert.equal(mnist[0].pixels[0], 7);
  await store.remove(first);
  assert.equal((await store.list("mnist")).length, 1);
  assert.equal(await store.clear("mnist"), 1);
  assert.equal((await store.list("fashion-mnist")).length, 1);
});
