"""`make bench`: run every benchmark the same way, collect bench/results.json, write
docs/benchmarks.md (tables, headline ratios, a plot).

    python bench/run_all.py [--quick] [--only page input scene training recognition]

Each benchmark also runs alone (`python bench/bench_<name>.py --help`). The smoke mode
(`--quick`, `make bench QUICK=1`) takes seconds, writes under bench/out/quick/ and leaves
bench/results.json and docs/benchmarks.md alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, machine
from bench.common import write_json as save
from tests.support import CHROMIUM_ARGS

BENCHMARKS = {
    "page": "bench/bench_page.py",
    "input": "bench/bench_input.py",
    "scene": "bench/bench_scene.py",
    "training": "bench/bench_training.py",
    "recognition": "bench/bench_recognition.py",
    "learning": "bench/bench_learning.py",
}
TITLES = {
    "page": "Page (Debian Chromium, headless; cold: fresh contexts, reloads: persistent profile)",
    "input": "Input latency (SwiftShader WebGL: scene in its worker, on the main thread, none)",
    "scene": "3D scene (Three.js, SwiftShader WebGL)",
    "training": "Training (PyTorch, CPU)",
    "recognition": "Recognition (default model, held-out digits)",
    "learning": "Learning in the page (Pyodide worker, Debian Chromium)",
}


def run(names: list[str], quick: bool, out_dir: Path) -> dict:
    """Run the named benchmarks one after another; a failure is recorded, not fatal."""
    results = {}
    for name in names:
        out = out_dir / f"{name}.json"
        command = [sys.executable, BENCHMARKS[name], "--out", str(out)]
        if quick:
            command.append("--quick")
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=ROOT)
        seconds = round(time.perf_counter() - started, 1)
        if completed.returncode != 0 or not out.is_file():
            results[name] = {"error": f"exit status {completed.returncode}", "seconds": seconds}
            continue
        results[name] = json.loads(out.read_text()) | {"seconds": seconds}
    return results


def warm_reload_notes(page: dict) -> str:
    """The other warm reloads: settled first (the scene idle), and with the service worker
    blocked (the same files from the HTTP cache)."""
    notes = ""
    if "warm_reload_settled_ready_s" in page:
        seconds = page["warm_reload_settled_ready_s"]["median"]
        notes += f"; {seconds:.2f} s when the page settled first"
    if "warm_reload_http_cache_ready_s" in page:
        seconds = page["warm_reload_http_cache_ready_s"]["median"]
        notes += f"; {seconds:.2f} s with the service worker blocked, from the HTTP cache"
    return notes


def headlines(results: dict) -> list[str]:
    """The ratios the README quotes."""
    lines = []
    page = results.get("page", {})
    if "boot_ratio_to_baseline" in page:
        lines.append(
            f"Page boot: {page['cold_ready_s']['median']:.2f} s cold to ready, "
            f"{page['boot_ratio_to_baseline']:.2f}× a bare page booting the stock Pyodide + "
            f"NumPy files ({page['baseline_pyodide_numpy_s']['median']:.2f} s) measured in the "
            "same run (goal ≤ 0.5×)."
        )
        if "warm_reload_persistent_ready_s" in page:
            transfer = page["transfer"]["page_cold_visit"]
            stock = page["transfer"]["baseline_cold_visit"]
            lines.append(
                "Returning visits (persistent profile, service worker): warm reload "
                f"{page['warm_reload_persistent_ready_s']['median']:.2f} s to ready "
                f"(goal ≤ 1.5 s{warm_reload_notes(page)}), offline reload "
                f"{page['offline_reload_ready_s']['median']:.2f} s; "
                f"a cold visit transfers {transfer['encoded_bytes'] / 1e6:.1f} MB "
                f"({transfer['decoded_bytes'] / 1e6:.1f} MB uncompressed; the stock bare page "
                f"{stock['encoded_bytes'] / 1e6:.1f} MB)."
            )
        lines.append(
            f"Forward pass in the worker: {page['worker_forward_ms']['median']:.2f} ms median "
            f"({page['worker_forward_preprocessed_ms']['median']:.2f} ms with MNIST-style "
            "preprocessing)."
        )
    lines += input_headlines(results.get("input", {}))
    scene = results.get("scene", {})
    if "update_ms" in scene:
        calls = sorted({entry["drawCalls"] for entry in scene["draw_calls"].values()})
        lines.append(
            f"3D scene update (N = {scene['top_n']}): "
            f"{scene['update_ms']['weight']['median']:.2f} ms median JS cost (goal ≤ 2 ms); "
            f"draw calls per frame: {', '.join(map(str, calls))} whatever N (goal ≤ 12)."
        )
    training = results.get("training", {})
    if "speedup" in training:
        lines.append(
            f"Training epoch: {training['speedup']}× faster than the canonical "
            "DataLoader(ToTensor(), Normalize()) loop over the same data (goal ≥ 10×)."
        )
    recognition = results.get("recognition", {})
    if "shifted_scaled" in recognition:
        lines.append(
            "Recognition of shifted/scaled digits: "
            f"{100 * recognition['shifted_scaled']['raw']:.1f} % raw → "
            f"{100 * recognition['shifted_scaled']['preprocessed']:.1f} % with MNIST-style "
            f"preprocessing (unmodified digits: {100 * recognition['original']['raw']:.1f} %)."
        )
    learning = results.get("learning", {})
    if "epoch_images_per_second" in learning:
        lines.append(
            "Training in the page's worker: "
            f"{learning['epoch_images_per_second']['median']:,.0f} images/s over one epoch of "
            f"{learning['epoch_images']:,} digits (goal ≥ 3,000), reaching "
            f"{100 * learning['epoch_held_out_accuracy']['median']:.1f} % held-out (goal ≥ 90 %); "
            "input → probabilities while it trains: "
            f"{learning['input_to_probabilities_training_no_webgl_ms']['median']:.1f} ms median "
            f"without WebGL ({learning['input_to_probabilities_idle_no_webgl_ms']['median']:.1f} "
            "ms idle, same run; goal ≤ 50 ms), "
            f"{learning['input_to_probabilities_training_ms']['median']:.1f} ms with the scene on "
            "SwiftShader."
        )
    return lines


def input_headlines(found: dict) -> list[str]:
    """Input latency with the scene in its worker, beside the main-thread scene and no WebGL."""
    if "worker" not in found:
        return []
    ms = {
        mode: {key: found[mode][key]["median"] for key in found[mode]}
        for mode in found
        if mode in ("worker", "main_thread", "no_webgl")
    }
    dom, painted, trip = (
        "input_to_probabilities_in_dom_ms",
        "input_to_probabilities_painted_ms",
        "set_pixels_predict_round_trip_ms",
    )
    return [
        "Input event → probabilities with the 3D scene on Chromium's software WebGL "
        f"(SwiftShader), medians: scene in its render worker {ms['worker'][dom]:.1f} ms in the "
        f"DOM, {ms['worker'][painted]:.1f} ms painted (goal ≤ 16 ms); scene on the main thread "
        f"(the page before) {ms['main_thread'][dom]:.1f} ms / {ms['main_thread'][painted]:.1f} ms; "
        f"no WebGL {ms['no_webgl'][dom]:.1f} ms / {ms['no_webgl'][painted]:.1f} ms "
        "(painted waits for the next 60 Hz frame).",
        f"`mlpvis.setPixels(x)` + `await mlpvis.predict()`: {ms['worker'][trip]:.1f} ms median "
        f"with the scene in its worker (goal ≤ 20 ms), {ms['main_thread'][trip]:.1f} ms with it on "
        f"the main thread, {ms['no_webgl'][trip]:.1f} ms without WebGL.",
    ]


def rows(value, prefix: str = "") -> list[tuple[str, str]]:
    """Flatten a result into (name, "median (min–max)" or value) rows."""
    if isinstance(value, dict) and "median" in value and "min" in value:
        runs = f", {value['runs']} runs" if "runs" in value else ""
        text = f"{value['median']:.4g} ({value['min']:.4g}–{value['max']:.4g}{runs})"
        return [(prefix, text)]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if key in ("machine", "quick", "seconds", "history"):
                continue
            found += rows(item, f"{prefix}.{key}" if prefix else key)
        return found
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        found = []
        for index, item in enumerate(value):
            label = item.get("pipeline") or item.get("path") or item.get("name") or str(index)
            found += rows(item, f"{prefix}[{label}]")
        return found
    if isinstance(value, float):
        return [(prefix, f"{value:.4g}")]
    if isinstance(value, int | str | bool) or value is None:
        return [(prefix, str(value))]
    return [(prefix, json.dumps(value))]


def plot(results: dict, path: Path) -> bool:
    """Bar charts: page boot vs baseline, training epoch time per pipeline."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    page, training = results.get("page", {}), results.get("training", {})
    panels = []
    if "cold_ready_s" in page:
        panels.append(
            (
                "Cold page-open → ready (s)",
                ["bare stock\nPyodide + NumPy", "this page", "warm reload\n(persistent)"],
                [
                    page["baseline_pyodide_numpy_s"],
                    page["cold_ready_s"],
                    page.get("warm_reload_persistent_ready_s", page["warm_reload_ready_s"]),
                ],
            )
        )
    if "pipelines" in training:
        panels.append(
            (
                "Training epoch (s)",
                [textwrap.fill(p["pipeline"], 16) for p in training["pipelines"]],
                [p["epoch_seconds"] for p in training["pipelines"]],
            )
        )
    if not panels:
        return False
    figure, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 3.6))
    for axis, (title, labels, stats) in zip(
        axes if len(panels) > 1 else [axes], panels, strict=True
    ):
        medians = [s["median"] for s in stats]
        errors = [
            [m - s["min"] for m, s in zip(medians, stats, strict=True)],
            [s["max"] - m for m, s in zip(medians, stats, strict=True)],
        ]
        axis.bar(range(len(labels)), medians, yerr=errors, capsize=4, color="#3d8bfd")
        axis.set_xticks(range(len(labels)), labels, fontsize=8)
        axis.set_title(title, fontsize=10)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    return True


