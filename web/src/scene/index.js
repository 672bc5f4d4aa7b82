// The scene panel: mounts the 3D view (loaded lazily, so it never delays the runtime's boot),
// its toolbar, legend, output labels and inspection card, and renders the frames it is given.
// This module talks to the DOM only; the Three.js code lives in network-scene.js.

import { SCENE_TEXT as T } from "../ui/strings.js";
import { describeNeuron } from "./inspect.js";
import { firstNeuron, stepCursor } from "./keyboard-nav.js";
import { sameShape } from "./layout.js";
import { InspectionCard } from "./panel/card.js";
import { createControls } from "./panel/controls.js";
import { el } from "./panel/dom.js";
import { showNoWebGL } from "./panel/fallback.js";
import { OutputLabels } from "./panel/labels.js";
import { createLegend } from "./panel/legend.js";
import { webglSupport } from "./webgl-support.js";

const CLICK_SLOP_PX = 6;

/**
 * The scene's data contract (also in docs/protocol.md, "Scene"). The scene never calls the
 * runtime and never reads the drawing: the page hands it models and frames.
 *
 *   mountScene(container, { settings, onSettingsChange(patch), startAfter })
 *     → { setModel(model), render(frame), setSettings(settings), stats() }
 *
 *   settings = { topN, mode, threshold, animate }, already validated (web/src/settings.js);
 *     the toolbar reports a change with onSettingsChange({topN}) etc. and shows what
 *     setSettings gives back (the page's store owns the values).
 *   model = { summary, layers: [{ weight: Float32Array(out*in), bias: Float32Array(out) }] }
 *     sent once per loaded model (the inspection card's weights come from here).
 *   frame = { blank, probabilities, top, labels, activations[], preActivations[], input,
 *     connections: [{ k, indices, values }] per weight layer ([out, k] row-major),
 *     settings: { topN, mode } } — everything one drawing shows under the current settings.
 *     A blank frame has top === null and shows no percentages.
 *
 * @param {HTMLElement} container the scene panel
 * @param {{settings: {topN: number, mode: string, threshold: number, animate: boolean},
 *   onSettingsChange?: (patch: object) => void, startAfter?: Promise<unknown>}} options
 */
