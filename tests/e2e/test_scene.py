"""The 3D network scene: it renders with WebGL and reacts to drawing, N sets the connection
count, any architecture lays out (in a constant number of draw calls), clicking an output neuron
or stepping to it with the keys opens its card, scrubbing the timeline keeps the view and the
card, and without WebGL a message replaces the scene while predictions keep working.

SwiftShader renders slowly here: small viewport, wait for settled frames, no frame rates."""

from __future__ import annotations

import base64
import json

import pytest

from py_runtime import random_export
from tests.support import NO_WEBGL_ARGS, guard_outside_requests, poll_function

SCENE = "[data-testid='scene']"
MAX_DRAW_CALLS = 12

# Settled: the scene has drawn a frame after `frames`, is not animating, shows `connections`.
SETTLED_JS = """([frames, connections]) => {
  const stats = window.mlpvis.sceneStats();
  return stats.ready && stats.frames > frames && !stats.animating
    && (connections === null || stats.connections === connections);
}"""

# Fraction of pixels that differ (by more than a little) between two PNG screenshots.
CHANGED_FRACTION_JS = """async ([a, b]) => {
  const decode = async (text) => {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  };
  const [x, y] = await Promise.all([decode(a), decode(b)]);
  if (x.length !== y.length) return 1;
  let changed = 0;
  for (let i = 0; i < x.length; i += 4) {
    const d = Math.abs(x[i] - y[i]) + Math.abs(x[i + 1] - y[i + 1]) + Math.abs(x[i + 2] - y[i + 2]);
    if (d > 24) changed++;
  }
  return changed / (x.length / 4);
}"""


AGAIN_JS = "async (p) => { await window.mlpvis.setPixels(p); await window.mlpvis.predict(); }"


def seven() -> list[float]:
    """A bold hand-drawn-like 7."""
    pixels = [0.0] * 784
    for col in range(6, 22):
        pixels[6 * 28 + col] = pixels[7 * 28 + col] = 1.0
    for row in range(7, 24):
        col = 21 - (row - 7) // 2
        pixels[row * 28 + col] = pixels[row * 28 + col - 1] = 1.0
    return pixels


def expected_connections(architecture: list[int], n: int) -> int:
    return sum(out * min(n, inp) for inp, out in zip(architecture, architecture[1:], strict=False))


def stats(page) -> dict:
    return page.evaluate("window.mlpvis.sceneStats()")


def settle(page, action=None, connections: int | None = None) -> dict:
    """Run `action`, then wait until the scene has rendered its result and stopped animating."""
    frames = stats(page)["frames"]
    if action:
        action()
    page.wait_for_function(SETTLED_JS, arg=[frames, connections], timeout=30_000)
    return stats(page)


def open_scene(open_page, query: str = ""):
    page = open_page(query)
    page.wait_for_function("window.mlpvis.sceneStats().connections > 0", timeout=30_000)
    page.wait_for_function("!window.mlpvis.sceneStats().animating", timeout=30_000)
    return page


def draw(page, pixels: list[float]) -> None:
    page.evaluate("pixels => window.mlpvis.setPixels(pixels)", pixels)


# The camera as the gestures change it: where it is, what it looks at, how far from it.
CAMERA_JS = """() => {
  const { position, target } = window.mlpvis.sceneStats().camera;
  return { position, target, distance: Math.hypot(...position.map((v, i) => v - target[i])) };
}"""
CAMERA_MOVED_JS = f"""([key, before]) => {{
  const now = ({CAMERA_JS})()[key];
  if (key !== "distance") return JSON.stringify(now) !== JSON.stringify(before);
  return Math.abs(now - before) > 1e-3;
}}"""


def check_camera_gestures(page) -> None:
    """Left-drag orbits (the camera moves), the wheel zooms (its distance to the target
    changes) and right-drag pans (the target moves), on empty space near the scene's top."""
    box = page.locator(SCENE).bounding_box()
    x, y = box["x"] + box["width"] * 0.3, box["y"] + 12
    gestures = [
        ("position", "left", lambda: page.mouse.move(x + 40, y + 8, steps=4)),
        ("distance", None, lambda: page.mouse.wheel(0, -400)),
        ("target", "right", lambda: page.mouse.move(x + 40, y + 10, steps=4)),
    ]
    for key, button, gesture in gestures:
        page.wait_for_function("!window.mlpvis.sceneStats().animating", timeout=90_000)
        before = page.evaluate(CAMERA_JS)[key]
        page.mouse.move(x, y)
        if button:
            page.mouse.down(button=button)
        gesture()
        if button:
            page.mouse.up(button=button)
        page.wait_for_function(CAMERA_MOVED_JS, arg=[key, before], timeout=30_000)


