"""Read and write IDX files, the (big-endian) format MNIST and Fashion-MNIST ship in."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

IMAGES_MAGIC = 0x00000803  # unsigned byte, 3 dimensions
LABELS_MAGIC = 0x00000801  # unsigned byte, 1 dimension


def encode_idx(array: np.ndarray) -> bytes:
    """Encode a uint8 array (1-D labels or 3-D images) as IDX bytes."""
    array = np.ascontiguousarray(array)
    if array.dtype != np.uint8 or array.ndim not in (1, 3):
        raise ValueError(
            f"IDX needs uint8 labels [N] or images [N, H, W], got {array.dtype} {list(array.shape)}"
        )
    header = struct.pack(">I", 0x800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def decode_idx(raw: bytes, where: str = "IDX data") -> np.ndarray:
    """Decode IDX bytes holding unsigned bytes (labels or images)."""
    if len(raw) < 4:
        raise ValueError(f"{where}: too short for an IDX header")
    magic = struct.unpack(">I", raw[:4])[0]
    if magic not in (IMAGES_MAGIC, LABELS_MAGIC):
        raise ValueError(
            f"{where}: magic {magic:#x} is neither {IMAGES_MAGIC:#x} (images) "
            f"nor {LABELS_MAGIC:#x} (labels)"
        )
    ndim = magic & 0xFF
    shape = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    body = raw[4 + 4 * ndim :]
    if len(body) != int(np.prod(shape)):
        raise ValueError(f"{where}: header says {list(shape)} but holds {len(body)} bytes")
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write an IDX file atomically (a temporary file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(encode_idx(array))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an uncompressed IDX file."""
    return decode_idx(Path(path).read_bytes(), where=str(path))
