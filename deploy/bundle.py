"""The page's JavaScript as three bundles (the page, the runtime worker, the scene's render
worker), not ~70 ES modules fetched one level of imports at a time.

Each module request of a page goes through its service worker and waits for the modules that
import it, so a worker could start booting Pyodide only after three rounds of requests queued
behind the page's own. Bundled, settled warm reloads took 1.65 s instead of 1.87 s (paired, 20
each; cold boots 2.99 vs 3.08 s).
esbuild (pinned in package-lock.json) does it, unminified: the bundles stay readable, each
module's code under a ``// src/…`` line. The sources in ``web/src`` are what is read, linted
and unit-tested; the site serves the bundles.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from deploy.build_tools import BuildError, run_node

CLASSIC_SCRIPTS = ("start-worker.js",)  # a plain <script> (it starts the runtime worker first)


def bundle_scripts(node_modules: Path, site_dir: Path, scratch_parent: Path) -> list[str]:
    """Replace the ES modules in ``site_dir/src`` by their bundles; the files written
    (relative to ``src``)."""
    src = Path(site_dir) / "src"
    if not (Path(node_modules) / "esbuild").is_dir():
        raise BuildError(f"esbuild is missing from {node_modules}: run npm ci")
    scratch = Path(tempfile.mkdtemp(prefix="bundle-", dir=scratch_parent))
    try:
        written = run_node("bundle.mjs", node_modules, site_dir, scratch, ",".join(CLASSIC_SCRIPTS))
        for path in sorted(src.rglob("*.js")):
            if path.relative_to(src).as_posix() not in CLASSIC_SCRIPTS:
                path.unlink()
        for folder in sorted((p for p in src.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        for name in written:
            target = src / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(scratch / name, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return written
