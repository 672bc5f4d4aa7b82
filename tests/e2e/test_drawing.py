"""Drawing with a real mouse drives live predictions; erase, clear and blank behave."""

from __future__ import annotations

from .helpers import (
    GRID,
    ink,
    pixels,
    probabilities,
    stroke,
    wait_for_no_prediction,
    wait_for_prediction,
)


def test_blank_grid_shows_no_prediction(open_page, probe):
    page = open_page()
    assert page.get_by_test_id("prediction").text_content() == ""
    assert probabilities(page) == [0.0] * 10
    result = page.evaluate("window.mlpvis.predict()")
    assert result["blank"] is True and result["label"] is None
    assert probe.console_errors == [] and probe.page_errors == []


def test_mouse_drawing_changes_probabilities_live(open_page, probe):
    page = open_page()
    stroke(page, [(0.5, 0.2), (0.5, 0.8)])
    wait_for_prediction(page)
    first = probabilities(page)
    assert abs(sum(first) - 1) < 1e-3
    assert ink(page) > 10
    stroke(page, [(0.2, 0.2), (0.8, 0.2), (0.3, 0.85)])
    page.wait_for_function(
        "(before) => Array.from(document.querySelectorAll(\"[data-testid^='prob-']\"))"
        ".some((item, i) => Math.abs(parseFloat(item.dataset.p) - before[i]) > 1e-4)",
        arg=first,
    )
    settled = page.evaluate("window.mlpvis.predict()")  # after every pass of the stroke
    shown = probabilities(page)
    assert max(abs(a - b) for a, b in zip(shown, settled["probabilities"], strict=True)) < 1e-5
    assert page.get_by_test_id("prediction").text_content() == settled["label"]
    assert probe.console_errors == [] and probe.page_errors == []


def test_a_stroke_lands_under_the_pen_after_the_grid_moved(open_page):
    """The grid keeps its measured place between strokes; when something above it appears
    (here the error banner), the next stroke still lands under the pen. The page is shorter
    than this window, so the banner does not change the page's size."""
    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 2400})
    stroke(page, [(0.5, 0.5), (0.52, 0.5)])  # the grid has been measured
    page.get_by_test_id("clear").click()
    wait_for_no_prediction(page)
    before = page.locator(GRID).bounding_box()
    rejected = "window.mlpvis.loadWeights('no-such-export.json').then(() => 'loaded', () => 'no')"
    assert page.evaluate(rejected) == "no"
    page.get_by_test_id("error").wait_for()
    after = page.locator(GRID).bounding_box()
    assert after["y"] - before["y"] > after["height"] / 28 * 2  # moved by more than two cells
    stroke(page, [(0.25 + 0.5 / 28, 0.75 + 0.5 / 28)])  # one dot, in the middle of cell (21, 7)
    drawn = pixels(page)
    row, col = divmod(max(range(784), key=drawn.__getitem__), 28)
    assert (row, col) == (21, 7)


def test_right_button_erases(open_page):
    page = open_page()
    stroke(page, [(0.3, 0.52), (0.7, 0.52)])  # off the cell boundary: soft edges above and below
    wait_for_prediction(page)
    drawn = ink(page)
    assert drawn > 5
    stroke(page, [(0.25, 0.52), (0.75, 0.52)], button="right")
    wait_for_no_prediction(page)
    assert ink(page) == 0


def test_clear_resets_everything(open_page, probe):
    page = open_page()
    stroke(page, [(0.5, 0.2), (0.5, 0.8)])
    wait_for_prediction(page)
    page.get_by_test_id("clear").click()
    wait_for_no_prediction(page)
    assert ink(page) == 0
    assert probabilities(page) == [0.0] * 10
    assert probe.console_errors == []


def test_public_api(open_page):
    page = open_page()
    result = page.evaluate(
        """async () => {
            const pixels = new Float32Array(784);
            for (let row = 4; row < 24; row++) pixels[row * 28 + 14] = 1;
            await window.mlpvis.setPixels(pixels);
            const back = window.mlpvis.getPixels();
            const prediction = await window.mlpvis.predict();
            return { ink: back.reduce((a, b) => a + b, 0), prediction,
                     shown: document.querySelector("[data-testid='prediction']").textContent };
        }"""
    )
    prediction = result["prediction"]
    assert result["ink"] == 20
    assert prediction["blank"] is False
    assert len(prediction["probabilities"]) == 10
    assert [len(a) for a in prediction["activations"]] == [128, 64, 10]
    assert result["shown"] == prediction["label"]
    assert abs(sum(prediction["probabilities"]) - 1) < 1e-5
    assert page.evaluate("window.mlpvis.clear().then(() => window.mlpvis.predict())")["blank"]


def test_fast_drawing_keeps_only_the_latest_pass(open_page):
    page = open_page()
    outcome = page.evaluate(
        """async () => {
            const bridge = window.mlpvis.bridge;
            const before = bridge.passes;
            const calls = [];
            for (let i = 0; i < 40; i++) {
                const pixels = new Float32Array(784);
                pixels[300 + i] = 1;
                calls.push(bridge.predict(pixels));
            }
            const results = await Promise.all(calls);
            const passes = bridge.passes - before;
            const last = results[results.length - 1];
            const pixels = new Float32Array(784);
            pixels[339] = 1;
            const expected = await bridge.predict(pixels);
            return { passes, same: JSON.stringify(Array.from(last.probabilities))
                     === JSON.stringify(Array.from(expected.probabilities)) };
        }"""
    )
    assert outcome["passes"] <= 2  # the first request, then only the newest of the other 39
    assert outcome["same"]  # every caller got the result of the latest pixels
