"""One-way data flow, in the real page: one store for the settings (old links keep working),
the page API refuses bad pixels, the model decides its preprocessing and words, a blank
drawing shows no percentages anywhere, and a phone shows the answer right by the grid."""

from __future__ import annotations

import numpy as np
import pytest

from py_runtime import forward, load_export
from py_runtime.constants import IMAGE_SHAPE
from py_runtime.preprocess import preprocess
from py_runtime.samples import read_samples

from .conftest import ROOT
from .helpers import GRID, pixels, stroke, wait_for_no_prediction, wait_for_prediction

FASHION = "weights=exports/fashion_mlp_weights.json"
SEVEN = [(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("new Array(783).fill(0)", "must be 784 numbers in [0, 1], got 783"),
        ("new Array(784).fill(NaN)", "pixel 0 must be a number in [0, 1], got NaN"),
        ("new Array(784).fill(Infinity)", "got Infinity"),
        ("new Array(784).fill(-Infinity)", "got -Infinity"),
        ("new Array(784).fill(1.5)", "got 1.5"),
        ("new Array(784).fill(-0.5)", "got -0.5"),
        ("'0'.repeat(784)", "must be an array of 784 numbers"),
        ("null", "got null"),
        ("({length: 784})", "must be an array"),
        ("new Array(784).fill('1')", 'got the string "1"'),
    ],
)
def test_set_pixels_refuses_bad_input_and_changes_nothing(open_page, probe, bad, message):
    page = open_page()
    page.evaluate("window.mlpvis.setPixels(new Array(784).fill(0).map((_, i) => (i % 7) / 7))")
    before = pixels(page)
    error = page.evaluate(
        f"window.mlpvis.setPixels({bad}).then(() => 'accepted', (e) => e.message)"
    )
    assert message in error
    assert pixels(page) == before
    assert probe.page_errors == []


def test_old_shared_links_keep_working_and_the_url_follows_the_store(open_page, probe):
    page = open_page("#p=0&a=0&n=8&m=contribution&h=0.3&b=3")
    assert not page.get_by_test_id("preprocess").is_checked()
    assert page.get_by_test_id("brush-size").input_value() == "3"
    store = page.evaluate("window.mlpvis.store.values()")
    assert store["mnistStyle"] is False and store["animate"] is False
    assert (store["topN"], store["mode"], store["threshold"], store["brushSize"]) == (
        8,
        "contribution",
        0.3,
        3,
    )
    # A control writes to the store; the URL follows.
    page.get_by_test_id("preprocess").check()
    page.wait_for_function("!window.location.hash.includes('p=0')")
    assert page.evaluate("window.mlpvis.store.get('mnistStyle')") is True
    # The predict frame carries the scene's settings: contribution connections, 8 per neuron.
    frame = page.evaluate(
        "window.mlpvis.setPixels(new Array(784).fill(0).map((_, i) => i % 29 === 0 ? 1 : 0))"
        ".then(() => window.mlpvis.bridge.predict(window.mlpvis.getPixels()))"
        ".then(f => ({settings: f.settings, k: f.connections.map(c => c.k)}))"
    )
    assert frame["settings"]["mode"] == "contribution" and frame["k"][0] == 8
    # "What the network sees": one canvas pixel per input (sized from the shared constants)
    sees = page.eval_on_selector("[data-testid='network-input']", "c => [c.height, c.width]")
    assert sees == list(IMAGE_SHAPE)
    assert probe.console_errors == [] and probe.page_errors == []


def test_a_links_invalid_settings_are_named_and_set_pixels_then_predict_is_one_pass(open_page):
    page = open_page("#n=999&m=loudest")
    assert page.get_by_test_id("error").is_visible()
    assert "(n, m)" in page.get_by_test_id("error-text").text_content()
    assert page.evaluate("window.mlpvis.store.get('topN')") == 24
    passes = page.evaluate(
        """async () => {
            const before = window.mlpvis.bridge.passes;
            const drawing = new Array(784).fill(0).map((_, i) => (i % 31 === 0 ? 1 : 0));
            const set = window.mlpvis.setPixels(drawing);
            const frame = await window.mlpvis.predict();
            await set;
            return { passes: window.mlpvis.bridge.passes - before, blank: frame.blank };
        }"""
    )
    assert passes == {"passes": 1, "blank": False}


