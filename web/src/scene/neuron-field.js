// Hidden and output neurons: one InstancedMesh for all of them (one draw call whatever the
// architecture). Per input only the instance colours change (brightness = activation).

import * as THREE from "../../vendor/three/three.module.js";
import { NEURON_RADIUS, OUTPUT_SCALE } from "./layout.js";
import { writeActivation } from "./palette.js";

export class NeuronField {
  /**
   * @param {import("./layout.js").LayerLayout[]} layers every layer but the input
   * @param {{lowDetail?: boolean}} options `lowDetail`: coarser spheres (a CPU rasteriser)
   */
  constructor(layers, { lowDetail = false } = {}) {
    this.layers = layers;
    this.offsets = new Map(); // layer index → first instance
    let count = 0;
    for (const layer of layers) {
      this.offsets.set(layer.index, count);
      count += layer.width;
    }
    this.count = count;
    const geometry = new THREE.SphereGeometry(NEURON_RADIUS, ...(lowDetail ? [10, 8] : [16, 12]));
    this.material = new THREE.MeshLambertMaterial({ color: 0xffffff });
    this.mesh = new THREE.InstancedMesh(geometry, this.material, Math.max(1, count));
    this.mesh.count = count;
    this.mesh.name = "neurons";
    this.colors = new Float32Array(Math.max(1, count) * 3);
    this.mesh.instanceColor = new THREE.InstancedBufferAttribute(this.colors, 3);
    this.mesh.instanceColor.setUsage(THREE.DynamicDrawUsage);
    const matrix = new THREE.Matrix4();
    for (const layer of layers) {
      const scale = layer.kind === "output" ? OUTPUT_SCALE : 1;
      const first = this.offsets.get(layer.index);
      for (let i = 0; i < layer.width; i++) {
        const p = layer.positions;
        matrix.makeScale(scale, scale, scale).setPosition(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
        this.mesh.setMatrixAt(first + i, matrix);
      }
      this.paint(layer.index, null, 1);
    }
    this.mesh.instanceMatrix.needsUpdate = true;
    this.mesh.computeBoundingSphere();
  }

  /**
   * Colour layer `index` from `values` already normalised to [-1, 1] (null: all off).
   * `gain` > 1 brightens the layer while the propagation glow passes.
   */
  paint(index, values, gain = 1) {
    const first = this.offsets.get(index);
    const width = this.layers.find((layer) => layer.index === index).width;
    for (let i = 0; i < width; i++) {
      writeActivation(values ? values[i] : 0, gain, this.colors, 3 * (first + i));
    }
    this.mesh.instanceColor.needsUpdate = true;
  }

  dispose() {
    this.mesh.geometry.dispose();
    this.material.dispose();
    this.mesh.dispose();
  }
}
