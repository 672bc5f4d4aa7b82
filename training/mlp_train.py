"""Train the visualizer's MLP with PyTorch and write the weights export the page reads.

    python training/mlp_train.py --epochs 5 --hidden-dims 128 64 --batch-size 256 \\
        --export-path exports/mlp_weights.json

Data comes from torchvision's MNIST / FashionMNIST under --data-dir (downloaded when
possible; offline, see ``python -m training.prepare_data --help``). The whole dataset is
normalised into tensors once and batched by random permutation; --augment warps each
batch on the device. The export follows docs/export-format.md and is written atomically,
with a PNG of the loss and accuracy curves beside it; --snapshots adds a training timeline
(full exports at ~30 milestones, in a folder named after the export).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Spin-waiting OpenMP threads make training many times slower on a busy machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

if __name__ == "__main__" and not __package__:
    # Run as a script: import the package from the repository root, not from training/.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse  # noqa: E402
import copy  # noqa: E402
import shlex  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

from py_runtime.constants import IMAGE_PIXELS  # noqa: E402
from training.augment import RandomAffine  # noqa: E402
from training.data import (  # noqa: E402
    DATASETS,
    DatasetSpec,
    DataUnavailableError,
    TensorData,
    load_dataset,
)
from training.device import DEVICE_CHOICES, DeviceUnavailableError, select_device  # noqa: E402
from training.export import as_exported, build_model_export, write_export  # noqa: E402
from training.loop import (  # noqa: E402
    EpochStats,
    Evaluation,
    confusion_matrix,
    evaluate,
    format_confusion_matrix,
    train_epoch,
)
from training.model import build_mlp, load_layer_weights  # noqa: E402
from training.timeline import TimelineRecorder, TimelineStaging  # noqa: E402

INTERRUPTED = 130


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not a positive integer")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python training/mlp_train.py",
        description="Train a multilayer perceptron on MNIST or Fashion-MNIST and write the "
        "weights export (docs/export-format.md) that the page loads.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--epochs", type=positive_int, default=5, help="passes over the training set"
    )
    parser.add_argument(
        "--hidden-dims",
        type=positive_int,
        nargs="+",
        default=[128, 64],
        metavar="WIDTH",
        help="widths of the hidden ReLU layers, input side first",
    )
    parser.add_argument(
        "--batch-size", type=positive_int, default=256, help="images per optimisation step"
    )
    parser.add_argument("--lr", type=positive_float, default=1e-3, help="Adam learning rate")
    parser.add_argument(
        "--lr-schedule",
        choices=["constant", "cosine"],
        default="constant",
        help="constant, or cosine decay from --lr to 0 over the run",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of weights, batch order and augmentation (runs are "
        "reproducible on the same device and PyTorch version)",
    )
    parser.add_argument(
        "--export-path",
        default="exports/mlp_weights.json",
        help="where to write the export; the curves go beside it as .png",
    )
    parser.add_argument(
        "--dtype",
        choices=["float16", "float32"],
        default="float16",
        help="tensor dtype in the export (float16 halves the file)",
    )
    parser.add_argument(
        "--device",
        choices=DEVICE_CHOICES,
        default="auto",
        help="auto picks MPS, then CUDA, then CPU; an unavailable device is an error",
    )
    parser.add_argument(
        "--skip-train",
        action="store_true",
        help="export the initial random weights (to debug the pipeline)",
    )
    parser.add_argument(
        "--dataset", choices=sorted(DATASETS), default="mnist", help="which dataset to train on"
    )
    parser.add_argument(
        "--data-dir", default="data", help="torchvision dataset root (<data-dir>/MNIST/raw/...)"
    )
    parser.add_argument(
        "--no-download",
        action="store_true",
        help="never try to download; use only what is in --data-dir",
    )
    parser.add_argument(
        "--augment",
        action="store_true",
        help="warp every training batch at random: shifts (±2 px), rotations "
        "(±12°) and scaling (0.9–1.1), batched on the device",
    )
    parser.add_argument(
        "--snapshots",
        action="store_true",
        help="also save the model at milestones spaced logarithmically by images seen "
        "(a training timeline: <export stem>/NNN_<label>.json, listed in the export)",
    )
    parser.add_argument(
        "--snapshot-count",
        type=positive_int,
        default=30,
        metavar="N",
        help="at most this many snapshots, the initial and the final model included",
    )
    return parser


def run_epochs(
    args: argparse.Namespace,
    model: torch.nn.Module,
    data: TensorData,
    generator: torch.Generator,
    recorder: TimelineRecorder | None = None,
) -> list[EpochStats]:
    """Train for ``args.epochs``, printing one line per epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = None
    if args.lr_schedule == "cosine":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    augment = None
    if args.augment:
        augment = RandomAffine(background=-data.spec.mean / data.spec.std)
    history = []
    for epoch in range(1, args.epochs + 1):
        snapshot_seconds = recorder.seconds if recorder else 0.0
        train_loss, seconds = train_epoch(
            model,
            optimizer,
            data.train_images,
            data.train_labels,
            batch_size=args.batch_size,
            generator=generator,
            augment=augment,
            progress=f"epoch {epoch}/{args.epochs}",
            on_step=recorder.after_step if recorder else None,
        )
        if recorder:  # time spent on snapshots is not training time
            seconds -= recorder.seconds - snapshot_seconds
        if scheduler is not None:
            scheduler.step()
        train = evaluate(model, data.train_images, data.train_labels)
        test = evaluate(model, data.test_images, data.test_labels)
        stats = EpochStats(
            epoch,
            train_loss,
            train.accuracy,
            test.loss,
            test.accuracy,
            seconds,
            len(data.train_labels) / seconds,
        )
        print(stats.summary(args.epochs), flush=True)
        history.append(stats)
    return history


