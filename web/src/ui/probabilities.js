// The probability bars, the top prediction, and a screen-reader text alternative.

import { barRow, setBar } from "./bar-row.js";
import { TEXT } from "./strings.js";
import { setText } from "./text-node.js";

const ANNOUNCE_DELAY_MS = 600; // let a stroke settle before a screen reader speaks

export class ProbabilityView {
  /**
   * @param {HTMLOListElement} list where the bars go
   * @param {HTMLElement} prediction the top prediction (empty text when there is none)
   * @param {HTMLElement} [announcer] a polite live region that reads out the top predictions
   */
  constructor(list, prediction, announcer = null) {
    this.list = list;
    this.prediction = prediction;
    this.announcer = announcer;
    this.announceTimer = null;
    this.rows = [];
  }

  announce(text) {
    if (!this.announcer) return;
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => {
      if (this.announcer.textContent !== text) this.announcer.textContent = text;
    }, ANNOUNCE_DELAY_MS);
  }

  setLabels(labels) {
    if (this.labels && labels.join("\u0000") === this.labels.join("\u0000")) return;
    this.labels = [...labels];
    this.list.replaceChildren();
    this.rows = labels.map((label, index) => {
      const row = barRow(`prob-${index}`);
      row.item.dataset.p = "0";
      row.name.textContent = label;
      row.name.title = label;
      row.value.textContent = "–";
      this.list.append(row.item);
      return row;
    });
    this.showBlank();
  }

  /** Show a prediction result; a blank input shows no prediction at all. */
  show(result) {
    if (result.blank) {
      this.showBlank();
      return;
    }
    const probabilities = result.probabilities;
    const top = result.top;
    this.rows.forEach((row, index) => {
      const p = probabilities[index];
      row.item.dataset.p = p.toFixed(6);
      row.item.classList.toggle("top", index === top);
      setBar(row.fill, p);
      setText(row.value, `${(p * 100).toFixed(1)}%`);
    });
    setText(this.prediction, result.labels[top]);
    this.prediction.dataset.index = String(top);
    const ranked = [...probabilities.keys()].sort((a, b) => probabilities[b] - probabilities[a]);
    this.announce(
      TEXT.topPredictions(ranked.slice(0, 3).map((i) => ({ label: result.labels[i], p: probabilities[i] }))),
    );
  }

  showBlank() {
    for (const row of this.rows) {
      row.item.dataset.p = "0";
      row.item.classList.remove("top");
      setBar(row.fill, 0);
      setText(row.value, "–");
    }
    setText(this.prediction, "");
    delete this.prediction.dataset.index;
    this.announce(TEXT.noPrediction);
  }
}
