// The offline cache: keeps exactly one release's files (the build manifest's "offline" list)
// and serves them, so the page boots and predicts with the network gone. The release's other
// files (learn/: the learning panel's data, fetched when it opens) are checked against the
// release's manifest when first asked for and kept, or refused: never another release's.
//
// The build stamps RELEASE (a hash of the release's files), so every deploy changes this
// script and the browser installs the new worker beside the old one. Installing fetches the
// manifest, refuses it unless it names this very release, and stores every file only after its
// sha256 matched: a deploy in the middle of an install fails the install, never mixes two
// releases. The new worker takes over once no page of the old release is open (the browser's
// default), and then deletes the old release's cache.

const RELEASE = "__MLPVIS_RELEASE__";
const CACHE_PREFIX = "mlpvis-";
const CACHE = `${CACHE_PREFIX}${RELEASE}`;
const MANIFEST = "build-manifest.json";
const PARALLEL_FETCHES = 6;
const NETWORK_QUERY = "?network"; // requests left to the network (and the HTTP cache)
// Headers a stored response must not carry: the body is stored decoded and whole.
const DROPPED_HEADERS = ["content-encoding", "content-length", "date", "last-modified", "vary"];
const scope = new URL(self.registration.scope);

self.addEventListener("install", (event) => event.waitUntil(install()));
self.addEventListener("activate", (event) => event.waitUntil(dropOtherReleases()));
self.addEventListener("fetch", (event) => {
  const name = releaseFileName(event.request);
  if (name !== null) event.respondWith(fromRelease(name, event.request));
});

/**
 * The file a request asks for, relative to the scope ("" is index.html); null: not ours.
 * A request marked `?network` is not ours either: the runtime worker asks so for a script
 * named by its content, which Chromium then compiles once and keeps (its code cache serves
 * only what came from the HTTP cache); offline it falls back to a file of this release.
 */
function releaseFileName(request) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  if (url.search === NETWORK_QUERY) return null;
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  const name = decodeURIComponent(url.pathname.slice(scope.pathname.length));
  return name === "" ? "index.html" : name;
}

// Opened once per worker, not per request: a page load asks for some twenty files (fifty before
// the build bundled the JavaScript), and each open is a round trip to the browser's cache
// storage (paired warm reloads, unbundled: about 85 ms faster).
const releaseCache = sharedOnce(() => caches.open(CACHE));
// The release's manifest's sha256 of every file (kept by the install), read once.
const releaseFiles = sharedOnce(async () => {
  const manifest = await (await releaseCache()).match(new URL(MANIFEST, scope).href);
  return manifest ? ((await manifest.json()).files ?? {}) : {};
});

/** `make()`'s promise, made on first use and shared; after a failure the next use makes it again. */
function sharedOnce(make) {
  let promise = null;
  return () =>
    (promise ??= make().catch((error) => {
      promise = null;
      throw error;
    }));
}

async function fromRelease(name, request) {
  const cache = await releaseCache();
  const stored = await cache.match(new URL(name, scope).href);
  if (stored) return stored;
  const sha256 = (await releaseFiles())[name];
  if (sha256 === undefined) return fetch(request); // not part of the release (test data, …)
  try {
    return await store(cache, name, sha256); // fetched on demand: checked, then kept
  } catch (error) {
    return new Response(error.message, { status: 503, statusText: "Not this release's file" });
  }
}

async function install() {
  const response = await fetch(new URL(MANIFEST, scope), { cache: "no-store" });
  if (!response.ok) throw new Error(`${MANIFEST}: HTTP ${response.status}`);
  const manifest = await response.json();
  if (manifest.release !== RELEASE) {
    throw new Error(`the server has release ${manifest.release}, this worker is ${RELEASE}`);
  }
  await caches.delete(CACHE); // what an interrupted install may have left
  const cache = await caches.open(CACHE);
  const queue = [...manifest.offline];
  const worker = async () => {
    while (queue.length > 0) {
      const name = queue.shift();
      await store(cache, name, manifest.files[name]);
    }
  };
  try {
    await Promise.all(Array.from({ length: PARALLEL_FETCHES }, worker));
    // Kept last (a complete install has it): which files the release has, with their sha256s.
    await cache.put(new URL(MANIFEST, scope), Response.json(manifest));
  } catch (error) {
    await caches.delete(CACHE);
    throw error;
  }
}

/**
 * Fetch one file (from the HTTP cache if it is there and right), check its sha256, store it;
 * returns the stored response.
 */
async function store(cache, name, sha256) {
  const url = new URL(name, scope);
  for (const mode of ["default", "reload"]) {
    const response = await fetch(url, { cache: mode });
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    const body = await response.arrayBuffer();
    if ((await sha256Hex(body)) !== sha256) continue; // stale or another release's: refetch
    const headers = new Headers(response.headers);
    for (const header of DROPPED_HEADERS) headers.delete(header);
    const stored = new Response(body, { status: 200, headers });
    await cache.put(url, stored.clone());
    return stored;
  }
  throw new Error(`${name} does not match release ${RELEASE}'s manifest`);
}

async function sha256Hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function dropOtherReleases() {
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)),
  );
}
