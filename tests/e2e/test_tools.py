"""Drawing tools and shareable state: gap-free strokes, undo, keyboard-only use, shared links."""

from __future__ import annotations

import pytest

from .helpers import GRID, ink, pixels, stroke, wait_for_no_prediction, wait_for_prediction


def test_a_fast_stroke_leaves_no_gaps(open_page):
    page = open_page()
    box = page.locator(GRID).bounding_box()
    y = box["y"] + box["height"] * (14.5 / 28)
    page.mouse.move(box["x"] + box["width"] * (2.5 / 28), y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * (25.5 / 28), y, steps=1)  # one big jump
    page.mouse.up()
    row = pixels(page)[14 * 28 : 15 * 28]
    assert all(value > 0.5 for value in row[3:26]), row


def test_undo_removes_the_last_stroke_only(open_page):
    page = open_page()
    stroke(page, [(0.5, 0.2), (0.5, 0.8)])
    first = pixels(page)
    stroke(page, [(0.2, 0.5), (0.8, 0.5)])
    assert pixels(page) != first
    page.locator(GRID).focus()
    page.keyboard.press("Control+z")
    assert pixels(page) == first
    page.get_by_test_id("undo").click()
    assert ink(page) == 0
    wait_for_no_prediction(page)


@pytest.mark.browser_context_args(has_touch=True)
def test_brush_size_and_erase_mode(open_page):
    page = open_page()
    brush = page.get_by_test_id("brush-size")  # its bounds and value come from the settings
    assert [brush.get_attribute(name) for name in ("min", "max")] == ["1", "3"]
    assert brush.input_value() == "2"
    brush.fill("1")
    stroke(page, [(0.3, 0.5), (0.7, 0.5)])
    thin = ink(page)
    page.get_by_test_id("clear").click()
    page.get_by_test_id("brush-size").fill("3")
    stroke(page, [(0.3, 0.5), (0.7, 0.5)])
    assert ink(page) > 1.5 * thin
    page.get_by_test_id("erase-mode").click()
    assert page.get_by_test_id("erase-mode").get_attribute("aria-pressed") == "true"
    box = page.locator(GRID).bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    row = pixels(page)[14 * 28 : 15 * 28]
    assert row[14] == 0  # the touch erased where it landed


def focused(page) -> str | None:
    return page.evaluate("document.activeElement.dataset.testid ?? null")


def tab_to(page, testid: str, limit: int = 40) -> None:
    """Press Tab until the control is focused (proves it is reachable from the keyboard)."""
    for _ in range(limit):
        if focused(page) == testid:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{testid} is not reachable with Tab (stuck at {focused(page)})")


def test_keyboard_only_use(open_page):
    page = open_page()
    tab_to(page, "draw-grid")
    page.keyboard.press("Space")
    for _ in range(8):
        page.keyboard.press("Shift+ArrowDown")
    wait_for_prediction(page)
    assert ink(page) > 5
    tab_to(page, "clear")
    page.keyboard.press("Enter")
    wait_for_no_prediction(page)
    assert ink(page) == 0
    page.wait_for_function(
        "document.querySelector(\"[data-testid='announcer']\").textContent"
        ".includes('No prediction')"
    )
    tab_to(page, "undo")
    page.keyboard.press("Enter")  # undo the clear: the keyboard stroke is back
    wait_for_prediction(page)
    assert ink(page) > 5
    tab_to(page, "preprocess")
    page.keyboard.press("Space")
    assert not page.get_by_test_id("preprocess").is_checked()
    tab_to(page, "sample-4")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector(\"[data-testid='announcer']\").textContent.startsWith('Prediction')"
    )
    tab_to(page, "share", limit=80)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid='notice']:not([hidden])")
    assert "d=" in page.evaluate("window.location.hash")


def test_a_shared_link_restores_the_drawing_and_settings(open_page, page, context):
    page = open_page()
    stroke(page, [(0.3, 0.2), (0.7, 0.2), (0.4, 0.85)])
    page.get_by_test_id("preprocess").uncheck()
    page.get_by_test_id("brush-size").fill("3")
    page.get_by_test_id("scene-top-n").fill("8")
    page.get_by_test_id("scene-mode").select_option("contribution")
    page.get_by_test_id("scene-threshold").fill("20")
    page.get_by_test_id("scene-animate").uncheck()
    drawn = pixels(page)
    url = page.evaluate("window.mlpvis.shareUrl()")
    assert "#" in url and "d=" in url and "p=0" in url and "n=8" in url and "m=contribution" in url
    other = context.new_page()
    other.goto(url)
    other.wait_for_selector("html[data-runtime='ready']", timeout=60_000)
    wait_for_prediction(other)
    restored = pixels(other)
    assert max(abs(a - b) for a, b in zip(drawn, restored, strict=True)) <= 1 / 30 + 1e-6
    assert not other.get_by_test_id("preprocess").is_checked()
    assert other.get_by_test_id("brush-size").input_value() == "3"
    assert other.get_by_test_id("scene-top-n").input_value() == "8"
    assert other.get_by_test_id("scene-mode").input_value() == "contribution"
    assert other.get_by_test_id("scene-threshold").input_value() == "20"
    assert not other.get_by_test_id("scene-animate").is_checked()
    assert (
        other.get_by_test_id("prediction").text_content()
        == page.get_by_test_id("prediction").text_content()
    )
