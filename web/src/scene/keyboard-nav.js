// The keyboard cursor over the neurons (pure): Left/Right step within a layer, Up/Down move a
// row of its grid (one neuron in the output column), Page Up/Page Down change layer, Home/End
// go to a layer's first and last neuron. The input layer's cells are not neurons: layers 1…L.

/** The cursor's starting place: the first hidden neuron. */
export function firstNeuron() {
  return { layer: 1, index: 0 };
}

/**
 * Where `key` moves the cursor, or null when the key is not a navigation key.
 * @param {{layer: number, index: number}} cursor
 * @param {string} key a KeyboardEvent.key
 * @param {{width: number, cols: number}[]} layers the layout's layers (0 is the input)
 * @returns {{layer: number, index: number}|null}
 */
export function stepCursor(cursor, key, layers) {
  const last = layers.length - 1;
  const layer = Math.min(Math.max(cursor.layer, 1), last);
  const { width, cols } = layers[layer];
  const clampIndex = (index, w = width) => Math.min(Math.max(index, 0), w - 1);
  const at = (index) => ({ layer, index: clampIndex(index) });
  switch (key) {
    case "ArrowLeft":
      return at(cursor.index - 1);
    case "ArrowRight":
      return at(cursor.index + 1);
    case "ArrowUp":
      return at(cursor.index - Math.max(1, cols));
    case "ArrowDown":
      return at(cursor.index + Math.max(1, cols));
    case "Home":
      return at(0);
    case "End":
      return at(width - 1);
    case "PageUp":
    case "PageDown": {
      const next = Math.min(Math.max(layer + (key === "PageDown" ? 1 : -1), 1), last);
      // keep the same relative place in the new layer
      const share = width > 1 ? cursor.index / (width - 1) : 0;
      const w = layers[next].width;
      return { layer: next, index: clampIndex(Math.round(share * (w - 1)), w) };
    }
    default:
      return null;
  }
}
