// The worker's learning requests: fetch the training digits, and run training or fine-tuning
// in short slices so prediction requests are answered between two slices. Python
// (py_runtime/learning.py) owns every rule; this module only moves bytes and paces the loop.

import { EVENT, LEARN } from "../protocol.js";

const SLICE_SECONDS = 0.015; // a prediction waits at most about this long while training

/**
 * @param {object} pyodide the booted Pyodide
 * @param {(message: object) => void} post posts a message to the page
 * @returns {(request: object) => Promise<[unknown, Transferable[]]>} the "learn" request handler
 */
export function learningRequests(pyodide, post) {
  const python = pyodide.globals.get("mlpvis_learn");
  const call = (name, args = {}, ...buffers) => {
    const answer = JSON.parse(python(name, JSON.stringify(args), ...buffers));
    if (answer.error !== undefined) throw new Error(answer.error);
    return answer.value;
  };
  const loop = { running: false, paused: false, wake: null };

  /** Slices until the session is done; progress goes to the page as "learn" events. */
  async function run(first) {
    loop.running = true;
    loop.paused = false;
    let progress = first;
    try {
      post({ type: EVENT.LEARN, progress });
      while (!progress.done) {
        await nextTask();
        if (loop.paused) {
          post({ type: EVENT.LEARN, progress: { ...progress, paused: true } });
          await new Promise((resolve) => (loop.wake = resolve));
          continue;
        }
        progress = call("slice", { seconds: SLICE_SECONDS });
        post({ type: EVENT.LEARN, progress });
      }
      return progress;
    } finally {
      loop.running = false;
      loop.paused = false;
    }
  }

  function wake() {
    const resolve = loop.wake;
    loop.wake = null;
    resolve?.();
  }

  function refuseWhileRunning() {
    if (loop.running) throw new Error("training is already running: stop it first");
  }

  return async function handle(request) {
    switch (request.op) {
      case LEARN.DATA: {
        const [train, heldOut] = await Promise.all([
          fetchBytes(request.trainUrl),
          fetchBytes(request.heldOutUrl),
        ]);
        return [call("data", { dataset: request.dataset }, train, heldOut), []];
      }
      case LEARN.TRAIN: {
        refuseWhileRunning();
        const first = call("train", { options: request.options ?? {} });
        post({ type: EVENT.LEARN, summary: first.summary });
        return [await run(first), []];
      }
      case LEARN.FINE_TUNE: {
        refuseWhileRunning();
        const first = call(
          "fineTune",
          { labels: request.labels, options: request.options ?? {} },
          request.pixels,
        );
        return [await run(first), []];
      }
      case LEARN.PAUSE:
        loop.paused = loop.running;
        return [loop.paused, []];
      case LEARN.RESUME:
        loop.paused = false;
        wake();
        return [loop.running, []];
      case LEARN.STOP: {
        if (!loop.running) return [null, []];
        const progress = call("stop");
        loop.paused = false;
        wake();
        return [progress, []];
      }
      case LEARN.RESET: {
        if (loop.running) {
          call("stop");
          loop.paused = false;
          wake();
          await nextTask();
        }
        return [call("reset"), []];
      }
      case LEARN.EXPORT:
        return [call("export", { source: request.source ?? "" }), []];
      case LEARN.STATUS:
        return [{ ...call("status"), running: loop.running, paused: loop.paused }, []];
      default:
        throw new Error(`unknown learning request ${JSON.stringify(request.op)}`);
    }
  };
}

/** Let queued messages (predictions) run before the next slice: a message task, unclamped. */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

async function fetchBytes(url) {
  if (new URL(url).origin !== self.location.origin) {
    throw new Error(`training digits must come from this site, not ${url}`);
  }
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`the training digits could not be fetched (${error.message})`);
  }
  if (!response.ok) {
    throw new Error(`the training digits are missing from this site (HTTP ${response.status} for ${url})`);
  }
  return new Uint8Array(await response.arrayBuffer());
}
