// Rings that face the camera: the winning output, the selected neuron, the hovered neuron and
// the keyboard cursor. One small mesh each (at most four draw calls), hidden when not needed.

import * as THREE from "../../vendor/three/three.module.js";
import { HEX } from "./palette.js";

const FOCUS_MIN_PIXELS = 11; // outer radius on screen, at least

export class Markers {
  constructor() {
    this.group = new THREE.Group();
    this.group.name = "markers";
    this.winner = ring(HEX.winner, 1.25, 1.55, 1);
    this.selected = ring(HEX.highlight, 1.3, 1.55, 1);
    this.hover = ring(HEX.highlight, 1.3, 1.42, 0.55);
    this.focus = ring(HEX.focus, 1.75, 2.15, 1);
    this.focus.userData.minPixels = FOCUS_MIN_PIXELS; // stays visible when the view is far
    this.group.add(this.winner, this.selected, this.hover, this.focus);
  }

  /** Put `marker` around a neuron at xyz of radius `radius`, or hide it (null). */
  place(marker, at, radius) {
    marker.visible = Boolean(at);
    if (!at) return;
    marker.position.set(at[0], at[1], at[2]);
    marker.scale.setScalar(radius);
    marker.userData.radius = radius;
  }

  /** Turn every ring towards the camera; rings with a `minPixels` keep that size on screen. */
  face(camera, heightPx) {
    const perPixel = (2 * Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2)) / Math.max(1, heightPx);
    for (const marker of this.group.children) {
      marker.quaternion.copy(camera.quaternion);
      const { minPixels, radius } = marker.userData;
      if (!minPixels || !marker.visible) continue;
      const outer = marker.geometry.parameters.outerRadius;
      const least = (minPixels * perPixel * camera.position.distanceTo(marker.position)) / outer;
      marker.scale.setScalar(Math.max(radius, least));
    }
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
