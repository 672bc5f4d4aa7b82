// The message protocol between the page and the runtime worker: the only module both share.
//
// Page → worker requests carry an `id`; the worker answers each with a response of the same id:
//   { id, type: "response", ok: true, value } or { id, type: "response", ok: false, error }.
// The worker also sends unsolicited events: { type: "stage", stage, state, detail }
// while booting, and { type: "fatal", error } when the runtime cannot boot at all.

export const REQUEST = Object.freeze({
  INIT: "init", // { weightsUrl, fallbackUrl } → model summary (starts the boot)
  PREDICT: "predict", // { pixels: Float32Array } → Float32Array (see splitPrediction)
  LOAD_WEIGHTS: "loadWeights", // { url } → model summary
  CONNECTIONS: "connections", // { n, mode } → Float32Array (see splitConnections)
  LAYER: "layer", // { layer } → { weight: Float32Array, bias: Float32Array }
  TIMINGS: "timings", // {} → { boot stage timings in ms }
  BENCH_FORWARD: "benchForward", // { repeats } → { medianMs, minMs, maxMs } of the forward pass
  LOAD_TEXT: "loadText", // { text, name } → model summary (an export read in the page)
  LEARN: "learn", // { op: LEARN.*, ... } → see web/src/worker/learning.js
});

/** Operations of a REQUEST.LEARN request (served by py_runtime/learning.py). */
export const LEARN = Object.freeze({
  DATA: "data", // { dataset, trainUrl, heldOutUrl } → { dataset, train, held_out }
  TRAIN: "train", // { options } → final progress (progress events while it runs)
  FINE_TUNE: "fineTune", // { pixels: Float32Array, labels, options } → progress with before/after
  PAUSE: "pause",
  RESUME: "resume",
  STOP: "stop", // → progress (the running request resolves too)
  RESET: "reset", // → { summary, ... } of the loaded model, current again
  EXPORT: "export", // { source } → export JSON text
  STATUS: "status",
});

export const EVENT = Object.freeze({
  RESPONSE: "response",
  STAGE: "stage",
  FATAL: "fatal",
  LEARN: "learn", // { progress } while training, { summary } when the model's shape is new
});

export const STAGES = Object.freeze(["runtime", "numpy", "weights"]);

/**
 * Split the worker's flat prediction buffer:
 * [blank, probabilities[out], then for each layer: preActivations[w], activations[w],
 *  then the network's input pixels[in] (after MNIST-style preprocessing when it is on)].
 */
export function splitPrediction(flat, architecture) {
  const out = architecture[architecture.length - 1];
  const blank = flat[0] > 0.5;
  const probabilities = flat.subarray(1, 1 + out);
  const preActivations = [];
  const activations = [];
  let offset = 1 + out;
  for (const width of architecture.slice(1)) {
    preActivations.push(flat.subarray(offset, offset + width));
    activations.push(flat.subarray(offset + width, offset + 2 * width));
    offset += 2 * width;
  }
  const input = flat.subarray(offset, offset + architecture[0]);
  return { blank, probabilities, preActivations, activations, input };
}

/**
 * Split the worker's flat connections buffer: for each weight layer, `indices` then signed
 * `values`, each [out, k] row-major with k = min(n, in).
 */
export function splitConnections(flat, architecture, n) {
  const layers = [];
  let offset = 0;
  for (let i = 0; i + 1 < architecture.length; i++) {
    const inWidth = architecture[i];
    const outWidth = architecture[i + 1];
    const k = Math.max(0, Math.min(n, inWidth));
    const size = outWidth * k;
    layers.push({
      k,
      indices: flat.subarray(offset, offset + size),
      values: flat.subarray(offset + size, offset + 2 * size),
    });
    offset += 2 * size;
  }
  return layers;
}