export function mountScene(
  container,
  { settings: initial, onSettingsChange = () => {}, startAfter = Promise.resolve() },
) {
  const settings = { ...initial };
  const state = {
    scene: null,
    model: null, // { summary, layers } shown
    pendingModel: null, // a model that arrived before three was loaded
    summary: null,
    frame: null, // the latest frame
    pinned: null, // {layer, index}
    hover: null,
    dismissed: null, // the hovered neuron whose card Esc closed
    cursor: null, // the keyboard cursor {layer, index}
    cursorShown: false, // its ring is visible (keyboard focus)
    failed: null,
  };

  const viewport = el("div", { class: "scene-viewport" });
  const canvasHost = el("div", { class: "scene-canvas-host" });
  const labelLayer = el("div", { class: "scene-labels", "aria-label": T.outputLabels });
  const legend = createLegend();
  legend.setMode(settings.mode);
  const card = new InspectionCard(() => unpin());
  const labels = new OutputLabels(labelLayer, (index) => pin({ layer: lastLayer(), index }));
  const controls = createControls(
    settings,
    (patch) => onSettingsChange(patch),
    () => state.scene?.resetView(),
  );
  viewport.append(canvasHost, labelLayer, card.element);
  container.replaceChildren(controls, viewport, legend.element);

  const support = webglSupport();
  if (!support.ok) {
    container.dataset.webgl = "unavailable";
    controls.hidden = true;
    showNoWebGL(viewport, support.reason);
    return {
      setModel: () => {},
      render: () => {},
      setSettings: (next) => Object.assign(settings, next),
      stats: () => ({ webgl: false, ready: false, drawCalls: 0, connections: 0, neurons: 0 }),
    };
  }

  // three is big to parse and a first software-rendered frame is CPU-heavy: on a small
  // machine both would compete with the runtime's boot, so they wait for `startAfter`.
  startAfter
    .catch(() => {})
    .then(() => import("./network-scene.js"))
    .then(({ NetworkScene }) => {
      const scene = new NetworkScene(canvasHost, {
        onRender: () => placeLabels(),
        software: support.software,
      });
      scene.canvas.dataset.testid = "scene";
      scene.canvas.setAttribute("aria-label", T.canvasLabel);
      scene.canvas.tabIndex = 0;
      scene.setOptions({ threshold: settings.threshold, animate: settings.animate });
      state.scene = scene;
      listenForPicks(scene.canvas);
      listenForKeys(scene.canvas);
      if (state.pendingModel) setModel(state.pendingModel);
    })
    .catch((error) => {
      state.failed = String(error?.message ?? error);
      container.dataset.webgl = "unavailable";
      controls.hidden = true;
      showNoWebGL(viewport, state.failed);
    });

  /** A new model: same shape (a timeline snapshot) swaps in place, else the scene rebuilds. */
  function setModel(model) {
    if (!state.scene) {
      state.pendingModel = model;
      return;
    }
    state.pendingModel = null;
    const { summary } = model;
    const swap = state.summary && sameShape(state.summary, summary);
    state.model = model;
    state.summary = summary;
    if (swap) {
      // Same architecture and labels: keep the layout, the camera and the pinned card.
      state.scene.updateModel(summary);
      refreshCard();
      return;
    }
    const frame = state.frame;
    state.frame = null;
    unpin();
    state.hover = null;
    state.scene.setModel(summary);
    if (state.cursor) state.cursor = firstNeuron();
    if (state.cursorShown) state.scene.setFocus(state.cursor);
    labels.setLabels(summary.labels);
    labels.show(null, null);
    if (frame && fits(frame, summary)) render(frame);
  }

  /** Show one frame; a frame that only changes the connections (same input) redraws in place. */
  function render(frame) {
    const previous = state.frame;
    state.frame = frame;
    if (!state.scene || !state.summary) return;
    labels.show(frame.blank ? null : frame.probabilities, frame.blank ? null : frame.top);
    const sameInput =
      previous &&
      previous.input.length === frame.input.length &&
      previous.input.every((value, index) => value === frame.input[index]) &&
      previous.activations.at(-1).every((value, index) => value === frame.activations.at(-1)[index]);
    const connectionsOnly =
      sameInput &&
      (previous.settings.topN !== frame.settings.topN || previous.settings.mode !== frame.settings.mode);
    if (connectionsOnly) {
      state.scene.replaceConnections(frame.connections, frame.settings.mode);
    } else {
      state.scene.pushFrame({
        pixels: frame.input,
        result: frame,
        connections: frame.connections,
        mode: frame.settings.mode,
      });
    }
    refreshCard();
  }

  /** The store's settings (after a change from the toolbar or elsewhere). */
  function setSettings(next) {
    const before = { ...settings };
    Object.assign(settings, next);
    syncControls();
    if (!state.scene) return;
    if (before.threshold !== settings.threshold || before.animate !== settings.animate) {
      state.scene.setOptions({ threshold: settings.threshold, animate: settings.animate });
    }
    if (before.mode !== settings.mode) legend.setMode(settings.mode);
  }

  /** Show the settings in the toolbar (a no-op when they already match). */
  function syncControls() {
    const field = (id) => controls.querySelector(`[data-testid="${id}"]`);
    const set = (id, value) => {
      const input = field(id);
      if (input && input.value !== String(value)) input.value = String(value);
    };
    set("scene-top-n", settings.topN);
    field("scene-top-n-value").textContent = String(settings.topN);
    set("scene-mode", settings.mode);
    set("scene-threshold", Math.round(settings.threshold * 100));
    field("scene-threshold-value").textContent = T.thresholdValue(Math.round(settings.threshold * 100));
    field("scene-animate").checked = settings.animate;
  }

  // ---- inspection: hover shows a card, a click (or tap) pins it; Esc or empty space closes

  function listenForPicks(canvas) {
    let down = null;
    const local = (event) => {
      const rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    };
    canvas.addEventListener("pointerdown", (event) => {
      down = { x: event.clientX, y: event.clientY, id: event.pointerId };
    });
    canvas.addEventListener("pointerup", (event) => {
      if (!down || down.id !== event.pointerId) return;
      const moved = Math.hypot(event.clientX - down.x, event.clientY - down.y);
      down = null;
      if (moved > CLICK_SLOP_PX || event.button !== 0) return;
      const neuron = state.scene.pick(...local(event));
      if (neuron) {
        state.cursor = neuron; // the keys go on from the clicked neuron
        pin(neuron);
      } else unpin();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (event.buttons || event.pointerType === "touch") return;
      setHover(state.scene.pick(...local(event)));
    });
    canvas.addEventListener("pointerleave", () => setHover(null));
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !(state.pinned || state.hover)) return;
      state.dismissed = state.hover; // no hover card again until the pointer moves on
      unpin();
    });
  }

  // ---- keyboard: with the view focused, keys move a cursor over the neurons; Enter pins

  function listenForKeys(canvas) {
    canvas.addEventListener("focus", () => {
      state.cursor ??= firstNeuron();
      if (canvas.matches(":focus-visible")) showCursor();
    });
    canvas.addEventListener("blur", () => {
      state.cursorShown = false;
      state.scene.setFocus(null);
    });
    canvas.addEventListener("keydown", (event) => {
      if (!state.scene.layout || event.altKey || event.ctrlKey || event.metaKey) return;
      state.cursor ??= firstNeuron();
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        showCursor();
        pin(state.cursor);
        return;
      }
      const next = stepCursor(state.cursor, event.key, state.scene.layout.layers);
      if (!next) return;
      event.preventDefault();
      state.cursor = next;
      showCursor();
      setHover(next); // a preview card, read out by screen readers (aria-live)
    });
  }

  function showCursor() {
    state.cursorShown = true;
    state.scene.setFocus(state.cursor);
  }

  function setHover(neuron) {
    if (neuron === state.hover) return;
    state.hover = neuron;
    state.dismissed = null;
    if (neuron && !state.pinned) placeCard(neuron);
    state.scene?.setHover(neuron);
    canvasHost.style.cursor = neuron ? "pointer" : "";
    if (!state.pinned) refreshCard();
  }

  function pin(neuron) {
    state.pinned = neuron;
    placeCard(neuron);
    state.scene?.setSelection(neuron);
    refreshCard();
  }

  function unpin() {
    state.pinned = null;
    state.scene?.setSelection(null);
    refreshCard();
  }

  /** Put the card on the side of the view away from the neuron, so it never hides it. */
  function placeCard(neuron) {
    const position = state.scene?.screenPositions(neuron.layer)[neuron.index];
    if (!position) return;
    card.element.dataset.side = position.x > state.scene.size.width / 2 ? "left" : "right";
  }

  /** Draw the card for the pinned (else hovered) neuron, from the model and the latest frame. */
  function refreshCard() {
    const hover = state.hover === state.dismissed ? null : state.hover;
    const neuron = state.pinned ?? hover;
    if (!neuron || !state.summary || !state.scene?.layout) {
      card.hide();
      return;
    }
    const frame = state.frame;
    card.show(
      describeNeuron({
        summary: state.summary,
        layers: state.scene.layout.layers,
        neuron,
        result: frame,
        pixels: frame?.input ?? null,
        weights: state.model?.layers[neuron.layer - 1] ?? null,
      }),
      Boolean(state.pinned),
    );
  }

  function placeLabels() {
    labels.place(state.scene.outputPositions());
  }

  function lastLayer() {
    return state.summary ? state.summary.architecture.length - 1 : 0;
  }

  function stats() {
    if (!state.scene) {
      return { webgl: !state.failed, ready: false, drawCalls: 0, connections: 0, neurons: 0 };
    }
    const rect = state.scene.canvas.getBoundingClientRect();
    return {
      ...state.scene.stats(),
      settings: { ...settings },
      outputs: state.scene.outputPositions().map((p) => ({
        x: rect.left + p.x,
        y: rect.top + p.y,
        visible: p.visible,
      })),
    };
  }

  return { setModel, render, setSettings, stats };
}

/** Whether `frame` has the widths of `summary`'s network (a frame kept across a rebuild). */
function fits(frame, summary) {
  const widths = [frame.input.length, ...frame.activations.map((layer) => layer.length)];
  return (
    widths.length === summary.architecture.length && widths.every((w, i) => w === summary.architecture[i])
  );
}
