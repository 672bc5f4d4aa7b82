"""The whole path: a push to `production`, then the page served from `releases/current` boots
in a real Chromium, offline, and recognises a held-out digit."""

from __future__ import annotations

import pytest

from py_runtime.samples import read_samples
from tests.support import CSP_WATCH, guard_outside_requests

pytestmark = pytest.mark.e2e


def test_a_pushed_release_runs_in_the_browser(source, server, http_current, page, project_root):
    source.push("main:production")
    outside = guard_outside_requests(page.context, http_current.base + "/")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_init_script(CSP_WATCH)
    page.on("worker", lambda worker: worker.evaluate(CSP_WATCH))
    page.goto(http_current.base + "/")
    page.wait_for_selector("html[data-runtime='ready']", timeout=90_000)

    images, labels = read_samples((project_root / "exports/samples/mnist.bin").read_bytes())
    pixels = (images[0].reshape(-1) / 255).tolist()
    result = page.evaluate(
        "(p) => window.mlpvis.setPixels(p).then(() => window.mlpvis.predict())", pixels
    )
    assert result["label"] == str(labels[0])
    assert page.get_by_test_id("prediction").text_content() == str(labels[0])
    assert outside == [] and errors == []
    # the release's own headers (the page, its worker) hold the policy without a violation
    for scope in (page, *page.workers):
        assert scope.evaluate("self.__cspViolations") == []
