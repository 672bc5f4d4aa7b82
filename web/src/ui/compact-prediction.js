// The top three predictions with bars, right under the drawing grid: on a small screen the
// full prediction panel is far below, and a person drawing should see the answer.

import { barRow, setBar } from "./bar-row.js";
import { setText } from "./text-node.js";

const SHOWN = 3;

export class CompactPrediction {
  /** @param {HTMLElement} root the compact view (an <ol> inside is filled) */
  constructor(root) {
    this.root = root;
    this.list = root.querySelector("ol");
    this.labels = [];
    this.rows = Array.from({ length: SHOWN }, (_, rank) => {
      const row = barRow(`compact-${rank}`);
      this.list.append(row.item);
      return row;
    });
    this.showBlank();
  }

  setLabels(labels) {
    this.labels = [...labels];
  }

  /** The frame's three most likely classes; a blank frame shows none. */
  show(frame) {
    if (frame.blank) {
      this.showBlank();
      return;
    }
    const p = frame.probabilities;
    const ranked = [...p.keys()].sort((a, b) => p[b] - p[a]).slice(0, SHOWN);
    this.rows.forEach((row, rank) => {
      const index = ranked[rank];
      const present = index !== undefined;
      row.item.hidden = !present;
      if (!present) return;
      row.item.classList.toggle("top", rank === 0);
      setText(row.name, frame.labels[index]);
      setBar(row.fill, p[index]);
      setText(row.value, `${Math.round(p[index] * 100)}%`);
    });
    this.root.dataset.top = frame.labels[ranked[0]];
  }

  showBlank() {
    for (const row of this.rows) {
      row.item.classList.remove("top");
      setText(row.name, "–");
      setBar(row.fill, 0);
      setText(row.value, "");
    }
    delete this.root.dataset.top;
  }
}
