// The 28×28 drawing grid: pointer input (mouse, touch, pen) → pixels in [0, 1].
// Left button, touch and pen draw; the right button and a pen's eraser end erase.

const BRUSH_RADIUS = 1.35; // in cells: a soft round brush, like MNIST's pen strokes
const BRUSH_SOFTNESS = 0.8; // cells over which the edge fades out
const STEP = 0.25; // interpolation step between pointer events, in cells

export class DrawGrid {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{size?: number, onChange?: (pixels: Float32Array) => void}} options
   */
  constructor(canvas, { size = 28, onChange = () => {} } = {}) {
    this.canvas = canvas;
    this.size = size;
    this.onChange = onChange;
    this.pixels = new Float32Array(size * size);
    this.stroke = null; // { erase, x, y, pointerId }
    this.context = canvas.getContext("2d");
    this.cells = document.createElement("canvas");
    this.cells.width = this.cells.height = size;
    this.cellContext = this.cells.getContext("2d");
    this.image = this.cellContext.createImageData(size, size);
    this.dirty = true;
    this.listen();
    this.render();
  }

  listen() {
    const canvas = this.canvas;
    canvas.addEventListener("contextmenu", (event) => event.preventDefault());
    canvas.addEventListener("pointerdown", (event) => this.start(event));
    canvas.addEventListener("pointermove", (event) => this.move(event));
    for (const name of ["pointerup", "pointercancel", "lostpointercapture"]) {
      canvas.addEventListener(name, (event) => this.end(event));
    }
  }

  start(event) {
    if (event.button !== 0 && event.button !== 2 && event.button !== 5) return;
    event.preventDefault();
    this.canvas.setPointerCapture?.(event.pointerId);
    const erase = event.button === 2 || event.button === 5 || (event.buttons & 32) !== 0;
    const { x, y } = this.cellPoint(event);
    this.stroke = { erase, x, y, pointerId: event.pointerId };
    this.stamp(x, y, erase);
    this.changed();
  }

  move(event) {
    if (!this.stroke || event.pointerId !== this.stroke.pointerId) return;
    event.preventDefault();
    const points = event.getCoalescedEvents?.() ?? [];
    for (const point of points.length ? points : [event]) {
      const { x, y } = this.cellPoint(point);
      this.line(this.stroke.x, this.stroke.y, x, y, this.stroke.erase);
      this.stroke.x = x;
      this.stroke.y = y;
    }
    this.changed();
  }

  end(event) {
    if (this.stroke && event.pointerId === this.stroke.pointerId) this.stroke = null;
  }

  cellPoint(event) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * this.size,
      y: ((event.clientY - rect.top) / rect.height) * this.size,
    };
  }

  /** Stamp the brush along a segment, so fast strokes leave no gaps. */
  line(x0, y0, x1, y1, erase) {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / STEP));
    for (let i = 1; i <= steps; i++) {
      const t = i / steps;
      this.stamp(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, erase);
    }
  }

  stamp(x, y, erase) {
    const reach = Math.ceil(BRUSH_RADIUS + 1);
    const cx = Math.floor(x);
    const cy = Math.floor(y);
    for (let row = cy - reach; row <= cy + reach; row++) {
      if (row < 0 || row >= this.size) continue;
      for (let col = cx - reach; col <= cx + reach; col++) {
        if (col < 0 || col >= this.size) continue;
        const distance = Math.hypot(col + 0.5 - x, row + 0.5 - y);
        const strength = Math.min(1, Math.max(0, (BRUSH_RADIUS - distance) / BRUSH_SOFTNESS));
        if (strength <= 0) continue;
        const index = row * this.size + col;
        this.pixels[index] = erase
          ? Math.min(this.pixels[index], 1 - strength)
          : Math.max(this.pixels[index], strength);
      }
    }
  }

  changed() {
    this.dirty = true;
    this.render();
    this.onChange(this.pixels);
  }

  /** Replace every pixel (values are clamped to [0, 1]). */
  setPixels(values) {
    if (!values || values.length !== this.pixels.length) {
      throw new Error(`setPixels expects ${this.pixels.length} values, got ${values?.length}`);
    }
    for (let i = 0; i < values.length; i++) {
      const value = Number(values[i]);
      this.pixels[i] = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
    }
    this.changed();
  }

  getPixels() {
    return new Float32Array(this.pixels);
  }

  clear() {
    this.pixels.fill(0);
    this.changed();
  }

  render() {
    if (!this.dirty) return;
    this.dirty = false;
    const data = this.image.data;
    for (let i = 0; i < this.pixels.length; i++) {
      const grey = Math.round(this.pixels[i] * 255);
      data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = grey;
      data[4 * i + 3] = 255;
    }
    this.cellContext.putImageData(this.image, 0, 0);
    const { width, height } = this.canvas;
    const context = this.context;
    context.imageSmoothingEnabled = false;
    context.drawImage(this.cells, 0, 0, width, height);
    context.strokeStyle = "rgba(255, 255, 255, 0.07)";
    context.lineWidth = 1;
    context.beginPath();
    for (let i = 1; i < this.size; i++) {
      const x = Math.round((i * width) / this.size) + 0.5;
      const y = Math.round((i * height) / this.size) + 0.5;
      context.moveTo(x, 0);
      context.lineTo(x, height);
      context.moveTo(0, y);
      context.lineTo(width, y);
    }
    context.stroke();
  }
}
