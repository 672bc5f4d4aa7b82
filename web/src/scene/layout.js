// Where every neuron goes, computed from the export's metadata only (any architecture).
// Layers run along +x (input first); each layer is a grid in the y–z plane, facing −x.
// The input layer is the image plane (one cell per pixel); outputs form one labelled column.

import { SCENE_TEXT as T } from "../ui/strings.js";

const CELL = 1; // input cell size
const NEURON_SPACING = 1.7;
const OUTPUT_SPACING = 3.2;
const LAYER_GAP = 20;
const MAX_OUTPUT_COLUMN = 16; // up to this many outputs stand in one column
export const NEURON_RADIUS = 0.55;
export const OUTPUT_SCALE = 1.7; // output neurons are drawn larger

/**
 * @typedef {{index: number, width: number, kind: "input"|"hidden"|"output",
 *   x: number, rows: number, cols: number, positions: Float32Array,
 *   name: string, activation: string}} LayerLayout
 * @param {{architecture: number[], image_shape?: number[], layer_names?: string[],
 *   activations?: string[]}} summary the model summary the runtime publishes
 * @returns {{layers: LayerLayout[], center: number[], radius: number, size: number[],
 *   min: number[], max: number[]}}
 */
export function computeLayout(summary) {
  const architecture = summary.architecture;
  const last = architecture.length - 1;
  const layers = architecture.map((width, index) => {
    const kind = index === 0 ? "input" : index === last ? "output" : "hidden";
    const x = index * LAYER_GAP;
    const grid = gridFor(kind, width, summary.image_shape);
    return {
      index,
      width,
      kind,
      x,
      ...grid,
      positions: gridPositions(width, grid, x),
      name: index === 0 ? T.inputLayerName : (summary.layer_names?.[index - 1] ?? T.defaultLayerName(index)),
      activation: index === 0 ? T.inputLayerActivation : (summary.activations?.[index - 1] ?? "linear"),
    };
  });
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const layer of layers) {
    const p = layer.positions;
    for (let i = 0; i < p.length; i += 3) {
      for (let axis = 0; axis < 3; axis++) {
        min[axis] = Math.min(min[axis], p[i + axis]);
        max[axis] = Math.max(max[axis], p[i + axis]);
      }
    }
  }
  const center = min.map((value, axis) => (value + max[axis]) / 2);
  const size = min.map((value, axis) => max[axis] - value + 2);
  const radius = Math.hypot(...size) / 2;
  return { layers, center, radius, size, min, max };
}

/** Rows, columns and spacing of a layer's grid. */
function gridFor(kind, width, imageShape) {
  if (kind === "input") {
    const [rows, cols] =
      imageShape?.length === 2 && imageShape[0] * imageShape[1] === width ? imageShape : squareish(width);
    return { rows, cols, spacing: CELL };
  }
  if (kind === "output" && width <= MAX_OUTPUT_COLUMN) {
    return { rows: width, cols: 1, spacing: OUTPUT_SPACING };
  }
  const [rows, cols] = squareish(width);
  return { rows, cols, spacing: NEURON_SPACING };
}

function squareish(width) {
  const cols = Math.max(1, Math.ceil(Math.sqrt(width)));
  return [Math.ceil(width / cols), cols];
}

/** Neuron i sits at row ⌊i / cols⌋, column i mod cols: rows go down (−y), columns along +z. */
function gridPositions(width, { rows, cols, spacing }, x) {
  const positions = new Float32Array(width * 3);
  for (let i = 0; i < width; i++) {
    const row = Math.floor(i / cols);
    const col = i % cols;
    positions[3 * i] = x;
    positions[3 * i + 1] = ((rows - 1) / 2 - row) * spacing;
    positions[3 * i + 2] = (col - (cols - 1) / 2) * spacing;
  }
  return positions;
}

/** True when two model summaries lay out identically (same architecture, image and labels). */
export function sameShape(a, b) {
  const same = (x = [], y = []) => x.length === y.length && x.every((value, i) => value === y[i]);
  return (
    same(a.architecture, b.architecture) && same(a.labels, b.labels) && same(a.image_shape, b.image_shape)
  );
}

/**
 * The layer of `layout` that holds `neuron` {layer, index}, or null when it has no such
 * neuron (one from another network, asked about after a rebuild).
 * @returns {LayerLayout|null}
 */
export function layerOf(layout, neuron) {
  const layer = layout?.layers[neuron?.layer];
  return layer && Number.isInteger(neuron.index) && neuron.index >= 0 && neuron.index < layer.width
    ? layer
    : null;
}
