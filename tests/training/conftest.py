"""Shared fixtures of the training tests: tiny synthetic IDX datasets, the CLI, few threads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch starts its OpenMP pool

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from training.idx import write_idx  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = REPO_ROOT / "training" / "mlp_train.py"

torch.set_num_threads(1)


def make_images(labels: np.ndarray, seed: int) -> np.ndarray:
    """Noisy 28x28 images with a bright square whose place depends on the class: learnable."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 60, size=(len(labels), 28, 28), dtype=np.uint8)
    for index, label in enumerate(labels):
        row, col = 3 + 6 * (label // 4), 3 + 6 * (label % 4)
        images[index, row : row + 6, col : col + 6] = 255
    return images


def write_tiny_dataset(
    root: Path, folder: str = "MNIST", train: int = 300, test: int = 100, seed: int = 0
) -> Path:
    """Write ``root/<folder>/raw/*-ubyte`` the way torchvision expects them."""
    raw = root / folder / "raw"
    for split, count, split_seed in (("train", train, seed), ("t10k", test, seed + 1)):
        labels = (np.arange(count) % 10).astype(np.uint8)
        write_idx(raw / f"{split}-images-idx3-ubyte", make_images(labels, split_seed))
        write_idx(raw / f"{split}-labels-idx1-ubyte", labels)
    return root


@pytest.fixture(scope="session")
def tiny_data_dir(tmp_path_factory) -> Path:
    """A data root with a tiny MNIST (300/100) and a tiny Fashion-MNIST (200/50)."""
    root = tmp_path_factory.mktemp("data")
    write_tiny_dataset(root, "MNIST")
    write_tiny_dataset(root, "FashionMNIST", train=200, test=50, seed=5)
    return root


@pytest.fixture
def subprocess_env() -> dict:
    """Environment of a CLI run in a child process: one thread, unbuffered, offline."""
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="1", OMP_WAIT_POLICY="PASSIVE", PYTHONUNBUFFERED="1")
    # Any proxy-honouring download attempt fails at once instead of waiting on the network.
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env[name] = "http://127.0.0.1:9"
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    return env


@pytest.fixture
def cli_command() -> list[str]:
    """How a user runs the CLI: ``python training/mlp_train.py`` (as a script)."""
    return [sys.executable, str(CLI)]
