// The brush: how a stroke turns into pixels (pure functions on a flat [size × size] array).
// Strokes are interpolated between pointer events and have soft edges, like MNIST's pen strokes.

export const BRUSH_SIZES = Object.freeze({ 1: 0.95, 2: 1.35, 3: 1.9 }); // radius in cells
const BRUSH_SOFTNESS = 0.8; // cells over which the edge fades out
export const STEP = 0.25; // interpolation step between pointer events, in cells
const ERASE_FLOOR = 0.05; // erasing leaves nothing fainter than this
const ERASER_EXTRA = 0.6; // the eraser is wider than the pen, so one pass removes a soft edge

/** The points a segment is stamped at (after its start), at most STEP cells apart. */
export function segmentPoints(x0, y0, x1, y1, step = STEP) {
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
  const points = [];
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    points.push([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]);
  }
  return points;
}

/**
 * Stamp a round soft brush of `radius` cells at (x, y) (in cells, 0 = the grid's left/top
 * edge) into `pixels`; erasing fades pixels out instead of inking them.
 */
export function stamp(pixels, size, x, y, radius, erase = false) {
  const reach = erase ? radius + ERASER_EXTRA : radius;
  const bound = Math.ceil(reach + 1);
  const cx = Math.floor(x);
  const cy = Math.floor(y);
  for (let row = cy - bound; row <= cy + bound; row++) {
    if (row < 0 || row >= size) continue;
    for (let col = cx - bound; col <= cx + bound; col++) {
      if (col < 0 || col >= size) continue;
      const distance = Math.hypot(col + 0.5 - x, row + 0.5 - y);
      const strength = Math.min(1, Math.max(0, (reach - distance) / BRUSH_SOFTNESS));
      if (strength <= 0) continue;
      const index = row * size + col;
      if (erase) {
        const left = pixels[index] * (1 - strength);
        pixels[index] = left < ERASE_FLOOR ? 0 : left; // no faint ghosts left behind
      } else {
        pixels[index] = Math.max(pixels[index], strength);
      }
    }
  }
}

/** Stamp the brush along a segment, so fast strokes leave no gaps. */
export function strokeLine(pixels, size, x0, y0, x1, y1, radius, erase = false) {
  for (const [x, y] of segmentPoints(x0, y0, x1, y1)) stamp(pixels, size, x, y, radius, erase);
}
