"""Training sessions that step in slices: train from scratch or on, and fine-tune on examples.

A session owns float32 parameters and a :class:`Model` that shares them, so a frame computed
between two slices shows the current weights. Everything random comes from one seeded
generator and batch boundaries never depend on how the work is sliced, so the same seed and
settings give the same weights however often the caller stops to draw a frame.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from .backprop import init_params, loss_and_gradients, predict_classes
from .constants import DEFAULT_LEARNING_RATE
from .export_format import DenseLayer, Model, build_export
from .optim import make_optimiser

MAX_EPOCHS = 100
MAX_BATCH = 1024
MAX_STEPS = 10_000
LOSS_LIMIT = 1000.0
"""A batch loss above this (nats; guessing gives ln 10 ≈ 2.3) means training diverged: no
learning rate that learns gets near it (the worst seen in ordinary runs is ~10), and weights
that go further soon overflow float32 and predict NaN."""
CHECKPOINT_EVERY = 32
"""Steps between two copies of the weights a diverging session goes back to."""


def model_with_params(model: Model, params, metadata: dict | None = None) -> Model:
    """A copy of ``model`` whose layers *share* ``params`` (so in-place updates show)."""
    layers = [
        DenseLayer(layer.name, layer.activation, weight, bias)
        for layer, (weight, bias) in zip(model.layers, params, strict=True)
    ]
    return dataclasses.replace(model, layers=layers, metadata=metadata or dict(model.metadata))


def params_of(model: Model) -> list[tuple[np.ndarray, np.ndarray]]:
    """Writable float32 copies of a model's parameters."""
    return [
        (np.array(layer.weight, dtype=np.float32), np.array(layer.bias, dtype=np.float32))
        for layer in model.layers
    ]


def normalise_batch(model: Model, pixels: np.ndarray) -> np.ndarray:
    """Pixels (uint8 0..255, or float in [0, 1]) ``[batch, in]`` → the model's input space."""
    x = np.asarray(pixels)
    x = x.astype(np.float32) * np.float32(1 / 255) if x.dtype == np.uint8 else x.astype(np.float32)
    return (x - np.float32(model.mean)) * np.float32(1 / model.std)


def accuracy(model: Model, pixels: np.ndarray, labels: np.ndarray, chunk: int = 1000) -> float:
    """Share of ``pixels`` (``[N, in]``) classified as ``labels``."""
    if len(labels) == 0:
        return float("nan")
    params = [(layer.weight, layer.bias) for layer in model.layers]
    activations = [layer.activation for layer in model.layers]
    right = 0
    for start in range(0, len(labels), chunk):
        x = normalise_batch(model, pixels[start : start + chunk])
        right += int(
            (predict_classes(params, activations, x) == labels[start : start + chunk]).sum()
        )
    return right / len(labels)


