"""Bad weights show a clear message and keep the last good model; a runtime that cannot
boot shows an error state with the reason, never an endless spinner."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from py_runtime import random_export

from .helpers import stroke, wait_for_prediction


def _nan_export() -> dict:
    document = random_export(seed=5)
    weight = np.zeros((64, 128), dtype="<f4")
    weight[0, 0] = np.nan
    document["layers"][1]["weight"]["data"] = base64.b64encode(weight.tobytes()).decode()
    return document


def _wrong_shape_export() -> dict:
    document = random_export(seed=5)
    document["architecture"] = [784, 128, 32, 10]
    return document


def _overflowing_normalization_export() -> dict:
    document = random_export(seed=5)
    document["dataset"]["normalization"]["std"] = 1e-300  # float32 rounds it to 0
    return document


BAD_EXPORTS = {
    "malformed.json": (
        '{"format": "mnist-mlp-weights", "version": 1, "layers": [',
        "not valid JSON",
    ),
    "wrong-shape.json": (_wrong_shape_export(), "does not chain"),
    "nan.json": (_nan_export(), "NaN or infinite"),
    "wrong-format.json": ({**random_export(seed=5), "format": "keras"}, "format: expected"),
    "overflowing-normalization.json": (_overflowing_normalization_export(), "32-bit floats"),
}


@pytest.fixture(scope="module")
def bad_files(test_data_dir):
    for name, (document, _) in BAD_EXPORTS.items():
        text = document if isinstance(document, str) else json.dumps(document)
        (test_data_dir / name).write_text(text)
    with open(test_data_dir / "oversized.json", "wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: a 65 MB file, rejected before reading
    return test_data_dir


def error_text(page) -> str:
    page.wait_for_selector("[data-testid='error']:not([hidden])")
    return page.get_by_test_id("error-text").text_content()


def resource_errors_only(messages: list[str]) -> bool:
    return all("Failed to load resource" in message for message in messages)


@pytest.mark.parametrize("name", [*BAD_EXPORTS, "oversized.json", "missing.json"])
def test_bad_weights_query_shows_the_error_and_keeps_predicting(open_page, probe, bad_files, name):
    page = open_page(f"weights=test-data/{name}")
    message = error_text(page)
    assert f"test-data/{name}" in message
    if name in BAD_EXPORTS:
        assert BAD_EXPORTS[name][1] in message
    elif name == "oversized.json":
        assert "larger than the 67108864-byte limit" in message
    else:
        assert "404" in message
    assert "default model" in message
    stroke(page, [(0.5, 0.2), (0.5, 0.8)])
    wait_for_prediction(page)
    assert resource_errors_only(probe.console_errors) and probe.page_errors == []


def test_load_weights_rejects_a_bad_file_and_keeps_the_last_good_model(
    open_page, probe, bad_files, test_data_dir
):
    small = random_export([784, 16, 10], seed=8)
    (test_data_dir / "small.json").write_text(json.dumps(small))
    page = open_page()
    summary = page.evaluate("window.mlpvis.loadWeights('test-data/small.json')")
    assert summary["architecture"] == [784, 16, 10]
    page.evaluate(
        "() => { const p = new Float32Array(784); p.fill(0.3, 200, 500);"
        " return window.mlpvis.setPixels(p); }"
    )
    before = page.evaluate("window.mlpvis.predict()")
    failure = page.evaluate(
        "window.mlpvis.loadWeights('test-data/nan.json').then(() => 'loaded', e => e.message)"
    )
    assert "NaN or infinite" in failure
    assert "still loaded" in error_text(page)
    after = page.evaluate("window.mlpvis.predict()")
    assert after["probabilities"] == before["probabilities"]
    assert [len(a) for a in after["activations"]] == [16, 10]
    assert probe.page_errors == []


def _tamper(route):
    """The real (derived) wheel with one byte flipped, sent uncompressed."""
    response = route.fetch()
    body = bytearray(response.body())
    body[len(body) // 2] ^= 0xFF
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in ("content-encoding", "content-length")
    }
    route.fulfill(status=response.status, headers=headers, body=bytes(body))


@pytest.mark.parametrize(
    "handler, reason",
    [
        (lambda route: route.fulfill(status=404, body="gone"), "HTTP 404"),
        (_tamper, "its sha256 is"),  # … not the one pyodide-lock.json names
    ],
    ids=["wheel-missing", "wheel-tampered"],
)
def test_runtime_that_cannot_boot_shows_an_error_state(open_page, page, probe, handler, reason):
    page.route("**/numpy-*.whl", handler)
    page = open_page(wait_for="error")
    assert "NumPy could not be loaded" in error_text(page)
    assert reason in error_text(page)  # the reason, too
    assert page.eval_on_selector("[data-stage='numpy']", "item => item.dataset.state") == "failed"
    assert page.evaluate("window.mlpvis.ready.then(() => 'ready', e => e.message)").startswith(
        "NumPy could not be loaded"
    )
    page.get_by_test_id("draw-grid").click()  # the grid stays usable
    assert page.evaluate("window.mlpvis.getPixels().some(v => v > 0)")
    assert probe.page_errors == []


def test_runtime_script_that_cannot_load_shows_an_error_state(open_page, page, probe):
    """Neither copy of Pyodide's runtime script loads (the worker starts loadPyodide before the
    script is in, with a stand-in for it): the runtime stage fails with the reason."""
    page.route("**/pyodide.asm.*js*", lambda route: route.fulfill(status=404, body="gone"))
    page = open_page(wait_for="error")
    message = error_text(page)
    assert message.startswith("The Python runtime (Pyodide) could not start")
    assert "pyodide.asm" in message  # the reason names the script that failed
    assert page.eval_on_selector("[data-stage='runtime']", "item => item.dataset.state") == "failed"
    page.get_by_test_id("draw-grid").click()  # the grid stays usable
    assert page.evaluate("window.mlpvis.getPixels().some(v => v > 0)")
    assert probe.page_errors == []
