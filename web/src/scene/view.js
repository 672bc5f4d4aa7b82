// Where the scene draws: in its own worker (worker-view.js) where the browser can hand a canvas
// to a worker and render WebGL there, else on the main thread (local-view.js), as before.

import { createLocalView } from "./local-view.js";
import { canRenderInWorker, createWorkerView } from "./worker-view.js";

/**
 * @param {HTMLElement} host the element the canvas fills
 * @param {{software: boolean, onRender: (moved: boolean) => void}} options
 * @returns {Promise<import("./worker-view.js").SceneView>}
 */
export async function createView(host, options) {
  if (canRenderInWorker()) {
    try {
      return await createWorkerView(host, options);
    } catch {
      // no WebGL in workers here: draw on the main thread
    }
  }
  return createLocalView(host, options);
}