def pinned_card(page, index: int) -> None:
    """Wait for the pinned card of output `index`: a hover card may show before the click's pick
    answers."""
    card = page.locator(f"[data-testid='scene-card'][data-pinned='true'][data-index='{index}']")
    card.wait_for(state="visible")


def test_scene_renders_with_webgl_and_changes_after_drawing(open_page, probe):
    page = open_scene(open_page)
    canvas = page.locator(SCENE)
    assert canvas.evaluate("c => c.tagName === 'CANVAS'")
    assert stats(page)["webgl"] is True
    assert stats(page)["thread"] == "worker"  # its frames are drawn off the main thread
    assert page.get_by_test_id("scene-legend").is_visible()
    assert page.get_by_test_id("scene-top-n").is_visible()
    before_stats = stats(page)
    architecture = page.evaluate("window.mlpvis.model().architecture")
    assert before_stats["neurons"] == sum(architecture)
    assert before_stats["connections"] == expected_connections(architecture, 24)
    assert 0 < before_stats["drawCalls"] <= MAX_DRAW_CALLS
    before = canvas.screenshot()

    after_stats = settle(page, lambda: draw(page, seven()))
    after = canvas.screenshot()
    changed = page.evaluate(
        CHANGED_FRACTION_JS, [base64.b64encode(before).decode(), base64.b64encode(after).decode()]
    )
    assert changed > 0.005, f"only {changed:.4%} of the scene's pixels changed after drawing"
    assert after_stats["drawCalls"] <= MAX_DRAW_CALLS
    winner = page.locator("[data-testid^='scene-label-'].winner")
    assert winner.count() == 1 and winner.locator(".scene-label-name").text_content() == "7"
    # The same drawing again, and another predict(), restart nothing: no new propagation.
    page.evaluate(AGAIN_JS, seven())
    page.wait_for_function("!window.mlpvis.sceneStats().animating", timeout=30_000)
    assert stats(page)["updates"] == after_stats["updates"]
    assert probe.console_errors == [] and probe.page_errors == []


def test_top_n_sets_the_connection_count(open_page, probe):
    page = open_scene(open_page)
    architecture = page.evaluate("window.mlpvis.model().architecture")
    settle(page, lambda: draw(page, seven()))
    top_n = page.get_by_test_id("scene-top-n")
    draw_calls = set()
    for n in (5, 40, 1):
        result = settle(page, lambda n=n: top_n.fill(str(n)), expected_connections(architecture, n))
        draw_calls.add(result["drawCalls"])
    assert len(draw_calls) == 1 and draw_calls.pop() <= MAX_DRAW_CALLS  # constant whatever N
    # Live contributions rank differently but draw as many; the threshold hides weak ones.
    page.get_by_test_id("scene-mode").select_option("contribution")
    settle(page, lambda: top_n.fill("12"), expected_connections(architecture, 12))
    page.get_by_test_id("scene-threshold").fill("50")
    full = expected_connections(architecture, 12)
    page.wait_for_function("n => window.mlpvis.sceneStats().connections < n", arg=full)
    assert stats(page)["connections"] > 0
    assert probe.console_errors == [] and probe.page_errors == []


