"""Small helpers the end-to-end tests share: real mouse strokes and reading the page."""

from __future__ import annotations

from pathlib import Path

from py_runtime.samples import read_samples

GRID = "[data-testid='draw-grid']"


def probabilities(page) -> list[float]:
    """The ten probabilities as the page shows them (``data-p``)."""
    return page.eval_on_selector_all(
        "[data-testid^='prob-']", "items => items.map(i => parseFloat(i.dataset.p))"
    )


def ink(page) -> float:
    """The sum of all pixels on the grid."""
    return page.evaluate("Array.from(window.mlpvis.getPixels()).reduce((a, b) => a + b, 0)")


def pixels(page) -> list[float]:
    return page.evaluate("Array.from(window.mlpvis.getPixels())")


def stroke(page, points, button="left"):
    """Draw through ``points`` (fractions of the grid) with the real mouse."""
    box = page.locator(GRID).bounding_box()
    to_page = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*to_page[0])
    page.mouse.down(button=button)
    for point in to_page[1:]:
        page.mouse.move(*point, steps=8)
    page.mouse.up(button=button)


def wait_for_prediction(page):
    page.wait_for_function(
        "document.querySelector(\"[data-testid='prediction']\").textContent !== ''"
    )


def wait_for_no_prediction(page):
    page.wait_for_function(
        "document.querySelector(\"[data-testid='prediction']\").textContent === ''"
    )


MNIST_SAMPLES = Path(__file__).resolve().parents[2] / "exports" / "samples" / "mnist.bin"


def predicts_sample(page, index: int = 0) -> bool:
    """Whether the page recognises held-out MNIST digit ``index`` (set through the API)."""
    images, labels = read_samples(MNIST_SAMPLES.read_bytes())
    pixels = (images[index].reshape(-1) / 255).tolist()
    result = page.evaluate(
        "(p) => window.mlpvis.setPixels(p).then(() => window.mlpvis.predict())", pixels
    )
    return result["label"] == str(labels[index])
