// Output labels as HTML next to the output neurons (crisp at any zoom, no draw calls);
// the winner is highlighted. Clicking a label selects its neuron.

import { SCENE_TEXT as T } from "../../ui/strings.js";
import { setText } from "../../ui/text-node.js";
import { el } from "./dom.js";

export class OutputLabels {
  /** @param {HTMLElement} layer an overlay above the canvas */
  constructor(layer, onSelect) {
    this.layer = layer;
    this.onSelect = onSelect;
    this.items = [];
  }

  setLabels(labels) {
    this.items = labels.map((label, index) => {
      const value = el("span", { class: "scene-label-value" });
      const item = el(
        "button",
        {
          type: "button",
          class: "scene-label",
          "data-testid": `scene-label-${index}`,
          title: T.labelTitle(label),
          onclick: () => this.onSelect(index),
        },
        [el("span", { class: "scene-label-name", text: label }), value],
      );
      return { item, value };
    });
    this.layer.replaceChildren(...this.items.map(({ item }) => item));
    if (this.positions) this.place(this.positions); // where the neurons were last seen
  }

  /** Move each label next to its neuron ({x, y, radius, visible} in CSS pixels). */
  place(positions) {
    this.positions = positions;
    positions.forEach((position, index) => {
      const entry = this.items[index];
      if (!entry) return;
      const transform = `translate(${Math.round(position.x + position.radius + 6)}px, ${Math.round(position.y)}px) translateY(-50%)`;
      if (entry.item.hidden !== !position.visible) entry.item.hidden = !position.visible;
      if (entry.item.style.transform !== transform) entry.item.style.transform = transform; // no restyle when still
    });
  }

  /** Probabilities next to the labels; the winner highlighted (null: none). */
  show(probabilities, winner) {
    this.items.forEach(({ item, value }, index) => {
      item.classList.toggle("winner", index === winner);
      setText(value, probabilities ? T.labelProbability(probabilities[index]) : "");
    });
  }
}
