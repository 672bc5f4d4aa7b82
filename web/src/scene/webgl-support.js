// Can this browser draw WebGL? Checked without three, so a browser without WebGL never
// downloads or runs the 3D code.

/** @returns {{ok: boolean, reason: string}} */
export function webglSupport() {
  try {
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("webgl2"); // three draws with WebGL 2 only
    if (!context) return { ok: false, reason: "No WebGL 2 context could be created." };
    context.getExtension("WEBGL_lose_context")?.loseContext(); // free the probe's context
    return { ok: true, reason: "" };
  } catch (error) {
    return { ok: false, reason: String(error?.message ?? error) };
  }
}
