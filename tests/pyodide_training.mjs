// py_runtime's training in Pyodide under Node, with the site's NumPy wheel and py_runtime.zip:
// runs tests/pyodide_training.py there (throughput, and a fixed-seed run that
// tests/unit/test_training_in_pyodide.py compares with CPython).
// Usage: node tests/pyodide_training.mjs [site_dir] [seconds]   → one JSON line on stdout.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const site = resolve(process.argv[2] ?? "build/site");
const seconds = Number(process.argv[3] ?? 3);
const here = dirname(fileURLToPath(import.meta.url));
const lock = JSON.parse(readFileSync(`${site}/vendor/pyodide/pyodide-lock.json`, "utf8"));

const pyodide = await loadPyodide({ stdout: () => {}, stderr: (m) => process.stderr.write(`${m}\n`) });
// NumPy, then numpy.random's libraries (a wheel of their own: deploy/wheel_split.py).
for (const name of ["numpy", "numpy-random"]) {
  await pyodide.loadPackage(`${site}/vendor/pyodide/${lock.packages[name].file_name}`, { messageCallback: () => {} });
}
pyodide.unpackArchive(new Uint8Array(readFileSync(`${site}/py_runtime.zip`)), "zip", { extractDir: "/home/pyodide/rt" });
pyodide.FS.writeFile("/home/pyodide/rt/pyodide_training.py", readFileSync(`${here}/pyodide_training.py`));
pyodide.pyimport("sys").path.insert(0, "/home/pyodide/rt");
console.log(pyodide.pyimport("pyodide_training").run(seconds));
