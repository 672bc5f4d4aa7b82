// Unit tests of the scene's pure modules: the frame feed (models and frames → view and labels),
// the card's data, and the worker's stand-in element for the camera controls.
import assert from "node:assert/strict";
import { test } from "node:test";

import { describeNeuron } from "../../web/src/scene/card-data.js";
import { ElementProxy } from "../../web/src/scene/element-proxy.js";
import { copyEvent } from "../../web/src/scene/event-forwarding.js";
import { FrameFeed } from "../../web/src/scene/frame-feed.js";
import { Interaction } from "../../web/src/scene/interaction.js";
import { computeLayout, layerOf } from "../../web/src/scene/layout.js";
import { VIEW_COMMANDS, viewCommands } from "../../web/src/scene/view-commands.js";
import { WorkerHost } from "../../web/src/scene/worker-host.js";
import { WorkerLink } from "../../web/src/scene/worker-link.js";

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
  feed.rendered();
  assert.equal(shown.at(-1)[1], 1);
  feed.render(frame({ blank: true, input: [0, 0, 0, 0] }));
  feed.rendered();
  assert.deepEqual(shown.at(-1), [null, null]);
});

test("the labels show a frame once the view has drawn it, and only the latest", () => {
  const { view, shown, labels } = fakes();
  const feed = new FrameFeed({ labels, onRebuild: () => {}, onChange: () => {} });
  feed.attach(view);
  feed.setModel({ summary: summary(), layers: [] });
  const before = shown.length;
  feed.render(frame());
  feed.render(frame({ blank: true, input: [0, 0, 0, 0] }));
  assert.equal(shown.length, before); // drawn by the view, not yet shown
  feed.rendered();
  assert.deepEqual(shown.slice(before), [[null, null]]); // the latest frame, once
  feed.rendered(); // a frame drawn for another reason (the camera moved): nothing new
  assert.equal(shown.length, before + 1);
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

test("a frame with the same input, settings and model only refreshes the labels and card", () => {
  const { calls, view, shown, labels } = fakes();
  let changes = 0;
  const feed = new FrameFeed({ labels, onRebuild: () => {}, onChange: () => changes++ });
  feed.attach(view);
  feed.setModel({ summary: summary(), layers: [] });
  feed.render(frame());
  const before = [shown.length, changes];
  feed.render(frame()); // e.g. mlpvis.setPixels(same) + predict()
  assert.deepEqual([shown.length, changes], [before[0] + 1, before[1] + 1]);
  feed.setModel({ summary: summary(), layers: [] }); // a snapshot of the same shape
  feed.render(frame());
  const other = frame();
  other.settings.mnistStyle = true; // another frame setting, the same input: shown anew
  feed.render(other);
  assert.deepEqual(
    calls.map(([method]) => method),
    ["setModel", "pushFrame", "updateModel", "pushFrame", "pushFrame"],
  );
});

test("layerOf knows only the neurons of its own network", () => {
  const layout = computeLayout(summary());
  assert.equal(layerOf(layout, { layer: 2, index: 2 }), layout.layers[2]);
  assert.equal(layerOf(layout, { layer: 3, index: 0 }), null); // a layer a bigger network had
  assert.equal(layerOf(layout, { layer: 1, index: 2 }), null); // past the layer's width
  assert.equal(layerOf(layout, null), null);
  assert.equal(layerOf(null, { layer: 1, index: 0 }), null); // no model yet
});

/** A canvas for Interaction: events are dispatched by hand; picks answer when told to. */
function pickingView() {
  globalThis.document ??= new EventTarget();
  const canvas = Object.assign(new EventTarget(), {
    getBoundingClientRect: () => ({ left: 0, top: 0 }),
    parentElement: { style: {} },
    matches: () => false,
  });
  const picks = []; // {resolve, reject} of each pick asked
  const calls = [];
  const view = {
    canvas,
    pick: () => new Promise((resolve, reject) => picks.push({ resolve, reject })),
    setSelection: (neuron) => calls.push(["setSelection", neuron]),
    setHover: (neuron) => calls.push(["setHover", neuron]),
    setFocus: (neuron) => calls.push(["setFocus", neuron]),
  };
  const fire = (type, fields) => canvas.dispatchEvent(Object.assign(new Event(type), fields));
  return { view, canvas, picks, calls, fire };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("a click answered after a rebuild does not pin a neuron of the older network", async () => {
  const { view, picks, calls, fire } = pickingView();
  const interaction = new Interaction(view, { layers: () => null, onChange: () => {}, onPlace: () => {} });
  fire("pointerdown", { clientX: 5, clientY: 5, pointerId: 1 });
  fire("pointerup", { clientX: 5, clientY: 5, pointerId: 1, button: 0 });
  interaction.reset(); // a smaller network was built while the pick was in flight
  picks[0].resolve({ layer: 3, index: 40 });
  await settle();
  assert.equal(interaction.pinned, null);
  assert.deepEqual(calls, [
    ["setSelection", null],
    ["setHover", null],
  ]);
});

const click = (fire, x) => {
  fire("pointerdown", { clientX: x, clientY: 5, pointerId: 1 });
  fire("pointerup", { clientX: x, clientY: 5, pointerId: 1, button: 0 });
};

test("Esc pressed while a click is being picked opens no card", async () => {
  const { view, picks, fire } = pickingView();
  const interaction = new Interaction(view, { layers: () => null, onChange: () => {}, onPlace: () => {} });
  click(fire, 5);
  document.dispatchEvent(Object.assign(new Event("keydown"), { key: "Escape" }));
  picks[0].resolve({ layer: 3, index: 7 });
  await settle();
  assert.equal(interaction.pinned, null);
});

test("of two quick clicks the later one pins, whichever answer comes first", async () => {
  for (const order of [
    [0, 1],
    [1, 0],
  ]) {
    const { view, picks, fire } = pickingView();
    const interaction = new Interaction(view, { layers: () => null, onChange: () => {}, onPlace: () => {} });
    click(fire, 5);
    click(fire, 50);
    const answers = [
      { layer: 3, index: 7 },
      { layer: 3, index: 2 },
    ];
    for (const i of order) {
      picks[i].resolve(answers[i]);
      await settle();
    }
    assert.deepEqual(interaction.pinned, { layer: 3, index: 2 }, `answers in order ${order}`);
  }
});

test("hover picking goes on after a pick fails", async () => {
  const { view, picks, fire } = pickingView();
  const interaction = new Interaction(view, { layers: () => null, onChange: () => {}, onPlace: () => {} });
  fire("pointermove", { clientX: 1, clientY: 1, buttons: 0, pointerType: "mouse" });
  picks[0].reject(new Error("the render worker failed"));
  await settle();
  fire("pointermove", { clientX: 2, clientY: 2, buttons: 0, pointerType: "mouse" });
  assert.equal(picks.length, 2);
  picks[1].resolve({ layer: 1, index: 0 });
  await settle();
  assert.deepEqual(interaction.hover, { layer: 1, index: 0 });
});

test("the view commands are one list, and each proxy calls through with its arguments", () => {
  const ran = [];
  const commands = viewCommands((method, args) => ran.push([method, ...args]));
  assert.deepEqual(Object.keys(commands), [...VIEW_COMMANDS]);
  commands.setSelection({ layer: 1, index: 2 });
  assert.deepEqual(ran, [["setSelection", { layer: 1, index: 2 }]]);
});

/** A WorkerHost over a scene whose methods throw when told to. */
function workerHost() {
  const posted = [];
  let renders = 0;
  const scene = {
    setSelection: (neuron) => {
      if (neuron.layer > 2) throw new TypeError("no such layer");
    },
    pick: (x) => (x < 0 ? null.layer : { layer: 1, index: 0 }),
    position: () => null,
    requestRender: () => renders++,
  };
  const host = new WorkerHost(scene, new ElementProxy(), (message) => posted.push(message));
  return { host, posted, renders: () => renders };
}

test("a command that throws in the render worker is reported and still counts as seen", () => {
  const { host, posted, renders } = workerHost();
  host.handle({ type: "call", seq: 1, method: "setSelection", args: [{ layer: 1, index: 0 }] });
  host.handle({ type: "call", seq: 2, method: "setSelection", args: [{ layer: 9, index: 0 }] });
  assert.equal(host.seen, 2); // a frame confirms it: sceneStats() can settle
  assert.equal(renders(), 2);
  assert.equal(posted.length, 1);
  assert.equal(posted[0].type, "error");
  assert.match(posted[0].message, /no such layer/);
  host.handle({ type: "call", seq: 3, method: "dispose", args: [] }); // not a view command
  assert.equal(host.seen, 3);
  assert.match(posted[1].message, /not a view command: dispose/);
});

test("a question that throws in the render worker is still answered, with null and the error", () => {
  const { host, posted } = workerHost();
  host.handle({ type: "ask", id: 7, question: "pick", args: [5, 5] });
  host.handle({ type: "ask", id: 8, question: "pick", args: [-1, 5] });
  assert.deepEqual(posted[0], { type: "answer", id: 7, value: { layer: 1, index: 0 }, error: null });
  assert.equal(posted[1].type, "error");
  assert.deepEqual(
    { ...posted[2], error: Boolean(posted[2].error) },
    {
      type: "answer",
      id: 8,
      value: null,
      error: true,
    },
  );
});

test("the page logs render-worker errors and rejects the questions waiting when the worker fails", async () => {
  const posted = [];
  const logged = [];
  const link = new WorkerLink((message) => posted.push(message), {
    onRender: () => {},
    log: (...args) => logged.push(args.join(" ")),
  });
  const answered = link.ask("pick", 1, 2);
  link.receive({ type: "answer", id: posted[0].id, value: null, error: "TypeError" });
  assert.equal(await answered, null);
  link.receive({ type: "error", message: "TypeError: no such layer" });
  assert.match(logged[0], /no such layer/);

  link.command({ type: "call", method: "setHover", args: [null] });
  assert.equal(link.stats().animating, true); // not shown yet
  link.receive({ type: "rendered", seen: 1, outputs: null, stats: { animating: false } });
  assert.equal(link.stats().animating, false);

  const waiting = link.ask("position", { layer: 1, index: 0 });
  link.fail("out of memory");
  await assert.rejects(waiting, /out of memory/);
  assert.match(logged[1], /out of memory/);
});

test("every frame the worker draws is reported, with whether its output neurons moved", () => {
  const reports = [];
  const link = new WorkerLink(() => {}, { onRender: (moved) => reports.push(moved) });
  const outputs = [{ x: 1, y: 2, radius: 3, visible: true }];
  link.receive({ type: "rendered", seen: 0, outputs, stats: {} });
  link.receive({ type: "rendered", seen: 0, outputs: null, stats: {} }); // the labels need a frame too
  assert.deepEqual(reports, [true, false]);
  assert.deepEqual(link.outputs(), outputs); // kept from the frame that moved them
});
