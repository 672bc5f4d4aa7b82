// The page's settings, in one table: each one's URL-hash key, default and validation.
// The store (web/src/store.js) is the only writer of page state; controls, the URL, the bridge
// and the views read these definitions and never validate on their own.

import { BY_WEIGHT, CONNECTION_MODES } from "./constants.js";
import { BRUSH_SIZES } from "./ui/brush.js";

/** Largest number of incoming connections per neuron the scene draws. */
export const MAX_TOP_N = 64;
/** Largest |weight| threshold (fraction of the layer's strongest connection). */
export const MAX_THRESHOLD = 0.9;
/** The page's default model. */
export const DEFAULT_WEIGHTS = "exports/sample_mlp_weights.json";

const integer = (min, max) => (text) => {
  const value = text.trim() === "" ? Number.NaN : Number(text) + 0; // "" is not 0; "-0" is
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
};
const number = (min, max) => (text) => {
  const value = text.trim() === "" ? Number.NaN : Number(text) + 0;
  return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
};
/** An integer setting from `min` to `max`: its bounds (for its control) and its parse. */
const integerRange = (min, max) => ({ min, max, parse: integer(min, max) });
const brushSizes = Object.keys(BRUSH_SIZES).map(Number);
const oneOf = (values) => (text) => (values.includes(text) ? text : undefined);
const flag = (text) => (text === "1" ? true : text === "0" ? false : undefined);
const writeFlag = (value) => (value ? "1" : "0");

/**
 * name → { key: URL-hash key, fallback: default value, parse: URL text → value (undefined when
 * invalid), min/max: an integer setting's bounds (its control's too), write: value → URL text
 * (default String), runtime: true when the page decides the
 * default at run time (the loaded model's preprocessing, the reduced-motion preference),
 * query: a URL query parameter that also sets it (the hash wins), frame: true when a frame is
 * computed under it (a change asks for a new frame; the bridge sends it to the runtime),
 * scene: true when the 3D scene is given it (its `settings`) }.
 * A value equal to its default is left out of the URL.
 */
export const SETTINGS = Object.freeze({
  weightsUrl: { key: "w", query: "weights", fallback: DEFAULT_WEIGHTS, parse: (text) => text || undefined },
  snapshot: { key: "t", fallback: null, parse: integer(0, 10_000) }, // null: the main export
  mnistStyle: { key: "p", fallback: true, parse: flag, write: writeFlag, runtime: true, frame: true },
  brushSize: { key: "b", fallback: 2, ...integerRange(Math.min(...brushSizes), Math.max(...brushSizes)) },
  topN: { key: "n", fallback: 24, ...integerRange(0, MAX_TOP_N), frame: true, scene: true },
  mode: { key: "m", fallback: BY_WEIGHT, parse: oneOf(CONNECTION_MODES), frame: true, scene: true },
  threshold: { key: "h", fallback: 0, parse: number(0, MAX_THRESHOLD), scene: true },
  animate: { key: "a", fallback: true, parse: flag, write: writeFlag, runtime: true, scene: true },
});

/** The names of the settings whose definition has `column` set (e.g. "frame", "scene"). */
export function settingsWith(column, table = SETTINGS) {
  return Object.keys(table).filter((name) => table[name][column]);
}

/** Whether `value` is a valid value of setting `name` (it survives write → parse unchanged). */
export function isValid(name, value, table = SETTINGS) {
  const definition = table[name];
  if (!definition) return false;
  if (value === null) return definition.fallback === null;
  return value !== undefined && definition.parse(textOf(definition, value)) === value;
}

/** The URL text of `value` for setting `name`. */
export function textOf(definition, value) {
  return definition.write ? definition.write(value) : String(value);
}
