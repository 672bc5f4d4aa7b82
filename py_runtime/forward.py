"""The forward pass: every layer's weighted sums and activations, plus softmax probabilities."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .export_format import Model

BLANK_THRESHOLD = 1e-3


@dataclass(frozen=True)
class ForwardResult:
    """``activations[0]`` is the normalised input; ``activations[i]`` the output of layer i."""

    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]
    probabilities: np.ndarray


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


ACTIVATION_FUNCTIONS = {
    "relu": _relu,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "linear": lambda x: x,
}


def softmax(logits: np.ndarray) -> np.ndarray:
    """Numerically stable softmax over the last axis."""
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / np.sum(exp, axis=-1, keepdims=True)


def is_blank(pixels: np.ndarray, threshold: float = BLANK_THRESHOLD) -> bool:
    """True when no pixel carries ink: such an input gets no prediction."""
    return not np.any(np.asarray(pixels) > threshold)


def normalise(model: Model, pixels: np.ndarray) -> np.ndarray:
    """Map pixels in [0, 1] (flat, length ``architecture[0]``) to the model's input space."""
    flat = np.asarray(pixels, dtype=np.float32).reshape(-1)
    if flat.size != model.architecture[0]:
        raise ValueError(f"expected {model.architecture[0]} pixels, got {flat.size}")
    return (flat - np.float32(model.mean)) / np.float32(model.std)


def forward(model: Model, pixels: np.ndarray) -> ForwardResult:
    """Run one image (pixels in [0, 1]) through the network."""
    x = normalise(model, pixels)
    pre_activations: list[np.ndarray] = []
    activations = [x]
    for layer in model.layers:
        z = layer.weight @ x + layer.bias
        x = ACTIVATION_FUNCTIONS[layer.activation](z).astype(np.float32, copy=False)
        pre_activations.append(z)
        activations.append(x)
    return ForwardResult(pre_activations, activations, softmax(pre_activations[-1]))
