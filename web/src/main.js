// The page: wires the drawing grid, the runtime bridge and the views, and exposes
// the public automation API on `window.mlpvis`.

import { RuntimeBridge } from "./bridge.js";
import { DrawGrid } from "./ui/draw-grid.js";
import { ProbabilityView } from "./ui/probabilities.js";
import { StatusView } from "./ui/status.js";

const DEFAULT_WEIGHTS = "exports/sample_mlp_weights.json";

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const params = new URLSearchParams(window.location.search);
const requestedWeights = params.get("weights") || DEFAULT_WEIGHTS;

const worker =
  window.__mlpvisWorker ?? new Worker(new URL("./worker/worker.js", import.meta.url), { type: "module" });
const bridge = new RuntimeBridge(worker);
const status = new StatusView(document);
const probabilities = new ProbabilityView(byTestId("probabilities"), byTestId("prediction"));
let isReady = false;

const grid = new DrawGrid(byTestId("draw-grid"), { onChange: () => refresh() });
byTestId("clear").addEventListener("click", () => grid.clear());

bridge.on("stage", (event) => status.stage(event));
bridge.on("fatal", (message) => status.fatal(message));
bridge.on("model", (summary) => {
  probabilities.setLabels(summary.labels);
  status.model(summary);
});
bridge.on("result", (result) => probabilities.show(result));

/** Predict the current drawing (latest wins); errors go to the banner. */
function refresh() {
  if (!isReady) return Promise.resolve(null);
  return bridge.predict(grid.pixels).catch((error) => {
    status.showError(error.message);
    return null;
  });
}

const ready = bridge.init(requestedWeights, DEFAULT_WEIGHTS).then(({ summary, warning }) => {
  isReady = true;
  status.ready(summary);
  if (warning) status.showError(`${warning}\nShowing the default model instead.`);
  refresh();
  return summary;
});
ready.catch(() => {}); // the fatal event already shows the reason in the page

async function loadWeights(url) {
  try {
    const summary = await bridge.loadWeights(url);
    status.hideError();
    await refresh();
    return summary;
  } catch (error) {
    status.showError(`${error.message}\nThe current model is still loaded.`);
    throw error;
  }
}

function plain(result) {
  return {
    blank: result.blank,
    label: result.blank ? null : result.labels[indexOfMax(result.probabilities)],
    probabilities: Array.from(result.probabilities),
    activations: result.activations.map((layer) => Array.from(layer)),
    preActivations: result.preActivations.map((layer) => Array.from(layer)),
  };
}

function indexOfMax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

window.mlpvis = {
  ready,
  bridge,
  setPixels(values) {
    grid.setPixels(values);
    return refresh();
  },
  getPixels: () => grid.getPixels(),
  clear() {
    grid.clear();
    return refresh();
  },
  async predict() {
    await ready;
    return plain(await bridge.predict(grid.pixels));
  },
  loadWeights,
  model: () => bridge.model,
  timings: () => bridge.timings(),
};
