"""MNIST-style preprocessing, as MNIST itself was made from NIST's digits.

Crop to the ink's bounding box, scale it to fit a 20×20 box keeping its aspect ratio
(anti-aliased), then place it in the 28×28 frame so that its centre of mass is the centre.
People draw small, large and off-centre digits; the network was trained on centred ones.
"""

from __future__ import annotations

import functools

import numpy as np

from py_runtime.constants import IMAGE_SHAPE

INK_THRESHOLD = 0.05
FIT_BOX = 20


@functools.lru_cache(maxsize=1024)
def resample_matrix(in_size: int, out_size: int) -> np.ndarray:
    """A ``[out, in]`` matrix resampling one axis with an anti-aliased linear (tent) filter.

    Read-only and cached: a drawing asks for the same few sizes stroke after stroke.
    """
    scale = in_size / out_size
    support = max(scale, 1.0)
    centres = (np.arange(out_size) + 0.5) * scale
    positions = np.arange(in_size) + 0.5
    weights = np.maximum(0.0, 1.0 - np.abs(positions[None, :] - centres[:, None]) / support)
    totals = weights.sum(axis=1, keepdims=True)
    empty = totals[:, 0] == 0
    if np.any(empty):  # an output centre beyond the edge: take the nearest input
        nearest = np.clip(np.floor(centres[empty]).astype(int), 0, in_size - 1)
        weights[empty] = 0.0
        weights[empty, nearest] = 1.0
        totals = weights.sum(axis=1, keepdims=True)
    matrix = weights / totals
    matrix.flags.writeable = False
    return matrix


def resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize a 2-D image with :func:`resample_matrix` along each axis."""
    rows = resample_matrix(image.shape[0], height)
    cols = resample_matrix(image.shape[1], width)
    return rows @ image @ cols.T


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """``(row, col)`` of the intensity-weighted centre, in pixel coordinates (centres at +0.5)."""
    total = float(image.sum())
    rows = np.arange(image.shape[0]) + 0.5
    cols = np.arange(image.shape[1]) + 0.5
    return (
        float(image.sum(axis=1) @ rows) / total,
        float(image.sum(axis=0) @ cols) / total,
    )


def preprocess(
    pixels: np.ndarray, shape: tuple[int, int] = IMAGE_SHAPE, box: int = FIT_BOX
) -> np.ndarray:
    """Return the MNIST-style version of ``pixels`` (flat or 2-D, values in [0, 1]), flat."""
    image = np.asarray(pixels, dtype=np.float64).reshape(shape)
    ink_rows = np.flatnonzero((image > INK_THRESHOLD).any(axis=1))
    ink_cols = np.flatnonzero((image > INK_THRESHOLD).any(axis=0))
    out = np.zeros(shape, dtype=np.float64)
    if ink_rows.size == 0:
        return out.reshape(-1).astype(np.float32)
    crop = image[ink_rows[0] : ink_rows[-1] + 1, ink_cols[0] : ink_cols[-1] + 1]
    scale = box / max(crop.shape)
    height = max(1, min(box, round(crop.shape[0] * scale)))
    width = max(1, min(box, round(crop.shape[1] * scale)))
    fitted = np.clip(resize(crop, height, width), 0.0, 1.0)
    row, col = centre_of_mass(fitted)
    top = min(max(round(shape[0] / 2 - row), 0), shape[0] - height)  # (np.clip costs more
    left = min(max(round(shape[1] / 2 - col), 0), shape[1] - width)  # than the resize here)
    out[top : top + height, left : left + width] = fitted
    return out.reshape(-1).astype(np.float32)
