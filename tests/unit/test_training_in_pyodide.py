"""py_runtime's training runs in Pyodide (under Node, with the site's NumPy wheel) and gives the
results CPython gives. Needs Node and a built site (`make build`); skipped without them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.pyodide_training import reference_run

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"


def test_training_in_pyodide_matches_cpython():
    if shutil.which("node") is None or not (SITE / "py_runtime.zip").is_file():
        pytest.skip("needs node and a built site (make build)")
    command = ["node", str(ROOT / "tests" / "pyodide_training.mjs"), str(SITE), "0.2"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(answer[f"images_per_second_batch{b}"] > 0 for b in (32, 64, 128))
    expected = reference_run()
    mine = answer["reference"]
    assert mine["loss"] == pytest.approx(expected["loss"], rel=1e-4)
    assert mine["weight_abs_sum"] == pytest.approx(expected["weight_abs_sum"], rel=1e-5)
    assert mine["weight_sum"] == pytest.approx(expected["weight_sum"], rel=1e-3, abs=1e-2)
    assert mine["held_out_accuracy"] == pytest.approx(expected["held_out_accuracy"], abs=0.02)
