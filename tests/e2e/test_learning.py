"""Watch it learn and recognise what people draw: the training timeline, held-out sample
digits, and MNIST-style preprocessing, in the real page."""

from __future__ import annotations

import json

import numpy as np
import pytest

from py_runtime import forward, load_export
from py_runtime.preprocess import preprocess, resize
from py_runtime.samples import read_samples

from .conftest import ROOT
from .helpers import probabilities, wait_for_prediction

EXPORT = ROOT / "exports" / "sample_mlp_weights.json"
SAMPLES = ROOT / "exports" / "samples" / "mnist.bin"


def timeline_label(page) -> str:
    return page.get_by_test_id("timeline-label").text_content()


def move_slider(page, index: int) -> None:
    page.get_by_test_id("timeline").evaluate(
        "(slider, value) => { slider.value = String(value);"
        " slider.dispatchEvent(new Event('input', { bubbles: true })); }",
        index,
    )


def test_timeline_slider_swaps_models_for_the_same_drawing(open_page, probe):
    timeline = json.loads(EXPORT.read_text())["timeline"]
    page = open_page()
    slider = page.get_by_test_id("timeline")
    assert slider.is_visible()
    assert slider.get_attribute("max") == str(len(timeline) - 1)
    page.get_by_test_id("sample-3").click()
    wait_for_prediction(page)
    trained = probabilities(page)
    move_slider(page, 0)
    page.wait_for_function(
        "(label) => document.querySelector(\"[data-testid='timeline-label']\").textContent"
        " !== label",
        arg=timeline_label(page),
    )
    assert timeline_label(page).startswith("0 images seen")
    page.wait_for_function(
        "(before) => Array.from(document.querySelectorAll(\"[data-testid^='prob-']\"))"
        ".some((item, i) => Math.abs(parseFloat(item.dataset.p) - before[i]) > 1e-3)",
        arg=trained,
    )
    initial = page.evaluate("window.mlpvis.predict()")["probabilities"]
    assert max(initial) < max(trained)  # random weights are far less sure than the trained ones
    assert probe.console_errors == [] and probe.page_errors == []


def test_a_snapshot_that_fails_keeps_label_and_model_consistent(open_page, page):
    timeline = json.loads(EXPORT.read_text())["timeline"]
    broken = timeline[5]["path"].split("/")[-1]
    page.route(f"**/{broken}", lambda route: route.fulfill(status=200, body="{broken"))
    page = open_page()
    page.get_by_test_id("sample-7").click()
    wait_for_prediction(page)
    move_slider(page, 10)
    page.wait_for_function(
        "(label) => document.querySelector(\"[data-testid='timeline-label']\").textContent"
        " !== label",
        arg=timeline_label(page),
    )
    label_before = timeline_label(page)
    model_before = page.evaluate("window.mlpvis.predict()")["probabilities"]
    move_slider(page, 5)
    page.wait_for_selector("[data-testid='error']:not([hidden])")
    assert "not valid JSON" in page.get_by_test_id("error-text").text_content()
    page.wait_for_function(
        "(label) => document.querySelector(\"[data-testid='timeline-label']\").textContent"
        " === label",
        arg=label_before,
    )
    assert page.get_by_test_id("timeline").input_value() == "10"
    assert page.evaluate("window.mlpvis.predict()")["probabilities"] == model_before


def test_sample_buttons_load_held_out_digits_the_model_recognises(open_page, probe):
    page = open_page()
    correct = 0
    for label in range(10):
        before = page.evaluate("Array.from(window.mlpvis.getPixels()).join()")
        page.get_by_test_id(f"sample-{label}").click()
        page.wait_for_function(
            "(before) => Array.from(window.mlpvis.getPixels()).join() !== before", arg=before
        )
        result = page.evaluate("window.mlpvis.predict()")
        correct += result["label"] == str(label)
    assert correct >= 8
    before = page.evaluate("Array.from(window.mlpvis.getPixels()).join()")
    for _ in range(3):  # random may repeat the digit on screen; three tries all repeating is rare
        page.get_by_test_id("sample-random").click()
        changed = page.evaluate(
            "(before) => new Promise((done) => setTimeout(() =>"
            " done(Array.from(window.mlpvis.getPixels()).join() !== before), 300))",
            before,
        )
        if changed:
            break
    assert changed
    assert probe.console_errors == [] and probe.page_errors == []


def small_corner_digit() -> tuple[np.ndarray, int]:
    """A held-out digit shrunk into a corner that the model gets right only when preprocessed."""
    model = load_export(EXPORT)
    images, labels = read_samples(SAMPLES.read_bytes())
    for image, label in zip(images, labels, strict=True):
        small = np.clip(resize(image.astype(np.float64) / 255, 11, 11), 0, 1)
        corner = np.zeros((28, 28))
        corner[1:12, 1:12] = small
        raw = int(np.argmax(forward(model, corner.reshape(-1)).probabilities))
        fixed = int(np.argmax(forward(model, preprocess(corner)).probabilities))
        if fixed == label and raw != label:
            return corner.reshape(-1).astype(np.float32), int(label)
    pytest.fail("no held-out digit shows the effect")


def test_preprocessing_recognises_a_small_digit_drawn_in_a_corner(open_page):
    pixels, label = small_corner_digit()
    page = open_page()
    assert page.get_by_test_id("preprocess").is_checked()
    result = page.evaluate("(p) => window.mlpvis.setPixels(p)", pixels.tolist())
    assert page.get_by_test_id("prediction").text_content() == str(label)
    seen = np.array(page.evaluate("window.mlpvis.predict()")["input"]).reshape(28, 28)
    assert seen[4:24, 4:24].sum() > 0.9 * seen.sum()  # the preview shows it centred
    page.get_by_test_id("preprocess").uncheck()
    page.wait_for_function(
        "(label) => document.querySelector(\"[data-testid='prediction']\").textContent !== label",
        arg=str(label),
    )
    assert result is not None
