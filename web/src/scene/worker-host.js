// The render worker's side of its messages (render-worker.js owns the scene and the canvas):
// runs a command, replays a camera gesture, applies a resize or answers a question. Whatever
// one of them throws is reported to the page ({type: "error"}) and changes nothing else: the
// command still counts as seen (so `sceneStats()` can settle) and a question still gets its
// answer (null, with the error), so nothing on the page waits for ever.

import { VIEW_COMMANDS } from "./view-commands.js";

const COMMANDS = new Set(VIEW_COMMANDS);

export class WorkerHost {
  /**
   * @param {import("./network-scene.js").NetworkScene} scene
   * @param {import("./element-proxy.js").ElementProxy} element the controls' stand-in element
   * @param {(message: object) => void} post
   */
  constructor(scene, element, post) {
    this.scene = scene;
    this.element = element;
    this.post = post;
    this.seen = 0; // the latest command (call, resize or event) handled: each frame reports it
  }

  /** Handle one message from the page (anything but "init"). */
  handle(data) {
    let value = null;
    let error = null;
    try {
      value = this.apply(data);
    } catch (thrown) {
      error = String(thrown?.stack ?? thrown?.message ?? thrown);
      this.post({ type: "error", message: error });
    } finally {
      if (data.type === "ask") {
        this.post({ type: "answer", id: data.id, value: error ? null : (value ?? null), error });
      } else if (typeof data.seq === "number") {
        this.seen = data.seq;
        this.scene.requestRender(); // a frame confirms it, even when nothing changed
      }
    }
  }

  apply(data) {
    switch (data.type) {
      case "call":
        if (!COMMANDS.has(data.method)) throw new Error(`not a view command: ${data.method}`);
        this.scene[data.method](...data.args);
        return null;
      case "event":
        this.element.replay(data.fields, data.target);
        return null;
      case "resize":
        this.element.setRect({ ...this.element.rect, width: data.size.width, height: data.size.height });
        this.scene.resize(data.size);
        return null;
      case "ask":
        return this.answer(data.question, data.args);
      default:
        throw new Error(`unknown message: ${data.type}`);
    }
  }

  /** Questions with an answer: picking and screen positions. */
  answer(question, args) {
    if (question === "pick") return this.scene.pick(...args);
    if (question === "position") return this.scene.position(...args);
    throw new Error(`unknown question: ${question}`);
  }
}
