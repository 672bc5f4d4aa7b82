// The commands the panel sends to its view, wherever the view draws (worker-view.js posts them,
// render-worker.js and local-view.js run them on a NetworkScene). One list, so the three agree.

/** The NetworkScene methods the panel may call (fire and forget; nothing else runs on its say). */
export const VIEW_COMMANDS = Object.freeze([
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

/**
 * One function per view command, each handing its name and arguments to `run`.
 * @param {(method: string, args: unknown[]) => void} run
 * @returns {Record<string, (...args: unknown[]) => void>}
 */
export function viewCommands(run) {
  return Object.fromEntries(VIEW_COMMANDS.map((method) => [method, (...args) => run(method, args)]));
}
