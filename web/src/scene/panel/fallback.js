// What the scene panel shows when WebGL is blocked or unsupported.

import { el } from "./dom.js";

/** Replace the viewport's content with a clear message; drawing and predictions go on. */
export function showNoWebGL(viewport, reason) {
  viewport.replaceChildren(
    el("div", { class: "scene-fallback", "data-testid": "scene-fallback", role: "note" }, [
      el("strong", { text: "The 3D view needs WebGL, which this browser has turned off or lacks." }),
      el("p", {
        text: "Drawing and the predictions still work. To see the network in 3D, enable WebGL "
          + "(hardware acceleration) in the browser settings or try another browser.",
      }),
      reason ? el("p", { class: "scene-fallback-reason", text: reason }) : "",
    ]),
  );
}