def training_metadata(
    args: argparse.Namespace,
    device: torch.device,
    data: TensorData,
    history: list[EpochStats],
    seconds: float,
    argv: list[str],
) -> dict:
    speeds = [stats.samples_per_second for stats in history]
    return {
        "epochs": 0 if args.skip_train else args.epochs,
        "batch_size": args.batch_size,
        "optimizer": "adam",
        "lr": args.lr,
        "lr_schedule": args.lr_schedule,
        "seed": args.seed,
        "device": device.type,
        "torch": torch.__version__,
        "data": data.source,
        "hidden_dims": list(args.hidden_dims),
        "augment": RandomAffine(0.0).describe() if args.augment else None,
        "skip_train": args.skip_train,
        "train_seconds": round(seconds, 2),
        "median_samples_per_second": round(statistics.median(speeds)) if speeds else None,
        "command": shlex.join(["python", "training/mlp_train.py", *argv]),
    }


def exported_copy(model: torch.nn.Module, spec: DatasetSpec, dtype: str) -> torch.nn.Module:
    """A copy of ``model`` holding its weights exactly as the export stores them."""
    draft = build_model_export(model, spec, dtype=dtype)
    copied = copy.deepcopy(model)
    load_layer_weights(copied, [(layer.weight, layer.bias) for layer in as_exported(draft).layers])
    return copied


def metrics_of(
    model: torch.nn.Module, exported: torch.nn.Module, data: TensorData, history: list[EpochStats]
) -> tuple[dict, Evaluation]:
    """Honest metrics, measured on the weights as exported (after dtype rounding)."""
    test = evaluate(exported, data.test_images, data.test_labels)
    train = evaluate(exported, data.train_images, data.train_labels)
    unrounded = evaluate(model, data.test_images, data.test_labels)
    metrics = {
        "test_accuracy": round(test.accuracy, 4),
        "test_loss": round(test.loss, 4),
        "test_samples": len(data.test_labels),
        "train_accuracy": round(train.accuracy, 4),
        "train_samples": len(data.train_labels),
        "test_accuracy_before_export": round(unrounded.accuracy, 4),
        "history": {  # one column per curve, one entry per epoch (compact in JSON)
            key: [round(getattr(stats, key), 4) for stats in history]
            for key in ("epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy")
        },
    }
    return metrics, test


