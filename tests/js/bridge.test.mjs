// Unit tests of the runtime bridge's prediction queue, against a fake worker (Node's test runner).
import assert from "node:assert/strict";
import { test } from "node:test";

import { RuntimeBridge } from "../../web/src/bridge.js";
import { EVENT } from "../../web/src/protocol.js";

/** A worker that records requests; `answer()` answers the oldest one with a fake frame. */
class FakeWorker {
  constructor() {
    this.requests = [];
    this.listeners = {};
  }
  addEventListener(name, callback) {
    this.listeners[name] = callback;
  }
  postMessage(message) {
    this.requests.push({ ...message, args: { ...message.args, pixels: Array.from(message.args.pixels) } });
  }
  answer() {
    const request = this.requests.shift();
    const value = { top: request.args.pixels[0], topN: request.args.top_n };
    this.listeners.message({ data: { id: request.id, type: EVENT.RESPONSE, ok: true, value } });
  }
}

function bridge() {
  const worker = new FakeWorker();
  const runtime = new RuntimeBridge(worker);
  runtime.model = { labels: ["a", "b"] };
  runtime.options = { mnistStyle: false, topN: 3, mode: "weight" };
  return [runtime, worker];
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("a request for the pixels and options already running joins that pass", async () => {
  const [runtime, worker] = bridge();
  const first = runtime.predict(new Float32Array([1, 0]));
  const second = runtime.predict(new Float32Array([1, 0]));
  assert.equal(runtime.passes, 1);
  worker.answer();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a, b);
  assert.equal(runtime.passes, 1);
  assert.equal(worker.requests.length, 0);
});

test("other pixels or other options while a pass runs queue one more pass", async () => {
  const [runtime, worker] = bridge();
  const first = runtime.predict(new Float32Array([1, 0]));
  runtime.options = { ...runtime.options, topN: 5 };
  const second = runtime.predict(new Float32Array([1, 0]));
  worker.answer();
  await first;
  await settle();
  assert.equal(runtime.passes, 2);
  worker.answer();
  assert.equal((await second).topN, 5);
});

test("latest wins: queued pixels are replaced, and going back to the running pixels joins it", async () => {
  const [runtime, worker] = bridge();
  const running = runtime.predict(new Float32Array([1, 0]));
  const superseded = runtime.predict(new Float32Array([2, 0]));
  const latest = runtime.predict(new Float32Array([1, 0])); // the running pass is the latest
  worker.answer();
  const frames = await Promise.all([running, superseded, latest]);
  assert.deepEqual(
    frames.map((frame) => frame.top),
    [1, 1, 1],
  );
  await settle();
  assert.equal(runtime.passes, 1);

  const a = runtime.predict(new Float32Array([3, 0]));
  const b = runtime.predict(new Float32Array([4, 0]));
  const c = runtime.predict(new Float32Array([5, 0]));
  worker.answer();
  assert.equal((await a).top, 3);
  await settle();
  worker.answer();
  assert.deepEqual([(await b).top, (await c).top], [5, 5]);
  assert.equal(runtime.passes, 3);
});

test("a request made after a pass answered is a new pass", async () => {
  const [runtime, worker] = bridge();
  const first = runtime.predict(new Float32Array([1, 0]));
  worker.answer();
  await first; // the answered pass may still be finishing: it must not be joined now
  runtime.predict(new Float32Array([1, 0]));
  await settle();
  assert.equal(runtime.passes, 2);
  assert.equal(worker.requests.length, 1);
});
