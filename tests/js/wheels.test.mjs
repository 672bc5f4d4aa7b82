// Unit tests of the worker's wheel installer (web/src/worker/wheels.js; Node's test runner).
// tests/unit/test_wheel_install.py checks it against zips that Python's zipfile wrote.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import { fetchWheel, installWheel, integrityOf, storedZipEntries } from "../../web/src/worker/wheels.js";

/** A zip of `files` ([name, text, method?]); entries are stored unless `method` says else. */
function zip(files) {
  const encoder = new TextEncoder();
  const locals = [];
  const directory = [];
  let offset = 0;
  for (const [name, text, method = 0] of files) {
    const nameBytes = encoder.encode(name);
    const data = encoder.encode(text);
    const extra = new Uint8Array(4); // an extra field, as some writers add: it must be skipped
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(8, method, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    local.setUint16(28, extra.length, true);
    const entry = new DataView(new ArrayBuffer(46));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(10, method, true);
    entry.setUint32(20, data.length, true);
    entry.setUint32(24, data.length, true);
    entry.setUint16(28, nameBytes.length, true);
    entry.setUint32(42, offset, true);
    locals.push(new Uint8Array(local.buffer), nameBytes, extra, data);
    directory.push(new Uint8Array(entry.buffer), nameBytes);
    offset += 30 + nameBytes.length + extra.length + data.length;
  }
  const size = directory.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  const parts = [...locals, ...directory, new Uint8Array(end.buffer)];
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

const text = (data) => new TextDecoder().decode(data);

test("a stored zip's files come back as views of its bytes, folders left out", () => {
  const bytes = zip([
    ["pkg/", ""],
    ["pkg/__init__.py", "x = 1\n"],
    ["pkg/sub/mod.pyc", "\u0000bytecode"],
    ["pkg-1.0.dist-info/RECORD", ""],
  ]);
  const entries = storedZipEntries(bytes);
  assert.deepEqual(
    entries.map((e) => [e.name, text(e.data)]),
    [
      ["pkg/__init__.py", "x = 1\n"],
      ["pkg/sub/mod.pyc", "\u0000bytecode"],
      ["pkg-1.0.dist-info/RECORD", ""],
    ],
  );
  assert.equal(entries[0].data.buffer, bytes.buffer); // no copy
});

test("compressed entries, unsafe paths and broken archives are refused with the reason", () => {
  assert.throws(() => storedZipEntries(zip([["pkg/a.py", "x", 8]])), /pkg\/a.py is compressed/);
  for (const name of ["../evil.py", "/etc/passwd", "pkg//a.py", "pkg\\a.py"]) {
    assert.throws(() => storedZipEntries(zip([[name, "x"]])), /unsafe path/, name);
  }
  assert.throws(() => storedZipEntries(new TextEncoder().encode("PK tampered")), /not a zip/);
  const truncated = zip([["pkg/a.py", "some content"]]);
  new DataView(truncated.buffer).setUint32(30 + 8 + 4 + 12 + 20, 1 << 20, true); // size: 1 MiB
  assert.throws(() => storedZipEntries(truncated), /truncated/);
});

/** A stand-in Pyodide: a file system that records writes, and sys.path_importer_cache. */
function fakePyodide() {
  const files = new Map();
  const folders = [];
  const cache = new Map([
    ["/lib/site-packages", "finder"],
    ["/lib/site-packages/pkg/sub", "a package folder's finder"],
    ["/lib/python312.zip", "zip finder"],
  ]);
  return {
    files,
    folders,
    cache,
    FS: {
      mkdirTree: (path) => folders.push(path),
      writeFile: (path, data, options) => files.set(path, { data, options }),
    },
    pyimport: (name) => {
      assert.equal(name, "sys");
      const proxy = { pop: (key) => cache.delete(key) && null, destroy: () => {} };
      return { path_importer_cache: proxy };
    },
  };
}

test("installing writes each file under site-packages, handing over its bytes", () => {
  const pyodide = fakePyodide();
  const bytes = zip([
    ["pkg/__init__.py", "x = 1\n"],
    ["pkg/core.so", "\u0000asm"],
    ["pkg/sub/m.py", ""],
  ]);
  assert.equal(installWheel(pyodide, bytes, "/lib/site-packages"), 3);
  assert.deepEqual(
    [...pyodide.files.keys()],
    [
      "/lib/site-packages/pkg/__init__.py",
      "/lib/site-packages/pkg/core.so",
      "/lib/site-packages/pkg/sub/m.py",
    ],
  );
  assert.deepEqual(pyodide.folders, ["/lib/site-packages/pkg", "/lib/site-packages/pkg/sub"]);
  const written = pyodide.files.get("/lib/site-packages/pkg/core.so");
  assert.equal(written.data.buffer, bytes.buffer);
  assert.deepEqual(written.options, { canOwn: true });
  // Python forgets its listings of the folders written to (only those).
  assert.deepEqual([...pyodide.cache.keys()], ["/lib/python312.zip"]);
});

test("without WebCrypto, a wheel is fetched with its sha256 as the integrity to check", async (t) => {
  const wheel = zip([["pkg/__init__.py", ""]]);
  const digest = createHash("sha256").update(wheel);
  const integrity = `sha256-${digest.copy().digest("base64")}`;
  const sha256 = digest.digest("hex");
  assert.equal(integrityOf(sha256), integrity);
  assert.throws(() => integrityOf("abc"), /not a sha256/);
  const lock = { packages: { pkg: { file_name: "pkg-1.0-py3-none-any.whl", sha256 } } };
  const asked = [];
  let body = wheel;
  let status = 200;
  // As a browser does: a body that does not match the integrity is a network error.
  t.mock.method(globalThis, "fetch", async (url, options) => {
    asked.push([String(url), options.integrity]);
    const actual = `sha256-${createHash("sha256").update(body).digest("base64")}`;
    if (actual !== options.integrity) throw new TypeError("Failed to fetch");
    return new Response(body, { status });
  });
  const noWebCrypto = null;
  assert.deepEqual(await fetchWheel("http://site/vendor/pyodide/", lock, "pkg", noWebCrypto), wheel);
  assert.deepEqual(asked, [["http://site/vendor/pyodide/pkg-1.0-py3-none-any.whl", integrity]]);

  body = new Uint8Array(wheel);
  body[10] ^= 0xff;
  await assert.rejects(
    fetchWheel("http://site/", lock, "pkg", noWebCrypto),
    new RegExp(`pkg-1.0-py3-none-any.whl was not downloaded, or its sha256 is not the ${sha256}`),
  );
  body = wheel;
  status = 404;
  await assert.rejects(
    fetchWheel("http://site/", lock, "pkg", noWebCrypto),
    /pkg-1.0-py3-none-any.whl: HTTP 404/,
  );
  await assert.rejects(fetchWheel("http://site/", lock, "other", noWebCrypto), /no package "other"/);
});

test("with WebCrypto, a wheel is fetched plainly and its bytes' sha256 checked", async (t) => {
  const wheel = zip([["pkg/__init__.py", ""]]);
  const sha256 = createHash("sha256").update(wheel).digest("hex");
  const lock = { packages: { pkg: { file_name: "pkg-1.0-py3-none-any.whl", sha256 } } };
  const asked = [];
  let body = wheel;
  t.mock.method(globalThis, "fetch", async (url, options) => {
    asked.push([String(url), options]);
    return new Response(body, { status: 200 });
  });
  assert.ok(globalThis.crypto?.subtle, "Node has WebCrypto");
  assert.deepEqual(await fetchWheel("http://site/vendor/pyodide/", lock, "pkg"), wheel);
  assert.deepEqual(asked, [["http://site/vendor/pyodide/pkg-1.0-py3-none-any.whl", {}]]);

  body = new Uint8Array(wheel);
  body[10] ^= 0xff;
  const found = createHash("sha256").update(body).digest("hex");
  await assert.rejects(
    fetchWheel("http://site/", lock, "pkg"),
    new RegExp(`pkg-1.0-py3-none-any.whl: its sha256 is ${found}, not the ${sha256} of pyodide-lock.json`),
  );
});
