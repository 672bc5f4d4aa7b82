// The inspection card: one neuron's activation, weighted sum, bias, strongest contributors
// and, for the first hidden layer, its incoming weights as an image. Closes with × or Esc.

import { SCENE_TEXT as T } from "../../ui/strings.js";
import { formatNumber } from "../card-data.js";
import { cssDiverging, rgbDiverging } from "../palette.js";
import { el } from "./dom.js";

export class InspectionCard {
  /** @param {() => void} onClose */
  constructor(onClose) {
    this.element = el("aside", {
      class: "scene-card",
      "data-testid": "scene-card",
      "aria-live": "polite",
      hidden: true,
    });
    this.onClose = onClose;
  }

  /** Put the card on the side of a `width`-wide view away from x, so it never hides the neuron. */
  placeAwayFrom(x, width) {
    this.element.dataset.side = x > width / 2 ? "left" : "right";
  }

  hide() {
    if (this.element.hidden && !this.element.firstChild) return; // already hidden: no restyle
    this.element.hidden = true;
    this.element.replaceChildren();
    delete this.element.dataset.layer;
    delete this.element.dataset.index;
  }

  /** Show `d` (see describeNeuron); `pinned` cards have a close button. */
  show(d, pinned) {
    const card = this.element;
    card.hidden = false;
    card.dataset.layer = d.layer;
    card.dataset.index = d.index;
    card.dataset.pinned = pinned ? "true" : "false";
    const rows = [
      row(T.cardActivation, d.activation, "scene-card-activation"),
      d.probability !== null ? row(T.cardProbability, d.probability, "scene-card-probability", true) : null,
      row(T.cardWeightedSum, d.preActivation, "scene-card-weighted-sum"),
      row(T.cardBias, d.bias, "scene-card-bias"),
    ].filter(Boolean);
    const children = [
      el("header", { class: "scene-card-head" }, [
        el("div", {}, [
          el("strong", { "data-testid": "scene-card-title", text: d.title }),
          el("small", { text: d.subtitle }),
        ]),
        pinned
          ? el("button", {
              type: "button",
              class: "scene-card-close",
              "aria-label": T.cardClose,
              "data-testid": "scene-card-close",
              text: T.cardCloseSymbol,
              onclick: () => this.onClose(),
            })
          : "",
      ]),
    ];
    if (d.label !== null) {
      children.push(
        el("span", { class: "scene-card-label", "data-testid": "scene-card-label", text: d.label }),
      );
    }
    children.push(el("dl", { class: "scene-card-values" }, rows.flat()));
    if (d.contributors.length) {
      children.push(
        el("p", { class: "scene-card-section", text: T.cardContributors }),
        el(
          "ol",
          { class: "scene-card-contributors", "data-testid": "scene-card-contributors" },
          d.contributors.map((c) =>
            el("li", { title: T.cardContributorTitle(formatNumber(c.input), formatNumber(c.weight)) }, [
              el("span", { class: "scene-swatch", style: `background: ${cssDiverging(c.relative)}` }),
              el("span", { class: "scene-card-name", text: c.name }),
              el("span", { class: "scene-card-number", text: formatNumber(c.value) }),
            ]),
          ),
        ),
      );
    }
    if (d.weightImage) {
      children.push(
        el("p", { class: "scene-card-section", text: T.cardWeights }),
        weightCanvas(d.weightImage),
      );
    }
    card.replaceChildren(...children);
  }
}

function row(name, value, testid, percent = false) {
  const text = value === null ? T.cardMissing : percent ? T.cardPercent(value) : formatNumber(value);
  const attributes = { "data-testid": testid, text };
  if (value !== null) attributes["data-value"] = String(value);
  return [el("dt", { text: name }), el("dd", attributes)];
}

/** A rows × cols image of the weights, diverging colours scaled to the largest |w|. */
function weightCanvas({ values, rows, cols }) {
  const canvas = el("canvas", {
    class: "scene-card-weights",
    "data-testid": "scene-card-weights",
    width: cols,
    height: rows,
    "aria-label": T.cardWeightsLabel,
  });
  const context = canvas.getContext("2d");
  const image = context.createImageData(cols, rows);
  let maxAbs = 0;
  for (const value of values) maxAbs = Math.max(maxAbs, Math.abs(value));
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = rgbDiverging(maxAbs ? values[i] / maxAbs : 0);
    image.data.set([r, g, b, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}