def write_curves(
    args: argparse.Namespace, data: TensorData, history: list[EpochStats], test_accuracy: float
) -> None:
    from training.plots import plot_curves  # matplotlib is only needed here

    plot_path = Path(args.export_path).with_suffix(".png")
    architecture = "-".join(map(str, [IMAGE_PIXELS, *args.hidden_dims, len(data.spec.labels)]))
    title = (
        f"{args.dataset} MLP {architecture}: test accuracy {test_accuracy:.2%} "
        f"as exported ({args.dtype})"
    )
    plot_curves(history, plot_path, title=title)
    print(f"wrote {plot_path} (loss and accuracy curves)")


def train_and_export(args: argparse.Namespace, argv: list[str]) -> int:
    device = select_device(args.device)
    data = load_dataset(args.dataset, args.data_dir, download=not args.no_download).to(device)
    print(
        f"{args.dataset}: {len(data.train_labels):,} train / {len(data.test_labels):,} test "
        f"images ({data.source}); device {device.type}",
        flush=True,
    )

    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    model = build_mlp(IMAGE_PIXELS, args.hidden_dims, len(data.spec.labels)).to(device)
    if not args.snapshots:
        return train_model(args, argv, device, data, model, generator, None)
    with TimelineStaging(args.export_path) as staging:
        return train_model(args, argv, device, data, model, generator, staging)


def train_model(
    args: argparse.Namespace,
    argv: list[str],
    device: torch.device,
    data: TensorData,
    model: torch.nn.Module,
    generator: torch.Generator,
    staging: TimelineStaging | None,
) -> int:
    """Train, then write the export (and publish the timeline when ``staging`` is given)."""
    recorder = None
    if staging is not None:
        base = training_metadata(args, device, data, [], 0.0, argv)
        for key in ("train_seconds", "median_samples_per_second"):
            del base[key]
        recorder = TimelineRecorder(
            model,
            data,
            staging,
            dtype=args.dtype,
            total_images=0 if args.skip_train else args.epochs * len(data.train_labels),
            batch_size=args.batch_size,
            count=args.snapshot_count,
            training=base,
        )
        recorder.start()
    snapshot_seconds = recorder.seconds if recorder else 0.0
    started = time.perf_counter()
    history = [] if args.skip_train else run_epochs(args, model, data, generator, recorder)
    seconds = time.perf_counter() - started
    if recorder:  # time spent on snapshots is not training time
        seconds -= recorder.seconds - snapshot_seconds

    exported = exported_copy(model, data.spec, args.dtype)
    metrics, test = metrics_of(model, exported, data, history)
    training = training_metadata(args, device, data, history, seconds, argv)
    document = build_model_export(
        model,
        data.spec,
        dtype=args.dtype,
        metrics=metrics,
        training=training,
        timeline=recorder.entries if recorder else None,
    )
    if staging is None:
        size = write_export(document, args.export_path)
    else:
        size = staging.publish(recorder.entries, lambda: write_export(document, args.export_path))
    print(
        f"wrote {args.export_path} ({size / 1024:.0f} KiB, {args.dtype}): test accuracy "
        f"{metrics['test_accuracy']:.2%} on {metrics['test_samples']:,} images"
    )
    if recorder:
        print(recorder.summary())
    if history:
        write_curves(args, data, history, metrics["test_accuracy"])
    matrix = confusion_matrix(data.test_labels, test.predictions, len(data.spec.labels))
    print("confusion matrix on the test set (rows: true class, columns: predicted):")
    print(format_confusion_matrix(matrix, list(data.spec.labels)))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        return train_and_export(args, argv)
    except (DataUnavailableError, DeviceUnavailableError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\ninterrupted: {args.export_path} was not written", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