def check_positive_int(name: str, value, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= maximum:
        raise ValueError(f"{name} must be a whole number from 1 to {maximum}, got {value!r}")
    return value


def shift_images(pixels: np.ndarray, shape: tuple[int, int], rng: np.random.Generator):
    """Each image moved by a random whole-pixel shift in {-1, 0, 1}² (blank edges come in)."""
    images = pixels.reshape(-1, *shape)
    out = np.zeros_like(images)
    shifts = rng.integers(-1, 2, size=(len(images), 2))
    h, w = shape
    for index, (dy, dx) in enumerate(shifts):
        src = images[index, max(0, -dy) : h - max(0, dy), max(0, -dx) : w - max(0, dx)]
        out[index, max(0, dy) : h - max(0, -dy), max(0, dx) : w - max(0, -dx)] = src
    return out.reshape(len(images), -1)


class Session:
    """Shared machinery: parameters, optimiser, progress, slicing by batches or time."""

    def __init__(self, model: Model, *, optimiser: str, learning_rate, seed: int, params=None):
        self.rng = np.random.default_rng(seed)
        self.params = params if params is not None else params_of(model)
        self.activations = [layer.activation for layer in model.layers]
        if learning_rate is None:
            learning_rate = DEFAULT_LEARNING_RATE.get(optimiser, 0.05)
        arrays = [array for pair in self.params for array in pair]
        self.optimiser = make_optimiser(optimiser, arrays, learning_rate)
        metadata = {k: v for k, v in model.metadata.items() if k != "timeline"}
        self.model = model_with_params(model, self.params, metadata)
        self.checkpoint = [array.copy() for array in arrays]  # weights whose loss was in the limit
        self.images_seen = 0
        self.steps = 0
        self.seconds = 0.0
        self.loss = float("nan")
        self.done = False
        self.diverged = False

    def next_batch(self) -> tuple[np.ndarray, np.ndarray] | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def train_step(self) -> bool:
        """One optimiser step on the next batch; False when the session is done.

        A batch loss above ``LOSS_LIMIT`` or not finite (a learning rate too large) ends the
        session as ``diverged``, with the weights of the last checkpoint: every
        ``CHECKPOINT_EVERY`` steps, weights whose loss was within the limit are kept (a copy
        each step would cost a fifth of the step). Weights that are not finite are caught by
        the next step's loss, or at the end of ``run``, before anyone predicts with them.
        """
        batch = self.next_batch()
        if batch is None:
            self.done = True
            return False
        pixels, labels = batch
        inputs = normalise_batch(self.model, pixels)
        # No np.errstate here: while one is active every NumPy operation pays for it (~4 % of
        # a step in Pyodide). A diverging step may warn of an overflow once; it stops below.
        loss, grads = loss_and_gradients(self.params, self.activations, inputs, labels)
        if not loss <= LOSS_LIMIT:  # NaN too
            return self._diverge()
        if self.steps % CHECKPOINT_EVERY == 0:
            for kept, array in zip(self.checkpoint, self.optimiser.arrays, strict=True):
                np.copyto(kept, array)
        self.optimiser.step([g for pair in grads for g in pair])
        self.loss = loss if self.steps == 0 else 0.9 * self.loss + 0.1 * loss
        self.steps += 1
        self.images_seen += len(labels)
        return True

    def _weights_finite(self) -> bool:
        """Whether every weight is finite: a sum is inf or NaN when one is not (and weights whose
        float32 sum overflows are long past any usable loss). A fifth of ``np.isfinite``'s cost."""
        return math.isfinite(sum(float(array.sum()) for array in self.optimiser.arrays))

    def _diverge(self) -> bool:
        """Restore the checkpoint's weights (in place) and end the session."""
        for kept, array in zip(self.checkpoint, self.optimiser.arrays, strict=True):
            np.copyto(array, kept)
        self.diverged = True
        self.done = True
        return False

    def run(self, max_steps: int | None = None, max_seconds: float | None = None) -> dict:
        """Train until done, ``max_steps`` steps, or ``max_seconds`` (checked between steps)."""
        start = time.perf_counter()
        taken = 0
        while not self.done and (max_steps is None or taken < max_steps):
            if not self.train_step():
                break
            taken += 1
            if max_seconds is not None and time.perf_counter() - start >= max_seconds:
                break
        if not self.done and not self._weights_finite():
            self._diverge()  # the page predicts between two runs: never with NaN weights
        self.seconds += time.perf_counter() - start
        if self.done:
            self.finish()
        return self.progress()

    def finish(self) -> None:
        """Hook run once the last batch is done."""

    def images_per_second(self) -> float:
        return self.images_seen / self.seconds if self.seconds > 0 else 0.0

    def progress(self) -> dict:
        return {
            "images_seen": self.images_seen,
            "steps": self.steps,
            "loss": self.loss,
            "seconds": self.seconds,
            "images_per_second": self.images_per_second(),
            "learning_rate": self.optimiser.learning_rate,
            "done": self.done,
            "diverged": self.diverged,
        }


class TrainSession(Session):
    """Epochs of shuffled mini-batches over a training set, with held-out evaluation."""

    def __init__(
        self,
        model: Model,
        train: tuple[np.ndarray, np.ndarray],
        held_out: tuple[np.ndarray, np.ndarray],
        *,
        epochs: int = 1,
        batch_size: int = 64,
        learning_rate: float | None = None,
        optimiser: str = "sgd",
        seed: int = 0,
        from_scratch: bool = True,
        evaluate_every: int = 2000,
    ):
        self.epochs = check_positive_int("epochs", epochs, MAX_EPOCHS)
        self.batch_size = check_positive_int("batch size", batch_size, MAX_BATCH)
        images, labels = train
        if len(labels) == 0:
            raise ValueError("there are no training images")
        self.images = np.asarray(images).reshape(len(labels), -1)
        self.labels = np.asarray(labels).astype(np.int64)
        self.held_images = np.asarray(held_out[0]).reshape(len(held_out[1]), -1)
        self.held_labels = np.asarray(held_out[1]).astype(np.int64)
        params = None
        if from_scratch:
            architecture = list(model.architecture)
            activations = [layer.activation for layer in model.layers]
            params = init_params(architecture, activations, seed)
        super().__init__(
            model, optimiser=optimiser, learning_rate=learning_rate, seed=seed, params=params
        )
        self.from_scratch = from_scratch
        self.epoch = 0
        self.order = self.rng.permutation(len(self.labels))
        self.position = 0
        self.evaluate_every = evaluate_every
        self.next_evaluation = evaluate_every
        self.held_out_accuracy = float("nan")
        self.history: list[dict] = []

    def next_batch(self):
        if self.position >= len(self.order):
            self.epoch += 1
            if self.epoch >= self.epochs:
                return None
            self.order = self.rng.permutation(len(self.labels))
            self.position = 0
        picked = self.order[self.position : self.position + self.batch_size]
        self.position += len(picked)
        return self.images[picked], self.labels[picked]

    def train_step(self) -> bool:
        stepped = super().train_step()
        if stepped and self.images_seen >= self.next_evaluation:
            self.next_evaluation += self.evaluate_every
            self.evaluate(full=False)
        return stepped

    def evaluate(self, full: bool = True) -> float:
        """Held-out accuracy now (also appended to ``history``). Points along the way use every
        other held-out digit (half the cost, every class kept); the last one uses them all."""
        step = 1 if full else 2
        images, labels = self.held_images[::step], self.held_labels[::step]
        self.held_out_accuracy = accuracy(self.model, images, labels)
        point = {
            "images_seen": self.images_seen,
            "loss": self.loss,
            "held_out_accuracy": self.held_out_accuracy,
            "held_out_count": len(labels),
        }
        self.history.append(point)
        return self.held_out_accuracy

    def finish(self) -> None:
        last = self.history[-1] if self.history else None
        if last and last["images_seen"] == self.images_seen:
            if last["held_out_count"] == len(self.held_labels):
                return
            self.history.pop()  # a partial point now: the full one replaces it
        self.evaluate()

    def stop(self) -> dict:
        """End early: the weights stay as they are (a usable model); evaluates once."""
        self.done = True
        self.finish()
        return self.progress()

    def progress(self) -> dict:
        return {
            **super().progress(),
            "epoch": min(self.epoch + 1, self.epochs),
            "epochs": self.epochs,
            "epoch_progress": min(1.0, self.position / len(self.order)),
            "held_out_accuracy": self.held_out_accuracy,
        }


class FineTuneSession(Session):
    """Steps mixing a person's examples (shifted ±1 px) with replayed training digits."""

    def __init__(
        self,
        model: Model,
        examples: tuple[np.ndarray, np.ndarray],
        replay: tuple[np.ndarray, np.ndarray],
        *,
        steps: int = 200,
        batch_size: int = 32,
        mine_per_batch: int = 8,
        learning_rate: float | None = 0.003,
        optimiser: str = "sgd",
        seed: int = 0,
    ):
        self.total_steps = check_positive_int("steps", steps, MAX_STEPS)
        pixels, labels = examples
        if len(labels) == 0:
            raise ValueError("there are no examples to fine-tune on: teach it some first")
        self.mine = np.asarray(pixels, dtype=np.float32).reshape(len(labels), -1)
        self.mine_labels = np.asarray(labels).astype(np.int64)
        self.replay = np.asarray(replay[0]).reshape(len(replay[1]), -1)
        self.replay_labels = np.asarray(replay[1]).astype(np.int64)
        self.mine_per_batch = min(mine_per_batch, batch_size)
        self.replay_per_batch = batch_size - self.mine_per_batch if len(self.replay_labels) else 0
        self.shape = tuple(model.image_shape)
        super().__init__(model, optimiser=optimiser, learning_rate=learning_rate, seed=seed)

    def next_batch(self):
        if self.steps >= self.total_steps:
            return None
        pick = self.rng.integers(0, len(self.mine_labels), size=self.mine_per_batch)
        mine = shift_images(self.mine[pick], self.shape, self.rng)
        parts, labels = [mine], [self.mine_labels[pick]]
        if self.replay_per_batch:
            other = self.rng.integers(0, len(self.replay_labels), size=self.replay_per_batch)
            parts.append(self.replay[other].astype(np.float32) * np.float32(1 / 255))
            labels.append(self.replay_labels[other])
        return np.concatenate(parts), np.concatenate(labels)

    def progress(self) -> dict:
        return {**super().progress(), "total_steps": self.total_steps}


def export_trained(model: Model, training: dict, metrics: dict | None = None) -> dict:
    """A version-1 export document (float32, exact) of ``model`` with ``training`` metadata."""
    weights = [(layer.weight, layer.bias) for layer in model.layers]
    return build_export(
        weights,
        activations=[layer.activation for layer in model.layers],
        dtype="float32",
        dataset=model.dataset,
        labels=model.labels,
        image_shape=tuple(model.image_shape),
        mean=model.mean,
        std=model.std,
        metrics=metrics or {},
        training=training,
    )
