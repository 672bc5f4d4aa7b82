// Every user-visible string of the page, in English, in one place.
// Static markup carries `data-text="key"` (text) or `data-label="key"` (aria-label);
// `applyStrings` fills them in at start-up, and modules import `TEXT` for the rest.

import { IMAGE_SHAPE } from "../constants.js";

const [ROWS, COLS] = IMAGE_SHAPE;

/** The words that depend on what the loaded model recognises (DATASETS[name].subject). */
export const SUBJECT_TEXT = Object.freeze({
  digit: { drawTitle: "Draw a digit", samplesTitle: "Try a held-out digit" },
  clothing: { drawTitle: "Draw a piece of clothing", samplesTitle: "Try a held-out example" },
});

export const TEXT = Object.freeze({
  title: "MNIST MLP Visualizer",
  drawTitle: SUBJECT_TEXT.digit.drawTitle, // the page's words until a model names its subject
  drawHint: "Left button draws · right button erases · touch and pen draw · Ctrl+Z undoes",
  gridLabel: `${ROWS} by ${COLS} drawing grid. Arrow keys move the cursor, Space draws, Delete erases, Ctrl+Z undoes.`,
  clear: "Clear",
  undo: "Undo",
  eraseMode: "Erase",
  eraseModeLabel: "Erase mode: touch and pen erase instead of drawing",
  brushSize: "Brush",
  brushSizeLabel: "Brush size",
  preprocess: "Centre and scale like MNIST",
  networkInputCaption: "What the network sees",
  networkInputLabel: `The ${ROWS} by ${COLS} pixels the network sees`,
  samplesTitle: SUBJECT_TEXT.digit.samplesTitle,
  sampleRandom: "Random",
  sampleLabel: (label) => `Load a held-out example of ${label}`,
  samplesUnavailable: (reason) => `Sample digits are unavailable: ${reason}`,
  resultTitle: "Prediction",
  compactLabel: "The top three predictions",
  sceneLabel: "3D view of the network",
  share: "Copy link",
  shareLabel: "Copy a link to this drawing, model and settings",
  shareCopied: "Link copied",
  shareFailed: "Copy this link:",
  timelineTitle: "Watch it learn",
  timelineLabel: "Training timeline: which snapshot of the model to use",
  timelinePoint: (entry) => {
    const accuracy =
      typeof entry.test_accuracy === "number"
        ? ` · ${(entry.test_accuracy * 100).toFixed(1)}% test accuracy`
        : "";
    return `${formatCount(entry.images_seen)} images seen${accuracy}`;
  },
  timelineFailed: (message) =>
    `${message}\nThe timeline stays on the previous snapshot, which is still loaded.`,
  stageLoading: (name) => `Loading ${name}…`,
  ready: (parts) => `Ready · ${parts.join(" · ")}`,
  testAccuracy: (accuracy) => `${(accuracy * 100).toFixed(1)}% test accuracy`,
  runtimeFailed: "The runtime could not start",
  dismiss: "Dismiss",
  linkSettingsIgnored: (keys) =>
    `Some settings in this link were not valid and were left at their defaults (${keys.join(", ")}).`,
  linkTimelineIgnored: (message) => `The link's timeline position was ignored: ${message}`,
  linkDrawingUnreadable: (message) => `The drawing in this link could not be read: ${message}`,
  stageRuntime: "Python runtime",
  stageNumpy: "NumPy",
  stageWeights: "Weights",
  starting: "Starting…",
  defaultInstead: (warning) => `${warning}\nShowing the default model instead.`,
  stillLoaded: (message) => `${message}\nThe current model is still loaded.`,
  noPrediction: "No prediction: the grid is empty.",
  topPredictions: (items) =>
    `Prediction: ${items[0].label}. ` +
    items.map((item) => `${item.label} ${Math.round(item.p * 100)} percent`).join(", "),
});

/** Error and status messages (the runtime worker imports these too). */
export const MESSAGES = Object.freeze({
  pyodideFailed: (reason) => `The Python runtime (Pyodide) could not start: ${reason}`,
  numpyFailed: (reason) => `NumPy could not be loaded (missing or failed its integrity check): ${reason}`,
  trainingPackageFailed: (reason) =>
    `NumPy's random number generators (needed to train) could not be loaded: ${reason}`,
  runtimeImportFailed: (reason) => `The Python runtime could not be imported: ${reason}`,
  defaultFailedToo: (first, reason) => `${first}\nThe default model failed too: ${reason}`,
  unknownRequest: (type) => `unknown request type ${type}`,
  weightsRejected: (url, reason) => `Could not load weights from ${url}: ${reason}`,
  weightsOtherOrigin: (url, origin) =>
    `Could not load weights from ${url}: only exports from this site (${origin}) are loaded`,
  weightsUnreachable: (url, reason) => `Could not fetch weights from ${url}: ${reason}`,
  weightsHttp: (url, status, text) => `Could not load weights from ${url}: HTTP ${status} ${text}`.trim(),
  weightsTooLarge: (url, size, limit) =>
    `Could not load weights from ${url}: file is ${size} bytes, larger than the ${limit}-byte limit`,
  fileHttp: (what, status) => `Could not fetch ${what}: HTTP ${status}`,
  samplesHttp: (status, url) => `HTTP ${status} for ${url}`,
  samplesNoClass: (label) => `no sample of class ${label}`,
  linkDrawingDamaged: "the drawing in the link is damaged",
  noSnapshot: (index, last) => `no snapshot ${index} in this timeline (0–${last})`,
  wrongPixelCount: (expected, actual) => `setPixels expects ${expected} values, got ${actual}`,
});

