"""Write the weights export with ``py_runtime`` (the one source of the format), atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

from torch import nn

from py_runtime.constants import DATASETS, IMAGE_SHAPE
from py_runtime.export_format import Model, build_export, load_export, validate_export

from .atomic import write_atomically
from .data import DatasetSpec
from .model import layer_weights


def build_model_export(
    model: nn.Module,
    spec: DatasetSpec,
    *,
    dtype: str = "float16",
    metrics: dict | None = None,
    training: dict | None = None,
    timeline: list[dict] | None = None,
) -> dict:
    """A validated version-1 export document of ``model``'s Linear layers."""
    return build_export(
        layer_weights(model),
        dtype=dtype,
        dataset=spec.name,
        labels=list(spec.labels),
        image_shape=IMAGE_SHAPE,
        preprocessing=DATASETS[spec.name]["preprocessing"],  # the input the page should feed it
        mean=spec.mean,
        std=spec.std,
        metrics=metrics,
        training=training,
        timeline=timeline,
    )


def as_exported(document: dict) -> Model:
    """The model exactly as a reader sees it (weights rounded to the export dtype)."""
    return validate_export(document)


def write_export(document: dict, path: str | os.PathLike) -> int:
    """Write compact JSON to ``path`` atomically and return its size in bytes.

    The text goes to a temporary file beside ``path``, is read back and validated by
    ``py_runtime``, and only then renamed over ``path``.
    """
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"

    def write_and_check(temporary: str) -> None:
        Path(temporary).write_text(text, encoding="utf-8")
        load_export(temporary)

    return write_atomically(path, write_and_check).stat().st_size
