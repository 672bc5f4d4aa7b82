// The scene rendered in a worker (render-worker.js) on an OffscreenCanvas: this main-thread
// proxy has the same surface as the local view. Commands are posted (fire and forget); picking
// and screen positions are answered asynchronously; the output labels' places and the counters
// arrive with every rendered frame, so reading them never waits (worker-link.js keeps them).
// After start-up, an error in the worker is logged to the page's console and fails the
// questions still waiting (they resolve null when only answering them threw).

import { forwardEvents } from "./event-forwarding.js";
import { measure } from "./local-view.js";
import { viewCommands } from "./view-commands.js";
import { WorkerLink } from "./worker-link.js";

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
 * @param {{software: boolean, onRender: (moved: boolean) => void}} options
 * @returns {Promise<SceneView>}
 */
export async function createWorkerView(host, { software, onRender }) {
  const canvas = document.createElement("canvas");
  host.append(canvas);
  // Relative to the page, not to this module: the site serves this code bundled into
  // src/main.js (deploy/bundle.py), the render worker as src/scene/render-worker.js.
  const worker = new Worker(new URL("src/scene/render-worker.js", document.baseURI), { type: "module" });
  try {
    const offscreen = canvas.transferControlToOffscreen();
    await started(worker, offscreen, measure(host), software);
  } catch (error) {
    worker.terminate();
    canvas.remove();
    throw error;
  }

  const link = new WorkerLink((message) => worker.postMessage(message), { onRender });
  worker.onmessage = ({ data }) => link.receive(data);
  worker.onerror = (event) => {
    event.preventDefault(); // logged by the link, once
    link.fail(event.message || "an error without a message");
  };
  let size = measure(host);
  forwardEvents(canvas, (fields, target) => link.command({ type: "event", fields, target }));
  new ResizeObserver(() => {
    size = measure(host);
    link.command({ type: "resize", size });
  }).observe(host);

  return {
    thread: "worker",
    canvas,
    ...viewCommands((method, args) => link.command({ type: "call", method, args })),
    pick: (x, y) => link.ask("pick", x, y),
    position: (neuron) => link.ask("position", neuron),
    outputs: () => link.outputs(),
    stats: () => link.stats(),
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