def test_fashion_model_sets_its_own_preprocessing_and_words(open_page, probe):
    page = open_page(FASHION)
    assert not page.get_by_test_id("preprocess").is_checked()  # the export says "none"
    assert page.locator("#draw-title").text_content() != "Draw a digit"
    assert "digit" not in page.locator(".samples h3").text_content()
    page.get_by_test_id("sample-9").click()
    wait_for_prediction(page)
    label = page.get_by_test_id("prob-9").locator(".label")
    assert label.text_content() == "Ankle boot"
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth")  # not cut
    assert "p=" not in page.evaluate("window.mlpvis.shareUrl()")
    assert probe.console_errors == [] and probe.page_errors == []


def test_a_links_explicit_preprocessing_wins_over_the_models(open_page):
    page = open_page(f"{FASHION}#p=1")
    assert page.get_by_test_id("preprocess").is_checked()
    assert "p=1" in page.evaluate("window.mlpvis.shareUrl()")
    page = open_page("#p=0")  # MNIST: its default is on; the link says off
    assert not page.get_by_test_id("preprocess").is_checked()


def test_a_blank_drawing_shows_no_percentages_in_the_scene_either(open_page, probe):
    page = open_page()
    page.wait_for_function("window.mlpvis.sceneStats().ready", timeout=60_000)
    stroke(page, SEVEN)
    wait_for_prediction(page)
    page.wait_for_function(
        "document.querySelector(\"[data-testid='scene-label-7']\")?.textContent.includes('%')"
    )
    page.get_by_test_id("clear").click()
    wait_for_no_prediction(page)
    page.wait_for_function(
        "Array.from(document.querySelectorAll(\"[data-testid^='scene-label-']\"))"
        ".every(l => !l.textContent.includes('%') && !l.classList.contains('winner'))"
    )
    assert probe.page_errors == []


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}, has_touch=True)
def test_a_phone_shows_the_top_three_right_by_the_grid(open_page, probe):
    page = open_page()
    page.locator(GRID).scroll_into_view_if_needed()
    stroke(page, SEVEN)
    wait_for_prediction(page)
    compact = page.get_by_test_id("prediction-compact")
    page.wait_for_function(
        "document.querySelector(\"[data-testid='prediction-compact']\").dataset.top !== undefined"
    )
    grid = page.locator(GRID).bounding_box()
    box = compact.bounding_box()
    assert compact.is_visible()
    assert 0 <= box["y"] - (grid["y"] + grid["height"]) < 60  # right under the grid
    assert box["y"] + box["height"] <= 844  # on screen while drawing
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    expected = page.evaluate("window.mlpvis.predict()")["label"]
    assert compact.get_attribute("data-top") == expected
    rows = compact.locator("li")
    assert rows.count() == 3 and all(rows.nth(i).is_visible() for i in range(3))
    assert probe.page_errors == []


def test_fashion_samples_are_recognised_as_the_model_expects_them(open_page, probe):
    """With the export's own preprocessing (none), the page predicts each held-out sample as
    the model does on the raw image — which, for clothing, beats MNIST-style centring."""
    model = load_export(ROOT / "exports" / "fashion_mlp_weights.json")
    images, labels = read_samples((ROOT / "exports" / "samples" / "fashion-mnist.bin").read_bytes())
    first = [int(np.flatnonzero(labels == label)[0]) for label in range(10)]  # sample-i's 1st click
    raw = [image.reshape(-1).astype(np.float32) / 255 for image in images[first]]
    plain = [int(np.argmax(forward(model, x).probabilities)) for x in raw]
    centred = [int(np.argmax(forward(model, preprocess(x)).probabilities)) for x in raw]
    assert sum(p == i for i, p in enumerate(plain)) > sum(p == i for i, p in enumerate(centred))
    page = open_page(FASHION)
    seen = []
    for label in range(10):
        before = page.evaluate("Array.from(window.mlpvis.getPixels()).join()")
        page.get_by_test_id(f"sample-{label}").click()
        page.wait_for_function(
            "(before) => Array.from(window.mlpvis.getPixels()).join() !== before", arg=before
        )
        seen.append(model.labels.index(page.evaluate("window.mlpvis.predict()")["label"]))
    assert seen == plain
    assert probe.console_errors == [] and probe.page_errors == []
