// "What the network sees": a small preview of the pixels fed to the forward pass.

import { IMAGE_SHAPE } from "../constants.js";

export class NetworkInputView {
  /** @param {HTMLCanvasElement} canvas sized here to the image (one canvas pixel per input) */
  constructor(canvas, [rows, cols] = IMAGE_SHAPE) {
    canvas.width = cols;
    canvas.height = rows;
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.image = this.context.createImageData(canvas.width, canvas.height);
  }

  show(pixels) {
    const data = this.image.data;
    for (let i = 0; i < pixels.length && 4 * i < data.length; i++) {
      const grey = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
      data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = grey;
      data[4 * i + 3] = 255;
    }
    this.context.putImageData(this.image, 0, 0);
  }
}
