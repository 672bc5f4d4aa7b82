"""py_runtime.preprocess against hand-computed examples."""

from __future__ import annotations

import numpy as np
import pytest

from py_runtime.preprocess import centre_of_mass, preprocess, resample_matrix, resize


def image_with(block: tuple[slice, slice], value: float = 1.0) -> np.ndarray:
    image = np.zeros((28, 28), dtype=np.float32)
    image[block] = value
    return image


def bounding_box(flat: np.ndarray) -> tuple[int, int, int, int]:
    image = flat.reshape(28, 28)
    rows = np.flatnonzero(image.any(axis=1))
    cols = np.flatnonzero(image.any(axis=0))
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def test_centre_of_mass_by_hand():
    image = np.zeros((4, 4))
    image[0, 0] = 1.0  # centre (0.5, 0.5)
    image[3, 3] = 3.0  # centre (3.5, 3.5)
    row, col = centre_of_mass(image)
    assert row == pytest.approx((0.5 * 1 + 3.5 * 3) / 4)
    assert col == pytest.approx(row)


def test_resample_matrix_rows_sum_to_one_and_identity_at_same_size():
    np.testing.assert_allclose(resample_matrix(7, 7), np.eye(7))
    for size_in, size_out in [(5, 20), (20, 5), (28, 13)]:
        np.testing.assert_allclose(resample_matrix(size_in, size_out).sum(axis=1), 1.0)


def test_uniform_square_fills_the_20_box_centred():
    # a 5×5 square in a corner becomes a 20×20 square at rows/cols 4..24
    out = preprocess(image_with((slice(0, 5), slice(0, 5))))
    assert bounding_box(out) == (4, 24, 4, 24)
    np.testing.assert_allclose(out.reshape(28, 28)[4:24, 4:24], 1.0)


def test_aspect_ratio_is_kept():
    # a 10 tall × 2 wide bar → 20 × 4, centred: rows 4..24, cols 12..16
    out = preprocess(image_with((slice(3, 13), slice(20, 22))))
    assert bounding_box(out) == (4, 24, 12, 16)


def test_centre_of_mass_not_bounding_box_is_centred():
    # an L shape: heavy left column; its centre of mass sits left of its box centre,
    # so after centring the box is shifted right of the frame's middle
    image = np.zeros((28, 28), dtype=np.float32)
    image[2:12, 2] = 1.0
    image[11, 2:12] = 1.0
    out = preprocess(image).reshape(28, 28)
    row, col = centre_of_mass(out)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5
    top, bottom, left, right = bounding_box(out.reshape(-1))
    assert (bottom - top, right - left) == (20, 20)
    assert left + right > 28  # the box moved right of centre


def test_blank_stays_blank_and_values_stay_in_range():
    assert not preprocess(np.zeros(784)).any()
    rng = np.random.default_rng(0)
    out = preprocess(rng.random(784) * (rng.random(784) > 0.9))
    assert out.dtype == np.float32 and out.shape == (784,)
    assert out.min() >= 0 and out.max() <= 1


def test_resize_preserves_a_constant_image():
    np.testing.assert_allclose(resize(np.full((3, 7), 0.4), 12, 20), 0.4)
