// Every connection of the network in one LineSegments over one BufferGeometry: one draw call
// whatever the depth and N. Each weight layer owns a fixed range of the buffer (its neurons × k
// lines); an update rewrites the lines of one layer that pass the threshold, packed at the front
// of its range, and collapses the rest of what it drew before. The per-layer glow is a uniform
// array indexed by a static per-vertex layer attribute, so it costs no attribute upload.

import * as THREE from "../../vendor/three/three.module.js";
import { writeDiverging } from "./palette.js";

const MIN_ALPHA = 0.12;

const VERTEX_SHADER = /* glsl */ `
uniform float gains[LAYERS];
attribute vec4 lineColor;
attribute float lineLayer;
varying vec4 vColor;
void main() {
  vColor = vec4(lineColor.rgb * gains[int(lineLayer + 0.5)], lineColor.a);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

const FRAGMENT_SHADER = /* glsl */ `
varying vec4 vColor;
void main() {
  gl_FragColor = vColor;
  #include <colorspace_fragment>
}`;

export class ConnectionField {
  /**
   * @param {{sources: Float32Array, targets: Float32Array}[]} layers xyz of each weight
   *   layer's source neurons (or input cells) and target neurons, input side first
   */
  constructor(layers) {
    this.layers = layers.map(({ sources, targets }) => ({
      sources,
      targets,
      outWidth: targets.length / 3,
      offset: 0, // first line of the layer's range
      capacity: 0, // lines in the range
      drawn: 0,
    }));
    this.material = new THREE.ShaderMaterial({
      defines: { LAYERS: Math.max(1, layers.length) },
      uniforms: { gains: { value: new Float32Array(Math.max(1, layers.length)).fill(1) } },
      vertexShader: VERTEX_SHADER,
      fragmentShader: FRAGMENT_SHADER,
      transparent: true,
      depthWrite: false,
    });
    this.lines = new THREE.LineSegments(new THREE.BufferGeometry(), this.material);
    this.lines.name = "connections";
    this.lines.frustumCulled = false;
    this.lines.renderOrder = 1;
    this.positions = null;
    this.allocate(this.layers.map(() => 0));
  }

  /** Lines drawn per weight layer. */
  get drawnPerLayer() {
    return this.layers.map((layer) => layer.drawn);
  }

  /** Lines drawn in all. */
  get drawn() {
    return this.layers.reduce((sum, layer) => sum + layer.drawn, 0);
  }

  /**
   * Give every layer room for at least `needed[i]` lines. Ranges only grow (until the model
   * changes), so layers drawn with different N never disturb each other; what is drawn moves
   * with its range.
   */
  allocate(needed) {
    const grow = this.layers.some((layer, i) => needed[i] > layer.capacity);
    if (this.positions && !grow) return;
    const oldPositions = this.positions;
    const oldColors = this.colors;
    let total = 0;
    const moves = [];
    for (const [i, layer] of this.layers.entries()) {
      moves.push([layer.offset, total, layer.drawn]);
      layer.offset = total;
      layer.capacity = Math.max(layer.capacity, needed[i]);
      total += layer.capacity;
    }
    const size = Math.max(1, total);
    this.positions = new Float32Array(size * 6);
    this.colors = new Float32Array(size * 8);
    if (oldPositions) {
      for (const [from, to, count] of moves) {
        this.positions.set(oldPositions.subarray(6 * from, 6 * (from + count)), 6 * to);
        this.colors.set(oldColors.subarray(8 * from, 8 * (from + count)), 8 * to);
      }
    }
    const layerIds = new Float32Array(size * 2);
    for (const [index, layer] of this.layers.entries()) {
      layerIds.fill(index, 2 * layer.offset, 2 * (layer.offset + layer.capacity));
    }
    const geometry = new THREE.BufferGeometry();
    const dynamic = (array, itemSize) =>
      new THREE.BufferAttribute(array, itemSize).setUsage(THREE.DynamicDrawUsage);
    geometry.setAttribute("position", dynamic(this.positions, 3));
    geometry.setAttribute("lineColor", dynamic(this.colors, 4));
    geometry.setAttribute("lineLayer", new THREE.BufferAttribute(layerIds, 1));
    this.lines.geometry.dispose();
    this.lines.geometry = geometry;
    this.updateDrawRange();
  }

  /** Draw up to the end of the last layer that has lines (one range, one draw call). */
  updateDrawRange() {
    let end = 0;
    for (const layer of this.layers) if (layer.drawn > 0) end = layer.offset + layer.drawn;
    this.lines.geometry.setDrawRange(0, 2 * end);
    this.lines.visible = end > 0; // nothing drawn costs no draw call
  }

  /**
   * Draw the strongest incoming connections of weight layer `index`.
   * @param {number} index weight layer (0: input → first hidden)
   * @param {{k: number, indices: Float32Array, values: Float32Array}} top [out, k] row-major
   * @param {ArrayLike<number>|null} inputs when given, colour by inputs[source] × value
   *   (value is then a weight); otherwise colour by value itself
   * @param {number} threshold hide lines weaker than this fraction of the layer's strongest
   * @returns {number} how many lines are drawn
   */
  paint(index, top, inputs, threshold) {
    const { k, indices, values } = top;
    const total = this.layers[index].outWidth * k;
    if (total > this.layers[index].capacity) {
      this.allocate(this.layers.map((_layer, i) => (i === index ? total : 0)));
    }
    const layer = this.layers[index];
    let maxAbs = 0;
    for (let i = 0; i < total; i++) {
      const value = inputs ? inputs[indices[i]] * values[i] : values[i];
      maxAbs = Math.max(maxAbs, Math.abs(value));
    }
    const scale = maxAbs > 1e-12 ? 1 / maxAbs : 0;
    const { sources, targets, offset } = layer;
    const { positions, colors } = this;
    let drawn = 0;
    for (let i = 0; i < total; i++) {
      const source = indices[i];
      const target = (i / k) | 0;
      const t = (inputs ? inputs[source] * values[i] : values[i]) * scale;
      const strength = Math.abs(t);
      if (threshold > 0 && strength < threshold) continue;
      const p = 6 * (offset + drawn);
      positions[p] = sources[3 * source];
      positions[p + 1] = sources[3 * source + 1];
      positions[p + 2] = sources[3 * source + 2];
      positions[p + 3] = targets[3 * target];
      positions[p + 4] = targets[3 * target + 1];
      positions[p + 5] = targets[3 * target + 2];
      const c = 8 * (offset + drawn);
      writeDiverging(t, colors, c);
      colors[c + 3] = MIN_ALPHA + (1 - MIN_ALPHA) * strength ** 0.8;
      colors[c + 4] = colors[c];
      colors[c + 5] = colors[c + 1];
      colors[c + 6] = colors[c + 2];
      colors[c + 7] = colors[c + 3];
      drawn++;
    }
    // Collapse what this layer drew before beyond the new count: invisible, zero-length lines.
    const dirty = Math.max(drawn, layer.drawn);
    if (dirty > drawn) {
      positions.fill(0, 6 * (offset + drawn), 6 * (offset + dirty));
      colors.fill(0, 8 * (offset + drawn), 8 * (offset + dirty));
    }
    layer.drawn = drawn;
    const geometry = this.lines.geometry;
    if (dirty > 0) {
      for (const [name, size] of [
        ["position", 6],
        ["lineColor", 8],
      ]) {
        const attribute = geometry.attributes[name];
        attribute.addUpdateRange(size * offset, size * dirty); // upload only this layer's part
        attribute.needsUpdate = true;
      }
    }
    this.updateDrawRange();
    return drawn;
  }

  /** Brighten weight layer `index` (the propagation glow): a uniform, no attribute upload. */
  setGain(index, gain) {
    this.material.uniforms.gains.value[index] = gain;
  }

  dispose() {
    this.lines.geometry.dispose();
    this.material.dispose();
  }
}
