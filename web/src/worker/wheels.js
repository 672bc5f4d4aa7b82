// Installs the page's derived wheels (NumPy, numpy-random) into Pyodide's file system, in JS.
//
// Pyodide's loadPackage unpacks a wheel in Python (zipfile, through a temporary file: about
// half a second for NumPy on a small machine) and then reloads the whole import system's
// caches (another ~0.2 s: Python 3.12's zipimporter re-reads the standard library's zip).
// The build stores every derived wheel uncompressed (deploy/pyc_compile.py; HTTP compresses
// them on the way), so installing is a walk over the zip's directory that hands each file's
// bytes to the file system without a copy, then drops Python's cached listings of the folders
// it wrote to (not every import cache). The browser checks each wheel against the sha256 in
// the page's own pyodide-lock.json, as it does for loadPackage. Shared libraries are linked by
// `import`, when Python first needs them, so a wheel's unused ones cost nothing.

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;

/**
 * The files of a zip archive whose entries are all stored (not compressed).
 * @param {Uint8Array} bytes
 * @returns {{name: string, data: Uint8Array}[]} views into `bytes` (no copies); folders left out
 */
export function storedZipEntries(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(view);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY) {
      throw new Error("not a zip archive (broken central directory)");
    }
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + skip;
    if (name.endsWith("/")) continue;
    checkName(name);
    if (method !== STORED) throw new Error(`${name} is compressed (only stored entries are installed)`);
    if (local + 30 > view.byteLength || view.getUint32(local, true) !== LOCAL_HEADER) {
      throw new Error(`${name}: broken local header`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > view.byteLength) throw new Error(`${name}: truncated`);
    entries.push({ name, data: bytes.subarray(start, start + size) });
  }
  return entries;
}

function findEndOfDirectory(view) {
  const last = view.byteLength - 22; // the record is 22 bytes, plus a comment of up to 65535
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) return at;
  }
  throw new Error("not a zip archive");
}

/** A wheel's paths are relative and stay inside site-packages. */
function checkName(name) {
  const parts = name.split("/");
  if (name.startsWith("/") || name.includes("\\") || parts.some((p) => p === ".." || p === "")) {
    throw new Error(`unsafe path in archive: ${name}`);
  }
}

/** The Subresource Integrity string ("sha256-<base64>") of a hex sha256. */
export function integrityOf(sha256Hex) {
  if (!/^[0-9a-f]{64}$/.test(sha256Hex)) throw new Error(`not a sha256: ${sha256Hex}`);
  const bytes = sha256Hex.match(/../g).map((pair) => Number.parseInt(pair, 16));
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * Fetch package `name`'s wheel as named in `lock` (a pyodide-lock.json) from `indexUrl`, and
 * check its sha256 against the lock's, as loadPackage does. Rejects with what went wrong.
 *
 * With WebCrypto (pages served over https or from localhost) the browser hashes the bytes on
 * its own crypto thread, and the body streams in while Pyodide starts; without it (plain http
 * elsewhere) the fetch asks for Subresource Integrity, which holds the whole body back and
 * hashes it on this worker's thread first (a 10 MB wheel: about 0.1 s later at a warm boot).
 * @param {SubtleCrypto | undefined} [subtle] WebCrypto, where the page has it
 * @returns {Promise<Uint8Array>} the wheel's bytes
 */
export async function fetchWheel(indexUrl, lock, name, subtle = globalThis.crypto?.subtle) {
  const entry = lock.packages?.[name];
  if (!entry) throw new Error(`pyodide-lock.json has no package "${name}"`);
  const fileName = entry.file_name;
  const expected = entry.sha256;
  const options = subtle ? {} : { integrity: integrityOf(expected) };
  let response;
  try {
    response = await fetch(new URL(fileName, indexUrl), options);
  } catch (error) {
    // A body that fails the integrity check is a network error, like a broken connection.
    const reason = error?.message ?? String(error);
    throw new Error(
      `${fileName} was not downloaded, or its sha256 is not the ${expected} of pyodide-lock.json (${reason})`,
    );
  }
  if (!response.ok) throw new Error(`${fileName}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (subtle) {
    const found = hex(await subtle.digest("SHA-256", bytes));
    if (found !== expected) {
      throw new Error(`${fileName}: its sha256 is ${found}, not the ${expected} of pyodide-lock.json`);
    }
  }
  return bytes;
}

function hex(digest) {
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Write a fetched wheel's files under `sitePackages` in Pyodide's file system (the files keep
 * views of the wheel's bytes) and make Python's next import see them.
 * @param {object} pyodide a loaded Pyodide
 * @param {Uint8Array} bytes the wheel, checked
 * @param {string} sitePackages e.g. "/lib/python3.12/site-packages"
 * @returns {number} how many files were written
 */
export function installWheel(pyodide, bytes, sitePackages) {
  const entries = storedZipEntries(bytes);
  const folders = new Set();
  for (const { name, data } of entries) {
    const path = `${sitePackages}/${name}`;
    const folder = path.slice(0, path.lastIndexOf("/"));
    if (!folders.has(folder)) {
      pyodide.FS.mkdirTree(folder);
      folders.add(folder);
    }
    pyodide.FS.writeFile(path, data, { canOwn: true });
  }
  forgetListings(pyodide, [sitePackages, ...folders]);
  return entries.length;
}

/**
 * Python caches the listing of each folder it imported from (site-packages, and a package's
 * folder such as numpy/random, which a second wheel adds files to): drop those of `folders`.
 */
function forgetListings(pyodide, folders) {
  const cache = pyodide.pyimport("sys").path_importer_cache;
  try {
    for (const folder of folders) cache.pop(folder, null)?.destroy?.();
  } finally {
    cache.destroy();
  }
}
