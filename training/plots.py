"""The loss and accuracy curves of a run, as a small PNG beside the export."""

from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

from .atomic import write_atomically  # noqa: E402
from .loop import EpochStats  # noqa: E402


def plot_curves(history: list[EpochStats], path: str | os.PathLike, title: str = "") -> Path:
    """Two panels (loss, accuracy) of train and test curves per epoch; written atomically."""
    epochs = [stats.epoch for stats in history]
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(8, 3), dpi=80)
    loss_axes.plot(
        epochs, [s.train_loss for s in history], label="train (during epoch)", marker="."
    )
    loss_axes.plot(epochs, [s.test_loss for s in history], label="test", marker=".")
    loss_axes.set(title="cross-entropy loss", xlabel="epoch")
    accuracy_axes.plot(epochs, [100 * s.train_accuracy for s in history], label="train", marker=".")
    accuracy_axes.plot(epochs, [100 * s.test_accuracy for s in history], label="test", marker=".")
    accuracy_axes.set(title="accuracy (%)", xlabel="epoch")
    for axes in (loss_axes, accuracy_axes):
        axes.grid(alpha=0.3)
        axes.legend()
    if title:
        figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    try:
        return write_atomically(path, lambda temporary: save_small_png(figure, temporary))
    finally:
        plt.close(figure)


def save_small_png(figure, path: str, colors: int = 64) -> None:
    """A palette PNG (a few colours are plenty for line plots): about a third of the size."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    buffer.seek(0)
    with Image.open(buffer) as image:
        image.convert("RGB").quantize(colors).save(path, format="PNG", optimize=True)
