// Unit tests of the scene's pure modules: the frame feed (models and frames → view and labels),
// the card's data, and the worker's stand-in element for the camera controls.
import assert from "node:assert/strict";
import { test } from "node:test";

import { describeNeuron } from "../../web/src/scene/card-data.js";
import { ElementProxy } from "../../web/src/scene/element-proxy.js";
import { copyEvent } from "../../web/src/scene/event-forwarding.js";
import { FrameFeed } from "../../web/src/scene/frame-feed.js";
import { computeLayout } from "../../web/src/scene/layout.js";

const summary = (labels = ["a", "b", "c"], architecture = [4, 2, 3]) => ({
  architecture,
  labels,
  image_shape: [2, 2],
  layer_names: ["fc1", "fc2"],
  activations: ["relu", "softmax"],
});

const frame = ({ blank = false, input = [0, 1, 0, 1], topN = 2, mode = "weight" } = {}) => ({
  blank,
  input: Float32Array.from(input),
  normalizedInput: Float32Array.from(input, (x) => (x - 0.5) / 0.5),
  probabilities: Float32Array.from([0.1, 0.7, 0.2]),
  top: blank ? null : 1,
  activations: [Float32Array.from([0.5, 0]), Float32Array.from([0.1, 0.7, 0.2])],
  preActivations: [Float32Array.from([0.5, -1]), Float32Array.from([1, 3, 2])],
  connections: [],
  settings: { topN, mode },
});

function fakes() {
  const calls = [];
  const view = new Proxy(
    {},
    {
      get:
        (_, method) =>
        (...args) =>
          calls.push([method, ...args]),
    },
  );
  const shown = [];
  const labels = { setLabels: (l) => shown.push(["labels", l]), show: (p, top) => shown.push([p, top]) };
  return { calls, view, shown, labels };
}

test("a model waits for the view, then builds; a same-shape model swaps in place", () => {
  const { calls, view, labels } = fakes();
  let rebuilds = 0;
  const feed = new FrameFeed({ labels, onRebuild: () => rebuilds++, onChange: () => {} });
  feed.setModel({ summary: summary(), layers: [] });
  assert.equal(calls.length, 0);
  feed.attach(view);
  assert.deepEqual(
    calls.map(([method]) => method),
    ["setModel"],
  );
  feed.setModel({ summary: summary(), layers: [] }); // a timeline snapshot
  assert.deepEqual(
    calls.map(([method]) => method),
    ["setModel", "updateModel"],
  );
  assert.equal(rebuilds, 1);
  feed.setModel({ summary: summary(["x", "y", "z", "w"], [4, 2, 4]), layers: [] });
  assert.equal(rebuilds, 2);
});

test("a blank frame shows no percentages and no winner", () => {
  const { view, shown, labels } = fakes();
  const feed = new FrameFeed({ labels, onRebuild: () => {}, onChange: () => {} });
  feed.attach(view);
  feed.setModel({ summary: summary(), layers: [] });
  feed.render(frame());
  assert.equal(shown.at(-1)[1], 1);
  feed.render(frame({ blank: true, input: [0, 0, 0, 0] }));
  assert.deepEqual(shown.at(-1), [null, null]);
});

test("a new N with the same input only replaces the connections", () => {
  const { calls, view, labels } = fakes();
  const feed = new FrameFeed({ labels, onRebuild: () => {}, onChange: () => {} });
  feed.attach(view);
  feed.setModel({ summary: summary(), layers: [] });
  feed.render(frame());
  feed.render(frame({ topN: 5 }));
  feed.render(frame({ topN: 5, input: [1, 1, 0, 0] }));
  assert.deepEqual(
    calls.map(([method]) => method),
    ["setModel", "pushFrame", "replaceConnections", "pushFrame"],
  );
});

test("the card of an output has no probability for a blank frame", () => {
  const s = summary();
  const layers = computeLayout(s).layers;
  const neuron = { layer: 2, index: 1 };
  const weights = { weight: new Float32Array(6), bias: Float32Array.from([0, 0.5, 0]) };
  const drawn = describeNeuron({ summary: s, layers, neuron, frame: frame(), weights });
  assert.equal(drawn.probability, Math.fround(0.7));
  assert.equal(drawn.bias, 0.5);
  const blank = describeNeuron({ summary: s, layers, neuron, frame: frame({ blank: true }), weights });
  assert.equal(blank.probability, null);
  assert.equal(blank.label, "b");
});

test("a first-layer card ranks the runtime's normalised input × weight (no second normalisation)", () => {
  const s = summary();
  const layers = computeLayout(s).layers;
  const weights = { weight: Float32Array.from([1, 2, 3, 4, 0, 0, 0, 0]), bias: new Float32Array(2) };
  const drawn = describeNeuron({
    summary: s,
    layers,
    neuron: { layer: 1, index: 0 },
    frame: frame(),
    weights,
  });
  // normalisedInput = [-1, 1, -1, 1] → contributions [-1, 2, -3, 4]
  assert.deepEqual(
    drawn.contributors.map((c) => c.value),
    [4, -3, 2, -1],
  );
  assert.deepEqual(drawn.weightImage.rows, 2);
});

test("forwarded events replay on the stand-in element or its document", () => {
  const element = new ElementProxy();
  element.setRect({ left: 0, top: 0, width: 300, height: 200 });
  assert.equal(element.clientHeight, 200);
  const seen = [];
  element.addEventListener("pointerdown", (event) => seen.push(["element", event.type, event.clientX]));
  element.ownerDocument.addEventListener("pointermove", (event) => {
    event.preventDefault(); // a no-op there, as OrbitControls calls it
    seen.push(["document", event.type, event.pointerId]);
  });
  const down = copyEvent({ type: "pointerdown", clientX: 12, pointerId: 3, extra: 1 }, [
    "clientX",
    "pointerId",
  ]);
  assert.deepEqual(down, { type: "pointerdown", clientX: 12, pointerId: 3 });
  element.replay(down, "element");
  element.replay({ type: "pointermove", pointerId: 3 }, "document");
  assert.deepEqual(seen, [
    ["element", "pointerdown", 12],
    ["document", "pointermove", 3],
  ]);
});
