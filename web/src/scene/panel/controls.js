// The scene's toolbar: connections per neuron (N), ranking mode, threshold, animation, reset.

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
    "aria-label": "Connections shown per neuron",
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
      "aria-label": "Rank connections by",
      onchange: () => onChange({ mode: mode.value }),
    },
    [
      el("option", { value: "weight", text: "strongest weights" }),
      el("option", { value: "contribution", text: "live input × weight" }),
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
    "aria-label": "Hide connections weaker than this share of the strongest",
    oninput: () => {
      thresholdValue.textContent = `${threshold.value}%`;
      onChange({ threshold: Number(threshold.value) / 100 });
    },
  });
  thresholdValue.textContent = `${threshold.value}%`;

  const animate = el("input", {
    type: "checkbox",
    "data-testid": "scene-animate",
    checked: initial.animate,
    onchange: () => onChange({ animate: animate.checked }),
  });

  return el("div", { class: "scene-toolbar", "data-testid": "scene-controls" }, [
    el("label", { title: "How many of each neuron's incoming connections are drawn" }, [
      "Connections per neuron ",
      topN,
      topNValue,
    ]),
    el("label", {}, ["by ", mode]),
    el("label", { title: "Hide connections weaker than this share of the layer's strongest" }, [
      "Hide weaker than ",
      threshold,
      thresholdValue,
    ]),
    el("label", { title: "Layers light up in sequence after each new input" }, [animate, " Animate"]),
    el("button", { type: "button", "data-testid": "scene-reset", onclick: onReset, text: "Reset view" }),
  ]);
}
