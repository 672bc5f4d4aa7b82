"""The worker contract: every request the page's runtime worker serves, as plain functions.

Each request is ``function(session, **arguments) -> response``: arguments and responses are
plain values (numbers, strings, lists, dicts) and NumPy arrays, which the worker moves as
typed-array buffers (``py_runtime.worker_glue``; ``docs/protocol.md`` lists the messages).
The only state kept between requests is the :class:`Session`: the loaded model (and whatever
is derived from it alone). A request that adds a feature is one more entry in ``REQUESTS``.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .connections import top_incoming
from .constants import BY_CONTRIBUTION, BY_WEIGHT, CONNECTION_MODES, IMAGE_SHAPE
from .export_format import ExportError, Model, parse_export
from .forward import forward, is_blank
from .learning import LEARNING_REQUESTS
from .preprocess import preprocess
from .samples import read_samples


class RequestError(ValueError):
    """A request the runtime cannot answer (unknown name, bad arguments, no model yet)."""


@dataclass
class Session:
    """What the worker keeps between requests: the loaded model and caches derived from it."""

    model: Model | None = None
    weight_connections: dict[int, list[dict]] = field(default_factory=dict)  # top_n → layers

    def require_model(self) -> Model:
        if self.model is None:
            raise RequestError("no model loaded")
        return self.model


# ---------------------------------------------------------------- requests


def load(session: Session, data: np.ndarray | bytes | str) -> dict:
    """Validate an export and make it the session's model.

    ``data`` is the export file: its bytes (the page sends a ``uint8`` buffer, which crosses
    into Pyodide as one copy; a JS string would cross character by character) or its text.
    Returns ``{"summary": {...}, "layers": [{"weight": float32[out*in], "bias": float32[out]}]}``
    (the weights once per model, for the views). An invalid export raises ``ExportError`` and
    the previous model stays.
    """
    model = parse_export(data.tobytes() if isinstance(data, np.ndarray) else data)
    if tuple(model.image_shape) != IMAGE_SHAPE:
        drawn = "x".join(map(str, IMAGE_SHAPE))
        expected = "x".join(map(str, model.image_shape))
        raise ExportError(
            "dataset.image_shape", f"this export expects {expected} images; the page draws {drawn}"
        )
    session.model = model
    session.weight_connections = {}
    return {"summary": model.summary(), "layers": model_layers(session)}


def model_layers(session: Session) -> list[dict]:
    """Every weight layer's tensors: ``[{"weight": float32[out*in], "bias": float32[out]}]``."""
    return [
        {"weight": layer.weight.reshape(-1), "bias": layer.bias}
        for layer in session.require_model().layers
    ]


def predict(
    session: Session,
    pixels: np.ndarray,
    mnist_style: bool = False,
    top_n: int = 0,
    mode: str = BY_WEIGHT,
) -> dict:
    """One frame: everything the views show for ``pixels`` (flat, in [0, 1]) under the settings.

    Returns ``{"blank", "top", "probabilities", "preActivations": [per layer],
    "activations": [per layer], "input": the pixels the network saw (preprocessed when
    mnist_style), "normalizedInput": that input after the model's normalisation (what the first
    layer multiplies), "connections": [per weight layer {"k", "indices" int32[out*k],
    "values" float32[out*k]}]}``. ``top`` is the winning class index, ``None`` when blank.
    """
    model = session.require_model()
    pixels = _pixels(model, pixels)
    network_input = preprocess(pixels, tuple(model.image_shape)) if mnist_style else pixels
    result = forward(model, network_input)
    blank = is_blank(pixels)
    return {
        "blank": blank,
        "top": None if blank else int(np.argmax(result.probabilities)),
        "probabilities": result.probabilities.astype(np.float32, copy=False),
        "preActivations": [z.astype(np.float32, copy=False) for z in result.pre_activations],
        "activations": [a.astype(np.float32, copy=False) for a in result.activations[1:]],
        "input": network_input.astype(np.float32, copy=False),
        "normalizedInput": result.activations[0].astype(np.float32, copy=False),
        "connections": _connections(session, top_n, mode, result.activations[:-1]),
    }


