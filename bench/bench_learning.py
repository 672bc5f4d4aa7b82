"""Learning-in-the-page benchmark (Debian Chromium, headless): training speed in the page's
worker, one epoch's held-out accuracy, and input → probabilities while it trains.

    python bench/bench_learning.py [--runs 3] [--quick] [--out bench/out/learning.json]

Every latency figure during training is paired with the same measurement on the same page
while idle (measured just before), and with the 3D scene on (SwiftShader) and off (no WebGL).
Also reports the training throughput of Pyodide under Node (tests/pyodide_training.mjs) and
CPython, on the same machine, in the same run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_input import INPUT_LATENCY_JS
from bench.common import ROOT, SITE, machine, print_table, serve_site, summarize
from bench.common import write_json as save
from tests.support import CHROMIUM, CHROMIUM_ARGS, NO_WEBGL_ARGS

START_TRAINING_JS = """(options) => {
  window.__training = window.mlpvis.train(options);
  return new Promise((resolve) => {
    const seen = () => window.mlpvis.learningStatus().progress?.images_seen ?? 0;
    const wait = () => (seen() > 0 ? resolve() : setTimeout(wait, 20));
    wait();
  });
}"""


def epoch_runs(page, runs: int, epochs: int) -> list[dict]:
    """Train from scratch ``runs`` times (seeds 0…), one epoch of the 8,000 digits each."""
    results = []
    for seed in range(runs):
        results.append(
            page.evaluate("(o) => window.mlpvis.train(o)", {"epochs": epochs, "seed": seed})
        )
    return results


def latency_pair(page, samples: int) -> tuple[list[float], list[float]]:
    """Input → probabilities idle, then while training (same page, same drawing path)."""
    idle = [updated for updated, _ in page.evaluate(INPUT_LATENCY_JS, samples)]
    page.evaluate(START_TRAINING_JS, {"epochs": 50, "seed": 9})
    training = [updated for updated, _ in page.evaluate(INPUT_LATENCY_JS, samples)]
    page.evaluate("window.mlpvis.stopTraining().then(() => window.__training)")
    return idle, training


def node_throughput(seconds: float) -> dict | None:
    """Pyodide (Node) training throughput with the site's NumPy wheel."""
    command = ["node", str(ROOT / "tests" / "pyodide_training.mjs"), str(SITE), str(seconds)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def cpython_throughput(seconds: float) -> float:
    """The same session in CPython (OpenBLAS): images/s at batch 64."""
    import numpy as np

    from py_runtime import parse_export, random_export
    from py_runtime.training import TrainSession

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(8000, 784), dtype=np.uint8)
    labels = rng.integers(0, 10, size=8000).astype(np.uint8)
    model = parse_export(json.dumps(random_export((784, 128, 64, 10))))
    session = TrainSession(
        model, (images, labels), (images[:10], labels[:10]), evaluate_every=10**9, epochs=100
    )
    return session.run(max_seconds=seconds)["images_per_second"]


def measure(runs: int, samples: int, quick: bool) -> dict:
    epochs, latency = [], {}
    with serve_site() as url, sync_playwright() as pw:
        for name, args in (("scene", CHROMIUM_ARGS), ("no_webgl", NO_WEBGL_ARGS)):
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
            page = browser.new_page(viewport={"width": 900, "height": 640})
            page.goto(url)
            page.evaluate("window.mlpvis.ready")
            if name == "no_webgl":
                epochs = epoch_runs(page, runs, 1)
            idle, training = latency_pair(page, samples)
            latency[name] = {"idle": summarize(idle), "training": summarize(training)}
            browser.close()
    started = time.perf_counter()
    node = node_throughput(1.0 if quick else 3.0)
    cpython = cpython_throughput(0.5 if quick else 2.0)
    return {
        "machine": machine(),
        "epoch_images_per_second": summarize([r["imagesPerSecond"] for r in epochs]),
        "epoch_seconds": summarize([r["seconds"] for r in epochs]),
        "epoch_held_out_accuracy": summarize([r["heldOutAccuracy"] for r in epochs]),
        "epoch_images": epochs[0]["imagesSeen"],
        "input_to_probabilities_idle_ms": latency["scene"]["idle"],
        "input_to_probabilities_training_ms": latency["scene"]["training"],
        "input_to_probabilities_idle_no_webgl_ms": latency["no_webgl"]["idle"],
        "input_to_probabilities_training_no_webgl_ms": latency["no_webgl"]["training"],
        "pyodide_node_images_per_second": node,
        "cpython_images_per_second": cpython,
        "throughput_seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="one-epoch runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke mode: one run, few samples")
    parser.add_argument("--out", type=Path, default=Path("bench/out/learning.json"))
    args = parser.parse_args(argv)
    runs, samples = (1, 8) if args.quick else (args.runs, 30)
    results = measure(runs, samples, args.quick)
    results["quick"] = args.quick
    save(args.out, results)
    print_table(
        "Learning in the page (Debian Chromium, headless)",
        [
            ("one epoch: images/s in the page's worker", results["epoch_images_per_second"], "/s"),
            ("one epoch: seconds", results["epoch_seconds"], "s"),
            ("one epoch: held-out accuracy", results["epoch_held_out_accuracy"], ""),
            (
                "input → probabilities, idle (scene on)",
                results["input_to_probabilities_idle_ms"],
                "ms",
            ),
            (
                "input → probabilities, training (scene on)",
                results["input_to_probabilities_training_ms"],
                "ms",
            ),
            ("  idle, no WebGL", results["input_to_probabilities_idle_no_webgl_ms"], "ms"),
            ("  training, no WebGL", results["input_to_probabilities_training_no_webgl_ms"], "ms"),
            ("Pyodide under Node", json.dumps(results["pyodide_node_images_per_second"]), ""),
            ("CPython (OpenBLAS), batch 64", results["cpython_images_per_second"], "/s"),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
