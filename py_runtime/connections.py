"""The strongest incoming connections of each neuron, for the 3D scene."""

from __future__ import annotations

import numpy as np

from .constants import BY_CONTRIBUTION, BY_WEIGHT, CONNECTION_MODES


def top_incoming(
    weight: np.ndarray, n: int, inputs: np.ndarray | None = None, mode: str = BY_WEIGHT
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(indices, values)``, each ``[out, k]`` with ``k = min(n, in)``.

    ``mode="weight"`` ranks the incoming connections of every neuron by ``|w|``;
    ``mode="contribution"`` ranks them by the live ``|input * w|`` (``inputs`` required).
    ``values`` are the signed weights or contributions, strongest first.
    """
    if mode not in CONNECTION_MODES:
        raise ValueError(f"unknown mode {mode!r} (one of {CONNECTION_MODES})")
    out_width, in_width = weight.shape
    k = max(0, min(int(n), in_width))
    if k == 0:
        empty = np.zeros((out_width, 0))
        return empty.astype(np.int32), empty.astype(np.float32)
    if mode == BY_CONTRIBUTION:
        if inputs is None:
            raise ValueError(f"mode {BY_CONTRIBUTION!r} needs the layer's inputs")
        signed = weight * np.asarray(inputs, dtype=np.float32)[np.newaxis, :]
    else:
        signed = weight
    strength = np.abs(signed)
    if k < in_width:
        candidates = np.argpartition(-strength, k - 1, axis=1)[:, :k]
    else:
        candidates = np.broadcast_to(np.arange(in_width), (out_width, in_width))
    order = np.argsort(-np.take_along_axis(strength, candidates, axis=1), axis=1, kind="stable")
    indices = np.take_along_axis(candidates, order, axis=1).astype(np.int32)
    values = np.take_along_axis(signed, indices, axis=1).astype(np.float32)
    return indices, values
