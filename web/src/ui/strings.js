// Every user-visible string of the page, in English, in one place.
// Static markup carries `data-text="key"` (text) or `data-label="key"` (aria-label);
// `applyStrings` fills them in at start-up, and modules import `TEXT` for the rest.

export const TEXT = Object.freeze({
  title: "MNIST MLP Visualizer",
  drawTitle: "Draw a digit",
  drawHint: "Left button draws · right button erases · touch and pen draw · Ctrl+Z undoes",
  gridLabel:
    "28 by 28 drawing grid. Arrow keys move the cursor, Space draws, Delete erases, Ctrl+Z undoes.",
  clear: "Clear",
  undo: "Undo",
  eraseMode: "Erase",
  eraseModeLabel: "Erase mode: touch and pen erase instead of drawing",
  brushSize: "Brush",
  brushSizeLabel: "Brush size",
  preprocess: "Centre and scale like MNIST",
  networkInputCaption: "What the network sees",
  networkInputLabel: "The 28 by 28 pixels the network sees",
  samplesTitle: "Try a held-out digit",
  sampleRandom: "Random",
  sampleLabel: (label) => `Load a held-out example of ${label}`,
  samplesUnavailable: (reason) => `Sample digits are unavailable: ${reason}`,
  resultTitle: "Prediction",
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
  defaultInstead: (warning) => `${warning}\nShowing the default model instead.`,
  stillLoaded: (message) => `${message}\nThe current model is still loaded.`,
  noPrediction: "No prediction: the grid is empty.",
  topPredictions: (items) =>
    `Prediction: ${items[0].label}. ` +
    items.map((item) => `${item.label} ${Math.round(item.p * 100)} percent`).join(", "),
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
