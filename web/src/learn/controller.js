// Learning in the page, main-thread side: fetches the training digits when first needed,
// asks the worker to train or fine-tune, keeps the person's examples, and keeps the views
// following the changing weights (a new frame several times a second, the scene's weights
// about once a second). Every rule on arguments lives in Python (py_runtime/learning.py);
// a refused request rejects with its message and changes nothing.

import { EVENT, LEARN, REQUEST } from "../protocol.js";
import { LEARN_TEXT as T } from "../ui/strings.js";
import { checkLabel } from "./checks.js";

const FRAME_EVERY_MS = 200; // the current drawing's frame while the weights change
const WEIGHTS_EVERY_MS = 1000; // the scene's weights (inspection card, connections)
const INDEX_URL = "learn/index.json";

export class LearningController {
  /**
   * @param {object} deps
   * @param {import("../bridge.js").RuntimeBridge} deps.bridge
   * @param {Worker} deps.worker
   * @param {import("./examples-store.js").ExampleStore} deps.store
   * @param {() => Promise<Float32Array|null>} deps.networkInput the current drawing as the
   *   network sees it (after preprocessing), or null when it is blank
   * @param {() => void} deps.refreshFrame predict the current drawing again (new weights)
   * @param {(model: {summary, layers}) => void} deps.showWeights hand the scene new weights
   * @param {() => string} deps.sourceName where the loaded model came from
   */
  constructor(deps) {
    Object.assign(this, deps);
    this.listeners = new Set();
    this.data = null; // { dataset, loading: Promise of its counts } the worker has or gets
    this.running = null; // "train" | "fine-tune" | null
    this.paused = false;
    this.progress = null;
    this.changed = false; // the current model is not the loaded one
    this.lastFrame = 0;
    this.lastWeights = 0;
    this.settingModel = false; // true while the controller itself hands the bridge a model
    this.bridge.on("model", () => {
      if (this.settingModel) return;
      this.changed = false; // the page loaded another export: it is the loaded model now
      this.notify();
    });
    this.worker.addEventListener("message", (event) => {
      if (event.data?.type === EVENT.LEARN) this.onEvent(event.data);
    });
  }

  /** Subscribe to state changes ({ running, paused, progress, changed, ... }). */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(extra = {}) {
    const state = {
      running: this.running,
      paused: this.paused,
      progress: this.progress,
      changed: this.changed,
    };
    for (const listener of this.listeners) listener({ ...state, ...extra });
  }

  get dataset() {
    return this.bridge.model?.dataset ?? null;
  }

  /** Fetch and install the training and held-out digits of `dataset` (the worker keeps one
   * dataset's: asking for the one it has is free, another one replaces it). */
  loadData(dataset = this.dataset) {
    if (this.data?.dataset !== dataset) {
      const loading = this.fetchData(dataset);
      this.data = { dataset, loading };
      loading.catch(() => {
        if (this.data?.loading === loading) this.data = null; // a later call tries again
      });
    }
    return this.data.loading;
  }

  async fetchData(dataset) {
    let index;
    try {
      const response = await fetch(new URL(INDEX_URL, document.baseURI));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      index = await response.json();
    } catch (error) {
      throw new Error(T.noData(INDEX_URL, error.message));
    }
    const entry = index[dataset];
    if (!entry) throw new Error(T.noDataFor(dataset));
    const url = (name) => new URL(`learn/${name}`, document.baseURI).href;
    return this.learn(LEARN.DATA, { dataset, trainUrl: url(entry.train), heldOutUrl: url(entry.held_out) });
  }

  learn(op, payload = {}, transfer = []) {
    return this.bridge.request(REQUEST.LEARN, { op, ...payload }, transfer);
  }

