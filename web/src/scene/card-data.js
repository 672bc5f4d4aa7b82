// What the inspection card says about one neuron: its activation, weighted sum, bias and
// strongest contributors, from the latest frame and the model's weights. Pure data, no DOM
// (panel/card.js draws it).

import { SCENE_TEXT as T } from "../ui/strings.js";

const TOP_CONTRIBUTORS = 6;

/**
 * @param {object} args
 * @param {object} args.summary the model summary (labels, architecture)
 * @param {import("./layout.js").LayerLayout[]} args.layers the layout's layers
 * @param {{layer: number, index: number}} args.neuron layer ≥ 1
 * @param {object|null} args.frame the latest frame (activations, input…; see index.js)
 * @param {{weight: Float32Array, bias: Float32Array}|null} args.weights the layer's tensors
 */
export function describeNeuron({ summary, layers, neuron, frame, weights }) {
  const result = frame;
  const layer = layers[neuron.layer];
  const source = layers[neuron.layer - 1];
  const isOutput = layer.kind === "output";
  const label = isOutput ? summary.labels[neuron.index] : null;
  const step = neuron.layer - 1;
  const description = {
    ...neuron,
    kind: layer.kind,
    label,
    title: isOutput ? T.cardOutputTitle(label) : T.cardHiddenTitle(neuron.layer, neuron.index),
    subtitle: T.cardSubtitle(layer.name, layer.activation, source.width),
    activation: result ? result.activations[step][neuron.index] : null,
    preActivation: result ? result.preActivations[step][neuron.index] : null,
    probability: isOutput && result && !result.blank ? result.probabilities[neuron.index] : null,
    bias: weights ? weights.bias[neuron.index] : null,
    contributors: [],
    weightImage: null,
  };
  if (!weights) return description;
  const inWidth = source.width;
  const row = weights.weight.subarray(neuron.index * inWidth, (neuron.index + 1) * inWidth);
  if (source.kind === "input") {
    description.weightImage = { values: row, rows: source.rows, cols: source.cols };
  }
  const inputs = layerInputs(source, step, frame);
  if (inputs) description.contributors = strongest(row, inputs, source);
  return description;
}

/** The inputs the neuron actually sees: the normalised input (the runtime's), or the
 * previous layer's activations. */
function layerInputs(source, step, frame) {
  if (!frame) return null;
  return source.kind === "input" ? (frame.normalizedInput ?? null) : frame.activations[step - 1];
}

function strongest(row, inputs, source) {
  const items = [];
  for (let i = 0; i < row.length; i++) items.push([i, inputs[i] * row[i]]);
  items.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const maxAbs = Math.abs(items[0]?.[1] ?? 0) || 1;
  return items.slice(0, TOP_CONTRIBUTORS).map(([i, value]) => ({
    name: sourceName(source, i),
    input: inputs[i],
    weight: row[i],
    value,
    relative: value / maxAbs,
  }));
}

function sourceName(source, i) {
  if (source.kind === "input") {
    return T.cardPixel(Math.floor(i / source.cols), i % source.cols);
  }
  return T.cardSourceNeuron(source.name, i);
}

/** Number formatting shared by the card. */
export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return T.cardMissing;
  return (value >= 0 ? "+" : "−") + Math.abs(value).toFixed(digits);
}
