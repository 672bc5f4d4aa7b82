// The drawing grid (IMAGE_SHAPE cells): pointer and keyboard input → pixels in [0, 1].
// Left button, touch and pen draw; the right button, a pen's eraser end and the erase mode
// erase. The brush itself (interpolation, soft edges) is ./brush.js. Every stroke (and clear)
// can be undone.

import { IMAGE_SHAPE } from "../constants.js";
import { BRUSH_SIZES, stamp, strokeLine } from "./brush.js";
import { MESSAGES } from "./strings.js";

const UNDO_LIMIT = 100;

export class DrawGrid {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{size?: number, onChange?: (pixels: Float32Array) => void}} options
   */
  constructor(canvas, { size = IMAGE_SHAPE[1], onChange = () => {} } = {}) {
    this.canvas = canvas;
    this.size = size;
    this.onChange = onChange;
    this.pixels = new Float32Array(size * size);
    this.stroke = null; // { erase, x, y, pointerId }
    this.brushRadius = BRUSH_SIZES[2];
    this.eraseMode = false; // touch and pen erase instead of drawing
    this.history = []; // pixel snapshots taken before each stroke, for undo
    this.cursor = null; // keyboard cursor { x, y } in cells, shown while focused
    this.context = canvas.getContext("2d");
    this.cells = document.createElement("canvas");
    this.cells.width = this.cells.height = size;
    this.cellContext = this.cells.getContext("2d");
    this.image = this.cellContext.createImageData(size, size);
    this.dirty = true;
    this.rect = null; // the canvas's client rect; null: measure it at the next pointer event
    this.listen();
    this.render();
  }

  listen() {
    const canvas = this.canvas;
    // Measuring the canvas in a pointer event lays the page out at once when a result changed it
    // since the last frame (a forced layout, on the way from the pen to the runtime). So the
    // rect is kept until the canvas may have moved: a scroll, or a change of size of anything
    // that places it (itself, its ancestors, and the elements before each of them).
    const forget = () => {
      this.rect = null;
    };
    addEventListener("scroll", forget, { capture: true, passive: true });
    const resized = new ResizeObserver(forget);
    for (let node = canvas; node && node !== document.body; node = node.parentElement) {
      resized.observe(node);
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        resized.observe(before);
      }
    }
    canvas.addEventListener("contextmenu", (event) => event.preventDefault());
    canvas.addEventListener("pointerdown", (event) => this.start(event));
    canvas.addEventListener("pointermove", (event) => this.move(event));
    for (const name of ["pointerup", "pointercancel", "lostpointercapture"]) {
      canvas.addEventListener(name, (event) => this.end(event));
    }
    canvas.addEventListener("keydown", (event) => this.key(event));
    canvas.addEventListener("focus", () => {
      this.cursor ??= { x: Math.floor(this.size / 2), y: Math.floor(this.size / 2) };
      this.redraw();
    });
    canvas.addEventListener("blur", () => this.redraw());
    canvas.addEventListener("keyup", (event) => {
      if (event.key === "Shift") this.keyStroke = false;
    });
  }

  /** Brush size 1 (fine), 2 (default) or 3 (bold). */
  setBrushSize(size) {
    this.brushRadius = BRUSH_SIZES[size] ?? BRUSH_SIZES[2];
  }

  setEraseMode(on) {
    this.eraseMode = Boolean(on);
  }

  remember() {
    this.history.push(new Float32Array(this.pixels));
    if (this.history.length > UNDO_LIMIT) this.history.shift();
  }

  /** Undo the last stroke (or clear); returns false when there is nothing to undo. */
  undo() {
    const previous = this.history.pop();
    if (!previous) return false;
    this.pixels.set(previous);
    this.changed();
    return true;
  }

  /** Keyboard drawing: arrows move the cursor, Space/Enter draw, Delete/Backspace erase. */
  key(event) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    this.cursor ??= { x: Math.floor(this.size / 2), y: Math.floor(this.size / 2) };
    const paint = event.key === " " || event.key === "Enter";
    const erase = event.key === "Delete" || event.key === "Backspace";
    if (moves[event.key]) {
      const [dx, dy] = moves[event.key];
      this.cursor.x = Math.min(this.size - 1, Math.max(0, this.cursor.x + dx));
      this.cursor.y = Math.min(this.size - 1, Math.max(0, this.cursor.y + dy));
      if (event.shiftKey) {
        if (!this.keyStroke) this.remember(); // a run of Shift+arrows is one stroke
        this.keyStroke = true;
        this.stampCell(this.cursor, false);
      } else {
        this.keyStroke = false;
        this.redraw();
      }
    } else if (paint || erase) {
      this.keyStroke = false;
      this.remember();
      this.stampCell(this.cursor, erase);
    } else {
      if (event.key !== "Shift") this.keyStroke = false;
      return;
    }
    event.preventDefault();
  }

  stampCell({ x, y }, erase) {
    this.stamp(x + 0.5, y + 0.5, erase);
    this.changed();
  }

  start(event) {
    if (event.button !== 0 && event.button !== 2 && event.button !== 5) return;
    event.preventDefault();
    this.canvas.setPointerCapture?.(event.pointerId);
    const eraser = event.button === 2 || event.button === 5 || (event.buttons & 32) !== 0;
    const erase = eraser || (this.eraseMode && event.pointerType !== "mouse");
    const { x, y } = this.cellPoint(event);
    this.remember();
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
    this.rect ??= this.canvas.getBoundingClientRect();
    const rect = this.rect;
    return {
      x: ((event.clientX - rect.left) / rect.width) * this.size,
      y: ((event.clientY - rect.top) / rect.height) * this.size,
    };
  }

  line(x0, y0, x1, y1, erase) {
    strokeLine(this.pixels, this.size, x0, y0, x1, y1, this.brushRadius, erase);
  }

  stamp(x, y, erase) {
    stamp(this.pixels, this.size, x, y, this.brushRadius, erase);
  }

  changed() {
    this.dirty = true;
    this.onChange(this.pixels); // first: the runtime works on the frame while the grid draws
    this.render();
  }

  /** Replace every pixel (values are clamped to [0, 1]); undoable. */
  setPixels(values) {
    if (!values || values.length !== this.pixels.length) {
      throw new Error(MESSAGES.wrongPixelCount(this.pixels.length, values?.length));
    }
    this.remember();
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
    if (this.pixels.some((value) => value > 0)) this.remember();
    this.pixels.fill(0);
    this.changed();
  }

  redraw() {
    this.dirty = true;
    this.render();
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
    if (this.cursor && document.activeElement === this.canvas) {
      const cell = width / this.size;
      context.strokeStyle = "#f0b429";
      context.lineWidth = 2;
      context.strokeRect(this.cursor.x * cell + 1, this.cursor.y * cell + 1, cell - 2, cell - 2);
    }
  }
}
