"""Backpropagation for the export format's MLPs: mini-batch softmax cross-entropy (NumPy only).

Parameters are ``[(weight[out, in], bias[out]), ...]`` input side first, as in the export;
``activations[i]`` is layer i's activation (any of ``export_format.ACTIVATIONS``; the last
layer is linear: its outputs are the logits). Inputs are already normalised, ``[batch, in]``.
The arithmetic follows the parameters' dtype (float32 in the page, float64 in the gradient check).
"""

from __future__ import annotations

import math

import numpy as np

from .export_format import ACTIVATIONS

Params = list[tuple[np.ndarray, np.ndarray]]


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # 1 / (1 + exp(-z)) without overflow warnings for large negative z
    return 0.5 * (np.tanh(0.5 * z) + 1)


ACTIVATE = {"relu": _relu, "tanh": np.tanh, "sigmoid": _sigmoid, "linear": lambda z: z}

# d activation / d z, written in terms of (z, a = activation(z))
DERIVATIVE = {
    "relu": lambda z, a: (z > 0).astype(z.dtype),
    "tanh": lambda z, a: 1 - a * a,
    "sigmoid": lambda z, a: a * (1 - a),
    "linear": lambda z, a: None,  # identity: the gradient passes unchanged
}
assert set(ACTIVATE) == set(ACTIVATIONS) == set(DERIVATIVE)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Numerically stable log-softmax over the last axis."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def forward_batch(
    params: Params, activations: list[str], inputs: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``(pre_activations, outputs)`` of every layer for a batch; ``outputs[0]`` is the input."""
    outputs = [inputs]
    pre = []
    x = inputs
    for (weight, bias), activation in zip(params, activations, strict=True):
        z = x @ weight.T + bias
        x = ACTIVATE[activation](z)
        pre.append(z)
        outputs.append(x)
    return pre, outputs


def loss_and_gradients(
    params: Params, activations: list[str], inputs: np.ndarray, labels: np.ndarray
) -> tuple[float, Params]:
    """Mean softmax cross-entropy over the batch and its gradient for every parameter."""
    count = inputs.shape[0]
    if count == 0:
        raise ValueError("an empty batch has no loss")
    pre, outputs = forward_batch(params, activations, inputs)
    logits = pre[-1]
    log_probs = log_softmax(logits)
    rows = np.arange(count)
    loss = float(-log_probs[rows, labels].mean())
    delta = np.exp(log_probs)
    delta[rows, labels] -= 1
    delta /= count
    grads: Params = [None] * len(params)  # type: ignore[list-item]
    for index in range(len(params) - 1, -1, -1):
        weight, _ = params[index]
        grads[index] = (delta.T @ outputs[index], delta.sum(axis=0))
        if index == 0:
            break
        delta = delta @ weight
        below = activations[index - 1]
        slope = DERIVATIVE[below](pre[index - 1], outputs[index])
        if slope is not None:
            delta *= slope
    return loss, grads


def predict_classes(params: Params, activations: list[str], inputs: np.ndarray) -> np.ndarray:
    """The winning class of every row (argmax of the logits)."""
    x = inputs
    for (weight, bias), activation in zip(params, activations, strict=True):
        x = ACTIVATE[activation](x @ weight.T + bias)
    return np.argmax(x, axis=1)


def init_params(
    architecture: list[int], activations: list[str], seed: int, dtype=np.float32
) -> Params:
    """Fresh weights: He-normal before ReLU, Glorot-uniform otherwise; zero biases."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out, activation in zip(
        architecture[:-1], architecture[1:], activations, strict=True
    ):
        if activation == "relu":
            weight = rng.normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
        else:
            limit = math.sqrt(6.0 / (fan_in + fan_out))
            weight = rng.uniform(-limit, limit, size=(fan_out, fan_in))
        params.append((weight.astype(dtype), np.zeros(fan_out, dtype=dtype)))
    return params
