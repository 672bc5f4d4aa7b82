// The bridge between the page and the runtime worker: request/response with ids,
// latest-wins predictions, and results published to subscribers (UI, 3D scene).

import { EVENT, REQUEST, splitConnections, splitPrediction } from "./protocol.js";

export class RuntimeBridge {
  /**
   * @param {Worker} worker the runtime worker (already started; see index.html)
   */
  constructor(worker) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = { stage: [], fatal: [], model: [], result: [] };
    this.model = null;
    this.fatalError = null;
    this.options = { mnistStyle: true }; // MNIST-style preprocessing before the forward pass
    this.inFlight = null; // the predict request the worker is working on
    this.queued = null; // the latest pixels waiting for it: { pixels, waiters }
    this.passes = 0; // forward passes the worker was asked for (superseded ones never are)
    worker.addEventListener("message", (event) => this.onMessage(event.data));
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail(`The runtime worker could not start: ${event.message || "script error"}`);
    });
  }

  /** Subscribe to "stage", "fatal", "model" or "result"; returns an unsubscribe function. */
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
    this.setModel(value.summary);
    return value;
  }

  /** Load another export; the current model stays if it is rejected. */
  async loadWeights(url) {
    const summary = await this.request(REQUEST.LOAD_WEIGHTS, { url: absolute(url) });
    this.setModel(summary);
    return summary;
  }

  setModel(summary) {
    this.model = summary;
    this.emit("model", summary);
  }

  /**
   * Run the forward pass for `pixels` (Float32Array). Latest wins: while one pass runs,
   * newer pixels replace older queued ones, and superseded callers get the newer result.
   */
  predict(pixels) {
    return new Promise((resolve, reject) => {
      const copy = new Float32Array(pixels);
      if (this.queued) {
        this.queued.pixels = copy;
        this.queued.waiters.push({ resolve, reject });
      } else {
        this.queued = { pixels: copy, waiters: [{ resolve, reject }] };
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
    const payload = { pixels: job.pixels, mnistStyle: this.options.mnistStyle };
    this.request(REQUEST.PREDICT, payload, [job.pixels.buffer])
      .then((flat) => {
        const prediction = splitPrediction(flat, this.model.architecture);
        const result = {
          ...prediction,
          top: prediction.blank ? null : indexOfMax(prediction.probabilities), // winner index
          labels: this.model.labels,
          workerMs: performance.now() - started,
        };
        this.emit("result", result);
        for (const waiter of job.waiters) waiter.resolve(result);
      })
      .catch((error) => {
        for (const waiter of job.waiters) waiter.reject(error);
      })
      .finally(() => {
        this.inFlight = null;
        this.pump();
      });
  }

  /** Top-n incoming connections per neuron, by |weight| ("weight") or |input × weight|. */
  async connections(n, mode = "weight") {
    const flat = await this.request(REQUEST.CONNECTIONS, { n, mode });
    return splitConnections(flat, this.model.architecture, n);
  }

  /** Weight matrix (flat [out × in]) and biases of weight layer `layer`. */
  layer(layer) {
    return this.request(REQUEST.LAYER, { layer });
  }

  timings() {
    return this.request(REQUEST.TIMINGS, {});
  }

  /** Benchmark the forward pass inside the worker (median over `repeats` runs). */
  benchForward(pixels, repeats = 200, mnistStyle = false) {
    const payload = { pixels: new Float32Array(pixels), repeats, mnistStyle };
    return this.request(REQUEST.BENCH_FORWARD, payload);
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

function absolute(url) {
  return new URL(url, window.location.href).href;
}

function indexOfMax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
