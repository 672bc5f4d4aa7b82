// The bridge between the page and the runtime worker: request/response with ids,
// latest-wins predictions, and frames published to subscribers (the page's views).

import { CALL, EVENT, REQUEST } from "./protocol.js";

export class RuntimeBridge {
  /**
   * @param {Worker} worker the runtime worker (already started; see index.html)
   */
  constructor(worker) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = { stage: [], fatal: [], model: [], result: [] };
    this.model = null; // the loaded model's summary
    this.fatalError = null;
    // What a frame is computed for: { mnistStyle, topN, mode }, set by the page from its store
    // (defaults and validation: web/src/settings.js) before the first predict.
    this.options = null;
    this.inFlight = null; // the predict request the worker is working on
    this.queued = null; // the latest pixels waiting for it: { pixels, waiters }
    this.passes = 0; // forward passes the worker was asked for (superseded ones never are)
    worker.addEventListener("message", (event) => this.onMessage(event.data));
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail(`The runtime worker could not start: ${event.message || "script error"}`);
    });
  }

  /**
   * Subscribe to "stage", "fatal", "model" ({summary, layers}) or "result" (a frame);
   * returns an unsubscribe function.
   */
  on(name, callback) {
    this.listeners[name].push(callback);
    return () => {
      this.listeners[name] = this.listeners[name].filter((item) => item !== callback);
    };
  }

  emit(name, value) {
    for (const callback of this.listeners[name]) callback(value);
  }

  /** Boot with `weightsUrl`, falling back to `fallbackUrl` if it fails; resolves when ready. */
  async init(weightsUrl, fallbackUrl) {
    const value = await this.request(REQUEST.INIT, {
      weightsUrl: absolute(weightsUrl),
      fallbackUrl: fallbackUrl ? absolute(fallbackUrl) : null,
    });
    this.setModel(value);
    return value;
  }

  /** Load another export; the current model stays if it is rejected. Resolves to its summary. */
  async loadWeights(url) {
    const model = await this.request(REQUEST.LOAD_WEIGHTS, { url: absolute(url) });
    this.setModel(model);
    return model.summary;
  }

  setModel({ summary, layers }) {
    this.model = summary;
    this.emit("model", { summary, layers });
  }

  /**
   * The frame for `pixels` (Float32Array) under `this.options`. Latest wins: while one pass
   * runs, newer pixels replace older queued ones, and superseded callers get the newer frame.
   * A request for the pixels and options of the pass already running joins it (no second pass).
   */
  predict(pixels) {
    return new Promise((resolve, reject) => {
      const copy = new Float32Array(pixels);
      const waiter = { resolve, reject };
      if (this.inFlight && !this.inFlight.done && sameJob(this.inFlight, copy, this.options)) {
        // Latest wins: whatever was queued is superseded by these pixels, which are running.
        this.inFlight.waiters.push(...(this.queued?.waiters ?? []), waiter);
        this.queued = null;
        return;
      }
      if (this.queued) {
        this.queued.pixels = copy;
        this.queued.waiters.push(waiter);
      } else {
        this.queued = { pixels: copy, waiters: [waiter] };
      }
      this.pump();
    });
  }

  pump() {
    if (this.inFlight || !this.queued) return;
    const job = this.queued;
    this.queued = null;
    this.inFlight = job;
    this.passes += 1;
    const started = performance.now();
    const { mnistStyle, topN, mode } = this.options;
    job.options = { mnistStyle, topN, mode };
    const sent = new Float32Array(job.pixels); // job.pixels stays readable (sameJob)
    const args = { pixels: sent, mnist_style: mnistStyle, top_n: topN, mode };
    this.call(CALL.PREDICT, args, [sent.buffer])
      .then((frame) => {
        job.done = true; // from here on, a request for the same pixels is a new pass
        const result = {
          ...frame,
          labels: this.model.labels,
          settings: { topN, mode, mnistStyle },
          workerMs: performance.now() - started,
        };
        this.emit("result", result);
        for (const waiter of job.waiters) waiter.resolve(result);
      })
      .catch((error) => {
        job.done = true;
        for (const waiter of job.waiters) waiter.reject(error);
      })
      .finally(() => {
        this.inFlight = null;
        this.pump();
      });
  }

  timings() {
    return this.request(REQUEST.TIMINGS, {});
  }

  /** Benchmark the forward pass inside the worker's Python (median over `repeats` runs). */
  benchForward(pixels, repeats = 200, mnistStyle = false) {
    return this.call(CALL.BENCH_FORWARD, {
      pixels: new Float32Array(pixels),
      repeats,
      mnist_style: mnistStyle,
    });
  }

  /** Call request `name` of py_runtime.worker_api with keyword arguments `args`. */
  call(name, args, transfer = []) {
    return this.request(REQUEST.CALL, { name, args }, transfer);
  }

  request(type, payload, transfer = []) {
    if (this.fatalError) return Promise.reject(new Error(this.fatalError));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, ...payload }, transfer);
    });
  }

  onMessage(message) {
    if (message.type === EVENT.STAGE) {
      this.emit("stage", message);
    } else if (message.type === EVENT.FATAL) {
      this.fail(message.error);
    } else if (message.type === EVENT.RESPONSE) {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.error));
    }
  }

  fail(message) {
    if (this.fatalError) return;
    this.fatalError = message;
    this.emit("fatal", message);
    for (const waiter of this.pending.values()) waiter.reject(new Error(message));
    this.pending.clear();
  }
}

/** Whether the running `job` computes the frame for `pixels` under `options`. */
function sameJob(job, pixels, options) {
  const sent = job.options;
  if (sent.mnistStyle !== options.mnistStyle || sent.topN !== options.topN) return false;
  if (sent.mode !== options.mode || job.pixels.length !== pixels.length) return false;
  return job.pixels.every((value, index) => Object.is(value, pixels[index]));
}

function absolute(url) {
  return new URL(url, window.location.href).href;
}
