// The learning panel: train here (live stats and chart, pause/resume/stop, reset), teach
// ("this is a 3" + thumbnails), fine-tune with before → after, download the model, open a
// local export (file picker or drag-and-drop). It only renders the controller's state and
// calls the controller; the training digits are fetched when the panel first opens.

import { DEFAULT_LEARNING_RATE, IMAGE_SHAPE, LEARNING_RATE_CHOICES } from "../constants.js";
import { LearnChart } from "../learn/chart.js";
import { LEARN_TEXT as T } from "./strings.js";

const HIDDEN_CHOICES = [[32], [64, 32], [128, 64], [256, 128]];

export class LearnPanel {
  /**
   * @param {HTMLDetailsElement} root the panel (a <details>; opening it fetches the data)
   * @param {import("../learn/controller.js").LearningController} controller
   * @param {object} hooks { openFile(file) → Promise, modelSummary() → summary|null }
   */
  constructor(root, controller, hooks) {
    this.root = root;
    this.controller = controller;
    this.hooks = hooks;
    this.build();
    this.chart = new LearnChart(this.el("learn-chart"));
    root.addEventListener("toggle", () => {
      if (root.open) this.open();
    });
    controller.subscribe((state) => this.render(state));
    this.listenForDrops();
  }

  el(id) {
    return this.root.querySelector(`[data-testid="${id}"]`);
  }

  build() {
    const summary = document.createElement("summary");
    summary.textContent = T.title;
    const body = document.createElement("div");
    body.className = "learn-body";
    body.innerHTML = `
      <p class="learn-status" data-testid="learn-status"></p>
      <p class="learn-error" data-testid="learn-error" role="alert" hidden></p>
      <div class="learn-row">
        <label>${T.size} <select data-testid="learn-size"></select></label>
        <label>${T.epochs} <input data-testid="learn-epochs" type="number" min="1" max="20" value="1"></label>
        <label>${T.rate} <select data-testid="learn-rate">${LEARNING_RATE_CHOICES.map(
          (rate) =>
            `<option value="${rate}"${rate === DEFAULT_LEARNING_RATE.sgd ? " selected" : ""}>` +
            `${T.rateChoice(rate, rate === DEFAULT_LEARNING_RATE.sgd)}</option>`,
        ).join("")}</select></label>
      </div>
      <div class="learn-row">
        <button type="button" data-testid="learn-train">${T.train}</button>
        <button type="button" data-testid="learn-train-further">${T.trainFurther}</button>
        <button type="button" data-testid="learn-pause" disabled>${T.pause}</button>
        <button type="button" data-testid="learn-stop" disabled>${T.stop}</button>
        <button type="button" data-testid="learn-reset">${T.reset}</button>
      </div>
      <p class="learn-stats" data-testid="learn-stats" aria-live="polite"></p>
      <p class="learn-error" data-testid="learn-diverged" role="alert" hidden></p>
      <canvas class="learn-chart" data-testid="learn-chart" width="320" height="90" role="img"
              aria-label="${T.chartLabel}"></canvas>
      <h3>${T.teachTitle}</h3>
      <p class="hint">${T.teachHint}</p>
      <div class="learn-teach" data-testid="learn-teach"></div>
      <div class="learn-row">
        <span data-testid="learn-examples-count"></span>
        <button type="button" data-testid="learn-forget">${T.forget}</button>
        <button type="button" data-testid="learn-fine-tune">${T.fineTune}</button>
      </div>
      <div class="learn-examples" data-testid="learn-examples"></div>
      <p class="learn-result" data-testid="learn-fine-tune-result" aria-live="polite"></p>
      <div class="learn-row">
        <button type="button" data-testid="learn-download">${T.download}</button>
        <button type="button" data-testid="learn-open">${T.open}</button>
        <input type="file" data-testid="learn-file" accept=".json,application/json" hidden>
      </div>
      <p class="hint">${T.openHint}</p>`;
    this.root.replaceChildren(summary, body);
    const on = (id, action) => this.el(id).addEventListener("click", () => this.attempt(action));
    on("learn-train", () => this.controller.train(this.trainOptions("scratch")));
    on("learn-train-further", () => this.controller.train(this.trainOptions("current")));
    on("learn-pause", () => (this.controller.paused ? this.controller.resume() : this.controller.pause()));
    on("learn-stop", () => this.controller.stop());
    on("learn-reset", () => this.controller.reset());
    on("learn-forget", () => this.controller.forgetExamples());
    on("learn-fine-tune", async () => {
      const result = await this.controller.fineTune({});
      this.el("learn-fine-tune-result").textContent = T.fineTuneResult(result);
    });
    on("learn-download", () => this.download());
    on("learn-open", () => this.el("learn-file").click());
    this.el("learn-file").addEventListener("change", (event) => {
      const [file] = event.target.files;
      event.target.value = "";
      if (file) this.attempt(() => this.openFile(file));
    });
  }

  async openFile(file) {
    await this.hooks.openFile(file);
    this.el("learn-status").textContent = T.opened(file.name);
  }

  /** Opening: show the model's labels and fetch its dataset's digits (once per dataset). */
  open() {
    const summary = this.hooks.modelSummary();
    this.setModel(summary);
    if (!summary || this.dataset === summary.dataset) return;
    this.dataset = summary.dataset;
    const status = this.el("learn-status");
    status.textContent = T.loading;
    this.controller
      .loadData(summary.dataset)
      .then((info) => {
        this.trainCount = info.train;
        status.textContent = T.loaded(info);
      })
      .catch((error) => {
        this.dataset = null;
        status.textContent = T.unavailable(error.message);
      });
  }

