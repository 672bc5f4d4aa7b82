// Start the Python runtime before anything else: booting Pyodide is the long pole, and
// everything else (page modules, weights, scene) overlaps with it. A classic script in <head>
// (a file, not inline: the Content-Security-Policy allows no inline code but the import map).
window.__mlpvisWorker = new Worker("src/worker/worker.js", { type: "module" });
