// A small live chart of training: loss (line, left scale) and held-out accuracy (dots, 0–100 %).

const COLORS = { loss: "#d9822b", accuracy: "#2b7bd9", axis: "#8884" };

export class LearnChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.clear();
  }

  clear() {
    this.loss = []; // [imagesSeen, loss]
    this.accuracy = []; // [imagesSeen, accuracy]
    this.total = 1;
    this.draw();
  }

  /** Add a progress report (from the worker); `total` is the images the session will see. */
  add(progress, total) {
    this.total = Math.max(1, total);
    const last = this.loss.at(-1);
    const step = this.total / 300; // at most ~300 points per session
    if (typeof progress.loss === "number" && (!last || progress.images_seen - last[0] >= step)) {
      this.loss.push([progress.images_seen, progress.loss]);
    }
    this.accuracy = (progress.history ?? [])
      .filter((point) => typeof point.held_out_accuracy === "number")
      .map((point) => [point.images_seen, point.held_out_accuracy]);
  }

  draw() {
    const { canvas } = this;
    const context = canvas.getContext("2d");
    if (!context) return;
    const { width, height } = canvas;
    context.clearRect(0, 0, width, height);
    context.strokeStyle = COLORS.axis;
    context.strokeRect(0.5, 0.5, width - 1, height - 1);
    const x = (images) => (images / this.total) * (width - 4) + 2;
    const maxLoss = Math.max(0.5, ...this.loss.map(([, loss]) => loss));
    context.strokeStyle = COLORS.loss;
    context.beginPath();
    this.loss.forEach(([images, loss], index) => {
      const y = height - 2 - (loss / maxLoss) * (height - 4);
      if (index === 0) context.moveTo(x(images), y);
      else context.lineTo(x(images), y);
    });
    context.stroke();
    context.fillStyle = COLORS.accuracy;
    for (const [images, accuracy] of this.accuracy) {
      context.beginPath();
      context.arc(x(images), height - 2 - accuracy * (height - 4), 2.5, 0, 2 * Math.PI);
      context.fill();
    }
  }
}
