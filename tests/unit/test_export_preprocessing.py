"""dataset.preprocessing: an export says which input preprocessing its model expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from py_runtime import ExportError, load_export, random_export, validate_export

EXPORTS = Path(__file__).resolve().parents[2] / "exports"


def test_new_exports_name_their_preprocessing():
    assert random_export([784, 10])["dataset"]["preprocessing"] == "mnist-style"
    fashion = random_export([784, 10], dataset="fashion-mnist")
    assert fashion["dataset"]["preprocessing"] == "none"
    explicit = random_export([784, 10], dataset="fashion-mnist", preprocessing="mnist-style")
    assert validate_export(explicit).summary()["preprocessing"] == "mnist-style"


@pytest.mark.parametrize(
    ("dataset", "expected"), [("mnist", "mnist-style"), ("fashion-mnist", "none")]
)
def test_older_exports_without_the_key_get_their_datasets_default(dataset, expected):
    document = random_export([784, 10], dataset=dataset)
    del document["dataset"]["preprocessing"]
    assert validate_export(document).summary()["preprocessing"] == expected


def test_an_unknown_preprocessing_is_rejected():
    document = random_export([784, 10])
    document["dataset"]["preprocessing"] = "sharpen"
    with pytest.raises(
        ExportError, match=r"dataset.preprocessing: unknown preprocessing 'sharpen'"
    ):
        validate_export(json.loads(json.dumps(document)))


def test_the_committed_defaults_expect_what_suits_their_dataset():
    assert load_export(EXPORTS / "sample_mlp_weights.json").preprocessing == "mnist-style"
    assert load_export(EXPORTS / "fashion_mlp_weights.json").preprocessing == "none"
