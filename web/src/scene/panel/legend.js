// The on-screen legend: what line colours and neuron brightness mean.

import { SETTINGS } from "../../settings.js";
import { SCENE_TEXT as T } from "../../ui/strings.js";
import { cssActivationGradient, cssDivergingGradient, HEX } from "../palette.js";
import { el } from "./dom.js";

/** @returns {{element: HTMLElement, setMode: (mode: string) => void}} */
export function createLegend() {
  const lineText = el("span", { class: "scene-legend-caption" });
  const element = el("div", { class: "scene-legend", "data-testid": "scene-legend" }, [
    el("div", { class: "scene-legend-item" }, [
      el("div", { class: "scene-legend-row" }, [
        el("span", { class: "scene-legend-end", text: T.legendInhibits }),
        el("span", { class: "scene-legend-bar", style: `background: ${cssDivergingGradient()}` }),
        el("span", { class: "scene-legend-end", text: T.legendExcites }),
      ]),
      lineText,
    ]),
    el("div", { class: "scene-legend-item" }, [
      el("div", { class: "scene-legend-row" }, [
        el("span", { class: "scene-legend-end", text: T.legendOff }),
        el("span", { class: "scene-legend-bar", style: `background: ${cssActivationGradient()}` }),
        el("span", { class: "scene-legend-end", text: T.legendActive }),
      ]),
      el("span", {
        class: "scene-legend-caption",
        text: T.legendBrightness,
      }),
    ]),
    el("div", { class: "scene-legend-item" }, [
      el("span", { class: "scene-legend-caption" }, [
        el("span", { class: "scene-legend-ring", style: `border-color: ${HEX.winner}` }),
        T.legendPrediction,
      ]),
      el("span", {
        class: "scene-legend-caption",
        text: T.legendHelp,
      }),
    ]),
  ]);
  const setMode = (mode) => {
    lineText.textContent = T.legendLines[mode];
  };
  setMode(SETTINGS.mode.fallback);
  return { element, setMode };
}