@pytest.mark.parametrize(
    "layers", [[784, 256, 128, 64, 10], [784, 16, 16, 16, 16, 16, 16, 16, 16, 10]]
)
def test_other_architectures_lay_out(open_page, probe, test_data_dir, layers):
    (test_data_dir / "deep.json").write_text(json.dumps(random_export(architecture=layers, seed=3)))
    small = [784, 32, 10]
    (test_data_dir / "small.json").write_text(json.dumps(random_export(architecture=small, seed=4)))
    page = open_scene(open_page, "weights=test-data/deep.json")
    deep = settle(page, lambda: draw(page, seven()), expected_connections(layers, 24))
    assert deep["neurons"] == sum(layers)
    per_layer = [out * min(24, inp) for inp, out in zip(layers, layers[1:], strict=False)]
    assert deep["connectionsPerLayer"] == per_layer
    assert deep["drawCalls"] <= MAX_DRAW_CALLS  # constant whatever the depth
    # Switching models at run time rebuilds the scene for the new architecture.
    page.evaluate("window.mlpvis.loadWeights('test-data/small.json')")
    page.wait_for_function(
        "n => window.mlpvis.sceneStats().neurons === n", arg=sum(small), timeout=30_000
    )
    result = settle(page, lambda: draw(page, seven()), expected_connections(small, 24))
    assert result["connectionsPerLayer"] == [32 * 24, 10 * 24]
    assert page.locator("[data-testid^='scene-label-']").count() == 10
    assert probe.console_errors == [] and probe.page_errors == []


def test_clicking_an_output_neuron_opens_its_card(open_page, probe):
    page = open_scene(open_page)
    page.locator(SCENE).scroll_into_view_if_needed()  # the small viewport stacks the panels
    settle(page, lambda: draw(page, seven()))
    prediction = page.evaluate("window.mlpvis.predict()")
    labels = page.evaluate("window.mlpvis.model().labels")
    card = page.get_by_test_id("scene-card")
    for index in (labels.index(prediction["label"]), 2):
        target = stats(page)["outputs"][index]
        assert target["visible"]
        page.mouse.click(target["x"], target["y"])
        pinned_card(page, index)
        assert page.get_by_test_id("scene-card-label").text_content() == labels[index]
        assert labels[index] in page.get_by_test_id("scene-card-title").text_content()
        shown = float(page.get_by_test_id("scene-card-activation").get_attribute("data-value"))
        assert shown == pytest.approx(prediction["activations"][-1][index], abs=1e-4)
        page.wait_for_function(  # the bias arrives with the layer's weights
            "document.querySelector(\"[data-testid='scene-card-bias']\").dataset.value"
        )
        assert page.get_by_test_id("scene-card-contributors").locator("li").count() > 0
        page.keyboard.press("Escape")
        card.wait_for(state="hidden")
    # A click on empty space closes a pinned card too.
    target = stats(page)["outputs"][0]
    page.mouse.click(target["x"], target["y"])
    pinned_card(page, 0)
    box = page.locator(SCENE).bounding_box()
    page.mouse.move(box["x"] + 8, box["y"] + 8)
    page.mouse.click(box["x"] + 8, box["y"] + 8)
    card.wait_for(state="hidden")
    assert probe.console_errors == [] and probe.page_errors == []


def test_hover_and_click_pick_through_the_render_worker(open_page, probe):
    page = open_scene(open_page)
    assert stats(page)["thread"] == "worker"
    page.locator(SCENE).scroll_into_view_if_needed()
    settle(page, lambda: draw(page, seven()))
    labels = page.evaluate("window.mlpvis.model().labels")
    card = page.get_by_test_id("scene-card")
    target = stats(page)["outputs"][4]
    page.mouse.move(target["x"], target["y"])  # hover: a preview card
    card.wait_for(state="visible")
    assert card.get_attribute("data-pinned") == "false"
    assert page.get_by_test_id("scene-card-label").text_content() == labels[4]
    page.mouse.click(target["x"], target["y"])  # click: pinned, with a close button
    page.wait_for_function(
        "document.querySelector(\"[data-testid='scene-card']\").dataset.pinned === 'true'"
    )
    page.get_by_test_id("scene-card-close").click()
    card.wait_for(state="hidden")
    # Orbit, zoom and pan (forwarded to the worker's camera controls) move the camera.
    check_camera_gestures(page)
    assert probe.console_errors == [] and probe.page_errors == []


NO_OFFSCREEN_CANVAS = "delete HTMLCanvasElement.prototype.transferControlToOffscreen"
# A canvas the worker cannot render to (it already has a 2D context): the worker fails to start.
WORKER_CANNOT_RENDER = """HTMLCanvasElement.prototype.transferControlToOffscreen = function () {
  const canvas = new OffscreenCanvas(1, 1);
  canvas.getContext("2d");
  return canvas;
};"""


