// "What the network sees": a small preview of the pixels fed to the forward pass.

export class NetworkInputView {
  /** @param {HTMLCanvasElement} canvas a canvas whose width/height is the image size */
  constructor(canvas) {
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
