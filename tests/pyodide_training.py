"""py_runtime's training as the Pyodide check runs it (tests/pyodide_training.mjs runs this file
in Pyodide; tests/unit/test_training_in_pyodide.py compares its results with CPython's)."""

from __future__ import annotations

import json
import time

import numpy as np

from py_runtime import parse_export, random_export
from py_runtime.forward import forward
from py_runtime.training import TrainSession


def random_digits(count: int = 8000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(count, 784), dtype=np.uint8)
    return images, rng.integers(0, 10, size=count).astype(np.uint8)


def model(architecture=(784, 128, 64, 10)):
    return parse_export(json.dumps(random_export(architecture)))


def throughput(seconds: float) -> dict:
    """Training images/s at three batch sizes, one held-out evaluation, one forward pass."""
    images, labels = random_digits()
    out = {}
    session = None
    for batch in (32, 64, 128):
        for measured in (False, True):  # a short warm-up, then the timed run
            session = TrainSession(
                model(), (images, labels), (images[:1000], labels[:1000]), batch_size=batch,
                evaluate_every=10**9, seed=0, epochs=100,
            )  # fmt: skip
            progress = session.run(
                max_seconds=seconds if measured else None, max_steps=None if measured else 3
            )
        out[f"images_per_second_batch{batch}"] = round(progress["images_per_second"])
    start = time.perf_counter()
    session.evaluate()
    out["evaluate_1000_ms"] = round((time.perf_counter() - start) * 1000, 1)
    start = time.perf_counter()
    for _ in range(50):
        forward(session.model, images[0] / 255)
    out["forward_ms"] = round((time.perf_counter() - start) * 1000 / 50, 2)
    return out


def reference_run() -> dict:
    """A fixed-seed run: 20 steps of batch 32 (784→32→10); its loss and a weight checksum."""
    images, labels = random_digits(640, seed=1)
    session = TrainSession(
        model((784, 32, 10)), (images, labels), (images[:64], labels[:64]), batch_size=32, seed=7
    )
    progress = session.run(max_steps=20)
    weight = session.params[0][0]
    return {
        "loss": progress["loss"],
        "held_out_accuracy": session.evaluate(),
        "weight_sum": float(weight.astype(np.float64).sum()),
        "weight_abs_sum": float(np.abs(weight.astype(np.float64)).sum()),
    }


def run(seconds: float) -> str:
    return json.dumps({**throughput(seconds), "reference": reference_run()})
