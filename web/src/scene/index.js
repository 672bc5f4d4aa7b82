// The scene panel: its toolbar, 3D view, output labels, inspection card and legend. It renders
// the models and frames the page gives it and reports toolbar changes; it never calls the
// runtime and never reads the drawing. The view renders in its own worker where the browser
// allows (view.js), loaded after the runtime's boot so that it never delays it.
//
// This file assembles the panel and wires its parts, each in its own module:
//   frame-feed.js   models and frames → the view and the output labels
//   interaction.js  hover, click and keyboard → which neuron's card shows
//   card-data.js    what the card says (panel/card.js draws it)
//   stats.js        the counters behind `window.mlpvis.sceneStats()`
//   view.js         where the frames are drawn (worker-view.js, or local-view.js)

import { SCENE_TEXT as T } from "../ui/strings.js";
import { describeNeuron } from "./card-data.js";
import { FrameFeed } from "./frame-feed.js";
import { Interaction } from "./interaction.js";
import { InspectionCard } from "./panel/card.js";
import { createControls } from "./panel/controls.js";
import { el } from "./panel/dom.js";
import { showNoWebGL } from "./panel/fallback.js";
import { OutputLabels } from "./panel/labels.js";
import { createLegend } from "./panel/legend.js";
import { sceneStats } from "./stats.js";
import { createView } from "./view.js";
import { webglSupport } from "./webgl-support.js";

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
 *     settings: { topN, mode, mnistStyle } } — everything one drawing shows under the current settings.
 *     A blank frame has top === null and shows no percentages and no winner.
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
  let view = null;
  let interaction = null;
  let failed = false;

  const viewport = el("div", { class: "scene-viewport" });
  const canvasHost = el("div", { class: "scene-canvas-host" });
  const labelLayer = el("div", { class: "scene-labels", "aria-label": T.outputLabels });
  const legend = createLegend();
  legend.setMode(settings.mode);
  const card = new InspectionCard(() => interaction?.unpin());
  const labels = new OutputLabels(labelLayer, (index) => interaction?.pin({ layer: lastLayer(), index }));
  const controls = createControls(settings, onSettingsChange, () => view?.resetView());
  const feed = new FrameFeed({
    labels,
    onRebuild: () => interaction?.reset(),
    onChange: () => refreshCard(),
  });
  viewport.append(canvasHost, labelLayer, card.element);
  container.replaceChildren(controls.element, viewport, legend.element);

  const unavailable = (reason) => {
    failed = true;
    container.dataset.webgl = "unavailable";
    controls.element.hidden = true;
    showNoWebGL(viewport, reason);
  };
  const support = webglSupport();
  if (!support.ok) unavailable(support.reason);
  else {
    // three is big to parse and a first software-rendered frame is CPU-heavy: on a small
    // machine both would compete with the runtime's boot, so they wait for `startAfter`.
    startAfter
      .catch(() => {})
      .then(() =>
        createView(canvasHost, { software: support.software, onRender: (moved) => rendered(moved) }),
      )
      .then((created) => {
        view = created;
        view.canvas.dataset.testid = "scene";
        view.canvas.setAttribute("aria-label", T.canvasLabel);
        view.canvas.tabIndex = 0;
        view.setOptions({ threshold: settings.threshold, animate: settings.animate });
        interaction = new Interaction(view, {
          layers: () => feed.layout?.layers ?? null,
          onChange: () => refreshCard(),
          onPlace: (neuron) => placeCard(neuron),
        });
        feed.attach(view);
      })
      .catch((error) => unavailable(String(error?.message ?? error)));
  }

  /** The store's settings (after a change from the toolbar or elsewhere). */
  function setSettings(next) {
    const before = { ...settings };
    Object.assign(settings, next);
    controls.show(settings);
    if (before.mode !== settings.mode) legend.setMode(settings.mode);
    if (view && (before.threshold !== settings.threshold || before.animate !== settings.animate)) {
      view.setOptions({ threshold: settings.threshold, animate: settings.animate });
    }
  }

  /** Draw the card of the shown neuron (pinned, else hovered) from the model and the frame. */
  function refreshCard() {
    const shown = interaction?.shown();
    if (!shown || !feed.layout) {
      card.hide();
      return;
    }
    const { neuron, pinned } = shown;
    const description = describeNeuron({
      summary: feed.model.summary,
      layers: feed.layout.layers,
      neuron,
      frame: feed.frame,
      weights: feed.model.layers[neuron.layer - 1] ?? null,
    });
    card.show(description, pinned);
  }

  async function placeCard(neuron) {
    const position = await view.position(neuron).catch(() => null); // a failed worker: logged there
    if (position) card.placeAwayFrom(position.x, view.size().width);
  }

  /** The view drew a frame: the labels show its values and follow its outputs if they moved. */
  function rendered(moved) {
    feed.rendered();
    if (moved) labels.place(view.outputs());
  }

  function lastLayer() {
    return feed.model ? feed.model.summary.architecture.length - 1 : 0;
  }

  return {
    setModel: (model) => feed.setModel(model),
    render: (frame) => feed.render(frame),
    setSettings,
    stats: () => sceneStats(view, { webgl: !failed, settings }),
  };
}
