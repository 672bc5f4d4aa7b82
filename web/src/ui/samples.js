// Sample digits: real held-out digits from a compact uint8 asset (format in
// docs/export-format.md, "Sample digits asset"; py_runtime/samples.py reads it, through the
// runtime's "samples" request), loaded lazily so drawing never waits.

import { MESSAGES, TEXT } from "./strings.js";

export class SampleDigits {
  /**
   * @param {HTMLElement} container where the buttons go
   * @param {(pixels: Float32Array, label: number) => void} onPick
   * @param {(message: string) => void} onError shows why a sample could not be loaded
   * @param {(bytes: Uint8Array) => Promise<{rows: number, cols: number, labels: Uint8Array,
   *   images: Uint8Array}>} read decodes the asset (the runtime's "samples" request)
   */
  constructor(container, onPick, onError, read) {
    this.container = container;
    this.read = read;
    this.onPick = onPick;
    this.onError = onError;
    this.url = null;
    this.samples = null;
    this.loading = null;
    this.cursor = new Map(); // label → next sample index, so repeated clicks cycle
  }

  /** Offer the samples of `url` with the model's labels (the file loads on first use). */
  setSource(url, labels) {
    if (url !== this.url) {
      this.url = url;
      this.samples = null;
      this.loading = null;
    }
    const buttons = labels.map((label, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.testid = `sample-${index}`;
      button.textContent = label;
      button.setAttribute("aria-label", TEXT.sampleLabel(label));
      button.addEventListener("click", () => this.pickOrReport(index));
      return button;
    });
    const random = document.createElement("button");
    random.type = "button";
    random.dataset.testid = "sample-random";
    random.textContent = TEXT.sampleRandom;
    random.addEventListener("click", () => this.pickOrReport(null));
    this.container.replaceChildren(...buttons, random);
  }

  load() {
    this.loading ??= fetch(this.url)
      .then((response) => {
        if (!response.ok) throw new Error(MESSAGES.samplesHttp(response.status, this.url));
        return response.arrayBuffer();
      })
      .then((buffer) => this.read(new Uint8Array(buffer)))
      .then((samples) => (this.samples = samples));
    this.loading.catch(() => (this.loading = null)); // a later click retries
    return this.loading;
  }

  /** A button's action: pick, and show (never throw) what went wrong. */
  pickOrReport(label) {
    return this.pick(label).catch((error) => this.onError(TEXT.samplesUnavailable(error.message)));
  }

  /** Load the next sample of `label` (or a random one when label is null). */
  async pick(label) {
    const samples = await this.load();
    const candidates = [];
    samples.labels.forEach((value, index) => {
      if (label === null || value === label) candidates.push(index);
    });
    if (!candidates.length) throw new Error(MESSAGES.samplesNoClass(label));
    let index;
    if (label === null) {
      index = candidates[Math.floor(Math.random() * candidates.length)];
    } else {
      const next = this.cursor.get(label) ?? 0;
      index = candidates[next % candidates.length];
      this.cursor.set(label, next + 1);
    }
    const size = samples.rows * samples.cols;
    const pixels = new Float32Array(size);
    const image = samples.images.subarray(index * size, (index + 1) * size);
    for (let i = 0; i < size; i++) pixels[i] = image[i] / 255;
    this.onPick(pixels, samples.labels[index]);
    return { label: samples.labels[index], index };
  }
}
