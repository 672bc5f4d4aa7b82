// The page: one store owns the settings (settings.js says each one's URL key, default and
// validation); controls write to it, and the URL hash, the bridge and the views follow it.
// Every change of the drawing, the model or a setting asks the runtime for one frame, which
// the views (bars, network input, 3D scene) only render. Exposes `window.mlpvis`.

import { RuntimeBridge } from "./bridge.js";
import { DATASETS, MNIST_STYLE } from "./constants.js";
import { mountLearning } from "./learn/mount.js";
import { keepOffline } from "./offline.js";
import { checkPixels } from "./pixels.js";
import { CALL } from "./protocol.js";
import { mountScene } from "./scene/index.js";
import { DEFAULT_WEIGHTS, SETTINGS, settingsWith } from "./settings.js";
import { Store } from "./store.js";
import { CompactPrediction } from "./ui/compact-prediction.js";
import { DrawGrid } from "./ui/draw-grid.js";
import { NetworkInputView } from "./ui/network-input.js";
import { ProbabilityView } from "./ui/probabilities.js";
import { SampleDigits } from "./ui/samples.js";
import { StatusView } from "./ui/status.js";
import { applyStrings, applySubject, TEXT } from "./ui/strings.js";
import { TimelineView } from "./ui/timeline.js";
import { decodeDrawing, encodeDrawing, readHash, urlWithState } from "./url-state.js";

const HASH_DELAY_MS = 250;
const SCENE_SETTINGS = settingsWith("scene"); // what the 3D scene is given
const FRAME_SETTINGS = settingsWith("frame"); // what a frame is computed under

applyStrings(document);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const shared = readHash();

// ---- the store: the one owner of the settings ----

const store = new Store(shared, SETTINGS, Object.fromEntries(new URLSearchParams(window.location.search)));
const reducedMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
store.setDefaults({ animate: !reducedMotion });
const requestedWeights = store.get("weightsUrl");
const requestedSnapshot = store.get("snapshot");
store.set({ snapshot: null }); // the main export loads first; the link's snapshot after it

const worker =
  window.__mlpvisWorker ?? new Worker(new URL("./worker/worker.js", import.meta.url), { type: "module" });
const bridge = new RuntimeBridge(worker);
const status = new StatusView(document);
if (store.ignored.length) status.showError(TEXT.linkSettingsIgnored(store.ignored));
const probabilities = new ProbabilityView(
  byTestId("probabilities"),
  byTestId("prediction"),
  byTestId("announcer"),
);
const compact = new CompactPrediction(byTestId("prediction-compact"));
const networkInput = new NetworkInputView(byTestId("network-input"));
let ready = false;

const grid = new DrawGrid(byTestId("draw-grid"), { onChange: () => drawingChanged() });
const undoButton = byTestId("undo");
const eraseButton = byTestId("erase-mode");
const brushInput = byTestId("brush-size");
brushInput.min = String(SETTINGS.brushSize.min); // the settings table gives the bounds
brushInput.max = String(SETTINGS.brushSize.max);
const preprocessToggle = byTestId("preprocess");

// ---- controls write to the store ----

byTestId("clear").addEventListener("click", () => grid.clear());
undoButton.addEventListener("click", () => grid.undo());
eraseButton.addEventListener("click", () => setEraseMode(eraseButton.ariaPressed !== "true"));
brushInput.addEventListener("input", () => store.set({ brushSize: Number(brushInput.value) }));
preprocessToggle.addEventListener("change", () => store.set({ mnistStyle: preprocessToggle.checked }));
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
  (bytes) => booted.then(() => bridge.call(CALL.SAMPLES, { data: bytes }, [bytes.buffer])),
);
const timeline = new TimelineView(byTestId("timeline-panel"), async (entry, index) => {
  try {
    await bridge.loadWeights(entry.url);
  } catch (error) {
    status.showError(TEXT.timelineFailed(error.message));
    throw error;
  }
  status.hideError();
  store.set({ snapshot: index === timeline.entries.length - 1 ? null : index });
  await refresh();
});

// ---- the bridge and the views follow the store ----

function sceneSettings(values) {
  return Object.fromEntries(SCENE_SETTINGS.map((name) => [name, values[name]]));
}

function followStore(values) {
  bridge.options = Object.fromEntries(FRAME_SETTINGS.map((name) => [name, values[name]]));
  preprocessToggle.checked = values.mnistStyle;
  brushInput.value = String(values.brushSize);
  grid.setBrushSize(values.brushSize);
}
followStore(store.values());
store.subscribe((values, changed) => {
  followStore(values);
  if (changed.some((name) => SCENE_SETTINGS.includes(name))) scene.setSettings(sceneSettings(values));
  if (changed.some((name) => FRAME_SETTINGS.includes(name))) latestRefresh = refresh();
  saveHash();
});