def write_markdown(results: dict, path: Path, plot_path: Path | None) -> None:
    info = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run_all.py`); raw numbers in `bench/results.json`.",
        "Medians with min–max over repeated runs on a shared, noisy 2-core machine; every ratio",
        "compares two things measured in the same run.",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['platform']}, {info['cpus']} CPUs, Python {info['python']}",
    ]
    for key in ("chromium", "chromium_args", "torch", "pyodide", "three"):
        if info.get(key):
            lines.append(f"- {key}: {info[key]}")
    lines += ["", "## Headlines", ""]
    lines += [f"- {line}" for line in headlines(results["benchmarks"])] or ["- (no results)"]
    if plot_path:
        lines += ["", f"![benchmarks]({plot_path.name})"]
    for name, result in results["benchmarks"].items():
        lines += ["", f"## {TITLES.get(name, name)}", ""]
        if "error" in result:
            lines.append(f"Failed: {result['error']}.")
            continue
        lines += ["| measure | value |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in rows(result)]
        lines.append(f"\n(took {result['seconds']} s)")
    path.write_text("\n".join(lines) + "\n")


README_START = "<!-- bench:headlines -->"
README_END = "<!-- /bench:headlines -->"


def quote_in_readme(lines: list[str], readme: Path = ROOT / "README.md") -> None:
    """Replace the README's headline block (between the two markers) with ``lines``."""
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        return
    before, rest = text.split(README_START, 1)
    after = rest.split(README_END, 1)[1]
    block = "\n".join(f"- {line}" for line in lines)
    readme.write_text(f"{before}{README_START}\n{block}\n{README_END}{after}")


def report(results: dict) -> None:
    """docs/benchmarks.md (with its plot) and the README's headline block."""
    plot_path = ROOT / "docs" / "benchmarks.png"
    drew = plot(results["benchmarks"], plot_path)
    write_markdown(results, ROOT / "docs" / "benchmarks.md", plot_path if drew else None)
    quote_in_readme(headlines(results["benchmarks"]))


def versions() -> dict:
    """Versions of what was measured."""
    found = {}
    try:
        output = subprocess.run(["chromium", "--version"], capture_output=True, text=True)
        found["chromium"] = output.stdout.strip()
    except OSError:
        pass
    found["chromium_args"] = " ".join(f"`{arg}`" for arg in CHROMIUM_ARGS)
    for name in ("pyodide", "three"):
        manifest = ROOT / "node_modules" / name / "package.json"
        if manifest.is_file():
            found[name] = json.loads(manifest.read_text())["version"]
    try:
        import torch

        found["torch"] = torch.__version__
    except ImportError:
        pass
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke mode (seconds)")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), default=list(BENCHMARKS))
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite docs/benchmarks.md and the README from bench/results.json; run nothing",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads((ROOT / "bench" / "results.json").read_text())
        report(results)
        return 0
    out_dir = ROOT / "bench" / "out" / ("quick" if args.quick else "")
    benchmarks = run(args.only, args.quick, out_dir)
    results = {"machine": machine() | versions(), "quick": args.quick, "benchmarks": benchmarks}
    if args.quick:
        save(out_dir / "results.json", results)
    else:
        previous = ROOT / "bench" / "results.json"
        if previous.is_file() and set(args.only) != set(BENCHMARKS):  # keep the others
            kept = json.loads(previous.read_text())["benchmarks"]
            results["benchmarks"] = {**kept, **benchmarks}
        save(previous, results)
        report(results)
        print("\nwrote bench/results.json, docs/benchmarks.md and the README's headlines")
    print("\n".join(headlines(benchmarks)))
    failed = [name for name, result in benchmarks.items() if "error" in result]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
