"""The worker's learning requests: train in slices, fine-tune on a person's examples, export.

A :class:`Learner` works beside the object that holds the page's current model (anything with
a ``model`` attribute: the worker's runtime). Starting a session makes the session's model
current, so every frame computed between two slices shows the weights as they are now;
``reset`` puts the model that was loaded back. Inputs and outputs are plain values
(dicts, lists, bytes, flat float32 arrays); every bad argument raises ``LearningError``
with a message for the person, before anything changes.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import math
from typing import Any

import numpy as np

from .constants import MAX_LEARNING_RATE
from .export_format import DenseLayer, Model, validate_export
from .samples import SamplesError, read_samples
from .training import (
    MAX_BATCH,
    MAX_EPOCHS,
    MAX_STEPS,
    FineTuneSession,
    TrainSession,
    accuracy,
    export_trained,
)

MAX_HIDDEN_WIDTH = 1024
MAX_HIDDEN_LAYERS = 4
FORMAT_KEYS = {"format", "version", "created", "dataset", "architecture", "layers", "output"}


class LearningError(ValueError):
    """A request that cannot be served as asked; nothing was changed."""


def read_asset(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Images ``uint8 [N, pixels]`` and labels of a (possibly gzip-compressed) samples asset."""
    raw = bytes(raw)
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        images, labels = read_samples(raw)
    except SamplesError as error:
        raise LearningError(f"the training digits could not be read: {error}") from None
    return images.reshape(len(labels), -1), labels


