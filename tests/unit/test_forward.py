"""py_runtime.forward against an independent, loop-by-loop float64 reference."""

from __future__ import annotations

import math

import numpy as np
import pytest

from py_runtime import forward, is_blank, random_export, validate_export
from py_runtime.forward import softmax


def reference_forward(document_model, pixels):
    """The forward pass written out with Python floats, one multiply-add at a time."""
    activate = {
        "relu": lambda v: max(v, 0.0),
        "tanh": math.tanh,
        "sigmoid": lambda v: 1.0 / (1.0 + math.exp(-v)),
        "linear": lambda v: v,
    }
    x = [(float(p) - document_model.mean) / document_model.std for p in pixels]
    for layer in document_model.layers:
        weight = layer.weight.astype(float).tolist()
        bias = layer.bias.astype(float).tolist()
        z = [
            sum(w * v for w, v in zip(row, x, strict=True)) + b
            for row, b in zip(weight, bias, strict=True)
        ]
        x = [activate[layer.activation](v) for v in z]
    peak = max(x)
    exp = [math.exp(v - peak) for v in x]
    total = sum(exp)
    return x, [e / total for e in exp]


@pytest.mark.parametrize(
    "architecture, activations",
    [
        ([784, 128, 64, 10], None),
        ([784, 16, 10], ["tanh", "linear"]),
        ([784, 12, 8, 10], ["sigmoid", "relu", "linear"]),
    ],
)
def test_forward_matches_the_reference(architecture, activations):
    document = random_export(architecture, seed=7, activations=activations)
    model = validate_export(document)
    pixels = np.random.default_rng(1).random(784).astype(np.float32)
    result = forward(model, pixels)
    logits, probabilities = reference_forward(model, pixels)
    np.testing.assert_allclose(result.pre_activations[-1], logits, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(result.probabilities, probabilities, rtol=1e-5, atol=1e-6)
    assert [a.shape[0] for a in result.activations] == architecture
    assert math.isclose(float(result.probabilities.sum()), 1.0, rel_tol=1e-6)


def test_hidden_activations_apply_the_layer_function():
    model = validate_export(random_export([784, 32, 10], seed=2))
    result = forward(model, np.full(784, 0.5, dtype=np.float32))
    np.testing.assert_array_equal(result.activations[1], np.maximum(result.pre_activations[0], 0))
    assert (result.activations[1] >= 0).all()


def test_softmax_is_stable_for_large_logits():
    probabilities = softmax(np.array([1000.0, 1000.0, -1000.0]))
    np.testing.assert_allclose(probabilities, [0.5, 0.5, 0.0])


def test_blank_detection():
    assert is_blank(np.zeros(784))
    pixels = np.zeros(784)
    pixels[400] = 0.2
    assert not is_blank(pixels)


def test_wrong_input_size_is_an_error():
    model = validate_export(random_export([784, 10]))
    with pytest.raises(ValueError, match="expected 784 pixels, got 10"):
        forward(model, np.zeros(10))
