"""Training speed: our tensor pipeline vs the canonical DataLoader loop, side by side.

    python bench/bench_training.py                 # MNIST from data/ (prepare_data first)
    python bench/bench_training.py --quick         # a smoke run in seconds (any machine)
    python bench/bench_training.py --dataset fashion-mnist --epochs 3

Both pipelines train the same MLP (same initial weights, Adam, same batch size) over the
same images on the CPU: ours normalises everything into tensors once and batches by random
permutation; the canonical one is ``DataLoader(MNIST(transform=Compose([ToTensor(),
Normalize()])), shuffle=True)``. Reported: median epoch time and samples/s of each, the
speed-up, and the committed exports' size and load-and-validate time. JSON goes to --out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO_ROOT)  # import the project from the repository root

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.utils.data import DataLoader, Subset  # noqa: E402
from torchvision import transforms  # noqa: E402

from bench.common import machine, print_table, summarize, write_json  # noqa: E402
from py_runtime import load_export  # noqa: E402
from training.augment import RandomAffine  # noqa: E402
from training.data import DATASETS, DataUnavailableError, load_dataset, open_torchvision  # noqa: E402
from training.idx import write_idx  # noqa: E402
from training.loop import train_epoch  # noqa: E402
from training.model import build_mlp  # noqa: E402

EXPORTS = ("exports/sample_mlp_weights.json", "exports/fashion_mlp_weights.json")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="mnist")
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs per pipeline")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--limit", type=int, default=None, help="use the first N train images")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--load-repeats", type=int, default=20, help="export loads to time")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke mode: 1,024 images, 2 epochs, 3 loads; synthetic data when --data-dir has none",
    )
    parser.add_argument("--out", default="bench/out/training.json", help="JSON results")
    args = parser.parse_args(argv)
    if args.quick:
        args.epochs, args.limit, args.load_repeats = 2, args.limit or 1024, 3
    return args


def synthetic_data_dir(folder: Path, dataset: str, count: int) -> Path:
    """Random IDX files shaped like the real ones (used by --quick when no data is prepared)."""
    rng = np.random.default_rng(0)
    raw = folder / DATASETS[dataset].torchvision_class / "raw"
    for prefix, size in (("train", count), ("t10k", max(count // 4, 10))):
        write_idx(
            raw / f"{prefix}-images-idx3-ubyte",
            rng.integers(0, 256, (size, 28, 28), dtype=np.uint8),
        )
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", (np.arange(size) % 10).astype(np.uint8))
    return folder


def fresh_model_and_optimizer() -> tuple[torch.nn.Module, torch.optim.Optimizer]:
    torch.manual_seed(0)
    model = build_mlp(784, [128, 64], 10)
    return model, torch.optim.Adam(model.parameters(), lr=1e-3)


def time_tensor_pipeline(args, data, augment) -> list[float]:
    """Epoch times of training.loop.train_epoch on pre-normalised tensors."""
    images, labels = data.train_images[: args.limit], data.train_labels[: args.limit]
    model, optimizer = fresh_model_and_optimizer()
    generator = torch.Generator().manual_seed(0)
    return [
        train_epoch(
            model,
            optimizer,
            images,
            labels,
            batch_size=args.batch_size,
            generator=generator,
            augment=augment,
        )[1]
        for _ in range(args.epochs)
    ]


def time_canonical_pipeline(args, data_dir: Path) -> list[float]:
    """Epoch times of the per-item ``DataLoader(ToTensor(), Normalize())`` loop."""
    spec = DATASETS[args.dataset]
    transform = transforms.Compose(
        [transforms.ToTensor(), transforms.Normalize((spec.mean,), (spec.std,))]
    )
    dataset = open_torchvision(spec, data_dir, train=True, download=False, transform=transform)
    if args.limit:
        dataset = Subset(dataset, range(min(args.limit, len(dataset))))
    loader = DataLoader(
        dataset,
        batch_size=args.batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    model, optimizer = fresh_model_and_optimizer()
    model.train()
    seconds = []
    for _ in range(args.epochs):
        started = time.perf_counter()
        for inputs, targets in loader:
            loss = F.cross_entropy(model(inputs), targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - started)
    return seconds


def time_export_loads(repeats: int) -> list[dict]:
    """Size and ``py_runtime.load_export`` time (read + parse + validate) of each export."""
    results = []
    for relative in EXPORTS:
        path = REPO_ROOT / relative
        if not path.is_file():
            continue
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            load_export(path)
            times.append(1000 * (time.perf_counter() - started))
        results.append(
            {
                "path": relative,
                "bytes": path.stat().st_size,
                "load_and_validate_ms": summarize(times),
            }
        )
    return results


def summarise_pipeline(name: str, seconds: list[float], samples: int) -> dict:
    epoch = summarize(seconds)
    return {
        "pipeline": name,
        "epoch_seconds": epoch,
        "samples_per_second_median": round(samples / epoch["median"]),
    }


def run(args: argparse.Namespace, data_dir: Path, data_note: str) -> dict:
    data = load_dataset(args.dataset, data_dir, download=False)
    samples = len(data.train_labels[: args.limit])
    augment = RandomAffine(background=-data.spec.mean / data.spec.std)
    pipelines = [
        summarise_pipeline(
            "tensors (training.loop)", time_tensor_pipeline(args, data, None), samples
        ),
        summarise_pipeline(
            "tensors + batched augmentation", time_tensor_pipeline(args, data, augment), samples
        ),
        summarise_pipeline(
            "DataLoader(ToTensor, Normalize)", time_canonical_pipeline(args, data_dir), samples
        ),
    ]
    speedup = pipelines[2]["epoch_seconds"]["median"] / pipelines[0]["epoch_seconds"]["median"]
    return {
        "benchmark": "training",
        "quick": args.quick,
        "dataset": args.dataset,
        "data": data_note or data.source,
        "train_samples": samples,
        "batch_size": args.batch_size,
        "epochs_per_pipeline": args.epochs,
        "model": [784, 128, 64, 10],
        "device": "cpu",
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "torch": torch.__version__,
        "machine": machine(),
        "pipelines": pipelines,
        "speedup": round(speedup, 1),
        "exports": time_export_loads(args.load_repeats),
    }


def print_results(result: dict) -> None:
    title = (
        f"training, {result['dataset']}: {result['train_samples']:,} train images, batch "
        f"{result['batch_size']}, {result['epochs_per_pipeline']} epochs per pipeline, "
        f"{result['threads']} thread(s), torch {result['torch']}"
    )
    rows = []
    for row in result["pipelines"]:
        rows.append((f"{row['pipeline']}: epoch", row["epoch_seconds"], "s"))
        rows.append(
            (
                f"{row['pipeline']}: samples/s",
                f"{row['samples_per_second_median']:,}",
                "(median epoch)",
            )
        )
    rows.append(("speed-up, tensors over DataLoader", f"{result['speedup']}", "x"))
    for export in result["exports"]:
        rows.append((f"{export['path']}: size", f"{export['bytes']:,}", "bytes"))
        rows.append((f"{export['path']}: load + validate", export["load_and_validate_ms"], "ms"))
    print_table(title, rows)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as scratch:
        data_dir, note = Path(args.data_dir), ""
        try:
            load_dataset(args.dataset, data_dir, download=False)
        except DataUnavailableError as error:
            if not args.quick:
                print(f"error: {error}", file=sys.stderr)
                return 1
            data_dir = synthetic_data_dir(Path(scratch), args.dataset, args.limit)
            note = "synthetic random images (no prepared data found)"
        result = run(args, data_dir, note)
    write_json(Path(args.out), result)
    print_results(result)
    print(f"\nresults: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
