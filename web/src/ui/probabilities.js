// The probability bars and the top prediction.

export class ProbabilityView {
  /**
   * @param {HTMLOListElement} list where the bars go
   * @param {HTMLElement} prediction the top prediction (empty text when there is none)
   */
  constructor(list, prediction) {
    this.list = list;
    this.prediction = prediction;
    this.rows = [];
  }

  setLabels(labels) {
    this.list.replaceChildren();
    this.rows = labels.map((label, index) => {
      const item = document.createElement("li");
      item.dataset.testid = `prob-${index}`;
      item.dataset.p = "0";
      const name = document.createElement("span");
      name.className = "label";
      name.textContent = label;
      name.title = label;
      const track = document.createElement("span");
      track.className = "track";
      const fill = document.createElement("span");
      fill.className = "fill";
      track.append(fill);
      const value = document.createElement("span");
      value.className = "value";
      value.textContent = "–";
      item.append(name, track, value);
      this.list.append(item);
      return { item, fill, value };
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
    let top = 0;
    for (let i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[top]) top = i;
    }
    this.rows.forEach((row, index) => {
      const p = probabilities[index];
      row.item.dataset.p = p.toFixed(6);
      row.item.classList.toggle("top", index === top);
      row.fill.style.width = `${(p * 100).toFixed(1)}%`;
      row.value.textContent = `${(p * 100).toFixed(1)}%`;
    });
    this.prediction.textContent = result.labels[top];
    this.prediction.dataset.index = String(top);
  }

  showBlank() {
    for (const row of this.rows) {
      row.item.dataset.p = "0";
      row.item.classList.remove("top");
      row.fill.style.width = "0";
      row.value.textContent = "–";
    }
    this.prediction.textContent = "";
    delete this.prediction.dataset.index;
  }
}
