// The page: wires the drawing grid, the runtime bridge, the views and the 3D scene, owns the
// page state (model, settings, drawing; mirrored in the URL hash) and exposes the public
// automation API on `window.mlpvis`.

import { RuntimeBridge } from "./bridge.js";
import { mountLearning } from "./learn/mount.js";
import { mountScene } from "./scene/index.js";
import { DrawGrid } from "./ui/draw-grid.js";
import { NetworkInputView } from "./ui/network-input.js";
import { ProbabilityView } from "./ui/probabilities.js";
import { SampleDigits } from "./ui/samples.js";
import { StatusView } from "./ui/status.js";
import { applyStrings, TEXT } from "./ui/strings.js";
import { TimelineView } from "./ui/timeline.js";
import { decodeDrawing, encodeDrawing, readHash, urlWithState } from "./url-state.js";

const DEFAULT_WEIGHTS = "exports/sample_mlp_weights.json";
const HASH_DELAY_MS = 250;

applyStrings(document);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const shared = readHash();
const requestedWeights =
  shared.w || new URLSearchParams(window.location.search).get("weights") || DEFAULT_WEIGHTS;

const worker =
  window.__mlpvisWorker ?? new Worker(new URL("./worker/worker.js", import.meta.url), { type: "module" });
const bridge = new RuntimeBridge(worker);
const status = new StatusView(document);
const probabilities = new ProbabilityView(
  byTestId("probabilities"),
  byTestId("prediction"),
  byTestId("announcer"),
);
const networkInput = new NetworkInputView(byTestId("network-input"));

/** The page state: one owner, mirrored in the URL hash. */
const state = {
  ready: false,
  weightsUrl: requestedWeights, // the main export (its timeline belongs to it)
  snapshot: null, // index in the timeline when a snapshot is loaded instead
};

const grid = new DrawGrid(byTestId("draw-grid"), { onChange: () => changed() });
const undoButton = byTestId("undo");
const eraseButton = byTestId("erase-mode");
const brushInput = byTestId("brush-size");
const preprocessToggle = byTestId("preprocess");

byTestId("clear").addEventListener("click", () => grid.clear());
undoButton.addEventListener("click", () => grid.undo());
eraseButton.addEventListener("click", () => setEraseMode(eraseButton.ariaPressed !== "true"));
brushInput.addEventListener("input", () => {
  grid.setBrushSize(Number(brushInput.value));
  saveHash();
});
preprocessToggle.addEventListener("change", () => {
  bridge.options.mnistStyle = preprocessToggle.checked;
  changed();
});
document.addEventListener("keydown", (event) => {
  const typing = event.target.closest?.("input[type=text], textarea");
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !typing) {
    event.preventDefault();
    grid.undo();
  }
});
byTestId("share").addEventListener("click", () => share());

function setEraseMode(on) {
  grid.setEraseMode(on);
  eraseButton.ariaPressed = String(on);
}

const samples = new SampleDigits(
  byTestId("samples"),
  (pixels) => grid.setPixels(pixels),
  (message) => status.showError(message),
);
const timeline = new TimelineView(byTestId("timeline-panel"), async (entry, index) => {
  try {
    await bridge.loadWeights(entry.url);
  } catch (error) {
    status.showError(TEXT.timelineFailed(error.message));
    throw error;
  }
  state.snapshot = index === timeline.entries.length - 1 ? null : index;
  status.hideError();
  saveHash();
  await refresh();
});

bridge.on("stage", (event) => status.stage(event));
bridge.on("fatal", (message) => status.fatal(message));
bridge.on("model", (summary) => {
  probabilities.setLabels(summary.labels); // keeps the bars when the labels are unchanged
  status.model(summary);
  samples.setSource(new URL(`exports/samples/${summary.dataset}.bin`, document.baseURI).href, summary.labels);
});
bridge.on("result", (result) => {
  probabilities.show(result);
  networkInput.show(result.input);
});

/** Predict the current drawing (latest wins); errors go to the banner. */
function refresh() {
  if (!state.ready) return Promise.resolve(null);
  return bridge.predict(grid.pixels).catch((error) => {
    status.showError(error.message);
    return null;
  });
}

let latestRefresh = Promise.resolve(null); // the prediction for the latest change

function changed() {
  saveHash();
  latestRefresh = refresh();
}

// ---- the URL hash: drawing, model, settings ----

let hashTimer = null;
function saveHash() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(async () => {
    window.history.replaceState(null, "", await shareUrl());
  }, HASH_DELAY_MS);
}

async function shareUrl() {
  const ink = grid.pixels.some((value) => value > 0);
  return urlWithState({
    d: ink ? await encodeDrawing(grid.pixels) : "",
    w: state.weightsUrl === DEFAULT_WEIGHTS ? "" : state.weightsUrl,
    t: state.snapshot ?? "",
    p: preprocessToggle.checked ? "" : "0",
    b: brushInput.value === "2" ? "" : brushInput.value,
    n: sceneSettings.topN ?? "",
    m: sceneSettings.mode ?? "",
    h: sceneSettings.threshold ? sceneSettings.threshold : "",
    a: sceneSettings.animate === false ? "0" : "",
  });
}

async function share() {
  clearTimeout(hashTimer);
  const url = await shareUrl();
  window.history.replaceState(null, "", url);
  const notice = byTestId("notice");
  try {
    await navigator.clipboard.writeText(url);
    notice.textContent = TEXT.shareCopied;
  } catch {
    notice.textContent = `${TEXT.shareFailed} ${url}`;
  }
  notice.hidden = false;
  setTimeout(() => (notice.hidden = true), 4000);
  return url;
}

