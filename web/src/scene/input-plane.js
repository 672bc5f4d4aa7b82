// The input layer: the image as a plane of cells (one texel per pixel, nearest filtering),
// facing −x like every layer. One draw call; a new drawing only rewrites the texture.

import * as THREE from "../../vendor/three/three.module.js";

const BASE = 30; // grey level of an empty cell, so the plane stands out from the background

export class InputPlane {
  /** @param {import("./layout.js").LayerLayout} layer the input layer's layout */
  constructor(layer) {
    this.rows = layer.rows;
    this.cols = layer.cols;
    this.data = new Uint8Array(this.rows * this.cols * 4);
    this.texture = new THREE.DataTexture(this.data, this.cols, this.rows, THREE.RGBAFormat);
    this.texture.magFilter = THREE.NearestFilter;
    this.texture.minFilter = THREE.LinearFilter;
    this.texture.generateMipmaps = false;
    this.texture.colorSpace = THREE.SRGBColorSpace;
    const width = this.cols * layer.spacing;
    const height = this.rows * layer.spacing;
    const geometry = new THREE.PlaneGeometry(width, height);
    geometry.rotateY(-Math.PI / 2); // normal → −x; the plane's +u axis → +z (image columns)
    geometry.translate(layer.x, 0, 0);
    this.material = new THREE.MeshBasicMaterial({ map: this.texture, side: THREE.DoubleSide });
    this.mesh = new THREE.Mesh(geometry, this.material);
    this.mesh.name = "input-plane";
    this.setPixels(null, 1);
  }

  /** Show `pixels` (values in [0, 1], row-major, top row first); `gain` > 1 brightens. */
  setPixels(pixels, gain = 1) {
    const { rows, cols, data } = this;
    for (let row = 0; row < rows; row++) {
      const textureRow = rows - 1 - row; // texture rows start at the bottom
      for (let col = 0; col < cols; col++) {
        const value = pixels ? pixels[row * cols + col] : 0;
        const grey = Math.min(255, (BASE + (255 - BASE) * value) * gain);
        const offset = 4 * (textureRow * cols + col);
        data[offset] = grey;
        data[offset + 1] = grey;
        data[offset + 2] = Math.min(255, grey + 8 * (1 - value)); // empty cells lean blue-grey
        data[offset + 3] = 255;
      }
    }
    this.texture.needsUpdate = true;
  }

  dispose() {
    this.mesh.geometry.dispose();
    this.material.dispose();
    this.texture.dispose();
  }
}
