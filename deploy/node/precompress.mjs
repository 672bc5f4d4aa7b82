// Write NAME.br and NAME.gz beside each listed file (Node's zlib: no extra dependency).
//
//   node deploy/node/precompress.mjs JOBS_JSON CACHE_DIR
//
// JOBS_JSON lists {path, sha256}; compressed bodies are cached in CACHE_DIR by the source's
// sha256 and settings (the vendored files rarely change). Brotli runs at quality 11 up to 1 MB
// and at 9 above (11 takes minutes on the 10 MB files and saves only ~12 % more). A variant
// is written only when it saves at least 5 %. Prints the variants written, as JSON, on stdout.

import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [jobsPath, cacheDir] = process.argv.slice(2);
if (!jobsPath || !cacheDir) {
  console.error("usage: node precompress.mjs JOBS_JSON CACHE_DIR");
  process.exit(2);
}
mkdirSync(cacheDir, { recursive: true });

const brotliQuality = (size) => (size > 1024 * 1024 ? 9 : 11);
const ENCODERS = {
  br: {
    key: (size) => `q${brotliQuality(size)}.br`,
    encode: (data) =>
      brotliCompressSync(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: brotliQuality(data.length),
          [constants.BROTLI_PARAM_LGWIN]: 24,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
  },
  gz: { key: () => "l9.gz", encode: (data) => gzipSync(data, { level: 9 }) },
};

const written = [];
for (const { path, sha256 } of JSON.parse(readFileSync(jobsPath, "utf8"))) {
  let data = null;
  const size = statSync(path).size;
  for (const [suffix, { key, encode }] of Object.entries(ENCODERS)) {
    const cached = join(cacheDir, `${sha256}.${key(size)}`);
    if (!existsSync(cached)) {
      data ??= readFileSync(path);
      writeFileSync(`${cached}.tmp`, encode(data));
      renameSync(`${cached}.tmp`, cached); // never a half-written cache entry
    }
    if (statSync(cached).size <= 0.95 * size) {
      copyFileSync(cached, `${path}.${suffix}`);
      written.push(`${path}.${suffix}`);
    }
  }
}
process.stdout.write(`${JSON.stringify(written)}\n`);
