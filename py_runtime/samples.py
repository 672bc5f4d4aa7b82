"""The sample digits asset: real held-out images as compact uint8 bytes (NumPy only).

Layout (docs/export-format.md, "Sample digits asset"), all integers little-endian:

    bytes 0-3   b"MLPS"            magic
    byte  4     1                  version
    byte  5     rows (28)
    byte  6     cols (28)
    byte  7     0                  reserved
    bytes 8-11  N                  uint32, number of samples
    N bytes                        labels (uint8 class index)
    N*rows*cols bytes              images (uint8 grey, row-major, 0 = background)

This module is the single source of truth of that layout: the training tools write with it,
the tests read with it, and the page's reader follows the same document.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

MAGIC = b"MLPS"
VERSION = 1
HEADER = struct.Struct("<4sBBBBI")  # magic, version, rows, cols, reserved, count
HEADER_SIZE = HEADER.size  # 12


class SamplesError(ValueError):
    """Bytes that are not a sample digits asset this reader understands."""


def encode_samples(images: np.ndarray, labels: np.ndarray) -> bytes:
    """The asset bytes of ``images`` (uint8 ``[N, rows, cols]``) and ``labels`` (``[N]``)."""
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(f"images must be uint8 [N, rows, cols], got {images.dtype} {images.shape}")
    count, rows, cols = images.shape
    if not (0 < rows < 256 and 0 < cols < 256):
        raise ValueError(f"rows and cols must be 1..255, got {rows}x{cols}")
    if labels.shape != (count,):
        raise ValueError(f"labels must have shape [{count}], got {list(labels.shape)}")
    if not np.issubdtype(labels.dtype, np.integer) or labels.min(initial=0) < 0:
        raise ValueError("labels must be non-negative integers")
    if labels.max(initial=0) > 255:
        raise ValueError("labels must fit in one byte (0..255)")
    header = HEADER.pack(MAGIC, VERSION, rows, cols, 0, count)
    body = labels.astype(np.uint8).tobytes() + np.ascontiguousarray(images).tobytes()
    return header + body


def read_samples(raw: bytes | bytearray | memoryview) -> tuple[np.ndarray, np.ndarray]:
    """``(images uint8 [N, rows, cols], labels uint8 [N])`` from the asset bytes.

    Raises ``SamplesError`` naming the problem: short header, bad magic, unknown version,
    zero image size, or a length that does not match the header.
    """
    raw = bytes(raw)
    if len(raw) < HEADER_SIZE:
        raise SamplesError(f"{len(raw)} bytes is too short for the {HEADER_SIZE}-byte header")
    magic, version, rows, cols, _reserved, count = HEADER.unpack_from(raw)
    if magic != MAGIC:
        raise SamplesError(f"bad magic {magic!r} (expected {MAGIC!r}): not a sample digits asset")
    if version != VERSION:
        raise SamplesError(f"unknown version {version} (this reader knows version {VERSION})")
    if rows == 0 or cols == 0:
        raise SamplesError(f"image size {rows}x{cols} is empty")
    expected = HEADER_SIZE + count * (1 + rows * cols)
    if len(raw) != expected:
        raise SamplesError(
            f"length {len(raw)} bytes does not match the header: {count} samples of "
            f"{rows}x{cols} need {expected} bytes"
        )
    labels = np.frombuffer(raw, dtype=np.uint8, count=count, offset=HEADER_SIZE)
    images = np.frombuffer(raw, dtype=np.uint8, offset=HEADER_SIZE + count)
    return images.reshape(count, rows, cols).copy(), labels.copy()


def load_samples(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """``read_samples`` of a file."""
    return read_samples(Path(path).read_bytes())
