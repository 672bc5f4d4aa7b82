"""py_runtime.worker_api and worker_glue: every request the page's worker serves, in CPython."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from py_runtime import (
    ExportError,
    forward,
    random_export,
    top_incoming,
    validate_export,
    worker_glue,
)
from py_runtime.constants import IMAGE_SHAPE
from py_runtime.preprocess import preprocess
from py_runtime.samples import SamplesError, encode_samples
from py_runtime.worker_api import REQUESTS, RequestError, Session, handle


def loaded(architecture=(784, 16, 10), seed=4, **kwargs) -> tuple[Session, dict]:
    document = random_export(list(architecture), seed=seed, **kwargs)
    session = Session()
    handle(session, "load", {"data": json.dumps(document)})
    return session, document


def digit() -> np.ndarray:
    pixels = np.zeros(IMAGE_SHAPE, dtype=np.float32)
    pixels[5:20, 12:15] = 1.0
    return pixels.reshape(-1)


def test_the_request_table_names_every_request():
    names = {"load", "predict", "bench_forward", "samples"}
    learning = {f"learn_{name}" for name in ("data", "train", "fine_tune", "slice", "stop")}
    learning |= {f"learn_{name}" for name in ("reset", "model", "export", "status")}
    assert set(REQUESTS) == names | learning


def test_load_returns_the_summary_and_every_layers_weights():
    session, document = loaded()
    answer = handle(session, "load", {"data": json.dumps(document)})
    assert answer["summary"]["architecture"] == [784, 16, 10]
    assert answer["summary"]["preprocessing"] == "mnist-style"
    model = validate_export(document)
    assert [layer["weight"].shape for layer in answer["layers"]] == [(16 * 784,), (160,)]
    np.testing.assert_array_equal(answer["layers"][1]["bias"], model.layers[1].bias)


def test_a_rejected_export_keeps_the_last_good_model():
    session, _ = loaded(seed=1)
    before = handle(session, "predict", {"pixels": digit()})
    bad = random_export([784, 16, 10], seed=2)
    bad["version"] = 9
    with pytest.raises(ExportError):
        handle(session, "load", {"data": json.dumps(bad)})
    with pytest.raises(ExportError):
        handle(session, "load", {"data": "{truncated"})
    # The page sends the file's bytes: bytes that are not UTF-8 are refused as JSON, not raised.
    with pytest.raises(ExportError, match="not valid JSON"):
        handle(session, "load", {"data": np.frombuffer(b'{"format": "\xff"}', np.uint8)})
    after = handle(session, "predict", {"pixels": digit()})
    np.testing.assert_array_equal(after["probabilities"], before["probabilities"])


def test_an_export_for_another_image_size_is_rejected():
    session, _ = loaded([784, 10], seed=1)
    other = random_export([400, 10], seed=2, image_shape=(20, 20))
    with pytest.raises(ExportError, match=r"dataset.image_shape: this export expects 20x20"):
        handle(session, "load", {"data": json.dumps(other)})
    assert session.model.architecture == [784, 10]


def test_predict_returns_one_whole_frame():
    session, document = loaded()
    pixels = np.random.default_rng(2).random(784).astype(np.float32)
    frame = handle(session, "predict", {"pixels": pixels, "top_n": 5, "mode": "weight"})
    expected = forward(validate_export(document), pixels)
    assert frame["blank"] is False
    assert frame["top"] == int(np.argmax(expected.probabilities))
    np.testing.assert_allclose(frame["probabilities"], expected.probabilities, rtol=1e-6)
    np.testing.assert_allclose(frame["preActivations"][0], expected.pre_activations[0], rtol=1e-6)
    np.testing.assert_allclose(frame["activations"][1], expected.activations[2], rtol=1e-6)
    np.testing.assert_array_equal(frame["input"], pixels)
    np.testing.assert_allclose(frame["normalizedInput"], expected.activations[0], rtol=1e-6)
    assert [layer["k"] for layer in frame["connections"]] == [5, 5]
    indices, values = top_incoming(validate_export(document).layers[0].weight, 5)
    np.testing.assert_array_equal(frame["connections"][0]["indices"], indices.reshape(-1))
    np.testing.assert_array_equal(frame["connections"][0]["values"], values.reshape(-1))


def test_contribution_connections_follow_the_frames_own_input():
    session, document = loaded()
    model = validate_export(document)
    pixels = digit()
    frame = handle(session, "predict", {"pixels": pixels, "top_n": 4, "mode": "contribution"})
    normalized = forward(model, pixels).activations[0]  # what the first layer multiplies
    indices, values = top_incoming(model.layers[0].weight, 4, normalized, "contribution")
    np.testing.assert_array_equal(frame["connections"][0]["indices"], indices.reshape(-1))
    np.testing.assert_allclose(frame["connections"][0]["values"], values.reshape(-1), rtol=1e-6)
    hidden = forward(model, pixels).activations[1]
    indices, _ = top_incoming(model.layers[1].weight, 4, hidden, "contribution")
    np.testing.assert_array_equal(frame["connections"][1]["indices"], indices.reshape(-1))
    # the same answer after another drawing: no hidden "last prediction"
    other = handle(session, "predict", {"pixels": np.zeros(784, np.float32), "top_n": 4})
    assert other["blank"]
    again = handle(session, "predict", {"pixels": pixels, "top_n": 4, "mode": "contribution"})
    np.testing.assert_array_equal(
        again["connections"][1]["indices"], frame["connections"][1]["indices"]
    )


def test_blank_pixels_contribute_through_the_normalisation():
    # A blank pixel enters the first layer as -mean / std, so its |input × w| is not zero:
    # the lines rank it as the card does (by the frame's normalizedInput).
    session, document = loaded([784, 10])
    model = validate_export(document)
    frame = handle(
        session,
        "predict",
        {"pixels": np.zeros(784, np.float32), "top_n": 3, "mode": "contribution"},
    )
    assert np.all(frame["connections"][0]["values"] != 0)
    expected = top_incoming(model.layers[0].weight, 3, frame["normalizedInput"], "contribution")
    np.testing.assert_array_equal(frame["connections"][0]["indices"], expected[0].reshape(-1))


def test_mnist_style_preprocessing_feeds_the_network_the_centred_drawing():
    session, document = loaded()
    corner = np.zeros((28, 28), dtype=np.float32)
    corner[1:8, 2:4] = 1.0
    frame = handle(session, "predict", {"pixels": corner.reshape(-1), "mnist_style": True})
    np.testing.assert_allclose(frame["input"], preprocess(corner))
    expected = forward(validate_export(document), frame["input"])
    np.testing.assert_allclose(frame["probabilities"], expected.probabilities, rtol=1e-6)


def test_a_blank_drawing_has_no_winner():
    session, _ = loaded([784, 10])
    frame = handle(session, "predict", {"pixels": np.zeros(784, np.float32)})
    assert frame["blank"] is True and frame["top"] is None


@pytest.mark.parametrize(
    "pixels, problem",
    [
        (np.zeros(783, np.float32), "expected 784 pixels, got 783"),
        (np.full(784, np.nan, np.float32), "finite numbers between 0 and 1"),
        (np.full(784, 2.0, np.float32), "finite numbers between 0 and 1"),
    ],
)
def test_bad_pixels_are_refused(pixels, problem):
    session, _ = loaded([784, 10])
    with pytest.raises(RequestError, match=problem):
        handle(session, "predict", {"pixels": pixels})


def test_bench_forward_reports_timings():
    session, _ = loaded([784, 10])
    answer = handle(session, "bench_forward", {"pixels": digit(), "repeats": 3})
    assert 0 <= answer["minMs"] <= answer["medianMs"] <= answer["maxMs"]


def test_requests_without_a_model_unknown_names_and_bad_arguments_are_refused():
    with pytest.raises(RequestError, match="no model loaded"):
        handle(Session(), "predict", {"pixels": digit()})
    with pytest.raises(RequestError, match="unknown request 'train'"):
        handle(Session(), "train")
    session, _ = loaded([784, 10])
    with pytest.raises(RequestError, match="unexpected keyword"):
        handle(session, "predict", {"pixels": digit(), "colour": 1})
    with pytest.raises(RequestError, match="unknown mode"):
        handle(session, "predict", {"pixels": digit(), "mode": "loudest"})
    with pytest.raises(RequestError, match="top_n must be a non-negative integer"):
        handle(session, "predict", {"pixels": digit(), "top_n": -1})


# ---------------------------------------------------------------- the wire (worker_glue)


def test_glue_round_trip_moves_arrays_as_buffers(monkeypatch):
    monkeypatch.setattr(worker_glue, "session", Session())
    export = json.dumps(random_export([784, 16, 10], seed=3)).encode()
    as_buffer = {"data": {"$buffer": 0, "dtype": "uint8"}}  # how the page sends a file's bytes
    answer, buffers = worker_glue.call("load", json.dumps(as_buffer), [export])
    value = worker_glue.unpack(json.loads(answer), buffers)
    assert value["ok"] is True and value["value"]["summary"]["architecture"] == [784, 16, 10]
    arguments = {"pixels": {"$buffer": 0, "dtype": "float32"}, "top_n": 2, "mode": "weight"}
    answer, buffers = worker_glue.call("predict", json.dumps(arguments), [digit()])
    decoded = json.loads(answer)
    probabilities = decoded["value"]["probabilities"]
    assert probabilities["$buffer"] == 0 and probabilities["dtype"] == "float32"
    assert probabilities["length"] == 10 and len(buffers) == 1  # every array in one blob
    frame = worker_glue.unpack(decoded, buffers)["value"]
    assert frame["connections"][0]["indices"].dtype == np.int32
    assert frame["input"].dtype == np.float32 and frame["input"].shape == (784,)


def test_glue_reports_refusals_as_messages(monkeypatch):
    monkeypatch.setattr(worker_glue, "session", Session())
    answer, buffers = worker_glue.call("load", json.dumps({"data": "[]"}))
    assert json.loads(answer) == {"ok": False, "error": "the top level must be a JSON object"}
    assert buffers == []
    answer, _ = worker_glue.call("predict", "{}")
    assert json.loads(answer)["error"] == "request 'predict': missing a required argument: 'pixels'"


def test_glue_reports_bad_buffers_as_messages(monkeypatch):
    monkeypatch.setattr(worker_glue, "session", Session())
    arguments = json.dumps({"data": {"$buffer": 0, "dtype": "float64"}})
    text, _ = worker_glue.call("samples", arguments, [b"MLPS"])
    assert json.loads(text) == {"ok": False, "error": "unknown buffer dtype 'float64'"}
    text, _ = worker_glue.call("samples", json.dumps({"data": {"$buffer": 1}}), [b"MLPS"])
    assert json.loads(text) == {"ok": False, "error": "the arguments name buffer 1 of 1"}


def test_a_type_error_inside_a_request_is_a_bug_not_bad_arguments(monkeypatch):
    def broken(session, value=0):
        raise TypeError("unsupported operand type(s): bad argument inside NumPy")

    monkeypatch.setitem(REQUESTS, "broken", broken)
    with pytest.raises(TypeError, match="inside NumPy"):
        handle(Session(), "broken", {"value": 1})
    with pytest.raises(RequestError, match="request 'broken': .*unexpected keyword"):
        handle(Session(), "broken", {"colour": 1})
    with pytest.raises(RequestError, match="request 'predict': missing a required argument"):
        handle(Session(), "predict", {})


def _plain(session, a, b=1): ...
def _keyword_only(session, *, a, b=1): ...
def _positional_only(session, a, /, b=1): ...
def _any_keyword(session, a, **rest): ...
def _star_args(session, *rest, a=0): ...
def _optional_positional_any(session, a=0, /, **rest): ...


@settings(max_examples=150, deadline=None)
@given(
    function=st.sampled_from(
        [
            _plain,
            _keyword_only,
            _positional_only,
            _any_keyword,
            _star_args,
            _optional_positional_any,
        ]
    ),
    names=st.sets(st.sampled_from(["a", "b", "rest", "session", "other"])),
)
def test_arguments_are_refused_exactly_when_the_signature_refuses_them(function, names):
    arguments = {name: 1 for name in names}
    try:
        inspect.signature(function).bind(None, **arguments)
        binds = True
    except TypeError:
        binds = False
    with mock.patch.dict(REQUESTS, {"sample": function}):
        try:
            handle(Session(), "sample", arguments)
            handled = True
        except RequestError as error:
            assert str(error).startswith("request 'sample': ")
            handled = False
        except TypeError:  # the function refused them itself: only when bind would have
            handled = True
    assert handled == binds


def test_glue_pack_puts_every_array_in_one_aligned_blob():
    value = {
        "odd": np.arange(3, dtype=np.uint8),
        "nested": [{"w": np.arange(6, dtype=np.float32).reshape(2, 3)}],
        "i": np.array([-1, 7], dtype=np.int32),
        "empty": np.zeros(0, np.float32),
    }
    text, buffers = worker_glue.pack(value)
    placeholders = json.loads(text)
    assert len(buffers) == 1 and buffers[0].dtype == np.uint8
    views = [placeholders["odd"], placeholders["nested"][0]["w"], placeholders["i"]]
    assert [view["offset"] % worker_glue.ALIGN for view in views] == [0, 0, 0]
    assert [view["length"] for view in views] == [3, 6, 2]
    decoded = worker_glue.unpack(placeholders, buffers)
    np.testing.assert_array_equal(decoded["odd"], [0, 1, 2])
    np.testing.assert_array_equal(decoded["nested"][0]["w"], np.arange(6, dtype=np.float32))
    assert decoded["i"].dtype == np.int32 and decoded["i"].tolist() == [-1, 7]
    assert decoded["empty"].size == 0


def test_glue_pack_refuses_arrays_the_page_cannot_read():
    with pytest.raises(TypeError, match="cannot send a float64 array"):
        worker_glue.pack({"x": np.zeros(2)})
    with pytest.raises(TypeError, match="cannot send a >f4 array"):
        worker_glue.pack({"x": np.zeros(2, dtype=">f4")})  # the page reads little-endian


def test_glue_unpack_refuses_views_outside_their_buffer():
    blob = [bytes(16)]
    for offset, length in [(12, 2), (-4, 1), (2, 1), ("0", 1), (0, True)]:
        view = {"$buffer": 0, "dtype": "float32", "offset": offset, "length": length}
        with pytest.raises(RequestError, match="lies outside its buffer"):
            worker_glue.unpack(view, blob)


def test_glue_pack_turns_numpy_scalars_into_plain_values():
    text, arrays = worker_glue.pack({"a": np.float32(0.5), "b": (np.int64(2), None)})
    assert json.loads(text) == {"a": 0.5, "b": [2, None]} and arrays == []


def test_samples_request_decodes_the_asset_and_refuses_damaged_ones():
    images = np.arange(3 * 28 * 28, dtype=np.uint8).reshape(3, 28, 28)
    data = np.frombuffer(encode_samples(images, np.array([0, 1, 2])), dtype=np.uint8)
    answer = handle(Session(), "samples", {"data": data})
    assert (answer["rows"], answer["cols"]) == (28, 28)
    assert answer["labels"].tolist() == [0, 1, 2]
    np.testing.assert_array_equal(answer["images"], images.reshape(-1))
    with pytest.raises(SamplesError, match="bad magic"):
        handle(Session(), "samples", {"data": np.zeros(20, np.uint8)})
    arguments = json.dumps({"data": {"$buffer": 0, "dtype": "uint8"}})
    text, _ = worker_glue.call("samples", arguments, [b"MLPS"])
    assert "too short" in json.loads(text)["error"]


def test_the_pages_request_names_are_the_runtimes():
    # protocol.js's CALL and worker_api.REQUESTS name the same requests: a request the page
    # calls exists in Python, and each Python request is called by the page (or by name from the
    # runtime worker's own modules, web/src/worker/*.js: load).
    web = Path(__file__).resolve().parents[2] / "web" / "src"
    block = re.search(
        r"export const CALL = Object\.freeze\(\{(.*?)\}\);", (web / "protocol.js").read_text(), re.S
    )
    called = set(re.findall(r'^\s*[A-Z_]+: "([a-z_]+)"', block.group(1), re.M))
    assert called, "no CALL entries found in protocol.js"
    worker_calls = {
        name
        for path in (web / "worker").glob("*.js")
        for name in re.findall(r'call\("([a-z_]+)"', path.read_text())
    }
    assert called | worker_calls == set(REQUESTS)
