"""Page benchmark (Debian Chromium): boot, reloads, offline, bytes, forward pass.

    python bench/bench_page.py [--runs 7] [--quick] [--out bench/out/page.json]

Reports medians with min–max. The baseline, measured in the same run, is a bare page that only
boots Pyodide in a module worker, loads NumPy and imports it, from the *stock* files (the
official core, stdlib zip and wheel, served uncompressed); the boot ratio is the median of the
ratios of each cold page run (fresh context) to the baseline run just before it. Warm and
offline reloads run in a persistent (disk-backed) profile, as a returning visitor's browser is:
Chromium keeps compiled wasm only there. Warm reloads are timed twice: at once after ready (the
old page is then still loading and drawing its 3D scene, which competes with the new boot) and
settled (the scene idle and a second's pause first, as a person reloads a page they looked at).
Input latency (with the scene in its worker, on the main thread, and without WebGL) is
bench/bench_input.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (
    ROOT,
    SCENE_IDLE_JS,
    SITE,
    machine,
    print_table,
    serve_site,
    summarize,
)
from bench.common import write_json as save
from deploy.site import ensure_vendor
from tests.support import CHROMIUM, CHROMIUM_ARGS, RELEASE_CACHED_JS

BASELINE_PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>
const worker = new Worker(URL.createObjectURL(new Blob([`
  import { loadPyodide } from "${location.origin}/stock-pyodide/pyodide.mjs";
  const pyodide = await loadPyodide({ indexURL: "${location.origin}/stock-pyodide/" });
  await pyodide.loadPackage("numpy");
  pyodide.runPython("import numpy");
  postMessage("ready");
`], { type: "text/javascript" })), { type: "module" });
window.baselineReady = new Promise(
  (resolve) => worker.onmessage = () => resolve(performance.now()));
</script></head><body>baseline</body></html>"""


STOCK_PREFIX = "/stock-pyodide/"
SETTLE_MS = 1000  # a settled reload's pause after the scene went idle
READY_JS = "window.mlpvis.ready.then(() => performance.now())"


class TransferCounter:
    """Bytes the responses of a page carried (encoded, as sent: their Content-Length) and their
    decoded size (the served file's size), from Playwright's request events (workers' too)."""

    def __init__(self, page, stock: Path) -> None:
        self.stock = stock
        self.encoded = 0
        self.decoded = 0
        self.requests = 0
        page.on("requestfinished", self._count)

    def _count(self, request) -> None:
        path = urlparse(request.url).path
        if path.startswith(STOCK_PREFIX):
            file = self.stock / path.removeprefix(STOCK_PREFIX)
        else:
            file = SITE / (path.lstrip("/") or "index.html")
        if not file.is_file():
            return  # in-memory pages
        response = request.response()
        if response is None:
            return
        self.requests += 1
        # The server always sends Content-Length (of the .br/.gz variant when it sent one);
        # CDP's own body size reads 0 for a body that a streaming wasm compile consumed.
        self.encoded += int(response.headers.get("content-length", 0))
        self.decoded += file.stat().st_size

    def snapshot(self) -> dict:
        return {
            "requests": self.requests,
            "encoded_bytes": self.encoded,
            "decoded_bytes": self.decoded,
        }


def ready_seconds(page) -> float:
    return page.evaluate(READY_JS) / 1000


def open_profile(pw, profile: str, **options):
    """A browser with a disk-backed profile (it keeps compiled code, unlike new_context());
    returns the context and its page."""
    context = pw.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        viewport={"width": 900, "height": 640},
        **options,
    )
    return context, context.pages[0] if context.pages else context.new_page()


def reload_times(page, reloads: int, settled: bool = False) -> list[float]:
    """Reload `page` `reloads` times; the seconds each took to ready. `settled`: each reload
    waits until the scene is idle, then SETTLE_MS."""
    times = []
    for _ in range(reloads):
        if settled:
            page.wait_for_function(SCENE_IDLE_JS, timeout=90_000)
            page.wait_for_timeout(SETTLE_MS)
        page.reload()
        times.append(ready_seconds(page))
    return times


