// The runtime worker's fetch of files the page names: own origin only, capped, worded failures.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { fetchOwnFile } from "../../web/src/worker/fetching.js";

const ORIGIN = "http://127.0.0.1:8000";
const WORDS = {
  otherOrigin: (url, origin) => `other origin: ${url} (this is ${origin})`,
  unreachable: (url, reason) => `unreachable: ${url}: ${reason}`,
  http: (url, status, text) => `http: ${url}: ${status} ${text}`,
  tooLarge: (url, size, limit) => `too large: ${url}: ${size} > ${limit}`,
};
const realFetch = globalThis.fetch;
globalThis.self = { location: { origin: ORIGIN } };
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** Serve `body` (chunks of bytes) with `headers`; records the URLs asked for. */
function serve(chunks, { status = 200, headers = {} } = {}) {
  const asked = [];
  globalThis.fetch = async (url) => {
    asked.push(String(url));
    const stream = new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new Uint8Array(chunk));
        controller.close();
      },
    });
    return new Response(status === 204 ? null : stream, { status, statusText: "Nope", headers });
  };
  return asked;
}

test("a file of this site comes back whole, as bytes, from its chunks", async () => {
  serve([[1, 2], [3], [4, 5, 6]]);
  const bytes = await fetchOwnFile(`${ORIGIN}/exports/a.json`, WORDS, 6); // capped: streamed
  assert.deepEqual([...bytes], [1, 2, 3, 4, 5, 6]);
  const whole = await fetchOwnFile(`${ORIGIN}/learn/a.bin`, WORDS); // no cap: read at once
  assert.ok(whole instanceof Uint8Array);
  assert.deepEqual([...whole], [1, 2, 3, 4, 5, 6]);
});

test("another origin is refused before anything is fetched", async () => {
  const asked = serve([[1]]);
  await assert.rejects(fetchOwnFile("https://elsewhere.example/a.json", WORDS), {
    message: `other origin: https://elsewhere.example/a.json (this is ${ORIGIN})`,
  });
  assert.deepEqual(asked, []);
});

test("HTTP errors and network failures say so", async () => {
  serve([], { status: 404 });
  await assert.rejects(fetchOwnFile(`${ORIGIN}/x`, WORDS), { message: `http: ${ORIGIN}/x: 404 Nope` });
  globalThis.fetch = async () => {
    throw new TypeError("Failed to fetch");
  };
  await assert.rejects(fetchOwnFile(`${ORIGIN}/x`, WORDS), {
    message: `unreachable: ${ORIGIN}/x: Failed to fetch`,
  });
});

test("a body over the cap is refused: by its declared length, or as it streams", async () => {
  serve([[1, 2, 3, 4]], { headers: { "content-length": "4" } });
  await assert.rejects(fetchOwnFile(`${ORIGIN}/big`, WORDS, 3), {
    message: `too large: ${ORIGIN}/big: 4 > 3`,
  });
  serve([
    [1, 2],
    [3, 4],
  ]); // no length: the stream runs over
  await assert.rejects(fetchOwnFile(`${ORIGIN}/big`, WORDS, 3), {
    message: `too large: ${ORIGIN}/big: more than 3 > 3`,
  });
});

test("a relative URL is refused (the page sends absolute ones)", async () => {
  const asked = serve([[1]]);
  await assert.rejects(fetchOwnFile("exports/a.json", WORDS), TypeError);
  assert.deepEqual(asked, []);
});
