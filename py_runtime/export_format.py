"""The weights export format, version 1: read, validate, and write.

This module is the single source of truth of the contract described in
``docs/export-format.md``. The training CLI writes exports with
:func:`build_export`; the page (through Pyodide) and the tests read them with
:func:`parse_export` / :func:`load_export`. NumPy is the only dependency.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import reprlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from .constants import (
    ACTIVATIONS,
    DATASETS,
    IMAGE_PIXELS,
    IMAGE_SHAPE,
    MAX_EXPORT_BYTES,
    PREPROCESSING,
)

FORMAT_NAME = "mnist-mlp-weights"
FORMAT_VERSION = 1
MAX_DIM = 2**31 - 1  # a width or dimension; bounds every size computed from the file
MAX_RANK = 2  # tensors are matrices (weights) or vectors (biases)
DTYPES = {"float16": np.dtype("<f2"), "float32": np.dtype("<f4")}
DATASET_NAMES = tuple(DATASETS)
OUTPUTS = ("softmax",)


class ExportError(ValueError):
    """An export that cannot be used; ``path`` points inside the file (e.g. ``layers[1].bias``)."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


@dataclass(frozen=True)
class DenseLayer:
    """One fully connected layer: ``activation(weight @ x + bias)``; weight is ``[out, in]``."""

    name: str
    activation: str
    weight: np.ndarray
    bias: np.ndarray


@dataclass(frozen=True)
class Model:
    """A validated export, tensors decoded to float32."""

    architecture: list[int]
    layers: list[DenseLayer]
    labels: list[str]
    image_shape: list[int]
    mean: float
    std: float
    dataset: str
    metadata: dict[str, Any] = field(default_factory=dict)
    preprocessing: str = "none"
    """The input preprocessing the model expects ("mnist-style" or "none")."""

    def summary(self) -> dict[str, Any]:
        """Everything about the model except its tensors (JSON-friendly)."""
        return {
            "architecture": list(self.architecture),
            "labels": list(self.labels),
            "image_shape": list(self.image_shape),
            "dataset": self.dataset,
            "preprocessing": self.preprocessing,
            "normalization": {"mean": self.mean, "std": self.std},
            "activations": [layer.activation for layer in self.layers],
            "layer_names": [layer.name for layer in self.layers],
            "parameters": int(sum(lay.weight.size + lay.bias.size for lay in self.layers)),
            **{k: v for k, v in self.metadata.items() if k in ("metrics", "training", "created")},
            "timeline": self.metadata.get("timeline") or [],
        }


# ---------------------------------------------------------------- reading


def load_export(path: str | os.PathLike, max_bytes: int = MAX_EXPORT_BYTES) -> Model:
    """Read and validate an export file (the size is checked before reading it)."""
    size = os.path.getsize(path)
    if size > max_bytes:
        raise ExportError("", f"file is {size} bytes, larger than the {max_bytes}-byte limit")
    with open(path, "rb") as handle:
        return parse_export(handle.read(), max_bytes=max_bytes)


def parse_export(raw: str | bytes, max_bytes: int = MAX_EXPORT_BYTES) -> Model:
    """Parse export text/bytes (size-checked before parsing) and validate it."""
    size = len(raw.encode("utf-8", "surrogatepass")) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise ExportError("", f"file is {size} bytes, larger than the {max_bytes}-byte limit")
    try:
        document = json.loads(raw)
    except RecursionError:
        raise ExportError("", "not valid JSON (nested too deeply)") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, too many digits
        raise ExportError("", f"not valid JSON ({error})") from None
    return validate_export(document)


