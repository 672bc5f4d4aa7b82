"""`make bench QUICK=1`: every benchmark runs end to end in smoke mode and writes its results.

Numbers are not asserted (speed belongs in benchmarks, not tests); only that each benchmark
runs and reports what it promises.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_quick_benchmarks_run_and_report():
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE", "PYTHON": sys.executable}
    completed = subprocess.run(
        ["make", "--no-print-directory", "bench", "QUICK=1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    results = json.loads((ROOT / "bench" / "out" / "quick" / "results.json").read_text())
    benchmarks = results["benchmarks"]
    assert set(benchmarks) == {"page", "input", "scene", "training", "recognition", "learning"}
    assert all("error" not in result for result in benchmarks.values())
    page = benchmarks["page"]
    assert page["cold_ready_s"]["median"] > 0 and page["boot_ratio_to_baseline"] > 0
    assert page["worker_forward_ms"]["median"] > 0
    returning = ("warm_reload_persistent_ready_s", "warm_reload_settled_ready_s")
    returning += ("offline_reload_ready_s", "warm_reload_http_cache_ready_s")  # no service worker
    for reloads in returning:
        assert page[reloads]["median"] > 0
    for mode in ("worker", "main_thread", "no_webgl"):  # the scene's worker beside the page before
        assert benchmarks["input"][mode]["input_to_probabilities_painted_ms"]["median"] > 0
        assert benchmarks["input"][mode]["set_pixels_predict_round_trip_ms"]["median"] > 0
    assert benchmarks["training"]["speedup"] > 0
    assert 0 <= benchmarks["recognition"]["shifted_scaled"]["preprocessed"] <= 1
    learning = benchmarks["learning"]
    assert learning["epoch_images_per_second"]["median"] > 0 and learning["epoch_images"] > 0
    assert learning["input_to_probabilities_training_no_webgl_ms"]["median"] > 0
    assert "Page boot" in completed.stdout
