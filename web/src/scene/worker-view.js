// The scene rendered in a worker (render-worker.js) on an OffscreenCanvas: this main-thread
// proxy has the same surface as the local view. Commands are posted (fire and forget); picking
// and screen positions are answered asynchronously; the output labels' places and the counters
// arrive with every rendered frame, so reading them never waits.

import { forwardEvents } from "./event-forwarding.js";
import { measure } from "./local-view.js";

/**
 * What the panel drives, wherever the frames are drawn.
 * @typedef {{thread: "worker"|"main", canvas: HTMLCanvasElement,
 *   setModel(summary: object): void, updateModel(summary: object): void,
 *   pushFrame(frame: object): void, setOptions(options: object): void,
 *   replaceConnections(connections: object[], mode: string): void,
 *   setSelection(neuron: object|null): void, setFocus(neuron: object|null): void,
 *   setHover(neuron: object|null): void, resetView(): void,
 *   pick(x: number, y: number): Promise<{layer: number, index: number}|null>,
 *   position(neuron: object): Promise<{x: number, y: number, visible: boolean, radius: number}|null>,
 *   outputs(): object[], stats(): object, size(): {width: number, height: number}}} SceneView
 */

/** Can this browser hand a canvas to a worker? (WebGL in workers is only known by trying.) */
export function canRenderInWorker() {
  return (
    typeof Worker === "function" &&
    typeof OffscreenCanvas === "function" &&
    typeof HTMLCanvasElement.prototype.transferControlToOffscreen === "function"
  );
}

/**
 * Start the render worker on a new canvas in `host`; rejects (and leaves `host` as it was)
 * when the worker cannot render, so the caller can fall back to the main thread.
 * @param {HTMLElement} host
 * @param {{software: boolean, onRender: () => void}} options
 * @returns {Promise<SceneView>}
 */
export async function createWorkerView(host, { software, onRender }) {
  const canvas = document.createElement("canvas");
  host.append(canvas);
  const worker = new Worker(new URL("./render-worker.js", import.meta.url), { type: "module" });
  try {
    const offscreen = canvas.transferControlToOffscreen();
    await started(worker, offscreen, measure(host), software);
  } catch (error) {
    worker.terminate();
    canvas.remove();
    throw error;
  }

  let sent = 0; // commands posted; a rendered frame says up to which one it shows
  let latest = {
    seen: 0,
    outputs: [],
    stats: { webgl: true, ready: false, drawCalls: 0, connections: 0, neurons: 0 },
  };
  let size = measure(host);
  const questions = new Map(); // id → resolve
  let nextId = 0;
  worker.onmessage = ({ data }) => {
    if (data.type === "rendered") {
      const moved = data.outputs !== null;
      const stats = { ...latest.stats, ...data.stats }; // keeps the update times when none came
      latest = { ...data, stats, outputs: moved ? data.outputs : latest.outputs };
      if (moved) onRender(); // the labels follow the output neurons
    } else if (data.type === "answer") {
      questions.get(data.id)?.(data.value);
      questions.delete(data.id);
    }
  };
  const post = (message) => worker.postMessage(message);
  const call =
    (method) =>
    (...args) =>
      post({ type: "call", seq: ++sent, method, args });
  const ask = (question, ...args) =>
    new Promise((resolve) => {
      const id = nextId++;
      questions.set(id, resolve);
      post({ type: "ask", id, question, args });
    });
  forwardEvents(canvas, (fields, target) => post({ type: "event", seq: ++sent, fields, target }));
  new ResizeObserver(() => {
    size = measure(host);
    post({ type: "resize", seq: ++sent, size });
  }).observe(host);

  return {
    thread: "worker",
    canvas,
    setModel: call("setModel"),
    updateModel: call("updateModel"),
    pushFrame: call("pushFrame"),
    setOptions: call("setOptions"),
    replaceConnections: call("replaceConnections"),
    setSelection: call("setSelection"),
    setFocus: call("setFocus"),
    setHover: call("setHover"),
    resetView: call("resetView"),
    pick: (x, y) => ask("pick", x, y),
    position: (neuron) => ask("position", neuron),
    outputs: () => latest.outputs,
    // "animating" until a frame shows every command sent: tests wait for settled frames
    stats: () => ({ ...latest.stats, animating: latest.stats.animating || latest.seen < sent }),
    size: () => ({ width: Math.max(1, size.width), height: Math.max(1, size.height) }),
  };
}

/** Send the canvas; resolves when the worker renders, rejects when it cannot. */
function started(worker, offscreen, size, software) {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.type === "ready") resolve();
      else if (data.type === "failed") reject(new Error(data.message));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message || "the render worker did not start"));
    };
    worker.postMessage({ type: "init", canvas: offscreen, size, software }, [offscreen]);
  });
}
