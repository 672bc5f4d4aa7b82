// Write NAME.br and NAME.gz beside each listed file (Node's zlib: no extra dependency).
//
//   node deploy/node/precompress.mjs JOBS_JSON CACHE_DIR
//
// JOBS_JSON lists {path, sha256}; compressed bodies are cached in CACHE_DIR by the source's
// sha256 (brotli at quality 11 is slow, and the vendored files rarely change). A variant is
// written only when it saves at least 5 %. Prints the variants written, as JSON, on stdout.

import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [jobsPath, cacheDir] = process.argv.slice(2);
if (!jobsPath || !cacheDir) {
  console.error("usage: node precompress.mjs JOBS_JSON CACHE_DIR");
  process.exit(2);
}
mkdirSync(cacheDir, { recursive: true });

const ENCODERS = {
  br: (data) =>
    brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  gz: (data) => gzipSync(data, { level: 9 }),
};

const written = [];
for (const { path, sha256 } of JSON.parse(readFileSync(jobsPath, "utf8"))) {
  let data = null;
  for (const [suffix, encode] of Object.entries(ENCODERS)) {
    const cached = join(cacheDir, `${sha256}.${suffix}`);
    if (!existsSync(cached)) {
      data ??= readFileSync(path);
      writeFileSync(`${cached}.tmp`, encode(data));
      renameSync(`${cached}.tmp`, cached); // never a half-written cache entry
    }
    if (statSync(cached).size <= 0.95 * statSync(path).size) {
      copyFileSync(cached, `${path}.${suffix}`);
      written.push(`${path}.${suffix}`);
    }
  }
}
process.stdout.write(`${JSON.stringify(written)}\n`);
