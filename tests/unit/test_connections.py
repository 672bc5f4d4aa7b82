"""py_runtime.connections.top_incoming against a brute-force ranking."""

from __future__ import annotations

import numpy as np
import pytest

from py_runtime import top_incoming


def brute_force(signed: np.ndarray, n: int):
    indices = []
    for row in signed:
        ranked = sorted(range(len(row)), key=lambda i: (-abs(row[i]), i))
        indices.append(ranked[:n])
    return np.array(indices)


@pytest.fixture
def weight():
    return np.random.default_rng(0).normal(size=(12, 40)).astype(np.float32)


def test_top_n_by_weight(weight):
    indices, values = top_incoming(weight, 5)
    np.testing.assert_array_equal(indices, brute_force(weight, 5))
    np.testing.assert_array_equal(values, np.take_along_axis(weight, indices, axis=1))
    assert (np.diff(np.abs(values), axis=1) <= 0).all()  # strongest first


def test_top_n_by_contribution(weight):
    inputs = np.random.default_rng(1).random(40).astype(np.float32)
    inputs[:20] = 0  # silent inputs contribute nothing, however large their weight
    indices, values = top_incoming(weight, 6, inputs, mode="contribution")
    contribution = weight * inputs
    np.testing.assert_array_equal(indices, brute_force(contribution, 6))
    assert (indices >= 20).all()
    np.testing.assert_allclose(values, np.take_along_axis(contribution, indices, axis=1))


def test_n_is_clamped_to_the_input_width(weight):
    indices, values = top_incoming(weight, 1000)
    assert indices.shape == (12, 40)
    assert sorted(indices[0].tolist()) == list(range(40))
    empty, _ = top_incoming(weight, 0)
    assert empty.shape == (12, 0)


def test_bad_arguments(weight):
    with pytest.raises(ValueError, match="unknown mode"):
        top_incoming(weight, 3, mode="bogus")
    with pytest.raises(ValueError, match="needs the layer's inputs"):
        top_incoming(weight, 3, mode="contribution")
