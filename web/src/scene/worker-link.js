// The page's side of the render worker's messages (worker-view.js owns the worker): numbers
// the commands it posts, keeps the latest rendered frame's counters and output places, and
// matches answers to questions. An error in the worker is logged to the page's console; when
// the worker fails outright, the questions still waiting are rejected, so no caller waits for ever.

export class WorkerLink {
  /**
   * @param {(message: object) => void} post sends a message to the worker
   * @param {{onRender: (moved: boolean) => void, log?: (...args: unknown[]) => void}} hooks
   *   `onRender`: a frame was drawn, `moved` when its output neurons moved (the labels follow
   *   them); `log`: where worker errors go (console.error)
   */
  constructor(post, { onRender, log = console.error }) {
    this.post = post;
    this.onRender = onRender;
    this.log = log;
    this.sent = 0; // commands posted; a rendered frame says up to which one it shows
    this.latest = {
      seen: 0,
      outputs: [],
      stats: { webgl: true, ready: false, drawCalls: 0, connections: 0, neurons: 0 },
    };
    this.questions = new Map(); // id → {resolve, reject}
    this.nextId = 0;
  }

  /** Post a command ({type: "call"|"event"|"resize", …}) with the next sequence number. */
  command(message) {
    this.post({ ...message, seq: ++this.sent });
  }

  /** Ask the worker a question; resolves with its answer (null when answering failed). */
  ask(question, ...args) {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.questions.set(id, { resolve, reject });
      this.post({ type: "ask", id, question, args });
    });
  }

  /** A message from the worker. */
  receive(data) {
    if (data.type === "rendered") {
      const moved = data.outputs !== null;
      const stats = { ...this.latest.stats, ...data.stats }; // keeps the update times when none came
      this.latest = { ...data, stats, outputs: moved ? data.outputs : this.latest.outputs };
      this.onRender(moved);
    } else if (data.type === "answer") {
      this.questions.get(data.id)?.resolve(data.value);
      this.questions.delete(data.id);
    } else if (data.type === "error") {
      this.log("The scene's render worker:", data.message);
    }
  }

  /** The worker failed outright (an uncaught error): log it, reject the waiting questions. */
  fail(message) {
    const error = new Error(`The scene's render worker failed: ${message}`);
    this.log(error.message);
    for (const { reject } of this.questions.values()) reject(error);
    this.questions.clear();
  }

  outputs() {
    return this.latest.outputs;
  }

  /** The latest frame's counters; "animating" until a frame shows every command sent (tests
   * wait for settled frames). */
  stats() {
    const { stats, seen } = this.latest;
    return { ...stats, animating: stats.animating || seen < this.sent };
  }
}
