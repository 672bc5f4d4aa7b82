// The runtime worker: boots Pyodide, loads NumPy and py_runtime, fetches exports and moves
// buffers. Every request is answered by py_runtime.worker_api (through worker_glue); this file
// holds no Python and no rules of its own. It boots as soon as it starts, so the long Pyodide
// start overlaps with the page's own setup.

import { loadPyodide } from "../../vendor/pyodide/pyodide.mjs";
import { MAX_EXPORT_BYTES, TRAINING_PACKAGE } from "../constants.js";
import { EVENT, pack, REQUEST, unpack } from "../protocol.js";
import { MESSAGES } from "../ui/strings.js";
import { fetchOwnFile } from "./fetching.js";
import { learningRequests } from "./learning.js";
import { fetchWheel, installWheel } from "./wheels.js";

const PYODIDE_URL = new URL("../../vendor/pyodide/", import.meta.url).href;
const RUNTIME_ZIP_URL = new URL("../../py_runtime.zip", import.meta.url).href;
const RUNTIME_DIR = "/home/pyodide/mlpvis";

const timings = { workerStart: performance.now() };
const post = (message, transfer = []) => self.postMessage(message, transfer);
const stage = (name, state, detail = "") => {
  timings[`${name}:${state}`] = performance.now();
  post({ type: EVENT.STAGE, stage: name, state, detail });
};

let resolveInit;
let loads = Promise.resolve(); // LOAD_WEIGHTS requests, chained
let learning = null; // the LEARN request handler, made on first use
let trainingPackages = null; // installing numpy.random's libraries (when learning starts)
let booted = null; // the Pyodide instance, once it runs
const initRequest = new Promise((resolve) => (resolveInit = resolve));
const runtimeZip = fetchBytes(RUNTIME_ZIP_URL, "the Python runtime (py_runtime.zip)");
runtimeZip.catch(() => {}); // reported when awaited in boot()
// The wheels' names and sha256s; NumPy's wheel downloads while Pyodide starts.
const lock = fetchBytes(`${PYODIDE_URL}pyodide-lock.json`, "pyodide-lock.json").then((bytes) =>
  JSON.parse(new TextDecoder().decode(bytes)),
);
const numpyWheel = lock.then((packages) => fetchWheel(PYODIDE_URL, packages, "numpy"));
numpyWheel.catch(() => {}); // reported when awaited in boot()
// Pyodide's runtime script loads while the page sets up; it sets globalThis._createPyodideModule,
// which loadPyodide (through the stand-in below) then uses. It comes past
// the service worker when the network answers: Chromium keeps V8's compiled code for scripts
// from its HTTP cache, not for a service worker's responses, so a warm boot then skips
// compiling its 1.3 MB. The build writes a copy named by its sha256 (deploy/site.py stamps the
// name here; sw.js lets `?network` requests through), so the server can only answer with these
// very bytes, or 404 after a deploy of another Pyodide; then, and offline, this release's own
// copy loads from the service worker's cache.
const CONTENT_NAMED_SCRIPT = "__MLPVIS_RUNTIME_SCRIPT__";
const runtimeScript = import(`${PYODIDE_URL}${CONTENT_NAMED_SCRIPT}?network`).catch(
  () => import("../../vendor/pyodide/pyodide.asm.js"),
);
// loadPyodide starts downloading pyodide.asm.wasm and the standard library the moment it is
// called, and loads the runtime script itself only when _createPyodideModule is missing. So it
// is called at once, not once the script is in (~160 ms later; warm reloads got ~0.1 s faster):
// a stand-in waits for the import above, then hands over to the function the script defines.
const standIn = async (settings) => {
  await runtimeScript;
  const create = globalThis._createPyodideModule;
  if (create === standIn) throw new Error("pyodide.asm.js did not define _createPyodideModule");
  return create(settings);
};
globalThis._createPyodideModule = standIn;
const pyodideStarted = loadPyodide({ indexURL: PYODIDE_URL, stdout: () => {}, stderr: () => {} });
pyodideStarted.catch(() => {}); // reported when awaited in boot()
const python = boot();
python.catch(() => {});

self.onmessage = async (event) => {
  const request = event.data;
  if (request.type === REQUEST.INIT) {
    resolveInit(request);
    return;
  }
  try {
    const glue = await python;
    const [value, transfer] = await handle(glue, request);
    post({ id: request.id, type: EVENT.RESPONSE, ok: true, value }, transfer);
  } catch (error) {
    post({ id: request.id, type: EVENT.RESPONSE, ok: false, error: messageOf(error) });
  }
};

