// Unit tests of the page's store and its settings table (pure modules; Node's test runner).
import assert from "node:assert/strict";
import { test } from "node:test";

import { CONNECTION_MODES } from "../../web/src/constants.js";
import { isValid, SETTINGS, settingsWith } from "../../web/src/settings.js";
import { Store } from "../../web/src/store.js";
import { BRUSH_SIZES } from "../../web/src/ui/brush.js";
import { SCENE_TEXT } from "../../web/src/ui/strings.js";

test("old shared links keep working: every key of the table is read", () => {
  const store = new Store({
    p: "0",
    a: "0",
    n: "8",
    m: "contribution",
    h: "0.25",
    b: "3",
    t: "4",
    w: "x.json",
  });
  assert.equal(store.get("mnistStyle"), false);
  assert.equal(store.get("animate"), false);
  assert.equal(store.get("topN"), 8);
  assert.equal(store.get("mode"), "contribution");
  assert.equal(store.get("threshold"), 0.25);
  assert.equal(store.get("brushSize"), 3);
  assert.equal(store.get("snapshot"), 4);
  assert.equal(store.get("weightsUrl"), "x.json");
  assert.deepEqual(store.ignored, []);
});

test("a setting's query alias (?weights=) is read when the hash has no value for it", () => {
  const query = { weights: "q.json", other: "1" };
  assert.equal(new Store({}, SETTINGS, query).get("weightsUrl"), "q.json");
  assert.equal(new Store({}, SETTINGS, query).isExplicit("weightsUrl"), true);
  assert.equal(new Store({ w: "h.json" }, SETTINGS, query).get("weightsUrl"), "h.json"); // the hash wins
  assert.equal(new Store({}, SETTINGS, { n: "8" }).get("topN"), SETTINGS.topN.fallback); // no alias
});

test("the frame and scene columns say which settings a frame and the scene take", () => {
  assert.deepEqual(settingsWith("frame"), ["mnistStyle", "topN", "mode"]);
  assert.deepEqual(settingsWith("scene"), ["topN", "mode", "threshold", "animate"]);
});

test("invalid link values are ignored (the defaults stay) and listed", () => {
  const store = new Store({ n: "999", m: "loudest", h: "NaN", b: "1.5", p: "yes", a: "" });
  assert.equal(store.get("topN"), SETTINGS.topN.fallback);
  assert.equal(store.get("mode"), "weight");
  assert.equal(store.get("threshold"), 0);
  assert.equal(store.get("brushSize"), 2);
  assert.equal(store.get("mnistStyle"), true);
  assert.deepEqual(store.ignored.sort(), ["b", "h", "m", "n", "p"]);
});

test("set validates with the table and changes nothing when one value is bad", () => {
  const store = new Store();
  const seen = [];
  store.subscribe((_values, changed) => seen.push(changed));
  assert.deepEqual(store.set({ topN: 10, mode: "contribution" }), ["topN", "mode"]);
  assert.throws(() => store.set({ topN: 12, threshold: 5 }), /invalid value for setting threshold: 5/);
  assert.throws(() => store.set({ colour: "red" }), /unknown setting colour/);
  assert.throws(() => store.set({ topN: "12" }), /invalid value for setting topN/);
  assert.equal(store.get("topN"), 10);
  assert.deepEqual(seen, [["topN", "mode"]]);
  assert.deepEqual(store.set({ topN: 10 }), []); // no change, no notification
  assert.equal(seen.length, 1);
});

test("a run-time default follows the model unless a link or the person set the value", () => {
  const plain = new Store();
  plain.setDefaults({ mnistStyle: false }); // e.g. a Fashion-MNIST export
  assert.equal(plain.get("mnistStyle"), false);
  plain.setDefaults({ mnistStyle: true });
  assert.equal(plain.get("mnistStyle"), true);

  const linked = new Store({ p: "1" });
  linked.setDefaults({ mnistStyle: false });
  assert.equal(linked.get("mnistStyle"), true); // the link's explicit setting wins
  assert.equal(linked.isExplicit("mnistStyle"), true);
  linked.set({ mnistStyle: null }); // back to the default
  assert.equal(linked.get("mnistStyle"), false);
});

test("a person's value equal to the current default is not pinned; a link's is", () => {
  // The MNIST model's default is on; the person turns it off and on again, then loads Fashion.
  const store = new Store();
  store.setDefaults({ mnistStyle: true });
  store.set({ mnistStyle: false });
  assert.equal(store.isExplicit("mnistStyle"), true);
  store.set({ mnistStyle: true });
  assert.equal(store.isExplicit("mnistStyle"), false);
  store.setDefaults({ mnistStyle: false });
  assert.equal(store.get("mnistStyle"), false); // Fashion's own preprocessing

  const linked = new Store({ p: "1" }); // a link's values are explicit, even the default's
  linked.setDefaults({ mnistStyle: true });
  linked.setDefaults({ mnistStyle: false });
  assert.equal(linked.get("mnistStyle"), true);

  const topN = new Store();
  topN.set({ topN: 10 });
  topN.set({ topN: SETTINGS.topN.fallback });
  assert.equal(topN.isExplicit("topN"), false);
});

test("the URL carries only what differs from the (run-time) default", () => {
  const store = new Store();
  store.setDefaults({ animate: true, mnistStyle: false });
  assert.deepEqual(store.hashFields(), {});
  store.set({ topN: 8, animate: false, mnistStyle: true, threshold: 0.3, weightsUrl: "a.json", snapshot: 2 });
  assert.deepEqual(store.hashFields(), { w: "a.json", t: "2", p: "1", n: "8", h: "0.3", a: "0" });
  store.set({ mnistStyle: false });
  assert.equal(store.hashFields().p, undefined);
  const again = new Store(store.hashFields());
  again.setDefaults({ animate: true, mnistStyle: false });
  assert.deepEqual(again.values(), store.values());
});

test("isValid: a value is valid when it survives write → parse unchanged", () => {
  assert.equal(isValid("animate", true), true);
  assert.equal(isValid("animate", "yes"), false);
  assert.equal(isValid("topN", 64), true);
  assert.equal(isValid("topN", 65), false);
  assert.equal(isValid("topN", 2.5), false);
  assert.equal(isValid("threshold", Number.POSITIVE_INFINITY), false);
  assert.equal(isValid("snapshot", null), true);
  assert.equal(isValid("topN", null), false);
  assert.equal(isValid("weightsUrl", ""), false);
});

test("a range setting's bounds (for its control) are the bounds its parse accepts", () => {
  for (const [name, definition] of Object.entries(SETTINGS)) {
    if (definition.min === undefined) continue;
    const { min, max, parse } = definition;
    assert.equal(parse(String(min)), min, name);
    assert.equal(parse(String(max)), max, name);
    assert.equal(parse(String(min - 1)), undefined, name);
    assert.equal(parse(String(max + 1)), undefined, name);
    assert.ok(min <= definition.fallback && definition.fallback <= max, name);
  }
  // the brush's sizes are the brush module's own (one radius per size)
  const sizes = Object.keys(BRUSH_SIZES).map(Number);
  assert.deepEqual(
    [SETTINGS.brushSize.min, SETTINGS.brushSize.max],
    [Math.min(...sizes), Math.max(...sizes)],
  );
});

test("every connection mode has its words in the scene's toolbar and legend", () => {
  assert.deepEqual(Object.keys(SCENE_TEXT.modes), [...CONNECTION_MODES]);
  assert.deepEqual(Object.keys(SCENE_TEXT.legendLines), [...CONNECTION_MODES]);
  assert.ok(CONNECTION_MODES.includes(SETTINGS.mode.fallback));
});
