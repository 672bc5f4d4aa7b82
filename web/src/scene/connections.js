// The connections into one layer: LineSegments over one BufferGeometry (one draw call per
// weight layer, whatever N). Each update rewrites the position and colour attributes of the
// lines that pass the threshold, packed at the front, and sets the draw range to them.

import * as THREE from "three";
import { writeDiverging } from "./palette.js";

const MIN_ALPHA = 0.12;

export class ConnectionLayer {
  /**
   * @param {Float32Array} sources xyz of the source layer's neurons (or input cells)
   * @param {Float32Array} targets xyz of this layer's neurons
   */
  constructor(sources, targets) {
    this.sources = sources;
    this.targets = targets;
    this.outWidth = targets.length / 3;
    this.capacity = -1;
    this.drawn = 0;
    this.material = new THREE.LineBasicMaterial({
      vertexColors: true,
      transparent: true,
      depthWrite: false,
    });
    this.lines = new THREE.LineSegments(new THREE.BufferGeometry(), this.material);
    this.lines.frustumCulled = false;
    this.lines.renderOrder = 1;
    this.allocate(0);
  }

  allocate(capacity) {
    if (capacity === this.capacity) return;
    this.capacity = capacity;
    const geometry = new THREE.BufferGeometry();
    this.positions = new Float32Array(Math.max(1, capacity) * 6);
    this.colors = new Float32Array(Math.max(1, capacity) * 8);
    const position = new THREE.BufferAttribute(this.positions, 3).setUsage(THREE.DynamicDrawUsage);
    const color = new THREE.BufferAttribute(this.colors, 4).setUsage(THREE.DynamicDrawUsage);
    geometry.setAttribute("position", position);
    geometry.setAttribute("color", color); // 4 components: three enables vertex alpha
    geometry.setDrawRange(0, 0);
    this.lines.geometry.dispose();
    this.lines.geometry = geometry;
  }

  /**
   * Draw the strongest incoming connections.
   * @param {{k: number, indices: Float32Array, values: Float32Array}} top [out, k] row-major
   * @param {ArrayLike<number>|null} inputs when given, colour by inputs[source] × value
   *   (value is then a weight); otherwise colour by value itself
   * @param {number} threshold hide lines weaker than this fraction of the layer's strongest
   * @returns {number} how many lines are drawn
   */
  paint(top, inputs, threshold) {
    const { k, indices, values } = top;
    const total = this.outWidth * k;
    this.allocate(total);
    let maxAbs = 0;
    for (let i = 0; i < total; i++) {
      const value = inputs ? inputs[indices[i]] * values[i] : values[i];
      maxAbs = Math.max(maxAbs, Math.abs(value));
    }
    const scale = maxAbs > 1e-12 ? 1 / maxAbs : 0;
    const { sources, targets, positions, colors } = this;
    let drawn = 0;
    for (let i = 0; i < total; i++) {
      const source = indices[i];
      const target = (i / k) | 0;
      const t = (inputs ? inputs[source] * values[i] : values[i]) * scale;
      const strength = Math.abs(t);
      if (threshold > 0 && strength < threshold) continue;
      const p = 6 * drawn;
      positions[p] = sources[3 * source];
      positions[p + 1] = sources[3 * source + 1];
      positions[p + 2] = sources[3 * source + 2];
      positions[p + 3] = targets[3 * target];
      positions[p + 4] = targets[3 * target + 1];
      positions[p + 5] = targets[3 * target + 2];
      const c = 8 * drawn;
      writeDiverging(t, colors, c);
      colors[c + 3] = MIN_ALPHA + (1 - MIN_ALPHA) * strength ** 0.8;
      colors[c + 4] = colors[c];
      colors[c + 5] = colors[c + 1];
      colors[c + 6] = colors[c + 2];
      colors[c + 7] = colors[c + 3];
      drawn++;
    }
    const geometry = this.lines.geometry;
    for (const [name, size] of [["position", 6], ["color", 8]]) {
      const attribute = geometry.attributes[name];
      attribute.clearUpdateRanges(); // upload only the drawn part
      if (drawn > 0) attribute.addUpdateRange(0, size * drawn);
      attribute.needsUpdate = drawn > 0;
    }
    geometry.setDrawRange(0, 2 * drawn);
    this.lines.visible = drawn > 0; // an empty layer costs no draw call
    this.drawn = drawn;
    return drawn;
  }

  /** Brighten the whole layer (the propagation glow): a uniform, no attribute upload. */
  setGain(gain) {
    this.material.color.setScalar(gain);
  }

  dispose() {
    this.lines.geometry.dispose();
    this.material.dispose();
  }
}
