// The scene panel: mounts the 3D view (loaded lazily, so it never delays the runtime's boot),
// its toolbar, legend, output labels and inspection card, and feeds it the runtime's results.
// This module talks to the bridge and the DOM; the Three.js code lives in network-scene.js.

import { SCENE_TEXT as T } from "../ui/strings.js";
import { describeNeuron } from "./inspect.js";
import { firstNeuron, stepCursor } from "./keyboard-nav.js";
import { computeLayout, sameShape } from "./layout.js";
import { InspectionCard } from "./panel/card.js";
import { createControls, MAX_TOP_N } from "./panel/controls.js";
import { el } from "./panel/dom.js";
import { showNoWebGL } from "./panel/fallback.js";
import { OutputLabels } from "./panel/labels.js";
import { createLegend } from "./panel/legend.js";
import { createView } from "./view.js";
import { webglSupport } from "./webgl-support.js";

const DEFAULT_TOP_N = 24;
const MODES = ["weight", "contribution"];
const CLICK_SLOP_PX = 6;

/**
 * Mount the scene into `container`.
 * @param {HTMLElement} container the scene panel
 * @param {{bridge: import("../bridge.js").RuntimeBridge, getPixels: () => Float32Array,
 *   initialSettings?: {topN?: number, mode?: string, threshold?: number, animate?: boolean},
 *   onSettingsChange?: (s: object) => void, startAfter?: Promise<unknown>}} deps
 * @returns {{stats: () => object, settings: () => object}} counters for
 *   `window.mlpvis.sceneStats()` and the settings worth sharing in a link
 */
