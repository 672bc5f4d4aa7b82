// Colours of the scene: a colour-blind-safe diverging palette (Okabe–Ito sky blue ↔ orange)
// around a dark zero, so weak values fade into the background; and a brightness ramp for
// neuron activations. Functions write linear-sRGB floats (what three's attributes expect).

/** Display (sRGB) colours, shared with the DOM legend. */
export const HEX = Object.freeze({
  negative: "#56b4e9", // sky blue: inhibits (input × weight < 0)
  zero: "#272c38", // close to the background: no effect
  positive: "#e69f00", // orange: excites (input × weight > 0)
  neuronOff: "#222836",
  neuronOn: "#fff4c8",
  background: "#0d1016",
  winner: "#f0b429",
  highlight: "#ffffff",
  focus: "#7fd8ff", // the keyboard cursor
});

const NEGATIVE = linearRgb(HEX.negative);
const ZERO = linearRgb(HEX.zero);
const POSITIVE = linearRgb(HEX.positive);
const OFF = linearRgb(HEX.neuronOff);
const ON = linearRgb(HEX.neuronOn);

/**
 * Diverging colour of `t` in [-1, 1] into `out[offset..offset+2]`.
 * |t| is eased (t^0.6) so mid-strength values stay visible.
 */
export function writeDiverging(t, out, offset) {
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const s = Math.min(1, Math.abs(t)) ** 0.6;
  out[offset] = ZERO[0] + (end[0] - ZERO[0]) * s;
  out[offset + 1] = ZERO[1] + (end[1] - ZERO[1]) * s;
  out[offset + 2] = ZERO[2] + (end[2] - ZERO[2]) * s;
}

/**
 * Neuron colour for a normalised activation `a` in [-1, 1] (brightness = |a|; negative
 * activations, e.g. tanh, lean blue), times `gain` (>1 while the propagation glow passes).
 */
export function writeActivation(a, gain, out, offset) {
  const end = a < 0 ? NEGATIVE : ON;
  const s = Math.min(1, Math.abs(a));
  out[offset] = (OFF[0] + (end[0] - OFF[0]) * s) * gain;
  out[offset + 1] = (OFF[1] + (end[1] - OFF[1]) * s) * gain;
  out[offset + 2] = (OFF[2] + (end[2] - OFF[2]) * s) * gain;
}

/** The same diverging ramp as display RGB bytes [r, g, b] (for 2-D canvases). */
export function rgbDiverging(t) {
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const s = Math.min(1, Math.abs(t)) ** 0.6;
  return [0, 1, 2].map((i) => Math.round(255 * srgbOf(ZERO[i] + (end[i] - ZERO[i]) * s)));
}

/** The same diverging ramp as a CSS colour (swatches, legend). */
export function cssDiverging(t) {
  return `rgb(${rgbDiverging(t).join(", ")})`;
}

/** CSS gradient of the diverging palette, for the legend. */
export function cssDivergingGradient(steps = 9) {
  const stops = [];
  for (let i = 0; i < steps; i++) stops.push(cssDiverging(-1 + (2 * i) / (steps - 1)));
  return `linear-gradient(90deg, ${stops.join(", ")})`;
}

/** CSS gradient of the neuron brightness ramp, for the legend. */
export function cssActivationGradient() {
  return `linear-gradient(90deg, ${HEX.neuronOff}, ${HEX.neuronOn})`;
}

function linearRgb(hex) {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255].map((c) => linearOf(c / 255));
}

function linearOf(c) {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function srgbOf(c) {
  return c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;
}
