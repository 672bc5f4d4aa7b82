// Unit tests of the software frame pacer (pure module; Node's test runner).
import assert from "node:assert/strict";
import { test } from "node:test";

import { FramePacer } from "../../web/src/scene/frame-pacing.js";

test("after a frame that took 100 ms the next one waits as long again", () => {
  const pacer = new FramePacer({ idleFactor: 1 });
  assert.equal(pacer.hold(0), false); // nothing rendered yet
  pacer.rendering(0);
  pacer.rendered(true);
  assert.equal(pacer.hold(100), true); // the frame's cost: 100 ms, then idle 100 ms
  assert.equal(pacer.hold(150), true);
  assert.equal(pacer.hold(200), false);
});

test("the idle factor scales the wait", () => {
  const pacer = new FramePacer({ idleFactor: 2 });
  pacer.rendering(0);
  pacer.rendered(true);
  assert.equal(pacer.hold(50), true);
  assert.equal(pacer.hold(140), true);
  assert.equal(pacer.hold(150), false);
});

test("an idle spell after a frame is not its cost: the next change renders at once", () => {
  const pacer = new FramePacer();
  pacer.rendering(0);
  pacer.rendered(false); // the scene went idle: no frame asked for at once
  assert.equal(pacer.hold(10_000), false);
});

test("a gap longer than maxFrameMs (a hidden page) is not taken for a frame's cost", () => {
  const pacer = new FramePacer({ idleFactor: 1, maxFrameMs: 500 });
  pacer.rendering(0);
  pacer.rendered(true);
  assert.equal(pacer.hold(100), true); // a real frame: 100 ms
  pacer.rendering(200);
  pacer.rendered(true);
  assert.equal(pacer.hold(60_000), false); // back after a minute: renders at once
  assert.equal(pacer.costMs, 100); // and keeps the last real cost
  pacer.rendering(60_000);
  pacer.rendered(false);
  assert.equal(pacer.hold(60_150), true);
  assert.equal(pacer.hold(60_200), false);
});
