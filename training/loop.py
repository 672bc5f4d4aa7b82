"""Training and evaluation on pre-built tensors: batches come from a random permutation."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

Augment = Callable[[torch.Tensor, torch.Generator], torch.Tensor]
StepHook = Callable[[int, torch.Tensor], None]  # (images in the batch, its detached loss)
EVAL_BATCH_SIZE = 4096


@dataclass(frozen=True)
class Evaluation:
    loss: float
    accuracy: float
    predictions: torch.Tensor


@dataclass(frozen=True)
class EpochStats:
    """One line of the training log (and one point of the curves)."""

    epoch: int
    train_loss: float  # mean loss over this epoch's (augmented) batches
    train_accuracy: float  # on the clean training set after the epoch
    test_loss: float
    test_accuracy: float
    seconds: float  # the training pass only
    samples_per_second: float

    def summary(self, epochs: int) -> str:
        width = len(str(epochs))
        return (
            f"epoch {self.epoch:>{width}}/{epochs}  loss {self.train_loss:.4f}  "
            f"train acc {self.train_accuracy:6.2%}  test loss {self.test_loss:.4f}  "
            f"test acc {self.test_accuracy:6.2%}  {self.samples_per_second:,.0f} samples/s"
        )


def train_epoch(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    images: torch.Tensor,
    labels: torch.Tensor,
    *,
    batch_size: int,
    generator: torch.Generator,
    augment: Augment | None = None,
    progress: str | None = None,
    on_step: StepHook | None = None,
) -> tuple[float, float]:
    """One pass over the data in random order; returns ``(mean loss, seconds)``.

    ``on_step`` is called after every optimisation step (the training timeline uses it).
    """
    model.train()
    started = time.perf_counter()
    order = torch.randperm(len(labels), generator=generator).to(images.device)
    batches = order.split(batch_size)
    total_loss = torch.zeros((), device=images.device)
    for batch in tqdm(
        batches,
        desc=progress,
        leave=False,
        unit="batch",
        disable=True if progress is None else None,
    ):
        inputs = images[batch]
        if augment is not None:
            inputs = augment(inputs, generator)
        loss = F.cross_entropy(model(inputs), labels[batch])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total_loss += loss.detach() * len(batch)
        if on_step is not None:
            on_step(len(batch), loss.detach())
    mean_loss = total_loss.item() / len(labels)  # .item() also waits for the device
    return mean_loss, time.perf_counter() - started


@torch.no_grad()
def evaluate(
    model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = EVAL_BATCH_SIZE
) -> Evaluation:
    """Mean cross-entropy, accuracy and the predicted class of every image."""
    model.eval()
    total_loss = torch.zeros((), device=images.device)
    predictions = []
    for start in range(0, len(labels), batch_size):
        logits = model(images[start : start + batch_size])
        total_loss += F.cross_entropy(logits, labels[start : start + batch_size], reduction="sum")
        predictions.append(logits.argmax(dim=1))
    predicted = torch.cat(predictions)
    accuracy = (predicted == labels).float().mean().item()
    return Evaluation(total_loss.item() / len(labels), accuracy, predicted.cpu())


def confusion_matrix(
    labels: torch.Tensor, predictions: torch.Tensor, num_classes: int
) -> torch.Tensor:
    """``matrix[true, predicted]`` counts."""
    flat = labels.cpu().to(torch.int64) * num_classes + predictions.cpu().to(torch.int64)
    return torch.bincount(flat, minlength=num_classes**2).reshape(num_classes, num_classes)


def format_confusion_matrix(matrix: torch.Tensor, labels: list[str]) -> str:
    """A text table: rows are true classes, columns predicted ones (by index)."""
    count = len(labels)
    width = max(5, len(str(int(matrix.max()))) + 1)
    name_width = max(len(label) for label in labels) + 4
    lines = [
        "true \\ predicted".ljust(name_width)
        + "".join(f"{index:>{width}}" for index in range(count))
        + f"{'recall':>8}"
    ]
    for index, label in enumerate(labels):
        row = matrix[index]
        total = int(row.sum())
        recall = f"{int(row[index]) / total:8.1%}" if total else f"{'-':>8}"
        lines.append(
            f"{index:>2} {label}".ljust(name_width)
            + "".join(f"{int(value):>{width}}" for value in row)
            + recall
        )
    return "\n".join(lines)