export function mountScene(
  container,
  { bridge, getPixels, initialSettings = {}, onSettingsChange = () => {}, startAfter = Promise.resolve() },
) {
  const reducedMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
  const settings = { topN: DEFAULT_TOP_N, mode: "weight", threshold: 0, animate: !reducedMotion };
  if (
    Number.isInteger(initialSettings.topN) &&
    initialSettings.topN >= 0 &&
    initialSettings.topN <= MAX_TOP_N
  ) {
    settings.topN = initialSettings.topN;
  }
  if (MODES.includes(initialSettings.mode)) settings.mode = initialSettings.mode;
  const threshold = initialSettings.threshold;
  if (Number.isFinite(threshold) && threshold >= 0 && threshold <= 0.9) {
    settings.threshold = threshold;
  }
  if (typeof initialSettings.animate === "boolean") settings.animate = initialSettings.animate;
  const shareable = () => ({
    topN: settings.topN,
    mode: settings.mode,
    threshold: settings.threshold,
    animate: settings.animate,
  });
  const state = {
    scene: null,
    summary: null,
    generation: 0, // bumps with each model, so late answers for an old model are dropped
    result: null,
    pixels: null,
    weightConnections: null,
    layerWeights: new Map(), // weight layer → Promise<{weight, bias}>
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
  const controls = createControls(settings, changeSettings, () => state.scene?.resetView());
  viewport.append(canvasHost, labelLayer, card.element);
  container.replaceChildren(controls, viewport, legend.element);

  const support = webglSupport();
  if (!support.ok) {
    container.dataset.webgl = "unavailable";
    controls.hidden = true;
    showNoWebGL(viewport, support.reason);
    return {
      stats: () => ({ webgl: false, ready: false, drawCalls: 0, connections: 0, neurons: 0 }),
      settings: shareable,
    };
  }

  // three is big to parse and a first software-rendered frame is CPU-heavy: on a small
  // machine both would compete with the runtime's boot, so they wait for `startAfter`.
  startAfter
    .catch(() => {})
    .then(() => createView(canvasHost, { software: support.software, onRender: () => placeLabels() }))
    .then((scene) => {
      scene.canvas.dataset.testid = "scene";
      scene.canvas.setAttribute("aria-label", T.canvasLabel);
      scene.canvas.tabIndex = 0;
      scene.setOptions({ threshold: settings.threshold, animate: settings.animate });
      state.scene = scene;
      listenForPicks(scene.canvas);
      listenForKeys(scene.canvas);
      bridge.on("model", setModel);
      bridge.on("result", showResult);
      if (bridge.model) {
        setModel(bridge.model);
        bridge.predict(getPixels()).catch(() => {}); // show the current drawing's activations
      }
    })
    .catch((error) => {
      state.failed = String(error?.message ?? error);
      container.dataset.webgl = "unavailable";
      controls.hidden = true;
      showNoWebGL(viewport, state.failed);
    });

  /** A new model: same shape (a timeline snapshot) swaps in place, else the scene rebuilds. */
  function setModel(summary) {
    if (state.summary && sameShape(state.summary, summary)) {
      swapModel(summary);
      return;
    }
    state.generation++;
    state.summary = summary;
    state.layout = computeLayout(summary);
    state.result = null;
    state.pixels = getPixels();
    state.weightConnections = null;
    state.layerWeights.clear();
    unpin();
    state.hover = null;
    state.scene.setModel(summary);
    if (state.cursor) state.cursor = firstNeuron();
    if (state.cursorShown) state.scene.setFocus(state.cursor);
    labels.setLabels(summary.labels);
    labels.show(null, null);
    state.scene.pushFrame({ pixels: state.pixels, result: null, connections: null, mode: settings.mode });
    fetchConnections();
  }

  /**
   * Same architecture and labels: keep the layout, the camera and the pinned card; only the
   * connections and the card's weights are fetched again (the next result redraws the rest).
   */
  function swapModel(summary) {
    state.generation++;
    state.summary = summary;
    state.layout = computeLayout(summary);
    state.layerWeights.clear();
    state.scene.updateModel(summary);
    fetchConnections();
    refreshCard();
  }

  function showResult(result) {
    if (!state.summary) return;
    state.result = result;
    state.pixels = result.input ?? getPixels(); // what the network saw (maybe preprocessed)
    labels.show(result.blank ? null : result.probabilities, result.blank ? null : result.top);
    if (settings.mode === "weight") {
      state.scene.pushFrame({
        pixels: state.pixels,
        result,
        connections: state.weightConnections,
        mode: "weight",
      });
    } else {
      requestContributions();
    }
    refreshCard();
  }

  /** Fetch the top-N connections for the current settings and redraw every frame with them. */
  let connectionsJob = 0;
  async function fetchConnections() {
    const job = ++connectionsJob;
    const { topN, mode } = settings;
    const generation = state.generation;
    let connections;
    try {
      connections = await bridge.connections(topN, mode);
    } catch {
      return; // the runtime reports its own failures
    }
    if (job !== connectionsJob || generation !== state.generation) return;
    if (mode === "weight") state.weightConnections = connections;
    state.scene.replaceConnections(connections, mode);
  }

  /** Contribution mode: after each result, fetch its live top-N (latest wins). */
  let contributionsBusy = false;
  let contributionsWanted = false;
  async function requestContributions() {
    contributionsWanted = true;
    if (contributionsBusy) return;
    contributionsBusy = true;
    try {
      while (contributionsWanted && settings.mode === "contribution") {
        contributionsWanted = false;
        const generation = state.generation;
        const connections = await bridge.connections(settings.topN, "contribution");
        if (generation !== state.generation || settings.mode !== "contribution") break;
        state.scene.pushFrame({
          pixels: state.pixels,
          result: state.result,
          connections,
          mode: "contribution",
        });
      }
    } catch {
      // the runtime reports its own failures
    } finally {
      contributionsBusy = false;
    }
  }

  function changeSettings(change) {
    Object.assign(settings, change);
    onSettingsChange(shareable());
    if (!state.scene) return;
    if ("threshold" in change || "animate" in change) {
      state.scene.setOptions({ threshold: settings.threshold, animate: settings.animate });
    }
    if ("mode" in change) legend.setMode(settings.mode);
    if (("topN" in change || "mode" in change) && state.summary) fetchConnections();
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
      state.scene.pick(...local(event)).then((neuron) => {
        if (neuron) {
          state.cursor = neuron; // the keys go on from the clicked neuron
          pin(neuron);
        } else unpin();
      });
    });
    // Hover: one pick in flight at a time; the latest pointer position wins.
    let hoverAt = null;
    let picking = false;
    const pickHover = async () => {
      picking = true;
      while (hoverAt) {
        const at = hoverAt;
        hoverAt = null;
        const neuron = await state.scene.pick(...at);
        if (!hoverAt && !left) setHover(neuron);
      }
      picking = false;
    };
    let left = false;
    canvas.addEventListener("pointermove", (event) => {
      if (event.buttons || event.pointerType === "touch") return;
      left = false;
      hoverAt = local(event);
      if (!picking) pickHover();
    });
    canvas.addEventListener("pointerleave", () => {
      left = true;
      hoverAt = null;
      setHover(null);
    });
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
      if (!state.layout || event.altKey || event.ctrlKey || event.metaKey) return;
      state.cursor ??= firstNeuron();
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        showCursor();
        pin(state.cursor);
        return;
      }
      const next = stepCursor(state.cursor, event.key, state.layout.layers);
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
    if (sameNeuron(neuron, state.hover)) return;
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
  async function placeCard(neuron) {
    const position = await state.scene?.position(neuron);
    if (!position) return;
    card.element.dataset.side = position.x > state.scene.size().width / 2 ? "left" : "right";
  }

  /** Draw the card for the pinned (else hovered) neuron; loads the layer's weights once. */
  function refreshCard() {
    const hover = state.hover === state.dismissed ? null : state.hover;
    const neuron = state.pinned ?? hover;
    if (!neuron || !state.summary || !state.layout) {
      card.hide();
      return;
    }
    const weights = layerWeights(neuron.layer - 1);
    const draw = (loaded) => {
      const current = state.pinned ?? (state.hover === state.dismissed ? null : state.hover);
      if (current !== neuron) return;
      card.show(
        describeNeuron({
          summary: state.summary,
          layers: state.layout.layers,
          neuron,
          result: state.result,
          pixels: state.pixels,
          weights: loaded,
        }),
        Boolean(state.pinned),
      );
    };
    if (weights.value) draw(weights.value);
    else {
      draw(null);
      weights.promise.then(draw, () => {});
    }
  }

  function layerWeights(layer) {
    let entry = state.layerWeights.get(layer);
    if (!entry) {
      entry = { value: null, promise: null };
      const generation = state.generation;
      entry.promise = bridge.layer(layer).then((value) => {
        if (generation === state.generation) entry.value = value;
        return value;
      });
      entry.promise.catch(() => state.layerWeights.delete(layer));
      state.layerWeights.set(layer, entry);
    }
    return entry;
  }

  function placeLabels() {
    labels.place(state.scene.outputs());
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
      thread: state.scene.thread,
      settings: { ...settings },
      outputs: state.scene.outputs().map((p) => ({
        x: rect.left + p.x,
        y: rect.top + p.y,
        visible: p.visible,
      })),
    };
  }

  return { stats, settings: shareable };
}

function sameNeuron(a, b) {
  return a === b || Boolean(a && b && a.layer === b.layer && a.index === b.index);
}
