"""Page benchmark (Debian Chromium, fresh browser contexts): boot and forward pass.

    python bench/bench_page.py [--runs 7] [--quick] [--out bench/out/page.json]

Reports medians with min–max. The baseline, measured in the same run, is a bare page that only
boots Pyodide in a module worker and imports NumPy; the page's overhead is the median of the
ratios of each page run to the baseline run just before it. Input latency (with the scene in
its worker, on the main thread, and without WebGL) is bench/bench_input.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import machine, print_table, serve_site, summarize
from bench.common import write_json as save
from tests.support import CHROMIUM, CHROMIUM_ARGS

BASELINE_PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>
const worker = new Worker(URL.createObjectURL(new Blob([`
  import { loadPyodide } from "${location.origin}/vendor/pyodide/pyodide.mjs";
  const pyodide = await loadPyodide({ indexURL: "${location.origin}/vendor/pyodide/" });
  await pyodide.loadPackage("numpy");
  pyodide.runPython("import numpy");
  postMessage("ready");
`], { type: "text/javascript" })), { type: "module" });
window.baselineReady = new Promise(
  (resolve) => worker.onmessage = () => resolve(performance.now()));
</script></head><body>baseline</body></html>"""


def measure(runs: int, forward_repeats: int) -> dict:
    """Run the page and the baseline in alternation, each in a fresh browser context."""
    page_ready, baseline_ready, grid_ready, reload_ready = [], [], [], []
    forward, forward_preprocessed = [], []
    with serve_site({"/bench-baseline.html": BASELINE_PAGE}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 900, "height": 640})
            page = context.new_page()
            page.goto(url + "bench-baseline.html")
            baseline_ready.append(page.evaluate("window.baselineReady") / 1000)
            context.close()

            context = browser.new_context(viewport={"width": 900, "height": 640})
            page = context.new_page()
            page.goto(url)
            grid_ready.append(
                page.evaluate(
                    "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                )
                / 1000
            )
            page_ready.append(
                page.evaluate("window.mlpvis.ready.then(() => performance.now())") / 1000
            )
            page.reload()
            reload_ready.append(
                page.evaluate("window.mlpvis.ready.then(() => performance.now())") / 1000
            )
            pixels = [0.0] * 784
            for row in range(4, 24):
                pixels[row * 28 + 14] = 1.0
            forward.append(
                page.evaluate(
                    "([p, n]) => window.mlpvis.bridge.benchForward(p, n, false)",
                    [pixels, forward_repeats],
                )["medianMs"]
            )
            forward_preprocessed.append(
                page.evaluate(
                    "([p, n]) => window.mlpvis.bridge.benchForward(p, n, true)",
                    [pixels, forward_repeats],
                )["medianMs"]
            )
            context.close()
        browser.close()
    page_summary, baseline_summary = summarize(page_ready), summarize(baseline_ready)
    return {
        "machine": machine(),
        "cold_ready_s": page_summary,
        "baseline_pyodide_numpy_s": baseline_summary,
        # each page run is paired with the baseline run just before it (same machine load)
        "boot_ratio_to_baseline": statistics.median(
            p / b for p, b in zip(page_ready, baseline_ready, strict=True)
        ),
        "grid_drawable_s": summarize(grid_ready),
        "warm_reload_ready_s": summarize(reload_ready),
        "worker_forward_ms": summarize(forward),
        "worker_forward_preprocessed_ms": summarize(forward_preprocessed),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh-browser runs (default 7)")
    parser.add_argument("--quick", action="store_true", help="smoke mode: one short run")
    parser.add_argument("--out", type=Path, default=Path("bench/out/page.json"))
    args = parser.parse_args(argv)
    runs, repeats = (1, 20) if args.quick else (args.runs, 300)
    results = measure(runs, repeats)
    results["quick"] = args.quick
    save(args.out, results)
    print_table(
        "Page (Debian Chromium, headless)",
        [
            ("cold page-open → ready", results["cold_ready_s"], "s"),
            ("baseline: bare Pyodide + import numpy", results["baseline_pyodide_numpy_s"], "s"),
            ("boot ratio page / baseline", results["boot_ratio_to_baseline"], "×"),
            ("grid drawable (DOMContentLoaded)", results["grid_drawable_s"], "s"),
            ("warm reload → ready", results["warm_reload_ready_s"], "s"),
            ("forward pass in the worker", results["worker_forward_ms"], "ms"),
            (
                "  with MNIST-style preprocessing",
                results["worker_forward_preprocessed_ms"],
                "ms",
            ),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