def measure_returning_visits(pw, url: str, reloads: int) -> dict:
    """Warm reloads in a profile with service workers blocked (the same files from the HTTP
    cache: what the offline cache costs); then a persistent profile: a first visit (the service
    worker caches the release), warm reloads (at once after ready, then settled), and reloads
    with the network gone."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
        context, page = open_profile(pw, profile, service_workers="block")
        page.goto(url)
        ready_seconds(page)
        http_cache = reload_times(page, reloads)
        context.close()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
        context, page = open_profile(pw, profile)
        page.goto(url)
        first = ready_seconds(page)
        page.evaluate(RELEASE_CACHED_JS)  # only then is a reload served offline
        warm = reload_times(page, reloads)
        settled = reload_times(page, reloads, settled=True)
        context.set_offline(True)
        offline = reload_times(page, reloads)
        context.close()
    return {
        "persistent_first_visit_ready_s": first,
        "warm_reload_persistent_ready_s": summarize(warm),
        "warm_reload_settled_ready_s": summarize(settled),
        "offline_reload_ready_s": summarize(offline),
        "warm_reload_http_cache_ready_s": summarize(http_cache),
    }


def measure(runs: int, forward_repeats: int) -> dict:
    """Run the page and the stock baseline in alternation, each in a fresh browser context."""
    page_ready, baseline_ready, grid_ready, reload_ready = [], [], [], []
    forward, forward_preprocessed = [], []
    stock = ensure_vendor(ROOT, ROOT / ".cache") / "pyodide"
    transfers = {}
    pages = {"/bench-baseline.html": BASELINE_PAGE}
    with serve_site(pages, mounts={STOCK_PREFIX: stock}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(runs):
            context = browser.new_context(viewport={"width": 900, "height": 640})
            page = context.new_page()
            counter = TransferCounter(page, stock) if run == 0 else None
            page.goto(url + "bench-baseline.html")
            baseline_ready.append(page.evaluate("window.baselineReady") / 1000)
            if counter:
                transfers["baseline_cold_visit"] = counter.snapshot()
            context.close()

            # No service worker here: returning visits are measured below.
            context = browser.new_context(
                viewport={"width": 900, "height": 640}, service_workers="block"
            )
            page = context.new_page()
            counter = TransferCounter(page, stock) if run == 0 else None
            page.goto(url)
            grid_ready.append(
                page.evaluate(
                    "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                )
                / 1000
            )
            page_ready.append(ready_seconds(page))
            if counter:
                transfers["page_cold_visit"] = counter.snapshot()
            page.reload()
            reload_ready.append(ready_seconds(page))
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
        returning = measure_returning_visits(pw, url, 2 if runs == 1 else runs)
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
        **returning,
        "transfer": transfers,
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
            ("baseline: bare stock Pyodide + NumPy", results["baseline_pyodide_numpy_s"], "s"),
            ("boot ratio page / baseline", results["boot_ratio_to_baseline"], "×"),
            ("grid drawable (DOMContentLoaded)", results["grid_drawable_s"], "s"),
            ("reload → ready (fresh context)", results["warm_reload_ready_s"], "s"),
            ("warm reload, persistent profile", results["warm_reload_persistent_ready_s"], "s"),
            ("  the page settled first", results["warm_reload_settled_ready_s"], "s"),
            ("offline reload → ready", results["offline_reload_ready_s"], "s"),
            (
                "warm reload, HTTP cache (no service worker)",
                results["warm_reload_http_cache_ready_s"],
                "s",
            ),
            (
                "cold visit transfers (encoded / decoded)",
                "{encoded_bytes} / {decoded_bytes} B".format(
                    **results["transfer"]["page_cold_visit"]
                ),
                "",
            ),
            (
                "stock baseline transfers (encoded / decoded)",
                "{encoded_bytes} / {decoded_bytes} B".format(
                    **results["transfer"]["baseline_cold_visit"]
                ),
                "",
            ),
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
