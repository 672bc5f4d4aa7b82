// Bundle the page's JavaScript with esbuild: each entry point becomes one file (its shared
// lazy parts one chunk), in place of the ~70 ES modules the page and its workers import one by
// one. Vendored files (Pyodide, three) stay outside, imported by their relative paths.
//
//   node deploy/node/bundle.mjs NODE_MODULES SITE_DIR OUT_DIR CLASSIC_SCRIPTS
//
// Reads SITE_DIR/src, writes OUT_DIR/<same paths>; CLASSIC_SCRIPTS (comma-separated, relative
// to src) are plain scripts that stay as they are. Every relative path a bundle keeps (an
// external import, `new URL("…", import.meta.url)` or `new URL("…", document.baseURI)`) is
// checked to name a file the site will serve, as seen from where the bundle is written. Prints the files written, as JSON, on stdout.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";

const [nodeModules, siteDir, outDir, classic = ""] = process.argv.slice(2);
if (!nodeModules || !siteDir || !outDir) {
  console.error("usage: node bundle.mjs NODE_MODULES SITE_DIR OUT_DIR CLASSIC_SCRIPTS");
  process.exit(2);
}
const esbuild = createRequire(join(resolve(nodeModules), "noop.js"))("esbuild");
const srcDir = join(siteDir, "src");
const CLASSIC_SCRIPTS = classic.split(",").filter(Boolean);

// Entry points, each bundled on its own so that a worker loads one file and nothing it shares
// with the page. The page's lazy parts (the main-thread scene, a fallback) become chunks in
// scene/: the depth of the scene modules, so their "../../vendor/…" imports stay right.
const BUILDS = [
  { entryPoints: ["main.js"], splitting: true, chunkNames: "scene/chunk-[hash]" },
  { entryPoints: ["worker/worker.js"] },
  { entryPoints: ["scene/render-worker.js"] },
];

const written = [];
const references = []; // [bundle, path as written]
for (const build of BUILDS) {
  const result = await esbuild.build({
    ...build,
    entryPoints: build.entryPoints.map((entry) => resolve(srcDir, entry)),
    absWorkingDir: resolve(srcDir),
    outbase: resolve(srcDir),
    outdir: resolve(outDir),
    bundle: true,
    format: "esm",
    charset: "utf8",
    external: ["../vendor/*", "../../vendor/*"],
    metafile: true,
    logLevel: "silent",
  });
  for (const [output, info] of Object.entries(result.metafile.outputs)) {
    const name = relative(resolve(outDir), resolve(srcDir, output)).split(sep).join("/");
    written.push(name);
    for (const entry of info.imports) if (entry.external) references.push([name, entry.path]);
    const code = readFileSync(join(outDir, name), "utf8");
    for (const match of code.matchAll(/new URL\(\s*(["'])(\.{1,2}\/[^"']+)\1\s*,\s*import\.meta\.url/g)) {
      references.push([name, match[2]]);
    }
    // Page-relative URLs (the render worker's): relative to index.html, at the site's root.
    for (const match of code.matchAll(/new URL\(\s*(["'])([^"':]+)\1\s*,\s*document\.baseURI/g)) {
      references.push([name, relative(dirname(join(srcDir, name)), join(siteDir, match[2]))]);
    }
  }
}

// What the site will serve under src/ once the bundles replace the modules.
const servedInSrc = new Set([...written, ...CLASSIC_SCRIPTS]);
const problems = [];
for (const [name, path] of references) {
  const target = resolve(dirname(join(srcDir, name)), path.split(/[?#]/)[0]);
  const inSite = relative(resolve(siteDir), target);
  const inSrc = relative(resolve(srcDir), target).split(sep).join("/");
  const served = inSrc.startsWith("..") ? !inSite.startsWith("..") && existsSync(target) : servedInSrc.has(inSrc);
  if (!served) problems.push(`src/${name} refers to ${path}, which the site will not serve`);
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(JSON.stringify(written.sort()));
