"""py_runtime.samples: the sample digits asset round-trips and bad bytes are refused clearly."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from py_runtime.samples import (
    HEADER_SIZE,
    SamplesError,
    encode_samples,
    load_samples,
    read_samples,
)
from training.make_samples import write_samples


def _example(count: int = 5, rows: int = 28, cols: int = 28):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(count, rows, cols), dtype=np.uint8)
    labels = (np.arange(count) % 10).astype(np.uint8)
    return images, labels


def test_round_trip_and_documented_layout(tmp_path):
    images, labels = _example(3)
    path = tmp_path / "samples" / "mnist.bin"
    size = write_samples(path, images, labels)
    raw = path.read_bytes()
    assert size == len(raw) == HEADER_SIZE + 3 + 3 * 28 * 28
    assert raw[:4] == b"MLPS" and raw[4:8] == bytes([1, 28, 28, 0])
    assert struct.unpack("<I", raw[8:12]) == (3,)
    assert raw[12:15] == bytes([0, 1, 2])  # labels, then images row-major
    assert raw[15:] == images.tobytes()
    read_images, read_labels = read_samples(raw)
    assert read_images.dtype == np.uint8 and read_images.shape == (3, 28, 28)
    np.testing.assert_array_equal(read_images, images)
    np.testing.assert_array_equal(read_labels, labels)
    np.testing.assert_array_equal(load_samples(path)[0], images)
    assert [p.name for p in path.parent.iterdir()] == ["mnist.bin"]  # no temporary left


def test_other_shapes_and_empty_round_trip():
    images, labels = _example(2, rows=5, cols=7)
    read_images, read_labels = read_samples(encode_samples(images, labels))
    assert read_images.shape == (2, 5, 7)
    np.testing.assert_array_equal(read_images, images)
    empty_images, empty_labels = read_samples(
        encode_samples(np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8))
    )
    assert empty_images.shape == (0, 28, 28) and empty_labels.shape == (0,)


def test_read_accepts_memoryview_and_returns_writable_copies():
    images, labels = _example(2)
    read_images, _ = read_samples(memoryview(encode_samples(images, labels)))
    read_images[0, 0, 0] = 7  # not a read-only view of the input bytes


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda raw: raw[:11], "too short for the 12-byte header"),
        (lambda raw: b"", "too short"),
        (lambda raw: b"MLPX" + raw[4:], "bad magic"),
        (lambda raw: b'{"fo' + raw[4:], "not a sample digits asset"),
        (lambda raw: raw[:4] + bytes([2]) + raw[5:], "unknown version 2"),
        (lambda raw: raw[:5] + bytes([0]) + raw[6:], "empty"),
        (lambda raw: raw[:-1], "does not match the header"),
        (lambda raw: raw + b"\0", "does not match the header"),
        (lambda raw: raw[:8] + struct.pack("<I", 4) + raw[12:], "4 samples of 28x28"),
    ],
)
def test_bad_bytes_are_rejected_with_a_clear_message(mutate, message):
    raw = encode_samples(*_example(3))
    with pytest.raises(SamplesError, match=message):
        read_samples(mutate(raw))


@pytest.mark.parametrize(
    ("images", "labels", "message"),
    [
        (np.zeros((2, 28, 28), np.float32), np.zeros(2, np.uint8), "uint8"),
        (np.zeros((2, 784), np.uint8), np.zeros(2, np.uint8), "uint8"),
        (np.zeros((2, 28, 28), np.uint8), np.zeros(3, np.uint8), "shape"),
        (np.zeros((2, 28, 28), np.uint8), np.array([0, 256]), "one byte"),
        (np.zeros((2, 28, 28), np.uint8), np.array([0, -1]), "non-negative"),
        (np.zeros((1, 300, 28), np.uint8), np.zeros(1, np.uint8), "1..255"),
    ],
)
def test_writer_refuses_what_the_format_cannot_hold(tmp_path, images, labels, message):
    with pytest.raises(ValueError, match=message):
        write_samples(tmp_path / "x.bin", images, labels)
    assert list(tmp_path.iterdir()) == []
