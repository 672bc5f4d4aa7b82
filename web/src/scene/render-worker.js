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
// shows; `outputs`: null when the output neurons did not move), {type: "answer", id, value,
// error} (`value` null and `error` the message when answering threw), {type: "error", message}
// (a message threw; worker-host.js handles the messages).

import { ElementProxy } from "./element-proxy.js";
import { NetworkScene } from "./network-scene.js";
import { WorkerHost } from "./worker-host.js";

let host = null; // a WorkerHost once the scene renders
const element = new ElementProxy();

self.onmessage = ({ data }) => {
  if (data.type === "init") init(data);
  else host?.handle(data);
};

function init({ canvas, size, software }) {
  try {
    element.setRect({ left: 0, top: 0, width: size.width, height: size.height });
    const scene = new NetworkScene({ canvas, controlsElement: element, size, software, onRender: posted });
    host = new WorkerHost(scene, element, (message) => self.postMessage(message));
    self.postMessage({ type: "ready" });
  } catch (error) {
    host = null;
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
  self.postMessage({ type: "rendered", seen: host?.seen ?? 0, outputs: moved ? outputs : null, stats });
}
