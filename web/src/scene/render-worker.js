// The render worker: runs the 3D scene (network-scene.js, Three.js) on an OffscreenCanvas, so
// that its frames never hold the page's main thread. It obeys the view commands worker-view.js
// posts, replays the forwarded camera gestures, answers picking and screen positions, and
// after each rendered frame posts what the page shows beside the canvas (the output labels'
// places) and the counters behind `sceneStats()`.
//
// Messages in: {type: "init", canvas, size, software} first, then {type: "call", seq, method,
// args} (a NetworkScene method), {type: "resize", seq, size}, {type: "event", seq, fields, target},
// {type: "ask", id, question, args}. Out: {type: "ready"}, {type: "failed", message},
// {type: "rendered", seen, outputs, stats} (`seen`: the seq of the latest command this frame
// shows; `outputs`: null when the output neurons did not move), {type: "answer", id, value}.

import { ElementProxy } from "./element-proxy.js";
import { NetworkScene } from "./network-scene.js";

/** The NetworkScene methods the page may call (nothing else runs on its say). */
const CALLS = new Set([
  "setModel",
  "updateModel",
  "pushFrame",
  "setOptions",
  "replaceConnections",
  "setSelection",
  "setFocus",
  "setHover",
  "resetView",
]);

let scene = null;
let seen = 0; // the latest command (call, resize or event) applied: each frame reports it
const element = new ElementProxy();

/** Questions with an answer: picking and screen positions. */
const QUESTIONS = {
  pick: (x, y) => scene.pick(x, y),
  position: (neuron) => (scene.layout ? (scene.screenPositions(neuron.layer)[neuron.index] ?? null) : null),
};

self.onmessage = ({ data }) => {
  if (data.type === "init") {
    init(data);
    return;
  }
  if (!scene) return;
  switch (data.type) {
    case "call":
      if (CALLS.has(data.method)) scene[data.method](...data.args);
      seen = data.seq;
      scene.requestRender(); // a frame confirms it, even when nothing changed
      break;
    case "event":
      element.replay(data.fields, data.target);
      seen = data.seq;
      scene.requestRender(); // a frame confirms it (and shows the camera's move)
      break;
    case "resize":
      element.setRect({ ...element.rect, width: data.size.width, height: data.size.height });
      scene.resize(data.size);
      seen = data.seq;
      break;
    case "ask":
      self.postMessage({ type: "answer", id: data.id, value: QUESTIONS[data.question](...data.args) });
      break;
  }
};

function init({ canvas, size, software }) {
  try {
    element.setRect({ left: 0, top: 0, width: size.width, height: size.height });
    scene = new NetworkScene({ canvas, controlsElement: element, size, software, onRender: posted });
    self.postMessage({ type: "ready" });
  } catch (error) {
    scene = null;
    self.postMessage({ type: "failed", message: String(error?.message ?? error) });
  }
}

let lastOutputs = "";
let lastUpdates = -1;

/** After each frame: the counters (the update times only when there are new ones), and the
 * output neurons' places when they moved. */
function posted(rendered) {
  const outputs = rendered.outputPositions();
  const key = JSON.stringify(outputs);
  const moved = key !== lastOutputs;
  lastOutputs = key;
  const stats = rendered.stats();
  if (stats.updates === lastUpdates) delete stats.updateMs;
  lastUpdates = stats.updates;
  self.postMessage({ type: "rendered", seen, outputs: moved ? outputs : null, stats });
}