function formatCount(count) {
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(count >= 1e4 ? 0 : 1)}k`;
  return String(count);
}

/** Fill `data-text` / `data-label` / `data-title` elements from TEXT. */
export function applyStrings(root = document) {
  for (const element of root.querySelectorAll("[data-text]")) {
    element.textContent = TEXT[element.dataset.text];
  }
  for (const element of root.querySelectorAll("[data-label]")) {
    element.setAttribute("aria-label", TEXT[element.dataset.label]);
  }
  for (const element of root.querySelectorAll("[data-title]")) {
    element.title = TEXT[element.dataset.title];
  }
}

/** Use the words for `subject` ("digit", "clothing") in the `data-text` elements that name it. */
export function applySubject(root, subject) {
  const words = SUBJECT_TEXT[subject] ?? SUBJECT_TEXT.digit;
  for (const [key, text] of Object.entries(words)) {
    for (const element of root.querySelectorAll(`[data-text="${key}"]`)) element.textContent = text;
  }
}

// ---- The 3D scene (web/src/scene): every string it shows, in one section ----

export const SCENE_TEXT = Object.freeze({
  canvasLabel:
    "3D view of the network. Drag to orbit, scroll or pinch to zoom, right-drag or two fingers " +
    "to pan. Keys: arrows step through the neurons of a layer, Page Up and Page Down change " +
    "layer, Home and End go to a layer's first and last neuron, Enter pins the neuron's card, " +
    "Escape closes it.",
  outputLabels: "Output labels",
  inputLayerName: "input",
  inputLayerActivation: "pixels",
  defaultLayerName: (index) => `layer ${index}`,
  noWebGL2: "No WebGL 2 context could be created.",
  fallbackTitle: "The 3D view needs WebGL, which this browser has turned off or lacks.",
  fallbackText:
    "Drawing and the predictions still work. To see the network in 3D, enable WebGL " +
    "(hardware acceleration) in the browser settings or try another browser.",
  // toolbar
  topN: "Connections per neuron ",
  topNLabel: "Connections shown per neuron",
  topNTitle: "How many of each neuron's incoming connections are drawn",
  modeBy: "by ",
  modeLabel: "Rank connections by",
  modes: { weight: "strongest weights", contribution: "live input × weight" }, // per CONNECTION_MODES
  threshold: "Hide weaker than ",
  thresholdLabel: "Hide connections weaker than this share of the strongest",
  thresholdTitle: "Hide connections weaker than this share of the layer's strongest",
  thresholdValue: (percent) => `${percent}%`,
  animate: " Animate",
  animateTitle: "Layers light up in sequence after each new input",
  resetView: "Reset view",
  // legend
  legendInhibits: "− inhibits",
  legendExcites: "excites +",
  legendOff: "off",
  legendActive: "active",
  legendBrightness: "Neuron brightness: activation (outputs: probability)",
  legendPrediction: " the prediction",
  legendHelp:
    "Drag to orbit · scroll/pinch to zoom · right-drag to pan · click a neuron · " +
    "focus the view: arrows, Page Up/Down, Enter",
  legendLines: {
    weight: "Lines: input × weight (blank: the weight), the largest weights per neuron",
    contribution: "Lines: input × weight, the strongest live ones per neuron",
  },
  // output labels
  labelTitle: (label) => `Inspect output "${label}"`,
  labelProbability: (p) => `${Math.round(100 * p)}%`,
  // inspection card
  cardOutputTitle: (label) => `Output “${label}”`,
  cardHiddenTitle: (layer, index) => `Hidden layer ${layer} · neuron ${index}`,
  cardSubtitle: (name, activation, inputs) => `${name} · ${activation} · ${inputs} inputs`,
  cardPixel: (row, col) => `pixel (row ${row}, col ${col})`,
  cardSourceNeuron: (name, index) => `${name} · neuron ${index}`,
  cardActivation: "Activation",
  cardProbability: "Probability",
  cardWeightedSum: "Weighted sum",
  cardBias: "Bias",
  cardClose: "Close",
  cardCloseSymbol: "×",
  cardMissing: "–",
  cardPercent: (value) => `${(100 * value).toFixed(1)}%`,
  cardContributors: "Strongest contributors (input × weight)",
  cardContributorTitle: (input, weight) => `input ${input} × weight ${weight}`,
  cardWeights: "Incoming weights (blue −, orange +)",
  cardWeightsLabel: "The neuron's incoming weights as an image",
});

// ---- Learning in the page (web/src/learn, web/src/ui/learn-panel.js) ----

const percent = (value) => (typeof value === "number" ? `${(value * 100).toFixed(1)}%` : "–");

export const LEARN_TEXT = Object.freeze({
  title: "Train it here · teach it your handwriting",
  loading: "Fetching the training digits…",
  loaded: (info) =>
    `${info.train.toLocaleString("en")} training digits · ${info.held_out.toLocaleString("en")} held-out digits`,
  unavailable: (reason) => `Learning is unavailable: ${reason}`,
  size: "Network",
  sizeLoaded: (architecture) => `as loaded (${architecture.join("→")})`,
  sizeChoice: (architecture) => architecture.join("→"),
  epochs: "Epochs",
  rate: "Learning rate",
  rateChoice: (rate, isDefault) => (isDefault ? `${rate} (default)` : String(rate)),
  train: "Train from scratch",
  trainFurther: "Train further",
  pause: "Pause",
  resume: "Resume",
  stop: "Stop",
  reset: "Back to the loaded model",
  stats: (p) =>
    [
      `Epoch ${p.epoch ?? "–"}/${p.epochs ?? "–"}`,
      `${(p.images_seen ?? 0).toLocaleString("en")} images`,
      `${Math.round(p.images_per_second ?? 0).toLocaleString("en")} images/s`,
      `loss ${typeof p.loss === "number" ? p.loss.toFixed(3) : "–"}`,
      `held-out ${percent(p.held_out_accuracy)}`,
    ].join(" · "),
  fineTuneStats: (p) =>
    `Fine-tuning: step ${p.steps} of ${p.total_steps} · loss ${typeof p.loss === "number" ? p.loss.toFixed(3) : "–"}`,
  paused: "paused",
  diverged: (p) =>
    `Training stopped after ${(p.images_seen ?? 0).toLocaleString("en")} images: the loss exploded ` +
    `at learning rate ${p.learning_rate}. The weights from just before are kept; ` +
    "try a smaller learning rate (or go back to the loaded model).",
  chartLabel: "Training chart: loss (orange line) and held-out accuracy (blue dots)",
  teachTitle: "Teach it your handwriting",
  teachHint: "Draw, then say what it is. Your examples stay in this browser.",
  teach: (label) => `This is a ${label}`,
  teachLabel: (label) => `Add the current drawing as an example of ${label}`,
  examplesCount: (count) => (count === 1 ? "1 example" : `${count} examples`),
  deleteExample: (label) => `Delete this example of ${label}`,
  forget: "Forget all",
  fineTune: "Fine-tune on my examples",
  fineTuneResult: (r) =>
    `Your examples: ${percent(r.before.mine)} → ${percent(r.after.mine)} · ` +
    `held-out digits: ${percent(r.before.heldOut)} → ${percent(r.after.heldOut)}`,
  download: "Download model",
  open: "Open an export…",
  openHint: "or drop an export file here (read in this browser, nothing is uploaded)",
  opened: (name) => `Loaded ${name}`,
  // messages (errors reject the API call and show in the panel)
  notALabel: (label, labels) =>
    `${JSON.stringify(label)} is not one of this model's labels (${labels.join(", ")}).`,
  noFile: "No file was chosen.",
  emptyFile: (name) => `${name} is empty.`,
  fileTooLarge: (name, size, limit) => `${name} is ${size} bytes, larger than the ${limit}-byte limit.`,
  fileRejected: (name, reason) => `Could not load ${name}: ${reason}`,
  noData: (where, reason) => `This site has no training digits (${where}: ${reason}).`,
  noDataFor: (dataset) => `This site has no training digits for ${dataset}.`,
  needsOptions: (call) => `${call}() takes an options object`,
  noExamples: "There are no examples to fine-tune on: teach it some first.",
  alreadyRunning: "Training is already running: stop it first.",
  noModel: "No model is loaded yet.",
  blankExample: "Draw something first: a blank grid is not an example.",
  unknownOp: (op) => `unknown learning request ${JSON.stringify(op)}`,
  dataOtherOrigin: (url) => `The training digits must come from this site, not ${url}.`,
  dataUnreachable: (reason) => `The training digits could not be fetched (${reason}).`,
  dataHttp: (status, url) => `The training digits are missing from this site (HTTP ${status} for ${url}).`,
  openFailed: (message) => `${message}\nThe current model is still loaded.`,
});