@pytest.mark.parametrize(
    "init_script", [NO_OFFSCREEN_CANVAS, WORKER_CANNOT_RENDER], ids=["no-offscreen", "worker-fails"]
)
def test_where_a_worker_cannot_render_the_scene_renders_on_the_main_thread(
    page, open_page, probe, init_script
):
    page.add_init_script(init_script)
    page = open_scene(open_page)
    assert page.locator(SCENE).count() == 1  # one canvas: a failed worker's is gone
    assert stats(page)["thread"] == "main"
    page.locator(SCENE).scroll_into_view_if_needed()
    settle(page, lambda: draw(page, seven()))
    winner = page.locator("[data-testid^='scene-label-'].winner")
    assert winner.locator(".scene-label-name").text_content() == "7"
    target = stats(page)["outputs"][7]
    card = page.get_by_test_id("scene-card")
    page.mouse.move(target["x"], target["y"])  # hover: a preview card
    card.wait_for(state="visible")
    assert card.get_attribute("data-pinned") == "false"
    page.mouse.click(target["x"], target["y"])
    pinned_card(page, 7)
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    if init_script == NO_OFFSCREEN_CANVAS:  # the same scene code: one run covers the rest
        canvas = page.locator(SCENE)
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + 8, box["y"] + 8)  # off the neurons: no hover card
        canvas.focus()
        page.keyboard.press("Enter")  # pins the card of the neuron under the keyboard cursor
        page.wait_for_function(
            "(c => c && !c.hidden && c.dataset.pinned === 'true')"
            "(document.querySelector(\"[data-testid='scene-card']\"))"
        )
        start = stats(page)["focus"]
        page.keyboard.press("ArrowUp" if start["index"] > 0 else "ArrowDown")
        page.wait_for_function(
            "f => { const now = window.mlpvis.sceneStats().focus;"
            " return now.layer === f.layer && Math.abs(now.index - f.index) === 1; }",
            arg=start,
        )
        page.keyboard.press("Escape")
        check_camera_gestures(page)
    assert probe.console_errors == [] and probe.page_errors == []


def test_a_blank_grid_shows_no_percentages_and_no_winner_in_the_scene(open_page, probe):
    page = open_scene(open_page)
    page.locator(SCENE).scroll_into_view_if_needed()
    values = page.locator("[data-testid^='scene-label-'] .scene-label-value")
    settle(page, lambda: draw(page, seven()))
    assert "%" in " ".join(values.all_text_contents())
    assert stats(page)["winner"] is not None
    settle(page, lambda: page.evaluate("window.mlpvis.clear()"))
    assert [text.strip() for text in values.all_text_contents()] == [""] * values.count()
    assert page.locator("[data-testid^='scene-label-'].winner").count() == 0
    assert stats(page)["winner"] is None  # no gold ring either
    # The pinned card of an output has no probability for a blank drawing.
    target = stats(page)["outputs"][1]
    page.mouse.click(target["x"], target["y"])
    page.get_by_test_id("scene-card").wait_for(state="visible")
    assert page.get_by_test_id("scene-card-probability").count() == 0
    assert probe.console_errors == [] and probe.page_errors == []


def test_keys_step_to_an_output_neuron_and_enter_pins_its_card(open_page, probe):
    page = open_scene(open_page)
    settle(page, lambda: draw(page, seven()))
    prediction = page.evaluate("window.mlpvis.predict()")
    labels = page.evaluate("window.mlpvis.model().labels")
    architecture = page.evaluate("window.mlpvis.model().architecture")
    canvas = page.locator(SCENE)
    canvas.scroll_into_view_if_needed()
    assert "Enter" in canvas.get_attribute("aria-label")
    canvas.focus()
    page.keyboard.press("Enter")  # the cursor starts on the first hidden neuron
    card = page.get_by_test_id("scene-card")
    card.wait_for(state="visible")
    assert card.get_attribute("data-layer") == "1" and card.get_attribute("data-index") == "0"
    # its strongest inputs (the runtime's normalised pixels × weights) and its 28×28 weights
    assert page.get_by_test_id("scene-card-contributors").locator("li").count() > 0
    assert page.get_by_test_id("scene-card-weights").is_visible()
    for _ in range(len(architecture) - 2):  # from the first hidden layer to the output layer
        page.keyboard.press("PageDown")
    page.keyboard.press("Home")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    # the visible cursor ring (drawn by the render worker: wait for its frame)
    expected = {"layer": len(architecture) - 1, "index": 3}
    page.wait_for_function(
        "f => JSON.stringify(window.mlpvis.sceneStats().focus) === JSON.stringify(f)", arg=expected
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(c => c.dataset.pinned === 'true' && c.dataset.index === '3')"
        "(document.querySelector(\"[data-testid='scene-card']\"))"
    )
    assert card.get_attribute("data-layer") == str(len(architecture) - 1)
    assert page.get_by_test_id("scene-card-label").text_content() == labels[3]
    shown = float(page.get_by_test_id("scene-card-activation").get_attribute("data-value"))
    assert shown == pytest.approx(prediction["activations"][-1][3], abs=1e-4)
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert probe.console_errors == [] and probe.page_errors == []


