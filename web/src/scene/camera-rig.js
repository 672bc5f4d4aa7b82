// The camera and its controls: OrbitControls with damping (mouse, trackpad, touch), limits
// derived from the network's size, and a home view that frames the whole network.

import { OrbitControls } from "../../vendor/three/addons/controls/OrbitControls.js";
import * as THREE from "../../vendor/three/three.module.js";

const FOV = 38;
const HOME_DIRECTION = new THREE.Vector3(-0.85, 0.42, 1).normalize(); // front, from the input's side
const MARGIN = 1.06;

export class CameraRig {
  /**
   * @param {EventTarget} canvas the canvas, or its stand-in in the render worker (element-proxy.js)
   * @param {() => void} onChange called whenever the view moves (render on demand)
   */
  constructor(canvas, onChange) {
    this.camera = new THREE.PerspectiveCamera(FOV, 1, 0.1, 5000);
    this.controls = new OrbitControls(this.camera, canvas);
    Object.assign(this.controls, {
      enableDamping: true,
      dampingFactor: 0.09,
      screenSpacePanning: true,
      rotateSpeed: 0.7,
      zoomSpeed: 1.1,
      panSpeed: 0.9,
      minPolarAngle: 0.05,
      maxPolarAngle: Math.PI - 0.05,
    });
    // No listenToKeyEvents: with the view focused, the keys step through the neurons.
    this.controls.addEventListener("change", onChange);
    this.center = new THREE.Vector3();
    this.radius = 50;
    this.aspect = 1;
  }

  /** Frame a layout ({center, radius, min, max}) and set the zoom and pan limits around it. */
  fit({ center, radius, min, max }) {
    this.center.fromArray(center);
    this.corners = [];
    for (const x of [min[0], max[0]]) {
      for (const y of [min[1], max[1]]) {
        for (const z of [min[2], max[2]]) this.corners.push(new THREE.Vector3(x, y, z).sub(this.center));
      }
    }
    this.radius = radius;
    this.controls.cursor.copy(this.center);
    this.controls.maxTargetRadius = radius; // panning stays near the network
    this.controls.minDistance = radius * 0.15;
    this.controls.maxDistance = radius * 5;
    this.camera.near = radius * 0.01;
    this.camera.far = radius * 20;
    this.reset();
  }

  /** Back to the home view. */
  reset() {
    const distance = this.homeDistance();
    this.controls.target.copy(this.center);
    this.camera.position.copy(this.center).addScaledVector(HOME_DIRECTION, distance);
    this.camera.updateProjectionMatrix();
    this.controls.update();
  }

  /** The closest distance along the home direction at which every corner of the box is seen. */
  homeDistance() {
    const tanV = Math.tan(THREE.MathUtils.degToRad(FOV) / 2);
    const tanH = tanV * this.aspect;
    const right = new THREE.Vector3().crossVectors(THREE.Object3D.DEFAULT_UP, HOME_DIRECTION).normalize();
    const up = new THREE.Vector3().crossVectors(HOME_DIRECTION, right);
    let distance = this.radius * 0.2;
    for (const corner of this.corners ?? []) {
      const toward = corner.dot(HOME_DIRECTION); // how much closer to the camera the corner is
      distance = Math.max(
        distance,
        toward + Math.abs(corner.dot(right)) / tanH,
        toward + Math.abs(corner.dot(up)) / tanV,
      );
    }
    return distance * MARGIN;
  }

  setAspect(aspect) {
    this.aspect = aspect;
    this.camera.aspect = aspect;
    this.camera.updateProjectionMatrix();
  }

  /** Step the damping; true while the view is still moving. */
  update() {
    return this.controls.update();
  }

  dispose() {
    this.controls.dispose();
  }
}
