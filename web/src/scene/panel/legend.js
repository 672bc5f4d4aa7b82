// The on-screen legend: what line colours and neuron brightness mean.

import { cssActivationGradient, cssDivergingGradient, HEX } from "../palette.js";
import { el } from "./dom.js";

/** @returns {{element: HTMLElement, setMode: (mode: string) => void}} */
export function createLegend() {
  const lineText = el("span", { class: "scene-legend-caption" });
  const element = el("div", { class: "scene-legend", "data-testid": "scene-legend" }, [
    el("div", { class: "scene-legend-item" }, [
      el("div", { class: "scene-legend-row" }, [
        el("span", { class: "scene-legend-end", text: "− inhibits" }),
        el("span", { class: "scene-legend-bar", style: `background: ${cssDivergingGradient()}` }),
        el("span", { class: "scene-legend-end", text: "excites +" }),
      ]),
      lineText,
    ]),
    el("div", { class: "scene-legend-item" }, [
      el("div", { class: "scene-legend-row" }, [
        el("span", { class: "scene-legend-end", text: "off" }),
        el("span", { class: "scene-legend-bar", style: `background: ${cssActivationGradient()}` }),
        el("span", { class: "scene-legend-end", text: "active" }),
      ]),
      el("span", {
        class: "scene-legend-caption",
        text: "Neuron brightness: activation (outputs: probability)",
      }),
    ]),
    el("div", { class: "scene-legend-item" }, [
      el("span", { class: "scene-legend-caption" }, [
        el("span", { class: "scene-legend-ring", style: `border-color: ${HEX.winner}` }),
        " the prediction",
      ]),
      el("span", {
        class: "scene-legend-caption",
        text: "Drag to orbit · scroll/pinch to zoom · right-drag to pan · click a neuron",
      }),
    ]),
  ]);
  const setMode = (mode) => {
    lineText.textContent =
      mode === "contribution"
        ? "Lines: input × weight, the strongest live ones per neuron"
        : "Lines: input × weight (blank: the weight), the largest weights per neuron";
  };
  setMode("weight");
  return { element, setMode };
}