def test_scrubbing_the_timeline_keeps_the_view_and_the_pinned_card(open_page, probe):
    page = open_scene(open_page)
    if page.get_by_test_id("timeline-panel").is_hidden():
        pytest.skip("the default export has no timeline")
    page.locator(SCENE).scroll_into_view_if_needed()
    settle(page, lambda: draw(page, seven()))
    labels = page.evaluate("window.mlpvis.model().labels")
    # Move the camera off its home view, then pin output 7's card.
    box = page.locator(SCENE).bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3 + 24, box["y"] + 20, steps=3)
    page.mouse.up()
    page.wait_for_function("!window.mlpvis.sceneStats().animating", timeout=90_000)  # damping
    index = labels.index("7")
    target = stats(page)["outputs"][index]
    page.mouse.click(target["x"], target["y"])
    pinned_card(page, index)
    card = page.get_by_test_id("scene-card")
    before = stats(page)
    trained = float(page.get_by_test_id("scene-card-activation").get_attribute("data-value"))

    page.evaluate("window.mlpvis.selectSnapshot(0)")  # the untrained initial weights
    page.wait_for_function(
        "v => Number(document.querySelector(\"[data-testid='scene-card-activation']\")"
        ".dataset.value) !== v",
        arg=trained,
        timeout=30_000,
    )
    after = settle(page)
    prediction = page.evaluate("window.mlpvis.predict()")
    assert card.is_visible() and card.get_attribute("data-pinned") == "true"
    assert card.get_attribute("data-index") == str(index)
    shown = float(page.get_by_test_id("scene-card-activation").get_attribute("data-value"))
    assert shown == pytest.approx(prediction["activations"][-1][index], abs=1e-4)
    assert after["builds"] == before["builds"]  # no rebuild
    # no reset (the damping may still creep by a hair; the home view is far away)
    assert after["camera"]["position"] == pytest.approx(before["camera"]["position"], abs=0.05)
    assert after["camera"]["target"] == pytest.approx(before["camera"]["target"], abs=0.05)
    assert after["connections"] == before["connections"]
    assert probe.console_errors == [] and probe.page_errors == []


def test_without_webgl_a_message_replaces_the_scene(
    browser_type, browser_type_launch_args, site_url, default_export_url
):
    browser = browser_type.launch(**{**browser_type_launch_args, "args": NO_WEBGL_ARGS})
    try:
        context = browser.new_context(viewport={"width": 900, "height": 640})
        outside = guard_outside_requests(context, site_url)
        page = context.new_page()
        errors = []
        console_errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        def on_console(message) -> None:
            if message.type == "error":
                console_errors.append(message.text)

        page.on("console", on_console)
        page.goto(f"{site_url}?weights={default_export_url}" if default_export_url else site_url)
        page.wait_for_selector("html[data-runtime='ready']", timeout=60_000)
        fallback = page.get_by_test_id("scene-fallback")
        fallback.wait_for(state="visible")
        assert "WebGL" in fallback.text_content()
        assert page.locator(SCENE).count() == 0
        assert page.evaluate("window.mlpvis.sceneStats()")["webgl"] is False
        draw(page, seven())
        poll_function(
            page, "document.querySelector(\"[data-testid='prediction']\").textContent !== ''"
        )
        assert page.evaluate("window.mlpvis.predict()")["label"] is not None
        assert errors == [] and console_errors == [] and outside == []
    finally:
        browser.close()
