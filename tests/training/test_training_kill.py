"""`kill -9` of a training run while it writes its export leaves the previous export intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess

import pytest

from py_runtime import load_export, random_export
from tests.faults import wait_until_paused
from tests.reliability import tally
from training.atomic import PAUSE_ENV

TIMEOUT_S = 180


@pytest.mark.parametrize(
    "extra", [[], ["--snapshots", "--snapshot-count", "3"]], ids=["plain", "snapshots"]
)
def test_kill_9_while_writing_the_export_keeps_the_previous_one(
    tiny_data_dir, tmp_path, cli_command, subprocess_env, extra, request
):
    export_path = tmp_path / "exports" / "model.json"
    export_path.parent.mkdir()
    previous = json.dumps(random_export((784, 8, 10), seed=3))
    export_path.write_text(previous)
    argv = [
        *cli_command, "--data-dir", str(tiny_data_dir), "--no-download", "--device", "cpu",
        "--epochs", "1", "--batch-size", "64", "--hidden-dims", "8",
        "--export-path", str(export_path), *extra,
    ]  # fmt: skip
    env = {**subprocess_env, PAUSE_ENV: export_path.name}
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_until_paused(process, "pausing before renaming", TIMEOUT_S)
        # the new export is fully written beside the old one, not yet renamed: kill it now
        temporaries = list(export_path.parent.glob(".model.json.*.tmp"))
        assert len(temporaries) == 1 and temporaries[0].stat().st_size > 0
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()
    assert export_path.read_text() == previous  # byte for byte
    load_export(export_path)

    # the next run succeeds and clears the killed run's temporary file
    rerun = subprocess.run(
        argv, env=subprocess_env, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert rerun.returncode == 0, rerun.stderr
    assert export_path.read_text() != previous
    load_export(export_path)
    assert list(export_path.parent.glob(".*.tmp")) == []
    tally("training-kill", f"killed ({request.node.callspec.id}); previous kept")