  /** Train (see `mlpvis.train`); resolves when done or stopped. */
  async train(options = {}) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new Error(T.needsOptions("train"));
    }
    await this.loadData();
    return this.session("train", () => this.learn(LEARN.TRAIN, { options }));
  }

  /** Fine-tune on the stored examples; resolves with { before, after }. */
  async fineTune(options = {}) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new Error(T.needsOptions("fineTune"));
    }
    const examples = await this.store.list(this.dataset);
    if (examples.length === 0) throw new Error(T.noExamples);
    await this.loadData();
    const pixels = new Float32Array(examples.length * examples[0].pixels.length);
    examples.forEach((example, index) => {
      for (let i = 0; i < example.pixels.length; i++) {
        pixels[index * example.pixels.length + i] = example.pixels[i] / 255;
      }
    });
    const labels = examples.map((example) => example.label);
    const done = await this.session("fine-tune", () =>
      this.learn(LEARN.FINE_TUNE, { pixels, labels, options }, [pixels.buffer]),
    );
    return { before: done.before, after: done.after, progress: done };
  }

  async session(kind, start) {
    if (this.running) throw new Error(T.alreadyRunning);
    this.running = kind;
    this.paused = false;
    this.notify({ started: kind });
    const started = performance.now();
    try {
      const progress = await start();
      progress.wall_seconds = (performance.now() - started) / 1000; // slices, frames, messages
      this.progress = progress;
      this.changed = progress.changed ?? true; // false when another model was loaded meanwhile
      return progress;
    } finally {
      this.running = null;
      this.paused = false;
      this.refreshFrame();
      await this.learn(LEARN.MODEL)
        .then((model) => this.setModel(model)) // the views' model is the trained one
        .catch(() => {});
      this.notify({ finished: kind });
    }
  }

  onEvent(message) {
    if (message.model) {
      const shape = (summary) => JSON.stringify([summary.architecture, summary.labels]);
      if (!this.bridge.model || shape(message.model.summary) !== shape(this.bridge.model)) {
        this.setModel(message.model); // another architecture: every view rebuilds
      } else {
        this.showWeights(message.model);
      }
    }
    if (!message.progress) return;
    this.progress = message.progress;
    this.paused = Boolean(message.progress.paused);
    const now = performance.now();
    if (now - this.lastFrame >= FRAME_EVERY_MS || message.progress.done) {
      this.lastFrame = now;
      this.refreshFrame();
    }
    if (now - this.lastWeights >= WEIGHTS_EVERY_MS) {
      this.lastWeights = now;
      this.refreshWeights();
    }
    this.notify();
  }

  /** Hand the bridge (and so every view) a model the learning made. */
  setModel(model) {
    this.settingModel = true;
    try {
      this.bridge.setModel(model);
    } finally {
      this.settingModel = false;
    }
  }

  /** Hand the scene the current weights (same shape: it updates in place). */
  refreshWeights() {
    this.learn(LEARN.MODEL)
      .then((model) => this.showWeights(model))
      .catch(() => {}); // the next refresh tries again; the runtime reports its own failures
  }

  async stop() {
    const progress = await this.learn(LEARN.STOP);
    return progress;
  }

  async pause() {
    await this.learn(LEARN.PAUSE);
    this.paused = Boolean(this.running);
    this.notify();
  }

  async resume() {
    await this.learn(LEARN.RESUME);
    this.paused = false;
    this.notify();
  }

  /** Back to the loaded model (stops a running session). */
  async reset() {
    const answer = await this.learn(LEARN.RESET);
    this.changed = false;
    this.progress = null;
    this.setModel(answer.model);
    this.refreshFrame();
    this.notify({ reset: true });
  }

  /** The current model as a version-1 export (JSON text). */
  exportModel() {
    return this.learn(LEARN.EXPORT, { source: this.sourceName() });
  }

  /** Add the current drawing (as the network sees it) as an example of `label`. */
  async teach(label) {
    const labels = this.bridge.model?.labels;
    if (!labels) throw new Error(T.noModel);
    const index = checkLabel(label, labels);
    const input = await this.networkInput();
    if (!input) throw new Error(T.blankExample);
    const pixels = Uint8Array.from(input, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255));
    await this.store.add(this.dataset, index, pixels);
    const count = (await this.store.list(this.dataset)).length;
    this.notify({ examples: count });
    return count;
  }

  /** The stored examples of the loaded model's dataset: [{ id, label, pixels (0…1) }]. */
  async examples() {
    const records = await this.store.list(this.dataset);
    return records.map((record) => ({
      id: record.id,
      label: record.label,
      pixels: Array.from(record.pixels, (value) => value / 255),
    }));
  }

  async forgetExample(id) {
    await this.store.remove(id);
    this.notify({ examples: (await this.store.list(this.dataset)).length });
  }

  async forgetExamples() {
    const count = await this.store.clear(this.dataset);
    this.notify({ examples: 0 });
    return count;
  }
}
