"""Optimisers that update parameter arrays in place (the same rules as torch.optim).

SGD with momentum: ``v = mu * v + g; p -= lr * v`` (``torch.optim.SGD``, dampening 0).
Adam: ``m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)`` (``torch.optim.Adam``).
"""

from __future__ import annotations

import numpy as np

from .constants import MAX_LEARNING_RATE

OPTIMISERS = ("sgd", "adam")


class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum."""

    name = "sgd"

    def __init__(self, arrays: list[np.ndarray], learning_rate: float, momentum: float = 0.9):
        check_learning_rate(learning_rate)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.arrays = arrays
        self.learning_rate = float(learning_rate)
        self.momentum = float(momentum)
        self.velocity = [np.zeros_like(a) for a in arrays]

    def step(self, grads: list[np.ndarray]) -> None:
        lr = self.learning_rate
        for array, grad, velocity in zip(self.arrays, grads, self.velocity, strict=True):
            if self.momentum:
                velocity *= self.momentum
                velocity += grad
                array -= lr * velocity
            else:
                array -= lr * grad


class Adam:
    """Adam with bias correction."""

    name = "adam"

    def __init__(
        self,
        arrays: list[np.ndarray],
        learning_rate: float,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ):
        check_learning_rate(learning_rate)
        self.arrays = arrays
        self.learning_rate = float(learning_rate)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.m = [np.zeros_like(a) for a in arrays]
        self.v = [np.zeros_like(a) for a in arrays]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        correction1 = 1 - b1**self.t
        correction2 = 1 - b2**self.t
        step_size = self.learning_rate / correction1
        for array, grad, m, v in zip(self.arrays, grads, self.m, self.v, strict=True):
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            v += (1 - b2) * grad * grad
            denominator = np.sqrt(v / correction2)
            denominator += self.eps
            array -= step_size * m / denominator


def check_learning_rate(learning_rate: float) -> None:
    if (
        isinstance(learning_rate, bool)
        or not isinstance(learning_rate, int | float)
        or not 0 < learning_rate <= MAX_LEARNING_RATE
    ):
        raise ValueError(
            f"learning rate must be a number in (0, {MAX_LEARNING_RATE}], got {learning_rate!r}"
        )


def make_optimiser(name: str, arrays: list[np.ndarray], learning_rate: float):
    """``"sgd"`` (momentum 0.9) or ``"adam"`` over ``arrays``."""
    if name == "sgd":
        return SGD(arrays, learning_rate)
    if name == "adam":
        return Adam(arrays, learning_rate)
    raise ValueError(f"unknown optimiser {name!r} (expected one of {', '.join(OPTIMISERS)})")
