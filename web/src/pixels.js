// Checking pixels handed to the page from outside (the automation API, links): a clear error
// instead of a silently changed drawing.
// py_runtime.worker_api checks the pixels again: this check runs before the drawing changes
// (bad input loses nothing), Python's guards the runtime against any caller (bench, tests,
// other pages), since it cannot trust what crosses the worker boundary.

/**
 * Return `values` as a new Float32Array of `length` pixels, or throw an Error that says what is
 * wrong: not an array, the wrong length, or a value that is not a number in [0, 1].
 */
export function checkPixels(values, length) {
  const isArray = Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!isArray) {
    throw new TypeError(`pixels must be an array of ${length} numbers in [0, 1], got ${describe(values)}`);
  }
  if (values.length !== length) {
    throw new RangeError(`pixels must be ${length} numbers in [0, 1], got ${values.length}`);
  }
  const pixels = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new RangeError(`pixel ${i} must be a number in [0, 1], got ${describe(value)}`);
    }
    pixels[i] = value;
  }
  return pixels;
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 20))}`;
  return typeof value === "object" ? `a ${value.constructor?.name ?? "object"}` : typeof value;
}
