// Picking in screen space: the neuron whose projected centre is nearest the pointer, within
// its projected radius (never less than a finger's worth of pixels). Cheap for a few thousand
// neurons, and forgiving for small, far-away spheres and for touch.

import * as THREE from "../../vendor/three/three.module.js";

const MIN_RADIUS_PX = 9;
const point = new THREE.Vector3();

/**
 * @param {{positions: Float32Array, radii: Float32Array}} targets world xyz and radius of each
 * @param {THREE.PerspectiveCamera} camera
 * @param {number} x pointer x in CSS pixels, relative to the canvas
 * @param {number} y pointer y in CSS pixels
 * @param {number} width canvas width in CSS pixels
 * @param {number} height canvas height in CSS pixels
 * @returns {number} index of the picked target, or -1
 */
export function pickNearest(targets, camera, x, y, width, height) {
  const { positions, radii } = targets;
  const focal = height / 2 / Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2);
  let best = -1;
  let bestScore = Infinity;
  for (let i = 0; i < radii.length; i++) {
    point.set(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]);
    const depth = point.distanceTo(camera.position);
    point.project(camera);
    if (point.z < -1 || point.z > 1) continue;
    const sx = ((point.x + 1) / 2) * width;
    const sy = ((1 - point.y) / 2) * height;
    const reach = Math.max(MIN_RADIUS_PX, (radii[i] * focal) / depth);
    const distance = Math.hypot(sx - x, sy - y);
    if (distance > reach) continue;
    const score = distance / reach + depth * 1e-6; // nearest to the pointer, then to the eye
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

/** Screen position (CSS pixels) of world point xyz, and whether it is in front of the camera. */
export function toScreen(camera, x, y, z, width, height) {
  point.set(x, y, z).project(camera);
  return {
    x: ((point.x + 1) / 2) * width,
    y: ((1 - point.y) / 2) * height,
    visible: point.z > -1 && point.z < 1,
  };
}
