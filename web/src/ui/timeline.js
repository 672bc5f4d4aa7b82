// The training timeline slider: scrub through snapshots saved while the model trained.

import { MESSAGES, TEXT } from "./strings.js";

export class TimelineView {
  /**
   * @param {HTMLElement} root the timeline section (hidden when the model has no timeline)
   * @param {(entry: object, index: number) => Promise<void>} onSelect loads a snapshot;
   *   rejecting keeps the slider on the previous snapshot
   */
  constructor(root, onSelect) {
    this.root = root;
    this.slider = root.querySelector("input[type=range]");
    this.label = root.querySelector("output");
    this.onSelect = onSelect;
    this.entries = [];
    this.current = 0; // index of the snapshot that is loaded
    this.wanted = null; // latest index asked for while a load runs
    this.busy = false;
    this.slider.addEventListener("input", () => this.request(Number(this.slider.value)));
  }

  /** Show the timeline of a (main) export; `baseUrl` resolves its relative paths. */
  setTimeline(entries, baseUrl) {
    this.entries = (entries || []).map((entry) => ({
      ...entry,
      url: new URL(entry.path, baseUrl).href,
    }));
    this.root.hidden = this.entries.length < 2;
    if (this.root.hidden) return;
    this.slider.min = "0";
    this.slider.max = String(this.entries.length - 1);
    this.current = this.entries.length - 1; // the main export is the trained model
    this.show(this.current);
  }

  show(index) {
    this.slider.value = String(index);
    const text = TEXT.timelinePoint(this.entries[index]);
    this.label.textContent = text;
    this.slider.setAttribute("aria-valuetext", text);
  }

  /** Latest wins: while a snapshot loads, only the newest request is kept. */
  async request(index) {
    if (!Number.isInteger(index) || index < 0 || index >= this.entries.length) {
      throw new Error(MESSAGES.noSnapshot(index, this.entries.length - 1));
    }
    this.wanted = index;
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.wanted !== null) {
        const target = this.wanted;
        this.wanted = null;
        if (target === this.current) continue;
        try {
          await this.onSelect(this.entries[target], target);
          this.current = target;
        } catch {
          this.wanted = null; // the error is shown; stay where we are
        }
      }
    } finally {
      this.busy = false;
      this.show(this.current);
    }
  }
}
