"""The training timeline: full exports of the model at milestones, published with the export.

While training, ``TimelineRecorder`` writes each snapshot into a hidden staging folder beside
the export. ``TimelineStaging.publish`` then moves them into the folder named after the
export's stem (``exports/mlp.json`` → ``exports/mlp/NNN_<label>.json``), writes the main
export (which lists them in ``timeline``), and only then removes the files of an earlier
timeline. Whatever main export is on disk at any moment points at files that exist; an
interrupted run removes its staging folder and leaves the previous export and timeline alone.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch

from .data import TensorData
from .export import as_exported, build_model_export, write_export
from .loop import evaluate
from .model import load_layer_weights
from .snapshots import snapshot_schedule


def timeline_folder(export_path: str | os.PathLike) -> Path:
    """``exports/mlp_weights.json`` → ``exports/mlp_weights`` (where its snapshots live)."""
    return Path(export_path).with_suffix("")


class TimelineStaging:
    """A hidden folder beside the export that holds this run's snapshots until publication."""

    def __init__(self, export_path: str | os.PathLike):
        self.export_path = Path(export_path)
        self.folder = timeline_folder(export_path)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.parent.glob(f".{self.folder.name}.*.tmp"):
            if stale.is_dir():  # left by a killed run (one run per export path at a time)
                shutil.rmtree(stale, ignore_errors=True)
        self.staging = Path(
            tempfile.mkdtemp(prefix=f".{self.folder.name}.", suffix=".tmp", dir=self.folder.parent)
        )

    def __enter__(self) -> TimelineStaging:
        return self

    def __exit__(self, *exc_info) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def publish(self, entries: list[dict], write_main: Callable[[], int]) -> int:
        """Move the snapshots into place, call ``write_main()``, then drop stale snapshots."""
        self.folder.mkdir(exist_ok=True)
        keep = set()
        for entry in entries:
            name = Path(entry["path"]).name
            os.replace(self.staging / name, self.folder / name)
            keep.add(name)
        size = write_main()
        for stale in self.folder.glob("*.json"):
            if stale.name not in keep:
                stale.unlink()
        return size


class TimelineRecorder:
    """Snapshots the model whenever training passes the next milestone of the schedule.

    Call ``start()`` before training and pass ``after_step`` to ``train_epoch(on_step=...)``.
    A step that passes several milestones gives one snapshot (identical weights are never
    written twice). ``train_loss`` is the mean loss of the batches since the previous snapshot.
    """

    def __init__(
        self,
        model: torch.nn.Module,
        data: TensorData,
        staging: TimelineStaging,
        *,
        dtype: str,
        total_images: int,
        batch_size: int,
        count: int,
        training: dict,
    ):
        self.model, self.data, self.staging, self.dtype = model, data, staging, dtype
        self.training = training
        self.milestones = snapshot_schedule(total_images, count, granularity=batch_size)
        self.next = 0  # index of the next milestone to reach
        self.images_seen = 0
        self.steps = 0
        self.loss_sum = torch.zeros((), device=data.test_images.device)
        self.loss_images = 0
        self.entries: list[dict] = []
        self.seconds = 0.0  # time spent snapshotting (not training)

    def summary(self) -> str:
        """One line for the log: how many snapshots, their size, some accuracies."""
        folder = self.staging.folder
        size = sum((folder / Path(e["path"]).name).stat().st_size for e in self.entries)
        accuracies = [f"{e['test_accuracy']:.1%}" for e in self.entries]
        shown = accuracies[:: max(1, len(accuracies) // 5)][:5] + accuracies[-1:]
        return (
            f"wrote {len(self.entries)} snapshots to {folder}/ ({size / 2**20:.1f} MiB, "
            f"{self.seconds:.1f} s): test accuracy {' → '.join(shown)}"
        )

    def start(self) -> None:
        self._snapshot_if_due()

    def after_step(self, batch_images: int, loss: torch.Tensor) -> None:
        self.images_seen += batch_images
        self.steps += 1
        self.loss_sum += loss * batch_images
        self.loss_images += batch_images
        self._snapshot_if_due()

    def _snapshot_if_due(self) -> None:
        if self.next >= len(self.milestones) or self.images_seen < self.milestones[self.next]:
            return
        while self.next < len(self.milestones) and self.milestones[self.next] <= self.images_seen:
            self.next += 1
        started = time.perf_counter()
        was_training = self.model.training
        self._snapshot()
        self.model.train(was_training)
        self.seconds += time.perf_counter() - started

    def _snapshot(self) -> None:
        index = len(self.entries)
        label = "initial" if self.images_seen == 0 else str(self.images_seen)
        snapshot_id = f"{index:03d}_{label}"
        train_loss = None
        if self.loss_images:
            train_loss = round(self.loss_sum.item() / self.loss_images, 4)
        self.loss_sum.zero_()
        self.loss_images = 0

        document = build_model_export(self.model, self.data.spec, dtype=self.dtype)
        exported = copy.deepcopy(self.model)  # measured as the page gets it: dtype-rounded
        load_layer_weights(exported, [(x.weight, x.bias) for x in as_exported(document).layers])
        test = evaluate(exported, self.data.test_images, self.data.test_labels)
        epoch = round(self.images_seen / len(self.data.train_labels), 4)
        document["metrics"] = {
            "test_accuracy": round(test.accuracy, 4),
            "test_loss": round(test.loss, 4),
            "test_samples": len(self.data.test_labels),
            "train_samples": len(self.data.train_labels),
            "train_loss": train_loss,
        }
        document["training"] = {
            **self.training,
            "snapshot": snapshot_id,
            "images_seen": self.images_seen,
            "steps": self.steps,
            "epoch": epoch,
        }
        write_export(document, self.staging.staging / f"{snapshot_id}.json")
        self.entries.append(
            {
                "id": snapshot_id,
                "images_seen": self.images_seen,
                "test_accuracy": document["metrics"]["test_accuracy"],
                "train_loss": train_loss,
                "path": f"{self.staging.folder.name}/{snapshot_id}.json",
            }
        )
