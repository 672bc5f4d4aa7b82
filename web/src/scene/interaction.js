// Which neuron the person is looking at: the pointer hovers (a card) and clicks or taps (a
// pinned card), Esc or empty space closes; with the view focused, keys move a cursor over the
// neurons and Enter pins. Picking is asked of the view (answered by the render worker), so it
// is asynchronous: one hover pick in flight at a time, the latest pointer position wins, an
// answer about an older network (one rebuilt since the pick was asked) is dropped, and so is a
// click's answer when the person clicked again, pinned, closed or pressed Esc meanwhile.

import { firstNeuron, stepCursor } from "./keyboard-nav.js";

const CLICK_SLOP_PX = 6;

/** Two neuron references {layer, index} name the same neuron (or both none). */
export function sameNeuron(a, b) {
  return a === b || Boolean(a && b && a.layer === b.layer && a.index === b.index);
}

export class Interaction {
  /**
   * @param {import("./worker-view.js").SceneView} view
   * @param {{layers: () => object[]|null, onChange: () => void, onPlace: (neuron: object) => void}} hooks
   *   `layers`: the layout's layers (null before a model); `onChange`: the shown neuron changed;
   *   `onPlace`: a card is about to show for `neuron` (place it away from it)
   */
  constructor(view, { layers, onChange, onPlace }) {
    this.view = view;
    this.layers = layers;
    this.onChange = onChange;
    this.onPlace = onPlace;
    this.pinned = null; // {layer, index}
    this.hover = null;
    this.dismissed = null; // the hovered neuron whose card Esc closed
    this.cursor = null; // the keyboard cursor
    this.cursorShown = false; // its ring is visible (keyboard focus)
    this.generation = 0; // counts the networks: a pick answer from an older one is dropped
    this.choices = 0; // counts clicks, pins, unpins and Esc: only the latest one's answer counts
    this.listenForPointer(view.canvas);
    this.listenForKeys(view.canvas);
  }

  /** The neuron whose card shows: the pinned one, else the hovered one (unless dismissed). */
  shown() {
    if (this.pinned) return { neuron: this.pinned, pinned: true };
    const hover = sameNeuron(this.hover, this.dismissed) ? null : this.hover;
    return hover ? { neuron: hover, pinned: false } : null;
  }

  /** A new network: nothing is pinned or hovered; the cursor goes back to the start. */
  reset() {
    this.generation++;
    this.pinned = null;
    this.hover = null;
    this.dismissed = null;
    this.view.setSelection(null);
    this.view.setHover(null);
    if (this.cursor) this.cursor = firstNeuron();
    if (this.cursorShown) this.view.setFocus(this.cursor);
    this.onChange();
  }

  pin(neuron) {
    this.choices++;
    this.pinned = neuron;
    this.onPlace(neuron);
    this.view.setSelection(neuron);
    this.onChange();
  }

  unpin() {
    this.choices++;
    this.pinned = null;
    this.view.setSelection(null);
    this.onChange();
  }

  setHover(neuron) {
    if (sameNeuron(neuron, this.hover)) return;
    this.hover = neuron;
    this.dismissed = null;
    if (neuron && !this.pinned) this.onPlace(neuron);
    this.view.setHover(neuron);
    this.view.canvas.parentElement.style.cursor = neuron ? "pointer" : "";
    if (!this.pinned) this.onChange();
  }

  /**
   * The neuron under canvas point (x, y), or undefined when the answer is stale (the network
   * was rebuilt meanwhile); a failed pick counts as no neuron.
   */
  async pickAt(x, y) {
    const generation = this.generation;
    const neuron = await this.view.pick(x, y).catch(() => null);
    return generation === this.generation ? neuron : undefined;
  }

  listenForPointer(canvas) {
    const local = (event) => {
      const rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    };
    let down = null;
    canvas.addEventListener("pointerdown", (event) => {
      down = { x: event.clientX, y: event.clientY, id: event.pointerId };
    });
    canvas.addEventListener("pointerup", async (event) => {
      if (!down || down.id !== event.pointerId) return;
      const moved = Math.hypot(event.clientX - down.x, event.clientY - down.y);
      down = null;
      if (moved > CLICK_SLOP_PX || event.button !== 0) return;
      const choice = ++this.choices;
      const neuron = await this.pickAt(...local(event));
      if (neuron === undefined) return; // about an older network
      if (choice !== this.choices) return; // a newer click, pin, close or Esc: that one wins
      if (neuron) {
        this.cursor = neuron; // the keys go on from the clicked neuron
        this.pin(neuron);
      } else this.unpin();
    });

    let wanted = null; // the latest pointer position not yet picked
    let picking = false;
    let inside = false;
    const pickHover = async () => {
      picking = true;
      while (wanted) {
        const at = wanted;
        wanted = null;
        const neuron = await this.pickAt(...at);
        if (neuron !== undefined && !wanted && inside) this.setHover(neuron); // else a newer position is on its way
      }
      picking = false;
    };
    canvas.addEventListener("pointermove", (event) => {
      if (event.buttons || event.pointerType === "touch") return;
      inside = true;
      wanted = local(event);
      if (!picking) pickHover();
    });
    canvas.addEventListener("pointerleave", () => {
      inside = false;
      wanted = null;
      this.setHover(null);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      this.choices++; // a click still being picked opens nothing
      if (!(this.pinned || this.hover)) return;
      this.dismissed = this.hover; // no hover card again until the pointer moves on
      this.unpin();
    });
  }

  listenForKeys(canvas) {
    canvas.addEventListener("focus", () => {
      this.cursor ??= firstNeuron();
      if (canvas.matches(":focus-visible")) this.showCursor();
    });
    canvas.addEventListener("blur", () => {
      this.cursorShown = false;
      this.view.setFocus(null);
    });
    canvas.addEventListener("keydown", (event) => {
      const layers = this.layers();
      if (!layers || event.altKey || event.ctrlKey || event.metaKey) return;
      this.cursor ??= firstNeuron();
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.showCursor();
        this.pin(this.cursor);
        return;
      }
      const next = stepCursor(this.cursor, event.key, layers);
      if (!next) return;
      event.preventDefault();
      this.cursor = next;
      this.showCursor();
      this.setHover(next); // a preview card, read out by screen readers (aria-live)
    });
  }

  showCursor() {
    this.cursorShown = true;
    this.view.setFocus(this.cursor);
  }
}
