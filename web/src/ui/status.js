// Loading stages, the runtime state on <html data-runtime>, and the error banner.

import { TEXT } from "./strings.js";

export class StatusView {
  constructor(root = document) {
    this.html = root.documentElement;
    this.stages = new Map(
      [...root.querySelectorAll("[data-stage]")].map((item) => [item.dataset.stage, item]),
    );
    this.text = root.querySelector('[data-testid="status-text"]');
    this.banner = root.querySelector('[data-testid="error"]');
    this.bannerText = root.querySelector('[data-testid="error-text"]');
    root.querySelector('[data-testid="error-close"]').addEventListener("click", () => {
      this.banner.hidden = true;
    });
  }

  stage({ stage, state }) {
    const item = this.stages.get(stage);
    if (item) item.dataset.state = state;
    if (state === "active") this.text.textContent = TEXT.stageLoading(item ? item.textContent : stage);
  }

  ready(summary) {
    this.html.dataset.runtime = "ready";
    this.model(summary);
  }

  model(summary) {
    const accuracy = summary.metrics?.test_accuracy;
    const parts = [summary.dataset, summary.architecture.join("→")];
    if (typeof accuracy === "number") parts.push(TEXT.testAccuracy(accuracy));
    this.text.textContent = TEXT.ready(parts);
  }

  fatal(message) {
    this.html.dataset.runtime = "error";
    this.text.textContent = TEXT.runtimeFailed;
    this.showError(message);
  }

  showError(message) {
    this.bannerText.textContent = message;
    this.banner.hidden = false;
  }

  hideError() {
    this.banner.hidden = true;
  }
}
