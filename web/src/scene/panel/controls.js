// The scene's toolbar: connections per neuron (N), ranking mode, threshold, animation, reset.
// It reports changes and shows the settings it is given (the page's store owns the values).

import { CONNECTION_MODES } from "../../constants.js";
import { MAX_THRESHOLD, SETTINGS } from "../../settings.js";
import { SCENE_TEXT as T } from "../../ui/strings.js";
import { el } from "./dom.js";

/**
 * @param {{topN: number, mode: string, threshold: number, animate: boolean}} initial
 * @param {(change: object) => void} onChange called with the changed setting(s)
 * @param {() => void} onReset
 * @returns {{element: HTMLElement, show: (settings: object) => void}}
 */
export function createControls(initial, onChange, onReset) {
  const topNValue = el("output", { class: "scene-value", "data-testid": "scene-top-n-value" });
  const topN = el("input", {
    type: "range",
    min: SETTINGS.topN.min,
    max: SETTINGS.topN.max,
    step: 1,
    value: initial.topN,
    "data-testid": "scene-top-n",
    "aria-label": T.topNLabel,
    oninput: () => {
      topNValue.textContent = topN.value;
      onChange({ topN: Number(topN.value) });
    },
  });
  topNValue.textContent = String(initial.topN);

  const mode = el(
    "select",
    {
      "data-testid": "scene-mode",
      "aria-label": T.modeLabel,
      onchange: () => onChange({ mode: mode.value }),
    },
    CONNECTION_MODES.map((value) => el("option", { value, text: T.modes[value] })),
  );
  mode.value = initial.mode;

  const thresholdValue = el("output", { class: "scene-value", "data-testid": "scene-threshold-value" });
  const threshold = el("input", {
    type: "range",
    min: 0,
    max: Math.round(MAX_THRESHOLD * 100),
    step: 5,
    value: Math.round(initial.threshold * 100),
    "data-testid": "scene-threshold",
    "aria-label": T.thresholdLabel,
    oninput: () => {
      thresholdValue.textContent = T.thresholdValue(threshold.value);
      onChange({ threshold: Number(threshold.value) / 100 });
    },
  });
  thresholdValue.textContent = T.thresholdValue(threshold.value);

  const animate = el("input", {
    type: "checkbox",
    "data-testid": "scene-animate",
    checked: initial.animate,
    onchange: () => onChange({ animate: animate.checked }),
  });

  const element = el("div", { class: "scene-toolbar", "data-testid": "scene-controls" }, [
    el("label", { title: T.topNTitle }, [T.topN, topN, topNValue]),
    el("label", {}, [T.modeBy, mode]),
    el("label", { title: T.thresholdTitle }, [T.threshold, threshold, thresholdValue]),
    el("label", { title: T.animateTitle }, [animate, T.animate]),
    el("button", { type: "button", "data-testid": "scene-reset", onclick: onReset, text: T.resetView }),
  ]);

  /** Show `settings` (a no-op for a field that already matches, so typing is not disturbed). */
  const show = (settings) => {
    const set = (input, value) => {
      if (input.value !== String(value)) input.value = String(value);
    };
    set(topN, settings.topN);
    topNValue.textContent = String(settings.topN);
    set(mode, settings.mode);
    set(threshold, Math.round(settings.threshold * 100));
    thresholdValue.textContent = T.thresholdValue(Math.round(settings.threshold * 100));
    animate.checked = settings.animate;
  };
  return { element, show };
}
