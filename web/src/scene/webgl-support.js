// Can this browser draw WebGL? Checked without three, so a browser without WebGL never
// downloads or runs the 3D code.

import { SCENE_TEXT as T } from "../ui/strings.js";

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|software|softpipe/i;

/**
 * @returns {{ok: boolean, reason: string, software: boolean}} `software` is true for a CPU
 *   rasteriser (SwiftShader, llvmpipe), where multisampling costs whole frames
 */
export function webglSupport() {
  try {
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("webgl2"); // three draws with WebGL 2 only
    if (!context) return { ok: false, reason: T.noWebGL2, software: false };
    const info = context.getExtension("WEBGL_debug_renderer_info");
    const renderer = info ? context.getParameter(info.UNMASKED_RENDERER_WEBGL) : "";
    context.getExtension("WEBGL_lose_context")?.loseContext(); // free the probe's context
    return { ok: true, reason: "", software: SOFTWARE_RENDERERS.test(String(renderer)) };
  } catch (error) {
    return { ok: false, reason: String(error?.message ?? error), software: false };
  }
}
