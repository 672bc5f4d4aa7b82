// The propagation animation as pure timing: each new input reaches stage s (0 = input plane,
// s = layer s and the connections into it) s·step ms after it arrived, and a stage glows
// briefly when it lights up. Disabled, every stage shows the newest input at once.

export class Propagation {
  /**
   * @param {number} stageCount number of layers (input included)
   * @param {{stepMs?: number, glowMs?: number}} timing
   */
  constructor(stageCount, { stepMs = 120, glowMs = 380 } = {}) {
    this.stageCount = stageCount;
    this.stepMs = stepMs;
    this.glowMs = glowMs;
    this.enabled = true;
    this.pending = []; // [{time, frame}], oldest first
    this.shown = new Array(stageCount).fill(null); // [{frame, at}] per stage
  }

  push(frame, now) {
    this.pending.push({ time: now, frame });
  }

  /**
   * Release what is due at `now`.
   * @returns {{changed: number[], glow: number[], busy: boolean}} the stages whose frame
   *   changed, each stage's glow in [0, 1], and whether more frames are needed
   */
  tick(now) {
    const step = this.enabled ? this.stepMs : 0;
    const changed = [];
    for (let stage = 0; stage < this.stageCount; stage++) {
      let due = null;
      for (const entry of this.pending) if (entry.time + stage * step <= now) due = entry;
      if (due && this.shown[stage]?.frame !== due.frame) {
        this.shown[stage] = { frame: due.frame, at: due.time + stage * step };
        changed.push(stage);
      }
    }
    const lastDelay = (this.stageCount - 1) * step;
    this.pending = this.pending.filter((entry) => entry.time + lastDelay > now);
    const glow = this.shown.map((shown) =>
      this.enabled && shown ? Math.max(0, 1 - (now - shown.at) / this.glowMs) : 0,
    );
    const busy = this.pending.length > 0 || glow.some((value) => value > 0);
    return { changed, glow, busy };
  }

  /** The frame each stage shows now. */
  frames() {
    return this.shown.map((shown) => shown?.frame ?? null);
  }
}
