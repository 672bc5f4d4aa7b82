// Pyodide training throughput under Node: the page's NumPy wheel, py_runtime from build/site,
// MNIST-sized random data (speed does not depend on the pixel values).
// Usage: node bench/pyodide_training.mjs [site_dir] [seconds]   → one JSON line on stdout.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadPyodide } from "pyodide";

const site = resolve(process.argv[2] ?? "build/site");
const seconds = Number(process.argv[3] ?? 3);
const wheel = readFileSync(`${site}/vendor/pyodide/pyodide-lock.json`, "utf8");
const numpyFile = JSON.parse(wheel).packages.numpy.file_name;

const pyodide = await loadPyodide({ stdout: () => {}, stderr: (m) => process.stderr.write(`${m}\n`) });
await pyodide.loadPackage(`${site}/vendor/pyodide/${numpyFile}`, { messageCallback: () => {} });
pyodide.unpackArchive(new Uint8Array(readFileSync(`${site}/py_runtime.zip`)), "zip", { extractDir: "/home/pyodide/rt" });
const result = pyodide.runPython(`
import sys, json, time
sys.path.insert(0, "/home/pyodide/rt")
import numpy as np
from py_runtime import parse_export, random_export
from py_runtime.training import TrainSession
from py_runtime.forward import forward
rng = np.random.default_rng(0)
images = rng.integers(0, 256, size=(8000, 784), dtype=np.uint8)
labels = rng.integers(0, 10, size=8000).astype(np.uint8)
model = parse_export(json.dumps(random_export((784, 128, 64, 10))))
out = {}
for batch in (32, 64, 128):
    s = TrainSession(model, (images, labels), (images[:1000], labels[:1000]), batch_size=batch,
                     evaluate_every=10**9, seed=0)
    s.run(max_steps=3)
    s = TrainSession(model, (images, labels), (images[:1000], labels[:1000]), batch_size=batch,
                     evaluate_every=10**9, seed=0)
    p = s.run(max_seconds=${seconds})
    out[f"images_per_second_batch{batch}"] = round(p["images_per_second"])
t = time.perf_counter(); s.evaluate(); out["evaluate_1000_ms"] = round((time.perf_counter() - t) * 1000, 1)
pixels = images[0] / 255
t = time.perf_counter()
for _ in range(50):
    forward(s.model, pixels)
out["forward_ms"] = round((time.perf_counter() - t) * 1000 / 50, 2)
json.dumps(out)
`);
console.log(result);