def validate_export(document: Any) -> Model:
    """Check a decoded JSON document against format version 1 and decode its tensors."""
    if not isinstance(document, dict):
        raise ExportError("", "the top level must be a JSON object")
    fmt = _require(document, "format", str, "")
    if fmt != FORMAT_NAME:
        raise ExportError("format", f"expected {FORMAT_NAME!r}, found {_short(fmt)}")
    version = _require(document, "version", int, "")
    if version != FORMAT_VERSION:
        raise ExportError("version", f"unknown version {_short(version)} (this reader knows 1)")

    dataset = _require(document, "dataset", dict, "")
    name = _require(dataset, "name", str, "dataset")
    if name not in DATASET_NAMES:
        raise ExportError("dataset.name", f"unknown dataset {_short(name)}")
    image_shape = _int_list(
        _require(dataset, "image_shape", list, "dataset"), "dataset.image_shape"
    )
    if len(image_shape) != 2:
        raise ExportError("dataset.image_shape", "must have two dimensions [height, width]")
    labels = _require(dataset, "labels", list, "dataset")
    if not labels or not all(isinstance(label, str) for label in labels):
        raise ExportError("dataset.labels", "must be a non-empty list of strings")
    norm = _require(dataset, "normalization", dict, "dataset")
    mean = _finite_number(
        _require(norm, "mean", (int, float), "dataset.normalization"), "dataset.normalization.mean"
    )
    std = _finite_number(
        _require(norm, "std", (int, float), "dataset.normalization"), "dataset.normalization.std"
    )
    if std <= 0:
        raise ExportError("dataset.normalization.std", f"must be positive, found {std}")
    _check_normalization_fits_float32(mean, std)
    preprocessing = dataset.get("preprocessing", DATASETS[name]["preprocessing"])
    if preprocessing not in PREPROCESSING:
        raise ExportError(
            "dataset.preprocessing",
            f"unknown preprocessing {preprocessing!r} (one of {PREPROCESSING})",
        )

    architecture = _int_list(_require(document, "architecture", list, ""), "architecture")
    if len(architecture) < 2:
        raise ExportError("architecture", "needs at least an input and an output width")
    if architecture[0] != math.prod(image_shape):
        raise ExportError(
            "architecture[0]",
            f"input width {architecture[0]} does not equal the image size "
            f"{image_shape[0]}x{image_shape[1]} = {math.prod(image_shape)}",
        )
    if len(labels) != architecture[-1]:
        raise ExportError(
            "dataset.labels",
            f"{len(labels)} labels for an output layer of width {architecture[-1]}",
        )

    raw_layers = _require(document, "layers", list, "")
    if len(raw_layers) != len(architecture) - 1:
        raise ExportError(
            "layers",
            f"{len(raw_layers)} layers for architecture {architecture} "
            f"(expected {len(architecture) - 1})",
        )
    layers = []
    for index, raw_layer in enumerate(raw_layers):
        where = f"layers[{index}]"
        if not isinstance(raw_layer, dict):
            raise ExportError(where, "must be an object")
        activation = _require(raw_layer, "activation", str, where)
        if activation not in ACTIVATIONS:
            raise ExportError(f"{where}.activation", f"unknown activation {_short(activation)}")
        is_last = index == len(raw_layers) - 1
        if is_last and activation != "linear":
            raise ExportError(f"{where}.activation", "the last layer must be 'linear'")
        expected_weight = [architecture[index + 1], architecture[index]]
        weight = decode_tensor(_require(raw_layer, "weight", dict, where), f"{where}.weight")
        if list(weight.shape) != expected_weight:
            raise ExportError(
                f"{where}.weight.shape",
                f"{list(weight.shape)} does not chain with the architecture "
                f"(expected {expected_weight})",
            )
        bias = decode_tensor(_require(raw_layer, "bias", dict, where), f"{where}.bias")
        if list(bias.shape) != [architecture[index + 1]]:
            raise ExportError(
                f"{where}.bias.shape",
                f"{list(bias.shape)} does not match width {architecture[index + 1]}",
            )
        layer_name = raw_layer.get("name", f"dense_{index + 1}")
        layers.append(DenseLayer(str(layer_name), activation, weight, bias))

    output = _require(document, "output", str, "")
    if output not in OUTPUTS:
        raise ExportError("output", f"unknown output {_short(output)} (expected 'softmax')")
    for key in ("created", "metrics", "training"):
        _require(document, key, (str, dict), "")
    timeline = document.get("timeline")
    if timeline is not None:
        _validate_timeline(timeline)

    metadata = {k: v for k, v in document.items() if k not in ("layers",)}
    return Model(
        architecture, layers, list(labels), image_shape, mean, std, name, metadata, preprocessing
    )


def decode_tensor(tensor: dict, where: str) -> np.ndarray:
    """Decode ``{"dtype", "shape", "data"}`` into a C-contiguous float32 array."""
    dtype_name = _require(tensor, "dtype", str, where)
    if dtype_name not in DTYPES:
        raise ExportError(
            f"{where}.dtype", f"unknown dtype {_short(dtype_name)} (float16 or float32)"
        )
    shape = _int_list(_require(tensor, "shape", list, where), f"{where}.shape")
    data = _require(tensor, "data", str, where)
    if len(shape) > MAX_RANK:
        raise ExportError(f"{where}.shape", f"has {len(shape)} dimensions (at most {MAX_RANK})")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ExportError(f"{where}.data", "is not valid base64") from None
    dtype = DTYPES[dtype_name]
    expected = math.prod(shape) * dtype.itemsize
    if len(raw) != expected:
        raise ExportError(
            f"{where}.data",
            f"decodes to {len(raw)} bytes, expected {expected} "
            f"({'x'.join(map(str, shape))} {dtype_name})",
        )
    values = np.frombuffer(raw, dtype=dtype).astype(np.float32).reshape(shape)
    if not np.isfinite(values).all():
        bad = int(np.size(values) - np.count_nonzero(np.isfinite(values)))
        raise ExportError(f"{where}.data", f"contains {bad} NaN or infinite value(s)")
    return np.ascontiguousarray(values)


def _validate_timeline(timeline: Any) -> None:
    if not isinstance(timeline, list):
        raise ExportError("timeline", "must be a list")
    for index, entry in enumerate(timeline):
        where = f"timeline[{index}]"
        if not isinstance(entry, dict):
            raise ExportError(where, "must be an object")
        _require(entry, "path", str, where)
        _require(entry, "images_seen", int, where)


