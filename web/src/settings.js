// The page's settings, in one table: each one's URL-hash key, default and validation.
// The store (web/src/store.js) is the only writer of page state; controls, the URL, the bridge
// and the views read these definitions and never validate on their own.

/** Largest number of incoming connections per neuron the scene draws. */
export const MAX_TOP_N = 64;
/** Largest |weight| threshold (fraction of the layer's strongest connection). */
export const MAX_THRESHOLD = 0.9;

const integer = (min, max) => (text) => {
  const value = text.trim() === "" ? Number.NaN : Number(text) + 0; // "" is not 0; "-0" is
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
};
const number = (min, max) => (text) => {
  const value = text.trim() === "" ? Number.NaN : Number(text) + 0;
  return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
};
const oneOf =
  (...values) =>
  (text) =>
    values.includes(text) ? text : undefined;
const flag = (text) => (text === "1" ? true : text === "0" ? false : undefined);
const writeFlag = (value) => (value ? "1" : "0");

/**
 * name → { key: URL-hash key, fallback: default value (null: decided at run time, e.g. by the
 * loaded model), parse: URL text → value or undefined when invalid, write: value → URL text }.
 * A value equal to the default is left out of the URL.
 */
export const SETTINGS = Object.freeze({
  weightsUrl: { key: "w", fallback: "exports/sample_mlp_weights.json", parse: (t) => t || undefined },
  snapshot: { key: "t", fallback: null, parse: integer(0, 10_000) },
  mnistStyle: { key: "p", fallback: null, parse: flag, write: writeFlag }, // null: the model's default
  brushSize: { key: "b", fallback: 2, parse: integer(1, 3) },
  topN: { key: "n", fallback: 24, parse: integer(0, MAX_TOP_N) },
  mode: { key: "m", fallback: "weight", parse: oneOf("weight", "contribution") },
  threshold: { key: "h", fallback: 0, parse: number(0, MAX_THRESHOLD) },
  animate: { key: "a", fallback: null, parse: flag, write: writeFlag }, // null: !prefers-reduced-motion
});
