// The runtime worker: owns Pyodide, loads NumPy and py_runtime, answers the page's requests.
// It boots as soon as it starts, so the long Pyodide start overlaps with the page's own setup.

import { loadPyodide } from "../../vendor/pyodide/pyodide.mjs";
import { EVENT, REQUEST } from "../protocol.js";
import { MESSAGES } from "../ui/strings.js";
import { learningRequests } from "./learning.js";

const MAX_EXPORT_BYTES = 64 * 1024 * 1024;
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
const initRequest = new Promise((resolve) => (resolveInit = resolve));
const runtimeZip = fetchBytes(RUNTIME_ZIP_URL, "the Python runtime (py_runtime.zip)");
runtimeZip.catch(() => {}); // reported when awaited in boot()
const python = boot();
python.catch(() => {});

self.onmessage = async (event) => {
  const request = event.data;
  if (request.type === REQUEST.INIT) {
    resolveInit(request);
    return;
  }
  try {
    const py = await python;
    const [value, transfer] = await handle(py, request);
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
    pyodide = await loadPyodide({ indexURL: PYODIDE_URL, stdout: () => {}, stderr: () => {} });
  } catch (error) {
    return fatal("runtime", MESSAGES.pyodideFailed(messageOf(error)));
  }
  stage("runtime", "done");

  stage("numpy", "active");
  const packageErrors = [];
  try {
    await pyodide.loadPackage("numpy", {
      messageCallback: () => {},
      errorCallback: (message) => packageErrors.push(message),
    });
  } catch (error) {
    packageErrors.push(messageOf(error));
  }
  // loadPackage does not reject on a 404 or a failed integrity check: check it ourselves.
  if (!pyodide.loadedPackages.numpy) {
    const reason = packageErrors.join(" ") || "unknown reason";
    return fatal("numpy", MESSAGES.numpyFailed(reason));
  }
  try {
    pyodide.unpackArchive(await runtimeZip, "zip", { extractDir: RUNTIME_DIR });
    pyodide.runPython(GLUE);
  } catch (error) {
    return fatal("numpy", MESSAGES.runtimeImportFailed(messageOf(error)));
  }
  stage("numpy", "done");

  stage("weights", "active");
  const api = {
    pyodide,
    load: pyodide.globals.get("mlpvis_load"),
    predict: pyodide.globals.get("mlpvis_predict"),
    connections: pyodide.globals.get("mlpvis_connections"),
    layer: pyodide.globals.get("mlpvis_layer"),
    summary: null,
  };
  api.learn = learningRequests(pyodide, post);
  let summary;
  let firstError = null;
  try {
    summary = loadText(api, await firstWeights, init.weightsUrl);
  } catch (error) {
    firstError = messageOf(error);
    if (!init.fallbackUrl || init.fallbackUrl === init.weightsUrl) {
      return fatal("weights", firstError);
    }
    try {
      summary = loadText(api, await fetchExport(init.fallbackUrl), init.fallbackUrl);
    } catch (fallbackError) {
      return fatal("weights", MESSAGES.defaultFailedToo(firstError, messageOf(fallbackError)));
    }
  }
  stage("weights", "done");
  timings.ready = performance.now();
  post({ id: init.id, type: EVENT.RESPONSE, ok: true, value: { summary, warning: firstError } });
  return api;
}

function fatal(stageName, message) {
  stage(stageName, "failed", message);
  post({ type: EVENT.FATAL, error: message });
  throw new Error(message);
}

