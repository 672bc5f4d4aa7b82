"""py_runtime.export_format: every rejection rule names the problem and where it is."""

from __future__ import annotations

import base64
import copy
import json

import numpy as np
import pytest

from py_runtime import (
    ExportError,
    build_export,
    encode_tensor,
    load_export,
    parse_export,
    random_export,
    validate_export,
)


def _broken(document: dict, mutate) -> dict:
    broken = copy.deepcopy(document)
    mutate(broken)
    return broken


def _set_tensor(document: dict, layer: int, key: str, values: np.ndarray, dtype="float32"):
    document["layers"][layer][key] = encode_tensor(values, dtype)


def test_valid_export_round_trips(random_export_doc):
    model = validate_export(random_export_doc)
    assert model.architecture == [784, 128, 64, 10]
    assert model.labels == [str(i) for i in range(10)]
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    assert model.layers[0].weight.shape == (128, 784)
    assert model.layers[0].weight.dtype == np.float32
    summary = model.summary()
    assert summary["parameters"] == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    json.dumps(summary)


@pytest.mark.parametrize("dtype, tolerance", [("float32", 0.0), ("float16", 1e-3)])
def test_tensor_encoding_is_little_endian_row_major(dtype, tolerance):
    values = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    tensor = encode_tensor(values, dtype)
    raw = base64.b64decode(tensor["data"])
    expected = values.astype("<f4" if dtype == "float32" else "<f2").tobytes()
    assert raw == expected
    assert tensor["shape"] == [2, 3]
    weights = [(np.zeros((10, 784)), np.zeros(10))]
    document = build_export(weights, dtype=dtype)
    assert validate_export(document).layers[0].weight.shape == (10, 784)


REJECTIONS = [
    ("format", lambda d: d.update(format="something-else"), "format", "mnist-mlp-weights"),
    ("version", lambda d: d.update(version=2), "version", "unknown version 2"),
    ("missing key", lambda d: d.pop("layers"), "layers", "missing"),
    ("missing dataset key", lambda d: d["dataset"].pop("labels"), "dataset.labels", "missing"),
    ("missing output", lambda d: d.pop("output"), "output", "missing"),
    (
        "input width",
        lambda d: d["dataset"].update(image_shape=[20, 20]),
        "architecture[0]",
        "does not equal the image size",
    ),
    ("labels", lambda d: d["dataset"].update(labels=["a", "b"]), "dataset.labels", "2 labels"),
    (
        "activation",
        lambda d: d["layers"][0].update(activation="gelu"),
        "layers[0].activation",
        "unknown activation 'gelu'",
    ),
    (
        "last activation",
        lambda d: d["layers"][2].update(activation="relu"),
        "layers[2].activation",
        "must be 'linear'",
    ),
    (
        "dtype",
        lambda d: d["layers"][1]["weight"].update(dtype="int8"),
        "layers[1].weight.dtype",
        "unknown dtype 'int8'",
    ),
    (
        "base64",
        lambda d: d["layers"][0]["bias"].update(data="not base64!!"),
        "layers[0].bias.data",
        "not valid base64",
    ),
    (
        "length",
        lambda d: d["layers"][0]["bias"].update(data=base64.b64encode(b"\0" * 12).decode()),
        "layers[0].bias.data",
        "decodes to 12 bytes, expected 512",
    ),
    (
        "chain",
        lambda d: _set_tensor(d, 1, "weight", np.zeros((64, 100))),
        "layers[1].weight.shape",
        "does not chain",
    ),
    (
        "bias shape",
        lambda d: _set_tensor(d, 2, "bias", np.zeros(9)),
        "layers[2].bias.shape",
        "does not match width 10",
    ),
    (
        "layer count",
        lambda d: d["layers"].pop(),
        "layers",
        "2 layers for architecture",
    ),
    (
        "normalization",
        lambda d: d["dataset"]["normalization"].update(std=0),
        "dataset.normalization.std",
        "must be positive",
    ),
    (
        "mean beyond float32",
        lambda d: d["dataset"]["normalization"].update(mean=1e39),
        "dataset.normalization",
        "does not fit 32-bit floats",
    ),
    (
        "std beyond float32",
        lambda d: d["dataset"]["normalization"].update(std=1e39),
        "dataset.normalization",
        "does not fit 32-bit floats",
    ),
    (
        "std that float32 rounds to 0",
        lambda d: d["dataset"]["normalization"].update(std=1e-300),
        "dataset.normalization",
        "(pixel - mean) / std must all be finite",
    ),
    (
        "std too small for float32 pixels",
        lambda d: d["dataset"]["normalization"].update(std=1e-39),
        "dataset.normalization",
        "does not fit 32-bit floats",
    ),
    ("output", lambda d: d.update(output="sigmoid"), "output", "unknown output"),
    ("dataset", lambda d: d["dataset"].update(name="cifar"), "dataset.name", "unknown dataset"),
    (
        "architecture type",
        lambda d: d.update(architecture=[784, "128", 64, 10]),
        "architecture",
        "positive integers",
    ),
    ("top level", lambda d: d.clear(), "format", "missing"),
]


