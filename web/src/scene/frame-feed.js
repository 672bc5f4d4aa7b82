// Models and frames from the page → the view and the output labels. A new architecture
// rebuilds the network; a model of the same shape (a timeline snapshot) swaps in place and
// keeps the camera and the pinned card. A frame with a new input propagates through the layers;
// one that only changes the connections (another N or mode, same input) redraws them in place;
// one that changes nothing (same input, settings and model) only refreshes the labels and card.
// The output labels belong to the scene: they show a frame once the view has drawn it, not
// while the page paints its bars (where their restyle and layout slowed that paint).

import { computeLayout, sameShape } from "./layout.js";

export class FrameFeed {
  /**
   * @param {{labels: import("./panel/labels.js").OutputLabels, onRebuild: () => void,
   *   onChange: () => void}} hooks `onRebuild`: a new network was built (selections reset);
   *   `onChange`: the model or the frame changed (the card redraws)
   */
  constructor({ labels, onRebuild, onChange }) {
    this.labels = labels;
    this.onRebuild = onRebuild;
    this.onChange = onChange;
    this.view = null;
    this.model = null; // {summary, layers: [{weight, bias}]} shown
    this.layout = null; // computeLayout(model.summary): the same layout the view draws
    this.frame = null; // the latest frame
    this.frameModel = null; // the model the latest frame was shown with
    this.pendingModel = null; // a model that arrived before the view existed
    this.labelsDue = null; // the frame the labels show once the view has drawn it
  }

  /** The view is ready: show what arrived meanwhile. */
  attach(view) {
    this.view = view;
    if (this.pendingModel) this.setModel(this.pendingModel);
  }

  setModel(model) {
    if (!this.view) {
      this.pendingModel = model;
      return;
    }
    this.pendingModel = null;
    const { summary } = model;
    const swap = this.model && sameShape(this.model.summary, summary);
    this.model = model;
    this.layout = computeLayout(summary);
    if (swap) {
      this.view.updateModel(summary);
      this.onChange();
      return;
    }
    const frame = this.frame;
    this.frame = null;
    this.view.setModel(summary);
    this.onRebuild();
    this.labels.setLabels(summary.labels);
    this.labelsDue = null; // a frame of the old network, not shown on the new one
    this.labels.show(null, null);
    if (frame && fits(frame, summary)) this.render(frame);
  }

  render(frame) {
    const previous = this.frameModel === this.model ? this.frame : null; // shown with this model
    this.frame = frame;
    if (!this.view || !this.model) return;
    this.frameModel = this.model;
    this.labelsDue = frame;
    const sameAsShown = previous && sameInput(previous, frame);
    if (sameAsShown && connectionsChanged(previous, frame)) {
      this.view.replaceConnections(frame.connections, frame.settings.mode);
    } else if (!sameAsShown || !sameSettings(previous, frame)) {
      this.view.pushFrame({
        pixels: frame.input,
        result: frame,
        connections: frame.connections,
        mode: frame.settings.mode,
      });
    } else {
      this.rendered(); // nothing to draw: the labels follow at once
    }
    this.onChange();
  }

  /** The view drew a frame: the labels show the latest frame it was given. */
  rendered() {
    const frame = this.labelsDue;
    if (!frame) return;
    this.labelsDue = null;
    // A blank drawing has no prediction: no percentages, no winner.
    this.labels.show(frame.blank ? null : frame.probabilities, frame.blank ? null : frame.top);
  }
}

function sameInput(a, b) {
  return (
    a.input.length === b.input.length &&
    a.input.every((value, index) => value === b.input[index]) &&
    a.activations.at(-1).every((value, index) => value === b.activations.at(-1)[index])
  );
}

function connectionsChanged(a, b) {
  return a.settings.topN !== b.settings.topN || a.settings.mode !== b.settings.mode;
}

function sameSettings(a, b) {
  const keys = new Set([...Object.keys(a.settings), ...Object.keys(b.settings)]);
  return [...keys].every((key) => a.settings[key] === b.settings[key]);
}

/** Whether `frame` has the widths of `summary`'s network (a frame kept across a rebuild). */
function fits(frame, summary) {
  const widths = [frame.input.length, ...frame.activations.map((layer) => layer.length)];
  return (
    widths.length === summary.architecture.length && widths.every((w, i) => w === summary.architecture[i])
  );
}