async function restoreSettings() {
  if (shared.p === "0") preprocessToggle.checked = false;
  bridge.options.mnistStyle = preprocessToggle.checked;
  if (shared.b) {
    brushInput.value = shared.b;
    grid.setBrushSize(Number(shared.b));
  }
  if (shared.d) {
    try {
      grid.setPixels(await decodeDrawing(shared.d, grid.pixels.length));
      grid.history.length = 0;
    } catch (error) {
      status.showError(TEXT.linkDrawingUnreadable(error.message));
    }
  }
}
const restored = restoreSettings();
// Opening a shared link in a tab that already shows the page changes only the hash:
// start over from it (our own updates use replaceState, which fires no hashchange).
window.addEventListener("hashchange", () => window.location.reload());

// ---- boot ----

const ready = bridge.init(requestedWeights, DEFAULT_WEIGHTS).then(async ({ summary, warning }) => {
  if (warning) {
    status.showError(TEXT.defaultInstead(warning));
    state.weightsUrl = DEFAULT_WEIGHTS;
  }
  timeline.setTimeline(summary.timeline, new URL(state.weightsUrl, document.baseURI));
  await restored;
  state.ready = true;
  status.ready(summary);
  if (shared.t && !timeline.root.hidden) {
    await timeline.request(Number(shared.t)).catch((error) => {
      status.showError(TEXT.linkTimelineIgnored(error.message));
    });
  }
  refresh();
  return summary;
});
ready.catch(() => {}); // the fatal event already shows the reason in the page

// The 3D scene mounts after the runtime's init request is sent; it loads three lazily.
const reducedMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
const sceneSettings = {
  topN: 24,
  mode: "weight",
  threshold: 0,
  animate: !reducedMotion,
};
{
  const topN = Number(shared.n);
  if (shared.n && Number.isInteger(topN) && topN >= 0 && topN <= 64) sceneSettings.topN = topN;
  if (shared.m === "weight" || shared.m === "contribution") sceneSettings.mode = shared.m;
  const threshold = Number(shared.h);
  if (shared.h && Number.isFinite(threshold) && threshold >= 0 && threshold <= 0.9) {
    sceneSettings.threshold = threshold;
  }
  if (shared.a === "0") sceneSettings.animate = false;
}
const scene = mountScene(byTestId("scene-container"), {
  settings: sceneSettings,
  onSettingsChange: (patch) => {
    Object.assign(sceneSettings, patch);
    scene.setSettings(sceneSettings);
    saveHash();
    if ("topN" in patch || "mode" in patch) refresh();
  },
  startAfter: ready,
});

// Frames for the scene (the runtime answers with whole frames in the next step).
async function showSceneModel(summary) {
  const layers = [];
  try {
    for (let i = 0; i + 1 < summary.architecture.length; i++) layers.push(await bridge.layer(i));
  } catch {
    return; // the runtime reports its own failures
  }
  if (bridge.model === summary) scene.setModel({ summary, layers });
}
bridge.on("model", showSceneModel);
bridge.on("result", async (result) => {
  const { topN, mode } = sceneSettings;
  const connections = await bridge.connections(topN, mode).catch(() => null);
  if (connections) scene.render({ ...result, connections, settings: { topN, mode } });
});

/** Load another export (and its timeline); a rejected file keeps the current model. */
async function loadWeights(url) {
  try {
    const summary = await bridge.loadWeights(url);
    state.weightsUrl = url;
    state.snapshot = null;
    timeline.setTimeline(summary.timeline, new URL(url, document.baseURI));
    status.hideError();
    saveHash();
    await refresh();
    return summary;
  } catch (error) {
    status.showError(TEXT.stillLoaded(error.message));
    throw error;
  }
}

function plain(result) {
  return {
    blank: result.blank,
    label: result.top === null ? null : result.labels[result.top],
    probabilities: Array.from(result.probabilities),
    activations: result.activations.map((layer) => Array.from(layer)),
    preActivations: result.preActivations.map((layer) => Array.from(layer)),
    input: Array.from(result.input),
  };
}

// Learning in the page: train, teach, fine-tune, export (web/src/learn, web/src/ui/learn-panel.js).
const learning = mountLearning({
  bridge,
  worker,
  root: byTestId("learn-panel"),
  ready,
  pixels: () => grid.pixels,
  refresh: () => (latestRefresh = refresh()),
  showWeights: showSceneModel,
  sourceName: () => state.weightsUrl,
  opened: () => {
    state.snapshot = null;
    timeline.setTimeline([], new URL(document.baseURI));
    status.hideError();
  },
});

window.mlpvis = {
  ...learning.api,
  ready,
  bridge,
  setPixels(values) {
    grid.setPixels(values); // the change predicts; hand back that prediction
    return latestRefresh;
  },
  getPixels: () => grid.getPixels(),
  clear() {
    grid.clear();
    return latestRefresh;
  },
  undo() {
    grid.undo();
    return latestRefresh;
  },
  async predict() {
    await ready;
    return plain(await bridge.predict(grid.pixels));
  },
  loadWeights,
  loadSample: (label = null) => samples.pick(label),
  selectSnapshot: (index) => timeline.request(index),
  shareUrl,
  model: () => bridge.model,
  timings: () => bridge.timings(),
  sceneStats: () => scene.stats(),
};
