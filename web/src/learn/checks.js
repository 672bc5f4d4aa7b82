// Argument checks of the learning API that the page makes itself (the worker checks the rest).

import { LEARN_TEXT as T } from "../ui/strings.js";

/** The class index of `label`: an index (0…n-1) or one of the label strings. */
export function checkLabel(label, labels) {
  if (Number.isInteger(label) && label >= 0 && label < labels.length) return label;
  if (typeof label === "string" && labels.includes(label)) return labels.indexOf(label);
  throw new Error(T.notALabel(label, labels));
}

/** A file that may be an export: not empty, not over the size limit. */
export function checkExportFile(file, maxBytes) {
  if (!file) throw new Error(T.noFile);
  if (file.size === 0) throw new Error(T.emptyFile(file.name));
  if (file.size > maxBytes) {
    throw new Error(T.fileTooLarge(file.name, file.size, maxBytes));
  }
}

/**
 * The API's result of a finished training session. `seconds` is wall-clock time in the page
 * (slices, the predictions between them, messages), `computeSeconds` the time in the steps;
 * `diverged`: the loss exploded (learning rate too large), so it stopped early.
 */
export function trainResult(progress) {
  const seconds = progress.wall_seconds ?? progress.seconds;
  return {
    imagesSeen: progress.images_seen,
    heldOutAccuracy: progress.held_out_accuracy,
    imagesPerSecond: seconds > 0 ? progress.images_seen / seconds : 0,
    seconds,
    computeSeconds: progress.seconds,
    epoch: progress.epoch,
    stopped: progress.epoch_progress < 1 || progress.epoch < progress.epochs,
    diverged: Boolean(progress.diverged),
  };
}