bridge.on("stage", (event) => status.stage(event));
bridge.on("fatal", (message) => status.fatal(message));
bridge.on("model", ({ summary, layers }) => {
  // The model says which preprocessing it expects; a link's or the person's choice still wins.
  store.setDefaults({ mnistStyle: summary.preprocessing === MNIST_STYLE });
  applySubject(document, DATASETS[summary.dataset]?.subject ?? "digit");
  probabilities.setLabels(summary.labels); // keeps the bars when the labels are unchanged
  compact.setLabels(summary.labels);
  status.model(summary);
  samples.setSource(new URL(`exports/samples/${summary.dataset}.bin`, document.baseURI).href, summary.labels);
  scene.setModel({ summary, layers });
});
bridge.on("result", (frame) => {
  probabilities.show(frame);
  compact.show(frame);
  networkInput.show(frame.input);
  scene.render(frame);
});

/** Ask for the frame of the current drawing (latest wins); errors go to the banner. */
function refresh() {
  if (!ready) return Promise.resolve(null);
  return bridge.predict(grid.pixels).catch((error) => {
    status.showError(error.message);
    return null;
  });
}

let latestRefresh = Promise.resolve(null); // the frame for the latest change

function drawingChanged() {
  saveHash();
  latestRefresh = refresh();
}

// ---- the URL hash follows the store (and the drawing) ----

let hashTimer = null;
function saveHash() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(async () => {
    window.history.replaceState(null, "", await shareUrl());
  }, HASH_DELAY_MS);
}

async function shareUrl() {
  const ink = grid.pixels.some((value) => value > 0);
  return urlWithState({ d: ink ? await encodeDrawing(grid.pixels) : "", ...store.hashFields() });
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

async function restoreDrawing() {
  if (!shared.d) return;
  try {
    grid.setPixels(await decodeDrawing(shared.d, grid.pixels.length));
    grid.history.length = 0;
  } catch (error) {
    status.showError(TEXT.linkDrawingUnreadable(error.message));
  }
}
const restored = restoreDrawing();
// Opening a shared link in a tab that already shows the page changes only the hash:
// start over from it (our own updates use replaceState, which fires no hashchange).
window.addEventListener("hashchange", () => window.location.reload());

// ---- boot ----

const booted = bridge.init(requestedWeights, DEFAULT_WEIGHTS).then(async ({ summary, warning }) => {
  if (warning) {
    status.showError(TEXT.defaultInstead(warning));
    store.set({ weightsUrl: null });
  }
  timeline.setTimeline(summary.timeline, new URL(store.get("weightsUrl"), document.baseURI));
  await restored;
  ready = true;
  status.ready(summary);
  if (requestedSnapshot !== null && !timeline.root.hidden) {
    await timeline.request(requestedSnapshot).catch((error) => {
      status.showError(TEXT.linkTimelineIgnored(error.message));
    });
  }
  latestRefresh = refresh();
  await latestRefresh;
  return summary;
});
booted.catch(() => {}); // the fatal event already shows the reason in the page
keepOffline(booted);

// The 3D scene mounts after the runtime's init request is sent; it loads three lazily.
const scene = mountScene(byTestId("scene-container"), {
  settings: sceneSettings(store.values()),
  onSettingsChange: (patch) => {
    try {
      store.set(patch);
    } catch (error) {
      status.showError(error.message);
    }
  },
  startAfter: booted,
});

/** Load another export (and its timeline); a rejected file keeps the current model. */
async function loadWeights(url) {
  try {
    const summary = await bridge.loadWeights(url);
    store.set({ weightsUrl: url, snapshot: null });
    timeline.setTimeline(summary.timeline, new URL(url, document.baseURI));
    status.hideError();
    latestRefresh = refresh();
    await latestRefresh;
    return summary;
  } catch (error) {
    status.showError(TEXT.stillLoaded(error.message));
    throw error;
  }
}

function plain(frame) {
  return {
    blank: frame.blank,
    label: frame.top === null ? null : frame.labels[frame.top],
    probabilities: Array.from(frame.probabilities),
    activations: frame.activations.map((layer) => Array.from(layer)),
    preActivations: frame.preActivations.map((layer) => Array.from(layer)),
    input: Array.from(frame.input),
  };
}

// Learning in the page: train, teach, fine-tune, export (web/src/learn, web/src/ui/learn-panel.js).
const learning = mountLearning({
  bridge,
  worker,
  root: byTestId("learn-panel"),
  ready: booted,
  pixels: () => grid.pixels,
  refresh: () => (latestRefresh = refresh()),
  showWeights: (model) => scene.setModel(model),
  sourceName: () => store.get("weightsUrl") || DEFAULT_WEIGHTS,
  opened: () => {
    store.set({ snapshot: null });
    timeline.setTimeline([], new URL(document.baseURI));
    status.hideError();
  },
});

window.mlpvis = {
  ...learning.api,
  ready: booted,
  bridge,
  store,
  /** Replace the drawing; rejects (changing nothing) unless given one number in [0, 1] per pixel. */
  async setPixels(values) {
    grid.setPixels(checkPixels(values, grid.pixels.length)); // the change predicts
    return latestRefresh; // hand back that prediction
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
    await booted;
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