def bench_forward(
    session: Session, pixels: np.ndarray, repeats: int = 200, mnist_style: bool = False
) -> dict:
    """Time ``predict`` inside Python: ``{"medianMs", "minMs", "maxMs"}`` over ``repeats`` runs."""
    samples = []
    for _ in range(max(1, int(repeats))):
        start = time.perf_counter()
        predict(session, pixels, mnist_style)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"medianMs": samples[len(samples) // 2], "minMs": samples[0], "maxMs": samples[-1]}


def samples(session: Session, data: np.ndarray) -> dict:
    """Decode a sample digits asset (``uint8`` bytes; docs/export-format.md).

    Returns ``{"rows", "cols", "labels": uint8[N], "images": uint8[N*rows*cols]}``; a damaged
    file raises ``SamplesError`` naming the problem.
    """
    images, labels = read_samples(np.asarray(data, dtype=np.uint8).tobytes())
    return {
        "rows": int(images.shape[1]),
        "cols": int(images.shape[2]),
        "labels": labels,
        "images": images.reshape(-1),
    }


REQUESTS: dict[str, Callable[..., Any]] = {
    "load": load,
    "predict": predict,
    "bench_forward": bench_forward,
    "samples": samples,
    **LEARNING_REQUESTS,  # training in the page (py_runtime/learning.py)
}
"""Request name → function. The worker serves exactly these."""


def handle(session: Session, name: str, arguments: dict | None = None) -> Any:
    """Answer request ``name`` with ``arguments`` (keyword arguments of its function)."""
    function = REQUESTS.get(name)
    if function is None:
        raise RequestError(f"unknown request {name!r} (one of {', '.join(REQUESTS)})")
    arguments = arguments or {}
    # Check the arguments against the signature first, so a TypeError raised inside the
    # request (a NumPy bug, say) stays a bug and is not reported as "bad arguments". The
    # names are checked with two set operations; Signature.bind (a tenth of a millisecond in
    # the page, on every frame) only words the refusal.
    takes = _keywords(function) if isinstance(arguments, dict) else None
    if takes is None or not takes(arguments.keys()):
        try:
            _signature(function).bind(session, **arguments)
        except TypeError as error:
            raise RequestError(f"request {name!r}: {error}") from None
    return function(session, **arguments)


# ---------------------------------------------------------------- helpers


@functools.cache
def _signature(function: Callable[..., Any]) -> inspect.Signature:
    """A request function's signature (worked out once: it costs more than a forward pass)."""
    return inspect.signature(function)


@functools.cache
def _keywords(function: Callable[..., Any]) -> Callable[[Set[str]], bool] | None:
    """A quick test of the keyword names a request function takes after the session (``None``
    when only ``Signature.bind`` can tell: a positional-only parameter)."""
    kind = inspect.Parameter
    session, *parameters = _signature(function).parameters.values()
    if any(p.kind is kind.POSITIONAL_ONLY for p in parameters):
        return None
    named = [p for p in parameters if p.kind in (kind.POSITIONAL_OR_KEYWORD, kind.KEYWORD_ONLY)]
    accepted = frozenset(p.name for p in named)
    required = frozenset(p.name for p in named if p.default is kind.empty)
    if any(p.kind is kind.VAR_KEYWORD for p in parameters):  # any name but the session's
        return lambda names: required <= names and session.name not in names
    return lambda names: required <= names <= accepted


def _pixels(model: Model, pixels: Any) -> np.ndarray:
    """The pixels as a flat float32 array, or a ``RequestError`` saying what is wrong.

    The page checks them too (``web/src/pixels.js``), before it changes the drawing; this
    check guards the runtime against every caller, whatever crosses the worker boundary.
    """
    try:
        with np.errstate(over="ignore"):  # huge numbers become ±inf, refused below
            flat = np.asarray(pixels, dtype=np.float32).reshape(-1)
    except (TypeError, ValueError, OverflowError):
        raise RequestError(
            f"pixels must be an array of {model.architecture[0]} numbers, "
            f"found {type(pixels).__name__}"
        ) from None
    if flat.size != model.architecture[0]:
        raise RequestError(f"expected {model.architecture[0]} pixels, got {flat.size}")
    if not np.isfinite(flat).all() or flat.min(initial=0) < 0 or flat.max(initial=0) > 1:
        raise RequestError("pixels must be finite numbers between 0 and 1")
    return flat


def _connections(
    session: Session, top_n: int, mode: str, layer_inputs: list[np.ndarray] | None
) -> list[dict]:
    """Top-n connections per weight layer; weight mode is cached per n (it needs no input).

    ``layer_inputs[i]`` is what weight layer i multiplies: the normalised input (``(x - mean) /
    std``, the frame's ``normalizedInput``) for the first, then each hidden layer's activations.
    Contribution mode ranks by ``|input × w|``, so a blank pixel counts ``|-mean / std × w|``.
    """
    if mode not in CONNECTION_MODES:
        raise RequestError(f"unknown mode {mode!r} (one of {', '.join(CONNECTION_MODES)})")
    if not isinstance(top_n, int) or isinstance(top_n, bool) or top_n < 0:
        raise RequestError(f"top_n must be a non-negative integer, found {top_n!r}")
    model = session.require_model()
    if mode == BY_WEIGHT and top_n in session.weight_connections:
        return session.weight_connections[top_n]
    layers = []
    for index, dense in enumerate(model.layers):
        inputs = layer_inputs[index] if mode == BY_CONTRIBUTION else None
        indices, values = top_incoming(dense.weight, top_n, inputs, mode)
        layers.append(
            {
                "k": int(indices.shape[1]),
                "indices": indices.reshape(-1),
                "values": values.reshape(-1),
            }
        )
    if mode == BY_WEIGHT:
        session.weight_connections[top_n] = layers
    return layers
