// Seeded property tests of the shared-link readers: any URL-hash text for any setting gives a
// valid value or undefined (the default), and any `d=` text decodes to a drawing or is refused.
// SEED=<n> node --test tests/js/ replays a run; CASES=<n> runs more cases (default 400).
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { after, test } from "node:test";

import { isValid, MAX_THRESHOLD, MAX_TOP_N, SETTINGS } from "../../web/src/settings.js";
import { Store } from "../../web/src/store.js";
import { decodeDrawing, readHash } from "../../web/src/url-state.js";

const SEED = Number(process.env.SEED ?? 20261128);
const CASES = Number(process.env.CASES ?? 400);

// Case counts for docs/reliability.md (python -m tests.reliability reads this file).
const counts = {};
const tally = (outcome) => {
  counts[outcome] = (counts[outcome] ?? 0) + 1;
};
after(() => {
  const build = new URL("../../build/", import.meta.url);
  mkdirSync(build, { recursive: true });
  const sorted = Object.fromEntries(Object.entries(counts).sort());
  writeFileSync(
    new URL("reliability-js.json", build),
    `${JSON.stringify({ "url-hash": sorted }, null, 2)}\n`,
  );
});

/** mulberry32: a small seeded PRNG (no dependency). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [
  "",
  " ",
  "0",
  "1",
  "-0",
  "-1",
  "2",
  "3",
  "4",
  "1.5",
  "1e3",
  "1e309",
  "-1e309",
  "Infinity",
  "-Infinity",
  "NaN",
  "0x10",
  "0b1",
  "  2  ",
  "2\n",
  "true",
  "false",
  "null",
  "undefined",
  "weight",
  "contribution",
  "Weight",
  "0.9",
  "0.90000001",
  "24",
  "64",
  "65",
  "10000",
  "10001",
  "9007199254740993",
  "%",
  "%ZZ",
  "🙂",
  "\u0000",
  "__proto__",
  "constructor",
  "#",
  "&",
  "=",
];
const ALPHABET = "0123456789.-+eE xXabcdefghijklmnopqrstuvwxyz%&=#_~/:\\\u0000é🙂";

function randomText(random) {
  if (random() < 0.4) return INTERESTING[Math.floor(random() * INTERESTING.length)];
  const length = Math.floor(random() ** 2 * 40);
  let text = "";
  for (let i = 0; i < length; i++) text += [...ALPHABET][Math.floor(random() * [...ALPHABET].length)];
  return text;
}

/** What a valid value of each setting looks like. */
const VALID = {
  weightsUrl: (v) => typeof v === "string" && v.length > 0,
  snapshot: (v) => Number.isInteger(v) && v >= 0 && v <= 10_000,
  mnistStyle: (v) => typeof v === "boolean",
  brushSize: (v) => Number.isInteger(v) && v >= 1 && v <= 3,
  topN: (v) => Number.isInteger(v) && v >= 0 && v <= MAX_TOP_N,
  mode: (v) => v === "weight" || v === "contribution",
  threshold: (v) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= MAX_THRESHOLD,
  animate: (v) => typeof v === "boolean",
};

test("every setting has a validity rule here", () => {
  assert.deepEqual(Object.keys(VALID).sort(), Object.keys(SETTINGS).sort());
});

test(`any hash text gives each setting a valid value or its default (seed ${SEED})`, () => {
  const random = prng(SEED);
  for (let i = 0; i < CASES; i++) {
    for (const [name, setting] of Object.entries(SETTINGS)) {
      const text = randomText(random);
      const value = setting.parse(text);
      tally(value === undefined ? "default" : "valid value");
      if (value === undefined) continue; // the store falls back to setting.fallback
      assert.ok(VALID[name](value), `${name}: ${JSON.stringify(text)} → ${String(value)}`);
      if (setting.write) assert.equal(setting.parse(setting.write(value)), value);
      else assert.equal(setting.parse(String(value)), value, `${name} does not round-trip`);
    }
  }
});

test("blank text is no value: the default applies", () => {
  for (const [name, setting] of Object.entries(SETTINGS)) {
    for (const text of ["", " ", "\n"])
      assert.equal(setting.parse(text), name === "weightsUrl" && text ? text : undefined);
  }
});

test(`any hash string reads as plain string fields (seed ${SEED})`, () => {
  const random = prng(SEED + 1);
  for (let i = 0; i < CASES; i++) {
    const hash = `#${Array.from({ length: 1 + Math.floor(random() * 6) }, () => randomText(random)).join(random() < 0.5 ? "&" : "=")}`;
    const fields = readHash(hash);
    assert.equal(Object.getPrototypeOf(fields), Object.prototype);
    for (const value of Object.values(fields)) assert.equal(typeof value, "string");
    tally("hash read as strings");
  }
});

test(`a store made from any hash has only valid settings, and its link restores it (seed ${SEED})`, () => {
  const random = prng(SEED + 3);
  const keys = Object.values(SETTINGS).map((setting) => setting.key);
  for (let i = 0; i < CASES; i++) {
    const fields = {};
    for (const key of keys) if (random() < 0.7) fields[key] = randomText(random);
    if (random() < 0.3) fields[randomText(random)] = randomText(random); // unknown keys
    const store = new Store(fields);
    for (const [name, value] of Object.entries(store.values())) {
      assert.ok(
        value === null || isValid(name, value),
        `${name}: ${String(value)} from ${JSON.stringify(fields)}`,
      );
      assert.ok(value === null || VALID[name](value), `${name}: ${String(value)}`);
    }
    for (const key of store.ignored) assert.ok(keys.includes(key));
    const restored = new Store(store.hashFields());
    assert.deepEqual(restored.values(), store.values());
    assert.deepEqual(restored.ignored, []);
    tally(store.ignored.length ? "store: invalid fields ignored" : "store: all fields valid");
  }
});

test(`any drawing text decodes to 784 pixels in 0…1 or is refused (seed ${SEED})`, async () => {
  const random = prng(SEED + 2);
  const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (let i = 0; i < CASES / 4; i++) {
    const pool = random() < 0.7 ? base64url : ALPHABET;
    const chars = [...pool];
    let text = "";
    const length = Math.floor(random() * 400);
    for (let j = 0; j < length; j++) text += chars[Math.floor(random() * chars.length)];
    try {
      const pixels = await decodeDrawing(text);
      assert.equal(pixels.length, 784);
      assert.ok(pixels.every((p) => p >= 0 && p <= 1));
      tally("drawing decoded");
    } catch (error) {
      assert.ok(error instanceof Error && error.message, `${JSON.stringify(text)}: ${error}`);
      tally("drawing refused");
    }
  }
});
