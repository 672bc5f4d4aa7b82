"""Scene benchmark (Debian Chromium, SwiftShader WebGL): the JS cost of one scene update and
the draw calls per frame.

    python bench/bench_scene.py [--updates 200] [--quick] [--out bench/out/scene.json]

One scene update is what the page does with a new prediction: colour the input plane, the
neurons of every layer and the top-N connections (positions and colours of the lines that pass
the threshold), with the propagation animation off so that one update covers every layer.
Its duration is measured where the scene runs (its render worker, `sceneStats().updateMs`);
reported as median (min–max).
Draw calls per frame are read from three's renderer after a frame, for several N.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import machine, print_table, serve_site, summarize
from bench.common import write_json as save
from tests.support import CHROMIUM, CHROMIUM_ARGS, poll_function

VIEWPORT = {"width": 1000, "height": 700}
TOP_N = 24

# Feeds `count` different drawings (a moving stroke), one at a time, each after the scene has
# shown the previous one, and returns the scene update times they caused.
UPDATES_JS = """async (count) => {
  const updates = () => window.mlpvis.sceneStats().updates;
  for (let i = 0; i < count; i++) {
    const pixels = new Float32Array(784);
    const column = 6 + (i % 16);
    for (let row = 4; row < 24; row++) {
      pixels[row * 28 + column] = 1;
      pixels[row * 28 + ((column + row + i) % 28)] = 0.6;
    }
    const before = updates();
    await window.mlpvis.setPixels(pixels);
    // contribution mode updates after one more worker round trip (the live top-N)
    while (updates() === before) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return window.mlpvis.sceneStats().updateMs.slice(-count);
}"""


SETTLED_JS = """([frames, connections]) => {
  const stats = window.mlpvis.sceneStats();
  return stats.frames > frames && !stats.animating && stats.connections === connections;
}"""


def expected_connections(architecture: list[int], n: int) -> int:
    return sum(out * min(n, inp) for inp, out in zip(architecture, architecture[1:], strict=False))


def set_top_n(page, n: int, architecture: list[int]) -> dict:
    """Set N in the toolbar; returns the stats of the first settled frame drawn with it."""
    frames = page.evaluate("window.mlpvis.sceneStats().frames")
    page.locator("[data-testid='scene-top-n']").fill(str(n))
    expected = expected_connections(architecture, n)
    poll_function(page, SETTLED_JS, arg=[frames, expected], timeout=30_000)
    return page.evaluate("window.mlpvis.sceneStats()")


def measure(updates: int, warmup: int, site: Path) -> dict:
    with serve_site(site=site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(url)
        page.wait_for_selector("html[data-runtime='ready']", timeout=90_000)
        poll_function(page, "window.mlpvis.sceneStats().ready", timeout=30_000)
        architecture = page.evaluate("window.mlpvis.model().architecture")
        page.locator("[data-testid='scene-animate']").uncheck()

        draw_calls = {}
        for n in (0, 8, TOP_N, 64):
            stats = set_top_n(page, n, architecture)
            draw_calls[n] = {"drawCalls": stats["drawCalls"], "connections": stats["connections"]}

        results = {}
        for mode in ("weight", "contribution"):
            page.locator("[data-testid='scene-mode']").select_option(mode)
            set_top_n(page, TOP_N, architecture)
            page.evaluate(UPDATES_JS, warmup)
            samples = page.evaluate(UPDATES_JS, updates)
            results[mode] = summarize(samples)
        stats = page.evaluate("window.mlpvis.sceneStats()")
        browser.close()
    return {
        "architecture": architecture,
        "top_n": TOP_N,
        "update_ms": results,
        "draw_calls": draw_calls,
        "neurons": stats["neurons"],
        "pixel_ratio": stats["pixelRatio"],
        "thread": stats["thread"],  # "worker": the scene's own render worker
        "viewport": VIEWPORT,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=200, help="scene updates per mode")
    parser.add_argument("--quick", action="store_true", help="smoke mode: a few updates")
    parser.add_argument("--out", type=Path, default=Path("bench/out/scene.json"))
    parser.add_argument("--site", type=Path, default=Path("build/site"))
    args = parser.parse_args(argv)
    updates, warmup = (20, 5) if args.quick else (args.updates, 30)
    result = measure(updates, warmup, args.site)
    document = {"benchmark": "scene", "quick": args.quick, "machine": machine(), **result}
    save(args.out, document)
    rows = [
        (f"scene update, N={TOP_N}, {mode} mode", stats, "ms")
        for mode, stats in result["update_ms"].items()
    ]
    rows += [
        (f"draw calls per frame, N={n} ({calls['connections']} lines)", calls["drawCalls"], "")
        for n, calls in result["draw_calls"].items()
    ]
    print_table(f"Scene, {'→'.join(map(str, result['architecture']))}", rows)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
