// The scene rendered on the main thread: today's path where a worker cannot render (no
// OffscreenCanvas, or no WebGL in workers). Same surface as worker-view.js, so the panel does
// not care where the frames are drawn.

import { viewCommands } from "./view-commands.js";

/** The size the drawing buffer follows: the host's CSS size and the screen's pixel ratio. */
export function measure(host) {
  return { width: host.clientWidth, height: host.clientHeight, pixelRatio: window.devicePixelRatio || 1 };
}

/**
 * Build the scene into `host` on this thread (loads three).
 * @param {HTMLElement} host
 * @param {{software: boolean, onRender: (moved: boolean) => void}} options
 * @returns {Promise<import("./worker-view.js").SceneView>}
 */
export async function createLocalView(host, { software, onRender }) {
  const { NetworkScene } = await import("./network-scene.js");
  const canvas = document.createElement("canvas");
  host.append(canvas);
  const scene = new NetworkScene({
    canvas,
    controlsElement: canvas,
    size: measure(host),
    software,
    onRender: () => onRender(true), // (the places are measured on the same thread: always fresh)
  });
  new ResizeObserver(() => scene.resize(measure(host))).observe(host);
  return {
    thread: "main",
    canvas,
    ...viewCommands((method, args) => scene[method](...args)),
    pick: async (x, y) => scene.pick(x, y),
    position: async (neuron) => scene.position(neuron),
    outputs: () => scene.outputPositions(),
    stats: () => scene.stats(),
    size: () => scene.size,
  };
}