class Learner:
    """Training state of one page: data, the model it started from, the running session."""

    def __init__(self, holder: Any):
        self.holder = holder
        self.base: Model | None = holder.model  # the loaded model; reset returns to it
        self.train: tuple[np.ndarray, np.ndarray] | None = None
        self.held_out: tuple[np.ndarray, np.ndarray] | None = None
        self.dataset: str | None = None
        self.session: TrainSession | FineTuneSession | None = None
        self.kind: str | None = None
        self.before: dict | None = None
        self.lineage: dict = {}
        self.current: Model | None = holder.model  # the model this learner made current

    def sync(self) -> None:
        """Notice a model loaded by someone else (the page loaded an export)."""
        if self.holder.model is not self.current:
            self.model_loaded()

    # ---- data and the model

    def model_loaded(self) -> None:
        """The page loaded another export: it becomes the base; a running session ends
        (its next ``slice`` reports it done) and its weights are dropped."""
        self.base = self.holder.model
        self.current = self.holder.model
        if self.session is not None:
            self.session.done = True
        self.lineage = {}

    def _make_current(self, model: Model) -> None:
        """Make ``model`` the holder's; caches derived from the old weights are dropped."""
        self.holder.model = model
        self.current = model
        self.weights_changed()

    def weights_changed(self) -> None:
        """The current weights changed in place: drop the holder's caches derived from them."""
        caches = getattr(self.holder, "weight_connections", None)
        if caches is not None:
            caches.clear()

    def set_data(self, dataset: str, train_raw: bytes, held_out_raw: bytes) -> dict:
        """Install the training and held-out digits of ``dataset``."""
        train = read_asset(train_raw)
        held_out = read_asset(held_out_raw)
        for name, (images, _) in (("training", train), ("held-out", held_out)):
            if len(images) == 0:
                raise LearningError(f"the {name} digits are empty")
        if train[0].shape[1] != held_out[0].shape[1]:
            raise LearningError("the training and held-out digits have different sizes")
        self.train, self.held_out, self.dataset = train, held_out, dataset
        return {"dataset": dataset, "train": len(train[1]), "held_out": len(held_out[1])}

    def status(self) -> dict:
        return {
            "dataset": self.dataset,
            "has_data": self.train is not None,
            "session": self.kind,
            "changed": self.base is not None and self.holder.model is not self.base,
            "progress": self._progress() if self.session else None,
        }

    # ---- training

    def start_training(self, options: dict) -> dict:
        """Begin training (call ``slice`` until done): from scratch or from the current weights.

        ``options``: ``epochs`` (1), ``batchSize`` (64), ``learningRate`` (optimiser default),
        ``seed`` (0), ``from`` ("scratch" | "current"), ``optimiser`` ("sgd" | "adam"),
        ``hidden`` (widths of the hidden layers, from scratch only; default: the current model's).
        """
        model = self._require_ready()
        options = dict(options or {})
        known = {"epochs", "batchSize", "learningRate", "seed", "from", "optimiser", "hidden"}
        unknown = sorted(set(options) - known)
        if unknown:
            raise LearningError(f"unknown training option(s): {', '.join(unknown)}")
        epochs = _whole(options.get("epochs", 1), "epochs", 1, MAX_EPOCHS)
        batch = _whole(options.get("batchSize", 64), "batchSize", 1, MAX_BATCH)
        seed = _whole(options.get("seed", 0), "seed", 0, 2**32 - 1)
        rate = options.get("learningRate")
        if rate is not None:
            _rate(rate)
        start = options.get("from", "scratch")
        if start not in ("scratch", "current"):
            raise LearningError(f'"from" must be "scratch" or "current", got {start!r}')
        optimiser = options.get("optimiser", "sgd")
        if optimiser not in ("sgd", "adam"):
            raise LearningError(f'optimiser must be "sgd" or "adam", got {optimiser!r}')
        if "hidden" in options and start != "scratch":
            raise LearningError('"hidden" sizes only apply when training from scratch')
        if "hidden" in options:
            model = _with_hidden(model, _hidden(options["hidden"]))
        try:
            session = TrainSession(
                model,
                self.train,
                self.held_out,
                epochs=epochs,
                batch_size=batch,
                learning_rate=rate,
                optimiser=optimiser,
                seed=seed,
                from_scratch=start == "scratch",
                evaluate_every=max(500, min(2000, len(self.train[1]) // 4)),
            )
        except ValueError as error:
            raise LearningError(str(error)) from None
        self._begin(session, "train")
        self.lineage = {
            "mode": "trained from scratch" if start == "scratch" else "trained further",
            "epochs": epochs,
            "batch_size": batch,
            "optimiser": optimiser,
            "learning_rate": session.optimiser.learning_rate,
            "seed": seed,
            "training_digits": len(self.train[1]),
        }
        return self._progress()

    def start_fine_tune(self, pixels: np.ndarray, labels: list[int], options: dict) -> dict:
        """Begin fine-tuning the current model on a person's examples (pixels as the network
        sees them, ``[K, in]`` in [0, 1]); returns accuracies before."""
        model = self._require_ready()
        options = dict(options or {})
        unknown = sorted(set(options) - {"steps", "learningRate", "seed"})
        if unknown:
            raise LearningError(f"unknown fine-tune option(s): {', '.join(unknown)}")
        steps = _whole(options.get("steps", 200), "steps", 1, MAX_STEPS)
        seed = _whole(options.get("seed", 0), "seed", 0, 2**32 - 1)
        rate = _rate(options.get("learningRate", 0.003))
        labels = list(labels)
        if not labels:
            raise LearningError("there are no examples to fine-tune on: teach it some first")
        classes = len(model.labels)
        for label in labels:
            if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < classes:
                raise LearningError(f"label {label!r} is not one of the model's 0…{classes - 1}")
        width = model.architecture[0]
        mine = np.asarray(pixels, dtype=np.float32).reshape(-1)
        if mine.size != len(labels) * width:
            raise LearningError(f"{mine.size} pixels for {len(labels)} examples of {width}")
        mine = np.clip(mine.reshape(len(labels), width), 0, 1)
        mine_labels = np.asarray(labels, dtype=np.int64)
        session = FineTuneSession(
            model, (mine, mine_labels), self.train, steps=steps, learning_rate=rate, seed=seed
        )
        self.before = {
            "mine": accuracy(model, mine, mine_labels),
            "heldOut": accuracy(model, *self.held_out),
        }
        self._examples = (mine, mine_labels)
        self._begin(session, "fine-tune")
        self.lineage = {
            **{k: v for k, v in self.lineage.items() if k != "mode"},
            "mode": "fine-tuned" if not self.lineage else f"{self.lineage['mode']}, fine-tuned",
            "fine_tune_steps": steps,
            "examples": len(labels),
        }
        return {**self._progress(), "before": self.before}

    def slice(self, max_seconds: float = 0.05) -> dict:
        """Run the current session for about ``max_seconds`` (at least one step)."""
        if self.session is None:
            raise LearningError("nothing is training")
        if not self.session.done:
            self.session.run(max_seconds=max(0.0, float(max_seconds)))
            self.weights_changed()
        return self._progress()

    def stop(self) -> dict:
        """End the session now; the weights so far stay (a usable model)."""
        if self.session is None:
            raise LearningError("nothing is training")
        if isinstance(self.session, TrainSession):
            self.session.stop()
        else:
            self.session.done = True
        return self._progress()

    def reset(self) -> dict:
        """Drop any session and make the loaded model current again."""
        if self.base is not None:
            self._make_current(self.base)
        self.session = None
        self.kind = None
        self.lineage = {}
        return self.status()

    def held_out_accuracy(self) -> float:
        self._require_ready()
        return accuracy(self.holder.model, *self.held_out)

    def export(self, source: str = "") -> str:
        """The current model as a version-1 export (JSON text) saying how it was made."""
        model = self.holder.model
        if model is None:
            raise LearningError("no model is loaded")
        training = {
            "where": "in the browser (py_runtime in Pyodide)",
            "from": source or "the loaded model",
            **self.lineage,
            "examples": self.lineage.get("examples", 0),
        }
        if self.session is not None and self.session.diverged:
            training["diverged"] = True  # stopped early: the learning rate was too large
        metrics = {}
        if self.held_out is not None:
            metrics = {
                "held_out_accuracy": round(accuracy(model, *self.held_out), 4),
                "held_out_count": len(self.held_out[1]),
            }
        document = export_trained(model, training, metrics)
        base = self.base.metadata if self.base is not None else {}
        for key, value in base.items():  # keep fields a newer format adds (not the timeline)
            if key not in document and key not in FORMAT_KEYS and key != "timeline":
                document[key] = value
        validate_export(document)
        return json.dumps(document)

    # ---- internals

    def _begin(self, session, kind: str) -> None:
        if self.base is None:
            self.base = self.holder.model
        self.session = session
        self.kind = kind
        self._make_current(session.model)

    def _progress(self) -> dict:
        session = self.session
        progress = _finite(session.progress())
        progress["kind"] = self.kind
        progress["architecture"] = list(session.model.architecture)
        progress["changed"] = self.holder.model is not self.base
        if isinstance(session, TrainSession):
            progress["history"] = [_finite(point) for point in session.history]
        if isinstance(session, FineTuneSession) and session.done and self.before is not None:
            mine, labels = self._examples
            progress["before"] = self.before
            progress["after"] = {
                "mine": accuracy(session.model, mine, labels),
                "heldOut": accuracy(session.model, *self.held_out),
            }
        return progress

    def _require_ready(self) -> Model:
        model = self.holder.model
        if model is None:
            raise LearningError("no model is loaded")
        if self.train is None:
            raise LearningError("the training digits are not loaded yet")
        if self.dataset != model.dataset:
            raise LearningError(
                f"the training digits are {self.dataset}, the model is {model.dataset}"
            )
        if self.train[0].shape[1] != model.architecture[0]:
            raise LearningError("the training digits do not fit the model's input")
        return model


def _whole(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LearningError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def _rate(value) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 < value <= MAX_LEARNING_RATE
    ):
        raise LearningError(
            f"learningRate must be a number above 0 and at most {MAX_LEARNING_RATE}, got {value!r}"
        )
    return float(value)


def _hidden(value) -> list[int]:
    if not isinstance(value, list | tuple) or not 0 < len(value) <= MAX_HIDDEN_LAYERS:
        raise LearningError(f"hidden must be a list of 1 to {MAX_HIDDEN_LAYERS} layer widths")
    return [_whole(width, "each hidden width", 1, MAX_HIDDEN_WIDTH) for width in value]


def _with_hidden(model: Model, hidden: list[int]) -> Model:
    """A model of another architecture (zero weights; training starts from fresh ones)."""
    widths = [model.architecture[0], *hidden, model.architecture[-1]]
    activation = model.layers[0].activation if len(model.layers) > 1 else "relu"
    layers = [
        DenseLayer(
            f"dense_{index + 1}",
            "linear" if index == len(widths) - 2 else activation,
            np.zeros((fan_out, fan_in), dtype=np.float32),
            np.zeros(fan_out, dtype=np.float32),
        )
        for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=True))
    ]
    return dataclasses.replace(model, architecture=widths, layers=layers)