async function boot() {
  stage("runtime", "active");
  const init = await initRequest;
  const firstWeights = fetchExport(init.weightsUrl);
  firstWeights.catch(() => {});
  let pyodide;
  try {
    pyodide = await pyodideStarted;
  } catch (error) {
    return fatal("runtime", MESSAGES.pyodideFailed(messageOf(error)));
  }
  booted = pyodide;
  stage("runtime", "done");

  stage("numpy", "active");
  try {
    installWheel(pyodide, await numpyWheel, sitePackages(pyodide));
  } catch (error) {
    return fatal("numpy", MESSAGES.numpyFailed(messageOf(error)));
  }
  let glue;
  try {
    pyodide.unpackArchive(await runtimeZip, "zip", { extractDir: RUNTIME_DIR });
    pyodide.pyimport("sys").path.insert(0, RUNTIME_DIR);
    glue = pyodide.pyimport("py_runtime.worker_glue");
  } catch (error) {
    return fatal("numpy", MESSAGES.runtimeImportFailed(messageOf(error)));
  }
  stage("numpy", "done");

  stage("weights", "active");
  const call = (name, args = {}) => callPython(glue, name, args);
  let model;
  let firstError = null;
  try {
    model = load(call, await firstWeights, init.weightsUrl);
  } catch (error) {
    firstError = messageOf(error);
    if (!init.fallbackUrl || init.fallbackUrl === init.weightsUrl) {
      return fatal("weights", firstError);
    }
    try {
      model = load(call, await fetchExport(init.fallbackUrl), init.fallbackUrl);
    } catch (fallbackError) {
      return fatal("weights", MESSAGES.defaultFailedToo(firstError, messageOf(fallbackError)));
    }
  }
  stage("weights", "done");
  timings.ready = performance.now();
  const value = { ...model, warning: firstError };
  post({ id: init.id, type: EVENT.RESPONSE, ok: true, value }, buffersOf(value));
  return call;
}

/**
 * numpy.random's libraries: a wheel of their own (deploy/wheel_split.py), so that the boot
 * does not download them; training needs them. Its sha256 is checked like NumPy's.
 */
async function installTrainingPackages() {
  try {
    const bytes = await fetchWheel(PYODIDE_URL, await lock, TRAINING_PACKAGE);
    installWheel(booted, bytes, sitePackages(booted));
  } catch (error) {
    trainingPackages = null; // try again next time
    throw new Error(MESSAGES.trainingPackageFailed(messageOf(error)));
  }
}

/** The site-packages folder on Python's path (where Pyodide installs packages). */
function sitePackages(pyodide) {
  const path = pyodide.pyimport("sys").path;
  try {
    const folder = path.toJs().find((entry) => entry.endsWith("/site-packages"));
    if (!folder) throw new Error("no site-packages folder on sys.path");
    return folder;
  } finally {
    path.destroy();
  }
}

function fatal(stageName, message) {
  stage(stageName, "failed", message);
  post({ type: EVENT.FATAL, error: message });
  throw new Error(message);
}

/** Answer one request: loads fetch first, timings are the worker's own, the rest is Python's. */
async function handle(call, request) {
  if (request.type === REQUEST.LOAD_WEIGHTS) {
    // One load at a time, in request order: the last one asked for is the one that stays.
    const next = loads.then(async () => load(call, await fetchExport(request.url), request.url));
    loads = next.catch(() => {});
    const model = await next;
    return [model, buffersOf(model)];
  }
  if (request.type === REQUEST.TIMINGS) return [{ ...timings }, []];
  if (request.type === REQUEST.LEARN) {
    learning ??= learningRequests(call, post, () => (trainingPackages ??= installTrainingPackages()));
    const value = await learning(request);
    return [value, buffersOf(value)];
  }
  if (request.type === REQUEST.CALL) {
    const value = call(request.name, request.args);
    return [value, buffersOf(value)];
  }
  throw new Error(MESSAGES.unknownRequest(request.type));
}

/** Validate and install an export; a rejected file leaves the current model in place. */
function load(call, data, url) {
  try {
    return call("load", { data });
  } catch (error) {
    throw new Error(MESSAGES.weightsRejected(url, messageOf(error)));
  }
}

/** Call py_runtime.worker_api's request `name`: arguments and answer cross as JSON + buffers. */
function callPython(glue, name, args) {
  const [json, buffers] = pack(args);
  const answer = glue.call(name, json, buffers);
  try {
    const text = answer.get(0);
    const arrays = answer.get(1);
    const copies = [];
    try {
      for (let i = 0; i < arrays.length; i++) copies.push(readArray(arrays.get(i)));
    } finally {
      arrays.destroy();
    }
    const reply = unpack(text, copies);
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  } finally {
    answer.destroy();
  }
}

/** Copy a NumPy array (a PyProxy; an answer's one blob) out into a transferable typed array. */
function readArray(proxy) {
  const view = proxy.getBuffer();
  try {
    return view.data.slice();
  } finally {
    view.release();
    proxy.destroy();
  }
}

/** The ArrayBuffers inside a value, each once (to transfer instead of copying). */
function buffersOf(value) {
  const found = new Set();
  const visit = (item) => {
    if (ArrayBuffer.isView(item)) found.add(item.buffer);
    else if (Array.isArray(item)) item.forEach(visit);
    else if (item && typeof item === "object") Object.values(item).forEach(visit);
  };
  visit(value);
  return [...found];
}

// How a weights export's fetch failures read.
const EXPORT_WORDS = {
  otherOrigin: MESSAGES.weightsOtherOrigin,
  unreachable: MESSAGES.weightsUnreachable,
  http: MESSAGES.weightsHttp,
  tooLarge: MESSAGES.weightsTooLarge,
};

/** A weights export's bytes (they cross into Python as one copy; py_runtime parses the UTF-8). */
function fetchExport(url) {
  return fetchOwnFile(url, EXPORT_WORDS, MAX_EXPORT_BYTES);
}

async function fetchBytes(url, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(MESSAGES.fileHttp(what, response.status));
  return response.arrayBuffer();
}

function messageOf(error) {
  return error?.message ? error.message : String(error);
}