def _require(obj: dict, key: str, kind, where: str):
    path = f"{where}.{key}" if where else key
    if key not in obj:
        raise ExportError(path, "missing")
    value = obj[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) or not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise ExportError(path, f"must be {names}, found {type(value).__name__}")
    return value


def _int_list(values: list, where: str) -> list[int]:
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_DIM for v in values):
        raise ExportError(
            where,
            f"must be a list of positive integers (at most {MAX_DIM}), found {_short(values)}",
        )
    return list(values)


def _short(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters (messages stay short for any input)."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = short.maxlong = limit
    text = short.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_normalization_fits_float32(mean: float, std: float) -> None:
    """The forward pass normalises in float32: a mean or std beyond its range (1e39), or a std
    it rounds to 0 (1e-300), would make every prediction NaN or meaningless."""
    with np.errstate(all="ignore"):
        mean32, std32 = np.float32(mean), np.float32(std)
        extremes = (np.float32([0.0, 1.0]) - mean32) / std32
    if not (np.isfinite([mean32, std32]).all() and np.isfinite(extremes).all()):
        raise ExportError(
            "dataset.normalization",
            f"does not fit 32-bit floats, which the page computes in (mean {mean!r}, std "
            f"{std!r}): mean, std and (pixel - mean) / std must all be finite there",
        )


def _finite_number(value: float, where: str) -> float:
    if not math.isfinite(value):
        raise ExportError(where, f"must be finite, found {value!r}")
    return float(value)


# ---------------------------------------------------------------- writing


def encode_tensor(values: np.ndarray, dtype: str = "float16") -> dict:
    """Encode an array as ``{"dtype", "shape", "data"}`` (little-endian, row-major, base64)."""
    if dtype not in DTYPES:
        raise ValueError(f"unknown dtype {dtype!r} (float16 or float32)")
    array = np.ascontiguousarray(np.asarray(values, dtype=np.float32))
    if not np.isfinite(array).all():
        raise ValueError("cannot export NaN or infinite values")
    with np.errstate(over="ignore"):
        encoded = array.astype(DTYPES[dtype])
    if not np.isfinite(encoded).all():
        raise ValueError(f"values overflow {dtype}")
    return {
        "dtype": dtype,
        "shape": list(array.shape),
        "data": base64.b64encode(encoded.tobytes()).decode("ascii"),
    }


def build_export(
    weights: list[tuple[np.ndarray, np.ndarray]],
    *,
    activations: list[str] | None = None,
    dtype: str = "float16",
    dataset: str = "mnist",
    labels: list[str] | None = None,
    image_shape: tuple[int, int] = IMAGE_SHAPE,
    mean: float = 0.1307,
    std: float = 0.3081,
    metrics: dict | None = None,
    training: dict | None = None,
    timeline: list[dict] | None = None,
    created: str | None = None,
    preprocessing: str | None = None,
) -> dict:
    """Build a version-1 export document from ``[(weight[out,in], bias[out]), ...]``.

    Hidden layers default to ReLU and the last layer is linear. The result is
    validated before it is returned, so a writer cannot produce a file the page rejects.
    ``preprocessing`` defaults to the dataset's (MNIST-style for mnist, none otherwise).
    """
    if preprocessing is None:
        preprocessing = DATASETS.get(dataset, {}).get("preprocessing", "none")
    count = len(weights)
    if activations is None:
        activations = ["relu"] * (count - 1) + ["linear"]
    architecture = [int(np.shape(weights[0][0])[1])] + [int(np.shape(w)[0]) for w, _ in weights]
    if labels is None:
        labels = [str(i) for i in range(architecture[-1])]
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "created": created or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dataset": {
            "name": dataset,
            "image_shape": list(image_shape),
            "labels": list(labels),
            "normalization": {"mean": float(mean), "std": float(std)},
            "preprocessing": preprocessing,
        },
        "architecture": architecture,
        "layers": [
            {
                "name": f"dense_{index + 1}",
                "activation": activations[index],
                "weight": encode_tensor(weight, dtype),
                "bias": encode_tensor(bias, dtype),
            }
            for index, (weight, bias) in enumerate(weights)
        ],
        "output": "softmax",
        "metrics": dict(metrics or {}),
        "training": dict(training or {}),
    }
    if timeline is not None:
        document["timeline"] = list(timeline)
    validate_export(document)
    return document


def random_export(
    architecture: list[int] | tuple[int, ...] = (IMAGE_PIXELS, 128, 64, 10),
    seed: int = 0,
    dtype: str = "float32",
    **kwargs,
) -> dict:
    """A valid export with fixed-seed random (He-initialised) weights, for tests and demos."""
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in zip(architecture[:-1], architecture[1:], strict=True):
        weight = rng.normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
        bias = rng.normal(0.0, 0.05, size=fan_out)
        weights.append((weight.astype(np.float32), bias.astype(np.float32)))
    kwargs.setdefault("training", {"note": f"random weights, seed {seed}"})
    kwargs.setdefault("metrics", {})
    return build_export(weights, dtype=dtype, **kwargs)
