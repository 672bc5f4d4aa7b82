"""Input benchmark (Debian Chromium, SwiftShader WebGL): how long a drawing takes to reach the
screen with the 3D scene on, where the scene renders in its own worker (the page's default),
on the main thread (the fallback, and the page before the render worker), and without WebGL.

    python bench/bench_input.py [--rounds 3] [--samples 30] [--quick] [--out bench/out/input.json]

Measured in the page, for each way the scene renders, in alternating fresh browser contexts
of one run (same machine load):

- input event → probabilities painted: a pointerdown on the drawing grid until the probability
  list changed in the DOM (`in_dom`) and until the next frame after that (`painted`: one
  requestAnimationFrame and a task later); goal ≤ 16 ms median with the scene on;
- API round trip: `await mlpvis.setPixels(x); await mlpvis.predict()`; goal ≤ 20 ms median.

Each sample starts as soon as the grid was cleared, while the scene is still drawing that
change (as it is while a person draws), at a point of the frame that varies from sample to
sample (as a person's input would): a paint can only happen at a frame, so `painted` includes
the wait for the next one (up to 16.7 ms at 60 Hz).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import SCENE_IDLE_JS, machine, print_table, serve_site, summarize
from bench.common import write_json as save
from tests.support import CHROMIUM, CHROMIUM_ARGS, NO_WEBGL_ARGS

VIEWPORT = {"width": 900, "height": 640}
# The page draws on the main thread when it cannot hand its canvas to a worker.
FORCE_MAIN_THREAD = "delete HTMLCanvasElement.prototype.transferControlToOffscreen"
MODES = {
    "worker": "scene in its render worker (OffscreenCanvas)",
    "main_thread": "scene on the main thread (fallback; the page before)",
    "no_webgl": "no WebGL (no scene)",
}

INPUT_LATENCY_JS = """async (count) => {
  const grid = document.querySelector("[data-testid='draw-grid']");
  const list = document.querySelector("[data-testid='probabilities']");
  const rect = grid.getBoundingClientRect();
  const nextFrame = () =>
    new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const samples = [];
  for (let i = 0; i < count; i++) {
    // As while drawing, the scene is still busy with the previous change (the clear).
    await window.mlpvis.clear();
    // A person's input arrives at any point of a frame: spread the starts over one 16 ms frame.
    await new Promise((resolve) => setTimeout(resolve, (i * 7) % 16));
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve(performance.now());
      });
      observer.observe(list, {
        subtree: true, childList: true, characterData: true, attributes: true,
      });
    });
    const options = { clientX: rect.left + rect.width * (0.3 + (0.4 * (i % 5)) / 4),
                      clientY: rect.top + rect.height * 0.5, button: 0, buttons: 1, pointerId: 1,
                      pointerType: "mouse", bubbles: true };
    const start = performance.now();
    grid.dispatchEvent(new PointerEvent("pointerdown", options));
    const inDom = await changed;
    await nextFrame();
    samples.push([inDom - start, performance.now() - start]);
    grid.dispatchEvent(new PointerEvent("pointerup", options));
  }
  return samples;
}"""

ROUND_TRIP_JS = """async (count) => {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const pixels = new Array(784).fill(0);
    const column = 6 + (i % 16);
    for (let row = 4; row < 24; row++) {
      pixels[row * 28 + column] = 1;
      pixels[row * 28 + ((column + row + i) % 28)] = 0.6;
    }
    const start = performance.now();
    await window.mlpvis.setPixels(pixels);
    await window.mlpvis.predict();
    samples.push(performance.now() - start);
  }
  return samples;
}"""


def sample(browser, url: str, mode: str, samples: int) -> tuple[list, list]:
    """One fresh context: (input latency [in_dom, painted] pairs, round trips)."""
    context = browser.new_context(viewport=VIEWPORT)
    if mode == "main_thread":
        context.add_init_script(FORCE_MAIN_THREAD)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-runtime='ready']", timeout=90_000)
    page.wait_for_function(SCENE_IDLE_JS, timeout=60_000)
    thread = page.evaluate("window.mlpvis.sceneStats().thread")
    expected = {"worker": "worker", "main_thread": "main", "no_webgl": None}[mode]
    if thread != expected:
        raise SystemExit(f"{mode}: the scene renders on {thread!r}, expected {expected!r}")
    page.evaluate(INPUT_LATENCY_JS, 3)  # warm-up
    latency = page.evaluate(INPUT_LATENCY_JS, samples)
    page.wait_for_function(SCENE_IDLE_JS, timeout=60_000)
    trips = page.evaluate(ROUND_TRIP_JS, samples)
    context.close()
    return latency, trips


def measure(rounds: int, samples: int) -> dict:
    collected = {mode: {"in_dom": [], "painted": [], "round_trip": []} for mode in MODES}
    with serve_site() as url, sync_playwright() as pw:
        webgl = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        no_webgl = pw.chromium.launch(executable_path=CHROMIUM, args=NO_WEBGL_ARGS)
        browsers = {"worker": webgl, "main_thread": webgl, "no_webgl": no_webgl}
        for _ in range(rounds):
            for mode, browser in browsers.items():
                latency, trips = sample(browser, url, mode, samples)
                collected[mode]["in_dom"] += [in_dom for in_dom, _ in latency]
                collected[mode]["painted"] += [painted for _, painted in latency]
                collected[mode]["round_trip"] += trips
        webgl.close()
        no_webgl.close()
    return {
        mode: {
            "input_to_probabilities_in_dom_ms": summarize(values["in_dom"]),
            "input_to_probabilities_painted_ms": summarize(values["painted"]),
            "set_pixels_predict_round_trip_ms": summarize(values["round_trip"]),
        }
        for mode, values in collected.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh contexts per mode")
    parser.add_argument("--samples", type=int, default=30, help="samples per context")
    parser.add_argument("--quick", action="store_true", help="smoke mode: one short round")
    parser.add_argument("--out", type=Path, default=Path("bench/out/input.json"))
    args = parser.parse_args(argv)
    rounds, samples = (1, 8) if args.quick else (args.rounds, args.samples)
    results = measure(rounds, samples)
    document = {"benchmark": "input", "quick": args.quick, "machine": machine(), **results}
    save(args.out, document)
    rows = []
    for mode, title in MODES.items():
        rows += [
            (f"{title}:", "", ""),
            (
                "  input → probabilities in the DOM",
                results[mode]["input_to_probabilities_in_dom_ms"],
                "ms",
            ),
            (
                "  input → probabilities painted",
                results[mode]["input_to_probabilities_painted_ms"],
                "ms",
            ),
            (
                "  setPixels + predict round trip",
                results[mode]["set_pixels_predict_round_trip_ms"],
                "ms",
            ),
        ]
    print_table("Input latency (Debian Chromium, SwiftShader WebGL)", rows)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