@pytest.mark.parametrize(
    "mutate, path, words", [r[1:] for r in REJECTIONS], ids=[r[0] for r in REJECTIONS]
)
def test_rejections_name_the_problem_and_its_path(random_export_doc, mutate, path, words):
    with pytest.raises(ExportError) as caught:
        validate_export(_broken(random_export_doc, mutate))
    assert caught.value.path == path
    assert words in str(caught.value)
    assert str(caught.value).startswith(path)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_infinite_values_are_rejected(random_export_doc, bad):
    weight = np.zeros((64, 128), dtype=np.float32)
    weight[3, 5] = bad
    document = copy.deepcopy(random_export_doc)
    document["layers"][1]["weight"] = {
        "dtype": "float32",
        "shape": [64, 128],
        "data": base64.b64encode(weight.astype("<f4").tobytes()).decode(),
    }
    with pytest.raises(ExportError, match=r"layers\[1\]\.weight\.data: contains 1 NaN or infinite"):
        validate_export(document)


def test_not_json_and_not_an_object_are_rejected():
    with pytest.raises(ExportError, match="not valid JSON"):
        parse_export("{not json")
    with pytest.raises(ExportError, match="top level must be a JSON object"):
        parse_export("[1, 2, 3]")


def test_oversized_files_are_rejected_before_parsing(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text("{" + " " * 2000)  # not even valid JSON: the size check comes first
    with pytest.raises(ExportError, match="larger than the 1000-byte limit"):
        load_export(path, max_bytes=1000)
    with pytest.raises(ExportError, match="larger than the 1000-byte limit"):
        parse_export(path.read_text(), max_bytes=1000)


def test_load_export_reads_a_file(write_json, random_export_doc):
    model = load_export(write_json(random_export_doc))
    assert model.architecture == [784, 128, 64, 10]


def test_writer_refuses_what_the_reader_would_reject():
    with pytest.raises(ValueError, match="NaN"):
        encode_tensor(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="overflow float16"):
        encode_tensor(np.array([1e6]), "float16")
    with pytest.raises(ExportError, match="labels"):
        build_export([(np.zeros((10, 784)), np.zeros(10))], labels=["only one"])


def test_random_export_supports_other_architectures():
    model = validate_export(random_export([784, 32, 10], seed=3))
    assert model.architecture == [784, 32, 10]
    timeline = [{"id": "a", "images_seen": 0, "path": "x/a.json"}]
    document = random_export([784, 10], timeline=timeline)
    assert validate_export(document).summary()["timeline"] == timeline


def test_deeply_nested_json_is_an_export_error_not_a_recursion_error():
    with pytest.raises(ExportError, match="nested too deeply"):
        parse_export("[" * 100_000)


def test_a_number_with_too_many_digits_is_an_export_error():
    with pytest.raises(ExportError, match="not valid JSON"):
        parse_export('{"version": ' + "9" * 5000 + "}")
