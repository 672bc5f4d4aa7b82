// The scene's toolbar: connections per neuron (N), ranking mode, threshold, animation, reset.

import { SCENE_TEXT as T } from "../../ui/strings.js";
import { el } from "./dom.js";

export const MAX_TOP_N = 64;

/**
 * @param {{topN: number, mode: string, threshold: number, animate: boolean}} initial
 * @param {(change: object) => void} onChange called with the changed setting(s)
 * @param {() => void} onReset
 * @returns {HTMLElement}
 */
export function createControls(initial, onChange, onReset) {
  const topNValue = el("output", { class: "scene-value", "data-testid": "scene-top-n-value" });
  const topN = el("input", {
    type: "range",
    min: 0,
    max: MAX_TOP_N,
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
    [
      el("option", { value: "weight", text: T.modeWeight }),
      el("option", { value: "contribution", text: T.modeContribution }),
    ],
  );
  mode.value = initial.mode;

  const thresholdValue = el("output", { class: "scene-value", "data-testid": "scene-threshold-value" });
  const threshold = el("input", {
    type: "range",
    min: 0,
    max: 90,
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

  return el("div", { class: "scene-toolbar", "data-testid": "scene-controls" }, [
    el("label", { title: T.topNTitle }, [T.topN, topN, topNValue]),
    el("label", {}, [T.modeBy, mode]),
    el("label", { title: T.thresholdTitle }, [T.threshold, threshold, thresholdValue]),
    el("label", { title: T.animateTitle }, [animate, T.animate]),
    el("button", { type: "button", "data-testid": "scene-reset", onclick: onReset, text: T.resetView }),
  ]);
}