async function handle(api, request) {
  switch (request.type) {
    case REQUEST.PREDICT: {
      const flat = readFloat32(api.predict(request.pixels, Boolean(request.mnistStyle)));
      return [flat, [flat.buffer]];
    }
    case REQUEST.LOAD_WEIGHTS: {
      // One load at a time, in request order: the last one asked for is the one that stays.
      const load = loads.then(async () => loadText(api, await fetchExport(request.url), request.url));
      loads = load.catch(() => {});
      return [await load, []];
    }
    case REQUEST.CONNECTIONS: {
      const flat = readFloat32(api.connections(request.n, request.mode));
      return [flat, [flat.buffer]];
    }
    case REQUEST.LAYER: {
      const pair = api.layer(request.layer);
      try {
        const weight = readFloat32(pair.get(0));
        const bias = readFloat32(pair.get(1));
        return [{ weight, bias }, [weight.buffer, bias.buffer]];
      } finally {
        pair.destroy();
      }
    }
    case REQUEST.LOAD_TEXT:
      return [loadText(api, request.text, request.name), []];
    case REQUEST.LEARN:
      return api.learn(request);
    case REQUEST.TIMINGS:
      return [{ ...timings }, []];
    case REQUEST.BENCH_FORWARD:
      return [benchForward(api, request.pixels, request.repeats, request.mnistStyle), []];
    default:
      throw new Error(MESSAGES.unknownRequest(request.type));
  }
}

/** Time the forward pass as the page runs it (JS → Python → flat Float32Array back). */
function benchForward(api, pixels, repeats, mnistStyle) {
  const samples = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    readFloat32(api.predict(pixels, Boolean(mnistStyle)));
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)], minMs: samples[0], maxMs: samples.at(-1) };
}

/** Validate and install an export; a rejected file leaves the current model in place. */
function loadText(api, text, url) {
  const answer = JSON.parse(api.load(text));
  if (answer.error) throw new Error(MESSAGES.weightsRejected(url, answer.error));
  api.summary = answer.summary;
  return answer.summary;
}

/** Copy a NumPy float32 array (a PyProxy) out into a transferable Float32Array. */
function readFloat32(proxy) {
  const view = proxy.getBuffer("f32");
  try {
    return view.data.slice();
  } finally {
    view.release();
    proxy.destroy();
  }
}

async function fetchExport(url) {
  if (new URL(url).origin !== self.location.origin) {
    throw new Error(MESSAGES.weightsOtherOrigin(url, self.location.origin));
  }
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(MESSAGES.weightsUnreachable(url, messageOf(error)));
  }
  if (!response.ok) {
    throw new Error(MESSAGES.weightsHttp(url, response.status, response.statusText));
  }
  const tooLarge = (size) => new Error(MESSAGES.weightsTooLarge(url, size, MAX_EXPORT_BYTES));
  const declared = Number(response.headers.get("content-length") || 0);
  if (declared > MAX_EXPORT_BYTES) throw tooLarge(declared);
  // Read with a cap, so a server that sends no length cannot make us buffer a huge body.
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_EXPORT_BYTES) {
      await reader.cancel();
      throw tooLarge(`more than ${MAX_EXPORT_BYTES}`);
    }
    text += decoder.decode(value, { stream: true });
  }
}

async function fetchBytes(url, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(MESSAGES.fileHttp(what, response.status));
  return response.arrayBuffer();
}

function messageOf(error) {
  return error?.message ? error.message : String(error);
}

// Python glue: the only browser-specific Python, kept here so py_runtime stays pure.
const GLUE = `
import json, sys
sys.path.insert(0, "${RUNTIME_DIR}")
import numpy as np
from py_runtime.export_format import ExportError
from py_runtime.runtime import Runtime
from py_runtime.learning import Learner, handle_request

_runtime = Runtime()
_learner = Learner(_runtime)

def mlpvis_load(text):
    try:
        summary = _runtime.load(text, image_shape=(28, 28))
        _learner.model_loaded()
        return json.dumps({"summary": summary})
    except ExportError as error:
        return json.dumps({"error": str(error)})

def mlpvis_predict(js_pixels, mnist_style):
    js_pixels.assign_to(_runtime.input_buffer())
    return _runtime.predict(bool(mnist_style))

def mlpvis_connections(n, mode):
    return _runtime.connections(int(n), str(mode))

def mlpvis_learn(name, args, *buffers):
    return handle_request(_learner, name, args, *buffers)

def mlpvis_layer(index):
    return (_runtime.layer_weights(int(index)), _runtime.layer_biases(int(index)))
`;