  /** The loaded model changed: new teach buttons, size choices, examples. */
  setModel(summary) {
    if (!summary) return;
    if (this.root.open && this.dataset && this.dataset !== summary.dataset) {
      queueMicrotask(() => this.open()); // another dataset: its digits
    }
    const select = this.el("learn-size");
    const loaded = document.createElement("option");
    loaded.value = "";
    loaded.textContent = T.sizeLoaded(summary.architecture);
    const choices = HIDDEN_CHOICES.map((hidden) => {
      const option = document.createElement("option");
      option.value = hidden.join(",");
      option.textContent = T.sizeChoice([summary.architecture[0], ...hidden, summary.architecture.at(-1)]);
      return option;
    });
    const previous = select.value;
    select.replaceChildren(loaded, ...choices);
    select.value = previous && choices.some((c) => c.value === previous) ? previous : "";
    const teach = this.el("learn-teach");
    const key = summary.labels.join("\u0000");
    if (teach.dataset.labels !== key) {
      teach.dataset.labels = key;
      teach.replaceChildren(
        ...summary.labels.map((label, index) => {
          const button = document.createElement("button");
          button.type = "button";
          button.dataset.testid = `learn-teach-${index}`;
          button.textContent = T.teach(label);
          button.setAttribute("aria-label", T.teachLabel(label));
          button.addEventListener("click", () => this.attempt(() => this.controller.teach(index)));
          return button;
        }),
      );
      this.showExamples();
    }
  }

  trainOptions(from) {
    const options = {
      from,
      epochs: Number(this.el("learn-epochs").value),
      learningRate: Number(this.el("learn-rate").value),
    };
    const size = this.el("learn-size").value;
    if (from === "scratch" && size) options.hidden = size.split(",").map(Number);
    return options;
  }

  async attempt(action) {
    const error = this.el("learn-error");
    error.hidden = true;
    try {
      await action();
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    }
  }

  render(state) {
    const running = Boolean(state.running);
    this.el("learn-train").disabled = running;
    this.el("learn-train-further").disabled = running;
    this.el("learn-fine-tune").disabled = running;
    this.el("learn-pause").disabled = !running;
    this.el("learn-stop").disabled = !running;
    this.el("learn-pause").textContent = state.paused ? T.resume : T.pause;
    if (state.started === "train") this.chart.clear();
    const progress = state.progress;
    const diverged = this.el("learn-diverged");
    if (state.started || state.reset) diverged.hidden = true;
    if (state.finished && progress?.diverged) {
      diverged.textContent = T.diverged(progress);
      diverged.hidden = false;
    }
    if (state.reset) {
      this.el("learn-stats").textContent = "";
      this.chart.clear();
    } else if (progress) {
      const paused = state.paused ? ` · ${T.paused}` : "";
      const text = progress.kind === "fine-tune" ? T.fineTuneStats(progress) : T.stats(progress);
      this.el("learn-stats").textContent = text + paused;
      this.root.dataset.imagesSeen = String(progress.images_seen ?? 0);
      if (progress.kind === "train") {
        const total = (progress.epochs ?? 1) * (this.trainCount ?? 8000);
        this.chart.add(progress, total);
        this.chart.draw();
      }
    }
    this.root.dataset.learning = running ? (state.paused ? "paused" : state.running) : "idle";
    if ("examples" in state || state.reset) this.showExamples();
  }

  async showExamples() {
    const examples = await this.controller.examples();
    const labels = this.hooks.modelSummary()?.labels ?? [];
    this.el("learn-examples-count").textContent = T.examplesCount(examples.length);
    this.el("learn-examples").replaceChildren(
      ...examples.map((example) => {
        const item = document.createElement("figure");
        item.dataset.testid = "learn-example";
        item.dataset.label = String(example.label);
        const canvas = document.createElement("canvas");
        [canvas.height, canvas.width] = IMAGE_SHAPE;
        paint(canvas, example.pixels);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.dataset.testid = "learn-example-delete";
        remove.textContent = "×";
        remove.setAttribute("aria-label", T.deleteExample(labels[example.label] ?? example.label));
        remove.addEventListener("click", () => this.attempt(() => this.controller.forgetExample(example.id)));
        const caption = document.createElement("figcaption");
        caption.textContent = labels[example.label] ?? String(example.label);
        item.append(canvas, caption, remove);
        return item;
      }),
    );
  }

  async download() {
    const text = await this.controller.exportModel();
    const summary = this.hooks.modelSummary();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = `mlp-${summary?.dataset ?? "model"}-trained-in-browser.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  listenForDrops() {
    const target = this.root;
    target.addEventListener("dragover", (event) => {
      event.preventDefault();
      target.dataset.dropping = "true";
    });
    target.addEventListener("dragleave", () => delete target.dataset.dropping);
    target.addEventListener("drop", (event) => {
      event.preventDefault();
      delete target.dataset.dropping;
      const [file] = event.dataTransfer?.files ?? [];
      if (file) this.attempt(() => this.openFile(file));
    });
  }
}

function paint(canvas, pixels) {
  const context = canvas.getContext("2d");
  if (!context) return;
  const image = context.createImageData(canvas.width, canvas.height);
  pixels.forEach((value, index) => {
    const grey = 255 - Math.round(value * 255);
    image.data.set([grey, grey, grey, 255], index * 4);
  });
  context.putImageData(image, 0, 0);
}