def _finite(values: dict) -> dict:
    """NaN becomes None so the result is valid JSON."""
    return {
        key: (None if isinstance(value, float) and not math.isfinite(value) else value)
        for key, value in values.items()
    }


# ---------------------------------------------------------------- worker requests
# Each is ``function(session, **arguments)`` like py_runtime.worker_api's; the learner lives
# on the session (the worker's one state), created on first use.


def learner_of(session: Any) -> Learner:
    """The session's learner, in step with the session's model."""
    learner = getattr(session, "learner", None)
    if learner is None:
        learner = Learner(session)
        session.learner = learner
    learner.sync()
    return learner


def model_message(model: Model) -> dict:
    """``{"summary", "layers"}`` as the worker's ``load`` answers it (the views' model)."""
    return {
        "summary": model.summary(),
        "layers": [
            {"weight": layer.weight.reshape(-1), "bias": layer.bias} for layer in model.layers
        ],
    }


def learn_data(session: Any, dataset: str, train: np.ndarray, held_out: np.ndarray) -> dict:
    """Install the training and held-out digits (sample assets, gzip or not, as uint8)."""
    learner = learner_of(session)
    as_bytes = (np.asarray(part, dtype=np.uint8).tobytes() for part in (train, held_out))
    return learner.set_data(str(dataset), *as_bytes)


