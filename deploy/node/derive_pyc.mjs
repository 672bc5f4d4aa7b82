// Compile Python archives to sourceless .pyc with Pyodide's own CPython, under Node.
//
//   node deploy/node/derive_pyc.mjs CORE_DIR JOBS_JSON
//
// CORE_DIR holds the verified Pyodide core (pyodide.mjs, pyodide.asm.js/.wasm,
// python_stdlib.zip, pyodide-lock.json). JOBS_JSON lists {src, dst, prefix, wheel} with host
// paths; deploy/pyc_compile.py does the work inside Pyodide. Prints a JSON report on stdout.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [coreDir, jobsPath] = process.argv.slice(2);
if (!coreDir || !jobsPath) {
  console.error("usage: node derive_pyc.mjs CORE_DIR JOBS_JSON");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const { loadPyodide } = await import(pathToFileURL(join(coreDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: `${coreDir.replace(/\/?$/, "/")}`,
  stdout: (line) => console.error(line),
  stderr: (line) => console.error(line),
});

const work = "/home/pyodide/derive";
pyodide.FS.mkdirTree(work);
pyodide.FS.writeFile("/home/pyodide/pyc_compile.py", readFileSync(join(here, "..", "pyc_compile.py")));
const hostJobs = JSON.parse(readFileSync(jobsPath, "utf8"));
const jobs = hostJobs.map((job, index) => {
  pyodide.FS.writeFile(`${work}/in-${index}`, readFileSync(job.src));
  return { src: `${work}/in-${index}`, dst: `${work}/out-${index}`, prefix: job.prefix, wheel: job.wheel };
});
const compiler = pyodide.pyimport("pyc_compile");
const report = JSON.parse(compiler.derive(JSON.stringify(jobs)));
hostJobs.forEach((job, index) => {
  writeFileSync(job.dst, pyodide.FS.readFile(`${work}/out-${index}`));
  report[index].dst = job.dst;
});
process.stdout.write(`${JSON.stringify(report)}\n`);
