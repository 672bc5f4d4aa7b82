// The worker's learning requests: fetch the training digits, and run training or fine-tuning
// in short slices so that prediction requests are answered between two slices. Python
// (py_runtime/learning.py, through worker_api's requests) owns every rule; this module only
// fetches, paces the loop and posts progress.

import { EVENT, LEARN } from "../protocol.js";
import { LEARN_TEXT as T } from "../ui/strings.js";
import { fetchOwnFile } from "./fetching.js";

const SLICE_SECONDS = 0.015; // a prediction waits at most about this long while training

/**
 * @param {(name: string, args?: object) => any} call calls a py_runtime.worker_api request
 * @param {(message: object) => void} post posts a message to the page
 * @param {() => Promise<void>} prepare installs what training needs beyond the boot
 *   (numpy.random's libraries, deploy/wheel_split.py): started when the digits are fetched,
 *   awaited before training or fine-tuning starts (a failed install is tried again then)
 * @returns {(request: object) => Promise<unknown>} the REQUEST.LEARN handler
 */
export function learningRequests(call, post, prepare) {
  const loop = { running: false, paused: false, wake: null };

  /** Slices until the session is done; progress goes to the page as LEARN events. */
  async function run(first) {
    loop.running = true;
    loop.paused = false;
    let progress = first;
    try {
      while (!progress.done) {
        await nextTask();
        if (loop.paused) {
          post({ type: EVENT.LEARN, progress: { ...progress, paused: true } });
          await new Promise((resolve) => (loop.wake = resolve));
          continue;
        }
        progress = call("learn_slice", { seconds: SLICE_SECONDS });
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
    if (loop.running) throw new Error(T.alreadyRunning);
  }

  return async function handle(request) {
    switch (request.op) {
      case LEARN.DATA: {
        // The panel opened: install what training needs while the digits download (a failure
        // is reported by the training that needs it, not by the digits).
        prepare().catch(() => {});
        const [train, heldOut] = await Promise.all([
          fetchBytes(request.trainUrl),
          fetchBytes(request.heldOutUrl),
        ]);
        return call("learn_data", { dataset: request.dataset, train, held_out: heldOut });
      }
      case LEARN.TRAIN: {
        refuseWhileRunning();
        await prepare();
        refuseWhileRunning();
        const { model, ...first } = call("learn_train", { options: request.options ?? {} });
        post({ type: EVENT.LEARN, progress: first, model });
        return run(first);
      }
      case LEARN.FINE_TUNE: {
        refuseWhileRunning();
        await prepare();
        refuseWhileRunning();
        const first = call("learn_fine_tune", {
          pixels: request.pixels,
          labels: request.labels,
          options: request.options ?? {},
        });
        post({ type: EVENT.LEARN, progress: first });
        return run(first);
      }
      case LEARN.PAUSE:
        loop.paused = loop.running;
        return loop.paused;
      case LEARN.RESUME:
        loop.paused = false;
        wake();
        return loop.running;
      case LEARN.STOP: {
        if (!loop.running) return null;
        const progress = call("learn_stop");
        loop.paused = false;
        wake();
        return progress;
      }
      case LEARN.RESET: {
        if (loop.running) {
          call("learn_stop");
          loop.paused = false;
          wake();
          await nextTask();
        }
        return call("learn_reset");
      }
      case LEARN.MODEL:
        return call("learn_model");
      case LEARN.EXPORT:
        return call("learn_export", { source: request.source ?? "" });
      case LEARN.STATUS:
        return { ...call("learn_status"), running: loop.running, paused: loop.paused };
      default:
        throw new Error(T.unknownOp(request.op));
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

// How a fetch of the learning panel's digits fails, in words.
const DATA_WORDS = {
  otherOrigin: (url) => T.dataOtherOrigin(url),
  unreachable: (_url, reason) => T.dataUnreachable(reason),
  http: (url, status) => T.dataHttp(status, url),
};

function fetchBytes(url) {
  return fetchOwnFile(url, DATA_WORDS);
}
