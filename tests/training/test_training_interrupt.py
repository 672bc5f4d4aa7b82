"""An interrupted run (or a failing write) never leaves a partial export behind."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest

from training.atomic import write_atomically
from training.export import write_export


def test_failing_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "model.json"
    target.write_text("previous")

    def write_half_then_fail(temporary: str) -> None:
        with open(temporary, "w") as stream:
            stream.write('{"format": "mnist-mlp-')
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, write_half_then_fail)
    assert target.read_text() == "previous"
    assert [path.name for path in tmp_path.iterdir()] == ["model.json"]


def test_an_invalid_document_is_never_renamed_into_place(tmp_path):
    target = tmp_path / "model.json"
    with pytest.raises(ValueError):
        write_export({"format": "something else"}, target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("extra", [[], ["--snapshots"]], ids=["plain", "snapshots"])
def test_ctrl_c_during_training_writes_nothing(
    tiny_data_dir, tmp_path, cli_command, subprocess_env, extra
):
    """Nothing new on disk: no export, no timeline folder, no staging folder."""
    export_path = tmp_path / "exports" / "model.json"
    export_path.parent.mkdir()
    export_path.write_text("previous")
    process = subprocess.Popen(
        [
            *cli_command,
            "--data-dir",
            str(tiny_data_dir),
            "--no-download",
            "--device",
            "cpu",
            "--epochs",
            "100000",
            "--batch-size",
            "16",
            "--export-path",
            str(export_path),
            *extra,
        ],
        env=subprocess_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        for line in process.stdout:  # wait until the first epoch has been logged
            if line.startswith("epoch ") or time.monotonic() > deadline:
                break
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert export_path.read_text() == "previous"
    assert sorted(path.name for path in export_path.parent.iterdir()) == ["model.json"]
