"""Run the training CLI in-process on the CPU, for the tests."""

from __future__ import annotations

from training.mlp_train import main


def run_cli(data_dir, export_path, *extra: str, batch_size: int = 64) -> int:
    """An in-process CLI run on the CPU, whatever accelerator the machine has."""
    return main(
        [
            "--device",
            "cpu",
            "--data-dir",
            str(data_dir),
            "--export-path",
            str(export_path),
            "--no-download",
            "--batch-size",
            str(batch_size),
            *extra,
        ]
    )
