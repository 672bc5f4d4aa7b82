// The message protocol between the page and the runtime worker (docs/protocol.md).
//
// Page → worker requests carry an `id`; the worker answers each with a response of the same id:
//   { id, type: "response", ok: true, value } or { id, type: "response", ok: false, error }.
// The worker also sends unsolicited events: { type: "stage", stage, state, detail }
// while booting, and { type: "fatal", error } when the runtime cannot boot at all.
// Most requests are CALLs of py_runtime.worker_api's requests (REQUEST.CALL, by name); their
// arguments and answers cross into Python as JSON text plus typed-array buffers (pack/unpack).

import { BUFFER_DTYPES, BUFFER_KEY } from "./constants.js";

export const REQUEST = Object.freeze({
  INIT: "init", // { weightsUrl, fallbackUrl } → { summary, layers, warning } (starts the boot)
  LOAD_WEIGHTS: "loadWeights", // { url } → { summary, layers }
  TIMINGS: "timings", // {} → { boot stage timings in ms }
  CALL: "call", // { name, args } → the answer of py_runtime.worker_api.REQUESTS[name]
  LEARN: "learn", // { op: LEARN.*, ... } → web/src/worker/learning.js (training in slices)
});

/** Operations of a REQUEST.LEARN request (py_runtime/learning.py answers them). */
export const LEARN = Object.freeze({
  DATA: "data", // { dataset, trainUrl, heldOutUrl } → { dataset, train, held_out }
  TRAIN: "train", // { options } → the last progress (LEARN events while it runs)
  FINE_TUNE: "fineTune", // { pixels: Float32Array, labels, options } → progress with before/after
  PAUSE: "pause", // → whether a session was paused
  RESUME: "resume",
  STOP: "stop", // → the progress (the running TRAIN/FINE_TUNE request resolves too)
  RESET: "reset", // → { status, model: { summary, layers } } of the loaded model, current again
  MODEL: "model", // → { summary, layers } of the current model (its weights change while training)
  EXPORT: "export", // { source } → the current model as export JSON text
  STATUS: "status", // → { dataset, has_data, session, changed, progress, running, paused }
});

/** The requests py_runtime.worker_api serves (REQUEST.CALL's `name`). */
export const CALL = Object.freeze({
  PREDICT: "predict", // { pixels, mnist_style, top_n, mode } → a frame (see docs/protocol.md)
  BENCH_FORWARD: "bench_forward", // { pixels, repeats, mnist_style } → { medianMs, minMs, maxMs }
  SAMPLES: "samples", // { data: Uint8Array } → { rows, cols, labels, images } (sample digits asset)
  LOAD: "load", // { data: u8 } → { summary, layers } (an export read in the page: the file picker)
});

export const EVENT = Object.freeze({
  RESPONSE: "response",
  STAGE: "stage",
  FATAL: "fatal",
  LEARN: "learn", // { progress, model? } while training (model: { summary, layers } when it starts)
});

export const STAGES = Object.freeze(["runtime", "numpy", "weights"]);

/** The dtype name of typed array `item` (Float32Array → "float32"), if it may cross to Python. */
function dtypeOf(item) {
  const name = item.constructor.name.replace(/Array$/, "").toLowerCase();
  return BUFFER_DTYPES.includes(name) ? name : undefined;
}

/**
 * Encode `value` for Python: `[json, buffers]`, each typed array replaced in the JSON by
 * `{[BUFFER_KEY]: i, dtype: one of BUFFER_DTYPES}` (constants.js, generated from
 * py_runtime/constants.py; py_runtime.worker_glue.unpack reads them).
 */
export function pack(value) {
  const buffers = [];
  const json = JSON.stringify(value, (_key, item) => {
    if (ArrayBuffer.isView(item)) {
      const dtype = dtypeOf(item);
      if (!dtype) throw new TypeError(`cannot send a ${item.constructor.name} to Python`);
      buffers.push(item);
      return { [BUFFER_KEY]: buffers.length - 1, dtype };
    }
    return item;
  });
  return [json, buffers];
}

const TYPED_ARRAYS = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array };

/**
 * Decode Python's answer: `json` with placeholders filled from `buffers`. A placeholder is a
 * whole buffer, `{[BUFFER_KEY]: i}`, or a view of one, `{[BUFFER_KEY]: i, dtype, offset, length}`
 * (offset in bytes, length in items): py_runtime.worker_glue.pack puts every array of an
 * answer in one buffer.
 */
export function unpack(json, buffers) {
  return JSON.parse(json, (_key, item) => {
    if (item && typeof item === "object" && !Array.isArray(item) && BUFFER_KEY in item) {
      const buffer = buffers[item[BUFFER_KEY]];
      if (!buffer) throw new RangeError(`the answer names buffer ${item[BUFFER_KEY]} of ${buffers.length}`);
      if (item.offset === undefined) return buffer;
      const TypedArray = TYPED_ARRAYS[item.dtype];
      if (!TypedArray) throw new TypeError(`the answer names an unknown dtype ${item.dtype}`);
      // Out of range or misaligned views throw a RangeError here.
      return new TypedArray(buffer.buffer, buffer.byteOffset + item.offset, item.length);
    }
    return item;
  });
}
