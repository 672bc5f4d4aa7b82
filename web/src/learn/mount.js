// Wires learning into the page: the controller, the panel, and the `window.mlpvis` learning API.
// main.js calls `mountLearning` once and spreads the returned API into `window.mlpvis`.

import { MAX_EXPORT_BYTES } from "../constants.js";
import { CALL } from "../protocol.js";
import { LearnPanel } from "../ui/learn-panel.js";
import { LEARN_TEXT } from "../ui/strings.js";
import { checkExportFile, trainResult } from "./checks.js";
import { LearningController } from "./controller.js";
import { ExampleStore } from "./examples-store.js";

/**
 * @param {object} page
 * @param {import("../bridge.js").RuntimeBridge} page.bridge
 * @param {Worker} page.worker
 * @param {HTMLDetailsElement} page.root the learning panel element
 * @param {Promise} page.ready resolves when the runtime is ready
 * @param {() => Float32Array} page.pixels the drawing
 * @param {() => Promise} page.refresh predict the drawing again (frame for every view)
 * @param {(model: {summary, layers}) => void} page.showWeights give the scene new weights
 * @param {() => string} page.sourceName where the loaded model came from
 * @param {(summary, name) => void} page.opened a local export was loaded
 */
export function mountLearning(page) {
  const { bridge } = page;
  const controller = new LearningController({
    bridge,
    worker: page.worker,
    store: new ExampleStore(),
    networkInput: async () => {
      const result = await bridge.predict(page.pixels());
      return result.blank ? null : new Float32Array(result.input);
    },
    refreshFrame: () => page.refresh(),
    showWeights: (model) => page.showWeights(model),
    sourceName: page.sourceName,
  });

  async function openFile(file) {
    checkExportFile(file, MAX_EXPORT_BYTES);
    let model;
    try {
      model = await bridge.call(CALL.LOAD, { data: new Uint8Array(await file.arrayBuffer()) });
    } catch (error) {
      throw new Error(LEARN_TEXT.fileRejected(file.name, error.message));
    }
    controller.changed = false;
    bridge.setModel(model);
    page.opened(model.summary, file.name);
    await page.refresh();
    return model.summary;
  }

  const panel = new LearnPanel(page.root, controller, {
    openFile,
    modelSummary: () => bridge.model,
  });
  bridge.on("model", ({ summary }) => panel.setModel(summary));
  const ready = async () => {
    await page.ready;
  };

  return {
    controller,
    panel,
    api: {
      async train(options = {}) {
        await ready();
        return trainResult(await controller.train(options));
      },
      async stopTraining() {
        await ready();
        const progress = await controller.stop();
        return progress ? trainResult(progress) : null;
      },
      async teach(label) {
        await ready();
        return controller.teach(label);
      },
      async examples() {
        await ready();
        return (await controller.examples()).map(({ label, pixels }) => ({ label, pixels }));
      },
      async forgetExamples() {
        await ready();
        return controller.forgetExamples();
      },
      async fineTune(options = {}) {
        await ready();
        const { before, after, progress } = await controller.fineTune(options);
        return { before, after, diverged: Boolean(progress.diverged) };
      },
      async exportModel() {
        await ready();
        return controller.exportModel();
      },
      async resetModel() {
        await ready();
        await controller.reset();
        return bridge.model;
      },
      async openExport(file) {
        await ready();
        return openFile(file);
      },
      learningStatus: () => ({
        running: controller.running,
        paused: controller.paused,
        changed: controller.changed,
        progress: controller.progress,
      }),
    },
  };
}
