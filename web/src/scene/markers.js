// Rings that face the camera: the winning output, the selected neuron, the hovered neuron.
// One small mesh each (at most three draw calls), hidden when not needed.

import * as THREE from "three";
import { HEX } from "./palette.js";

export class Markers {
  constructor() {
    this.group = new THREE.Group();
    this.group.name = "markers";
    this.winner = ring(HEX.winner, 1.25, 1.55, 1);
    this.selected = ring(HEX.highlight, 1.3, 1.55, 1);
    this.hover = ring(HEX.highlight, 1.3, 1.42, 0.55);
    this.group.add(this.winner, this.selected, this.hover);
  }

  /** Put `marker` around a neuron at xyz of radius `radius`, or hide it (null). */
  place(marker, at, radius) {
    marker.visible = Boolean(at);
    if (!at) return;
    marker.position.set(at[0], at[1], at[2]);
    marker.scale.setScalar(radius);
  }

  /** Turn every ring towards the camera. */
  face(camera) {
    for (const marker of this.group.children) marker.quaternion.copy(camera.quaternion);
  }

  dispose() {
    for (const marker of this.group.children) {
      marker.geometry.dispose();
      marker.material.dispose();
    }
  }
}

function ring(color, inner, outer, opacity) {
  const material = new THREE.MeshBasicMaterial({
    color,
    transparent: opacity < 1,
    opacity,
    side: THREE.DoubleSide,
    depthTest: false,
  });
  const mesh = new THREE.Mesh(new THREE.RingGeometry(inner, outer, 40), material);
  mesh.renderOrder = 2;
  mesh.visible = false;
  return mesh;
}
