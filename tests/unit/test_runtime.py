"""py_runtime.runtime.Runtime: the worker's view (flat buffers, keep the last good model)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from py_runtime import ExportError, forward, random_export, validate_export
from py_runtime.preprocess import preprocess
from py_runtime.runtime import Runtime


def test_predict_returns_the_documented_flat_layout():
    document = random_export([784, 16, 10], seed=4)
    runtime = Runtime()
    summary = runtime.load(json.dumps(document))
    assert summary["architecture"] == [784, 16, 10]
    pixels = np.random.default_rng(2).random(784).astype(np.float32)
    runtime.input_buffer()[:] = pixels
    flat = runtime.predict()
    assert flat.dtype == np.float32
    assert flat.shape == (1 + 10 + 2 * 16 + 2 * 10 + 784,)
    expected = forward(validate_export(document), pixels)
    assert flat[0] == 0.0  # not blank
    np.testing.assert_allclose(flat[1:11], expected.probabilities, rtol=1e-6)
    np.testing.assert_allclose(flat[11:27], expected.pre_activations[0], rtol=1e-6)
    np.testing.assert_allclose(flat[27:43], expected.activations[1], rtol=1e-6)
    np.testing.assert_array_equal(flat[-784:], pixels)


def test_mnist_style_preprocessing_feeds_the_network_the_centred_digit():
    document = random_export([784, 16, 10], seed=4)
    runtime = Runtime()
    runtime.load(json.dumps(document))
    corner = np.zeros((28, 28), dtype=np.float32)
    corner[1:8, 2:4] = 1.0
    runtime.input_buffer()[:] = corner.reshape(-1)
    flat = runtime.predict(mnist_style=True)
    seen = flat[-784:]
    np.testing.assert_allclose(seen, preprocess(corner))
    expected = forward(validate_export(document), seen)
    np.testing.assert_allclose(flat[1:11], expected.probabilities, rtol=1e-6)
    np.testing.assert_array_equal(runtime.input_buffer(), corner.reshape(-1))  # untouched


def test_blank_input_is_flagged():
    runtime = Runtime()
    runtime.load(json.dumps(random_export([784, 10])))
    assert runtime.predict()[0] == 1.0


def test_a_rejected_export_keeps_the_last_good_model():
    runtime = Runtime()
    runtime.load(json.dumps(random_export([784, 16, 10], seed=1)))
    runtime.input_buffer()[:] = 0.5
    before = runtime.predict().copy()
    bad = random_export([784, 16, 10], seed=2)
    bad["version"] = 9
    with pytest.raises(ExportError):
        runtime.load(json.dumps(bad))
    with pytest.raises(ExportError):
        runtime.load("{truncated")
    np.testing.assert_array_equal(runtime.predict(), before)


def test_connections_layout():
    runtime = Runtime()
    runtime.load(json.dumps(random_export([784, 16, 10], seed=1)))
    runtime.input_buffer()[:] = 0.5
    flat = runtime.connections(5, "contribution")
    assert flat.shape == (2 * 16 * 5 + 2 * 10 * 5,)
    indices = flat[: 16 * 5].astype(int)
    assert indices.min() >= 0 and indices.max() < 784
    assert runtime.layer_weights(1).shape == (160,)
    assert runtime.layer_biases(1).shape == (10,)


def test_predict_without_a_model_is_an_error():
    with pytest.raises(RuntimeError, match="no model loaded"):
        Runtime().predict()


def test_an_export_for_another_image_size_is_rejected_when_the_caller_says_so():
    runtime = Runtime()
    runtime.load(json.dumps(random_export([784, 10], seed=1)))
    other = random_export([400, 10], seed=2, image_shape=(20, 20))
    assert Runtime().load(json.dumps(other))["image_shape"] == [20, 20]
    with pytest.raises(ExportError, match=r"dataset.image_shape: this export expects 20x20"):
        runtime.load(json.dumps(other), image_shape=(28, 28))
    assert runtime.model.architecture == [784, 10]  # the last good model stays