def learn_train(session: Any, options: dict | None = None) -> dict:
    """Start training (``Learner.start_training``); the answer carries the model for the views."""
    progress = learner_of(session).start_training(options or {})
    return {**progress, "model": model_message(session.model)}


def learn_fine_tune(
    session: Any, pixels: np.ndarray, labels: list, options: dict | None = None
) -> dict:
    """Start fine-tuning on the person's examples (``[K * 784]`` float32 in [0, 1])."""
    if not isinstance(labels, list):
        raise LearningError("labels must be a list")
    return learner_of(session).start_fine_tune(pixels, labels, options or {})


def learn_slice(session: Any, seconds: float = 0.015) -> dict:
    """Train for about ``seconds`` (at least one step); the progress so far."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise LearningError(f"seconds must be a number, got {seconds!r}")
    return learner_of(session).slice(seconds)


def learn_stop(session: Any) -> dict:
    return learner_of(session).stop()


def learn_reset(session: Any) -> dict:
    """The loaded model is current again: ``{"status", "model": {"summary", "layers"}}``."""
    learner = learner_of(session)
    status = learner.reset()
    return {"status": status, "model": model_message(session.model)}


def learn_model(session: Any) -> dict:
    """The current model for the views (its weights change while training)."""
    learner_of(session)
    if session.model is None:
        raise LearningError("no model is loaded")
    return model_message(session.model)


def learn_export(session: Any, source: str = "") -> str:
    return learner_of(session).export(str(source))


def learn_status(session: Any) -> dict:
    return learner_of(session).status()


LEARNING_REQUESTS = {
    "learn_data": learn_data,
    "learn_train": learn_train,
    "learn_fine_tune": learn_fine_tune,
    "learn_slice": learn_slice,
    "learn_stop": learn_stop,
    "learn_reset": learn_reset,
    "learn_model": learn_model,
    "learn_export": learn_export,
    "learn_status": learn_status,
}
"""The learning requests, merged into ``py_runtime.worker_api.REQUESTS``."""
