// Frame pacing for a CPU rasteriser (SwiftShader): there a frame of the scene takes the
// machine's cores for tens of milliseconds, and the page and the runtime need them to answer
// the pen. After each frame the pacer leaves the CPU idle `idleFactor` times as long as that
// frame took before it lets the next one render. A frame's cost is the time from its render
// call to the next animation frame (the rasteriser's work and the read-back that shows it);
// it is only timed when that next frame was asked for at once, and a gap longer than
// `maxFrameMs` is not a frame's cost at all (a hidden page gets no animation frames).

export class FramePacer {
  /** @param {{idleFactor?: number, maxFrameMs?: number}} options */
  constructor({ idleFactor = 1, maxFrameMs = 500 } = {}) {
    this.idleFactor = idleFactor;
    this.maxFrameMs = maxFrameMs;
    this.renderedAt = -Infinity;
    this.costMs = 0;
    this.timing = false;
  }

  /** A frame starts rendering at `now`. */
  rendering(now) {
    this.renderedAt = now;
  }

  /** The frame is drawn; `followed`: the next animation frame was asked for at once. */
  rendered(followed) {
    this.timing = followed;
  }

  /** Whether the animation frame at `now` should pass without rendering. */
  hold(now) {
    if (this.timing) {
      const elapsed = now - this.renderedAt;
      if (elapsed <= this.maxFrameMs) this.costMs = elapsed; // else keep the last real cost
      this.timing = false;
    }
    return now < this.renderedAt + this.costMs * (1 + this.idleFactor);
  }
}
