"""Learning in the page (issue 12): train from scratch, stop, teach and fine-tune, persist
examples, export and reopen — in the real page, with the worker's Pyodide."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from py_runtime import forward, parse_export

from .conftest import ROOT
from .helpers import probabilities, wait_for_prediction

TRAIN_TIMEOUT_MS = 240_000
SAMPLES = ROOT / "exports" / "samples" / "mnist.bin"


def open_panel(page):
    page.get_by_test_id("learn-panel").locator("summary").click()
    status = page.get_by_test_id("learn-status")
    page.wait_for_function(
        "(status) => status.textContent.includes('held-out digits')",
        arg=status.element_handle(),
        timeout=60_000,
    )


def scene_updates(page) -> int:
    return page.evaluate("window.mlpvis.sceneStats().updates ?? 0")


def test_train_one_epoch_from_scratch_learns_and_moves_the_scene(open_page, probe):
    page = open_page()
    open_panel(page)
    page.get_by_test_id("sample-3").click()
    wait_for_prediction(page)
    updates_before = scene_updates(page)
    shown_before = probabilities(page)
    result = page.evaluate("window.mlpvis.train({epochs: 1, seed: 1})")
    assert result["imagesSeen"] == 8000
    assert result["heldOutAccuracy"] >= 0.85
    assert result["imagesPerSecond"] > 0 and result["seconds"] > 0
    assert scene_updates(page) >= updates_before + 3  # frames followed the changing weights
    assert probabilities(page) != shown_before
    stats = page.get_by_test_id("learn-stats").text_content()
    assert "8,000 images" in stats and "held-out" in stats
    assert probe.console_errors == [] and probe.page_errors == []


def test_stopping_mid_epoch_leaves_a_usable_model(open_page):
    page = open_page()
    page.evaluate(
        "() => { window.__run = window.mlpvis.train({epochs: 1, batchSize: 16, seed: 2}); }"
    )
    page.wait_for_function(
        "(window.mlpvis.learningStatus().progress?.images_seen ?? 0) > 500", timeout=60_000
    )
    stopped = page.evaluate("window.mlpvis.stopTraining()")
    done = page.evaluate("window.__run")
    assert 0 < done["imagesSeen"] < 8000 and done["stopped"]
    assert stopped["imagesSeen"] == done["imagesSeen"]
    page.get_by_test_id("sample-7").click()
    wait_for_prediction(page)
    values = probabilities(page)
    assert abs(sum(values) - 1) < 0.02 and all(np.isfinite(values))


def test_a_learning_rate_too_large_stops_with_a_message_and_a_usable_model(open_page, probe):
    page = open_page()
    open_panel(page)
    page.get_by_test_id("sample-3").click()
    wait_for_prediction(page)
    options = page.get_by_test_id("learn-rate").locator("option").all_text_contents()
    assert options[0] == "0.003" and "0.03 (default)" in options and options[-1] == "10"
    page.get_by_test_id("learn-rate").select_option("10")
    page.get_by_test_id("learn-train-further").click()
    notice = page.get_by_test_id("learn-diverged")
    notice.wait_for(state="visible", timeout=TRAIN_TIMEOUT_MS)
    assert "the loss exploded at learning rate 10" in notice.text_content()
    assert "smaller learning rate" in notice.text_content()
    status = page.evaluate("window.mlpvis.learningStatus()")
    assert status["running"] is None and status["progress"]["diverged"]
    assert status["progress"]["images_seen"] < 8000
    page.get_by_test_id("sample-7").click()
    page.wait_for_function("window.mlpvis.predict().then(() => true)")
    values = probabilities(page)
    assert all(np.isfinite(values)) and abs(sum(values) - 1) < 0.02
    assert "NaN" not in page.get_by_test_id("prediction").text_content()
    # the API says so too; training from scratch at rate 10 explodes the same way
    result = page.evaluate("window.mlpvis.train({learningRate: 10, batchSize: 16, seed: 1})")
    assert result["diverged"] and result["stopped"] and result["imagesSeen"] < 8000
    page.get_by_test_id("learn-reset").click()
    notice.wait_for(state="hidden")
    assert page.evaluate("window.mlpvis.learningStatus().changed") is False
    assert probe.console_errors == [] and probe.page_errors == []


BAD_CALLS = [
    ("window.mlpvis.train({epochs: -1})", "epochs"),
    ("window.mlpvis.train({batchSize: 0})", "batchSize"),
    ("window.mlpvis.train({learningRate: -1})", "learningRate"),
    ("window.mlpvis.train({from: 'nowhere'})", "from"),
    ("window.mlpvis.train('fast')", "options object"),
    ("window.mlpvis.teach(10)", "not one of this model's labels"),
    ("window.mlpvis.teach('x')", "not one of this model's labels"),
    ("window.mlpvis.fineTune({steps: 10})", "no examples"),
]


def test_bad_arguments_reject_clearly_and_change_nothing(open_page):
    page = open_page()
    page.evaluate("window.mlpvis.forgetExamples()")
    page.get_by_test_id("sample-2").click()
    wait_for_prediction(page)
    before = probabilities(page)
    for call, message in BAD_CALLS:
        error = page.evaluate(f"{call}.then(() => null, (e) => e.message)")
        assert error is not None and re.search(message, error), (call, error)
        assert page.evaluate("window.mlpvis.learningStatus().changed") is False
        assert page.evaluate("window.mlpvis.examples()") == []
    page.evaluate("window.mlpvis.teach(2)")
    error = page.evaluate("window.mlpvis.fineTune({steps: -5}).then(() => null, (e) => e.message)")
    assert "steps" in error
    assert page.evaluate("window.mlpvis.learningStatus().changed") is False
    now = page.evaluate("window.mlpvis.predict()")["probabilities"]
    assert now == pytest.approx(before, abs=1e-6)
    page.evaluate("window.mlpvis.forgetExamples()")


def test_examples_survive_a_reload(open_page):
    page = open_page()
    page.evaluate("window.mlpvis.forgetExamples()")
    page.get_by_test_id("sample-4").click()
    wait_for_prediction(page)
    assert page.evaluate("window.mlpvis.teach(4)") == 1
    assert page.evaluate("window.mlpvis.teach('4')") == 2
    page.reload()
    page.wait_for_selector("html[data-runtime='ready']", timeout=60_000)
    examples = page.evaluate("window.mlpvis.examples()")
    assert [example["label"] for example in examples] == [4, 4]
    assert len(examples[0]["pixels"]) == 784 and max(examples[0]["pixels"]) > 0.5
    page.get_by_test_id("learn-panel").locator("summary").click()
    page.wait_for_selector("[data-testid='learn-example']")
    assert page.locator("[data-testid='learn-example']").count() == 2
    page.locator("[data-testid='learn-example-delete']").first.click()
    page.wait_for_function(
        "document.querySelectorAll(\"[data-testid='learn-example']\").length === 1"
    )
    assert page.evaluate("window.mlpvis.forgetExamples()") == 1


def test_exported_model_reopens_by_file_picker_with_the_same_predictions(open_page, tmp_path):
    page = open_page()
    page.evaluate("window.mlpvis.train({epochs: 1, batchSize: 128, seed: 3})")
    text = page.evaluate("window.mlpvis.exportModel()")
    document = json.loads(text)
    assert "browser" in document["training"]["where"]
    assert document["training"]["from"].endswith(".json")
    model = parse_export(text)  # the format's reader accepts it
    page.get_by_test_id("sample-5").click()
    wait_for_prediction(page)
    trained = page.evaluate("window.mlpvis.predict()")
    page.evaluate("window.mlpvis.resetModel()")
    reset = page.evaluate("window.mlpvis.predict()")
    assert reset["probabilities"] != pytest.approx(trained["probabilities"], abs=1e-4)
    path = tmp_path / "mine.json"
    path.write_text(text)
    page.get_by_test_id("learn-panel").locator("summary").click()
    page.get_by_test_id("learn-file").set_input_files(str(path))
    page.wait_for_function(
        "(status) => status.textContent.startsWith('Loaded mine.json')",
        arg=page.get_by_test_id("learn-status").element_handle(),
    )
    reopened = page.evaluate("window.mlpvis.predict()")
    assert reopened["probabilities"] == pytest.approx(trained["probabilities"], abs=1e-6)
    expected = forward(model, np.array(reopened["input"], dtype=np.float32)).probabilities
    assert reopened["probabilities"] == pytest.approx(expected.tolist(), abs=1e-5)
    # the same file dropped on the panel (read in the browser, nothing uploaded)
    page.evaluate("window.mlpvis.loadWeights('exports/sample_mlp_weights.json')")
    page.evaluate(
        """(text) => {
          const data = new DataTransfer();
          data.items.add(new File([text], "dropped.json", { type: "application/json" }));
          const panel = document.querySelector("[data-testid='learn-panel']");
          panel.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true }));
        }""",
        text,
    )
    page.wait_for_function(
        "(status) => status.textContent.startsWith('Loaded dropped.json')",
        arg=page.get_by_test_id("learn-status").element_handle(),
    )
    dropped = page.evaluate("window.mlpvis.predict()")
    assert dropped["probabilities"] == pytest.approx(trained["probabilities"], abs=1e-6)


def glyph(kind: str, rng: np.random.Generator) -> list[float]:
    """A deliberately unusual drawing: a lying bar, or an X, of random size and place."""
    image = np.zeros((28, 28), dtype=np.float32)
    thick = int(rng.integers(2, 4))
    if kind == "bar":
        row, left, right = (
            int(rng.integers(10, 17)),
            int(rng.integers(3, 7)),
            int(rng.integers(21, 25)),
        )
        image[row : row + thick, left:right] = 1
    else:
        size = int(rng.integers(14, 20))
        top, left = int(rng.integers(3, 26 - size)), int(rng.integers(3, 26 - size))
        for i in range(size):
            image[top + i, left + i : left + i + thick] = 1
            image[top + i, left + size - i - 1 : left + size - i - 1 + thick] = 1
    return image.reshape(-1).tolist()


def test_teach_two_unusual_digits_then_fine_tune_recognises_that_style(open_page):
    page = open_page()
    page.evaluate("window.mlpvis.forgetExamples()")
    rng = np.random.default_rng(12)
    styles = {1: "bar", 8: "x"}
    for label, kind in styles.items():
        for _ in range(6):
            page.evaluate("(p) => window.mlpvis.setPixels(p)", glyph(kind, rng))
            page.evaluate("(label) => window.mlpvis.teach(label)", label)
    assert len(page.evaluate("window.mlpvis.examples()")) == 12
    unseen = {label: [glyph(kind, rng) for _ in range(8)] for label, kind in styles.items()}
    predict = "(p) => window.mlpvis.setPixels(p).then(() => window.mlpvis.predict())"

    def hits():
        return sum(
            page.evaluate(predict, pixels)["label"] == str(label)
            for label, drawings in unseen.items()
            for pixels in drawings
        )

    before_hits = hits()
    result = page.evaluate("window.mlpvis.fineTune({steps: 200})")
    after_hits = hits()
    assert before_hits <= 8 and after_hits >= 14, (before_hits, after_hits)
    assert result["after"]["mine"] == 1.0 and result["before"]["mine"] < 0.7
    assert result["before"]["heldOut"] - result["after"]["heldOut"] <= 0.02
    shown = page.get_by_test_id("learn-fine-tune-result")
    assert shown.text_content() == "" or "→" in shown.text_content()
    page.evaluate("window.mlpvis.resetModel()")
    assert hits() == before_hits  # back to the loaded model
    page.evaluate("window.mlpvis.forgetExamples()")


def test_the_panel_fetches_the_digits_only_when_opened_and_its_controls_work(open_page):
    page = open_page()
    learn_requests = []
    page.on("request", lambda r: learn_requests.append(r.url) if "/learn/" in r.url else None)
    page.wait_for_timeout(500)
    assert learn_requests == []  # nothing fetched before the panel opens
    page.evaluate("window.mlpvis.forgetExamples()")
    open_panel(page)
    assert any(url.endswith("learn/mnist-train.bin.gz") for url in learn_requests), learn_requests
    assert any(url.endswith("learn/mnist-held-out.bin.gz") for url in learn_requests)
    # teach by button: a thumbnail appears
    page.get_by_test_id("sample-6").click()
    wait_for_prediction(page)
    page.get_by_test_id("learn-teach-6").click()
    page.wait_for_selector("[data-testid='learn-example'][data-label='6']")
    assert page.get_by_test_id("learn-examples-count").text_content() == "1 example"
    # train a smaller network by button; pause, resume, stop
    page.get_by_test_id("learn-size").select_option("32")
    page.get_by_test_id("learn-epochs").fill("3")
    page.get_by_test_id("learn-train").click()
    panel = page.get_by_test_id("learn-panel")
    page.wait_for_function(
        "(panel) => Number(panel.dataset.imagesSeen || 0) > 300", arg=panel.element_handle()
    )
    assert page.evaluate("window.mlpvis.model().architecture") == [784, 32, 10]
    page.get_by_test_id("learn-pause").click()
    page.wait_for_function(
        "(panel) => panel.dataset.learning === 'paused'", arg=panel.element_handle()
    )
    seen = int(panel.get_attribute("data-images-seen"))
    page.wait_for_timeout(400)
    assert int(panel.get_attribute("data-images-seen")) == seen  # paused means paused
    assert page.get_by_test_id("learn-pause").text_content() == "Resume"
    page.get_by_test_id("learn-pause").click()
    page.wait_for_function(
        "([panel, seen]) => Number(panel.dataset.imagesSeen) > seen",
        arg=[panel.element_handle(), seen],
    )
    page.get_by_test_id("learn-stop").click()
    page.wait_for_function(
        "(panel) => panel.dataset.learning === 'idle'", arg=panel.element_handle()
    )
    assert "held-out" in page.get_by_test_id("learn-stats").text_content()
    # fine-tune by button, then back to the loaded model
    page.get_by_test_id("learn-fine-tune").click()
    result = page.get_by_test_id("learn-fine-tune-result")
    page.wait_for_function("(r) => r.textContent.includes('→')", arg=result.element_handle())
    page.get_by_test_id("learn-reset").click()
    page.wait_for_function("window.mlpvis.model().architecture.length === 4")
    assert page.evaluate("window.mlpvis.learningStatus().changed") is False
    page.evaluate("window.mlpvis.forgetExamples()")


def test_fashion_model_trains_on_fashion_digits_and_back(open_page):
    page = open_page()
    page.evaluate("window.mlpvis.loadWeights('exports/fashion_mlp_weights.json')")
    open_panel(page)
    assert "Ankle boot" in page.get_by_test_id("learn-teach-9").text_content()
    fashion = page.evaluate("window.mlpvis.train({epochs: 1, batchSize: 128, seed: 4})")
    assert fashion["imagesSeen"] == 8000 and fashion["heldOutAccuracy"] >= 0.65
    assert json.loads(page.evaluate("window.mlpvis.exportModel()"))["dataset"]["name"] == (
        "fashion-mnist"
    )
    page.evaluate("window.mlpvis.loadWeights('exports/sample_mlp_weights.json')")
    assert page.evaluate("window.mlpvis.learningStatus().changed") is False
    mnist = page.evaluate("window.mlpvis.train({epochs: 1, batchSize: 128, seed: 4})")
    assert mnist["heldOutAccuracy"] >= 0.8  # the MNIST digits again, not the clothes


def test_a_tampered_training_wheel_refuses_to_train_and_keeps_the_model(open_page, page):
    # numpy.random's libraries are installed (sha256-checked) when learning starts.
    page.route(
        "**/numpy_random-*.whl", lambda route: route.fulfill(status=200, body=b"PK tampered")
    )
    page = open_page()
    page.get_by_test_id("sample-4").click()
    wait_for_prediction(page)
    before = probabilities(page)
    error = page.evaluate(
        "window.mlpvis.train({epochs: 1, seed: 1}).then(() => null, (e) => e.message)"
    )
    assert error is not None and "random number generators" in error, error
    assert page.evaluate("window.mlpvis.learningStatus().changed") is False
    now = page.evaluate("window.mlpvis.predict()")["probabilities"]
    assert now == pytest.approx(before, abs=1e-6)
