// In the render worker, a stand-in for the canvas element that OrbitControls listens to: the
// main thread forwards the canvas's pointer, wheel and key events (event-forwarding.js) and its
// size; this replays them as events, on the element or on its `ownerDocument` as OrbitControls
// expects (it follows a drag on the document).

const noop = () => {};

export class ElementProxy extends EventTarget {
  constructor() {
    super();
    this.ownerDocument = new EventTarget(); // OrbitControls listens here during a drag
    this.style = {}; // OrbitControls sets touchAction; the real canvas has it in CSS
    this.rect = { left: 0, top: 0, width: 1, height: 1 };
  }

  get clientWidth() {
    return this.rect.width;
  }

  get clientHeight() {
    return this.rect.height;
  }

  getBoundingClientRect() {
    const { left, top, width, height } = this.rect;
    return { left, top, width, height, x: left, y: top, right: left + width, bottom: top + height };
  }

  getRootNode() {
    return this.ownerDocument;
  }

  /** The canvas's place on the page, in CSS pixels. */
  setRect(rect) {
    this.rect = { ...rect };
  }

  /**
   * Replay a forwarded event: `fields` are its copied properties (see event-forwarding.js);
   * `target` is "element" or "document".
   */
  replay(fields, target) {
    const { type, ...properties } = fields; // an Event's type is read-only
    const event = new Event(type, { cancelable: true });
    Object.assign(event, properties, { preventDefault: noop, stopPropagation: noop });
    (target === "document" ? this.ownerDocument : this).dispatchEvent(event);
  }

  setPointerCapture() {}
  releasePointerCapture() {}
  hasPointerCapture() {
    return false;
  }
  focus() {}
}
