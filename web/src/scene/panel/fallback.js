// What the scene panel shows when WebGL is blocked or unsupported.

import { SCENE_TEXT as T } from "../../ui/strings.js";
import { el } from "./dom.js";

/** Replace the viewport's content with a clear message; drawing and predictions go on. */
export function showNoWebGL(viewport, reason) {
  viewport.replaceChildren(
    el("div", { class: "scene-fallback", "data-testid": "scene-fallback", role: "note" }, [
      el("strong", { text: T.fallbackTitle }),
      el("p", { text: T.fallbackText }),
      reason ? el("p", { class: "scene-fallback-reason", text: reason }) : "",
    ]),
  );
}
