// The scene's counters for `window.mlpvis.sceneStats()` (tests and benchmarks): the view's
// own (frames, draw calls, connections…), where it renders, the settings it shows, and the
// output neurons' places in page coordinates (to click them).

const NOT_READY = { ready: false, drawCalls: 0, connections: 0, neurons: 0 };

/**
 * @param {import("./worker-view.js").SceneView|null} view null until it started
 * @param {{webgl: boolean, settings: object}} context `webgl`: false when there is none
 */
export function sceneStats(view, { webgl, settings }) {
  if (!view) return { webgl, thread: null, ...NOT_READY };
  const rect = view.canvas.getBoundingClientRect();
  return {
    ...view.stats(),
    thread: view.thread, // "worker" (OffscreenCanvas) or "main" (the fallback)
    settings: { ...settings },
    outputs: view.outputs().map((p) => ({ x: rect.left + p.x, y: rect.top + p.y, visible: p.visible })),
  };
}
