"""The whole path: a push to `production`, then the page served from `releases/current` boots
in a real Chromium, offline, and recognises a held-out digit; after a first visit it keeps
working with the network gone (the service worker)."""

from __future__ import annotations

import json

import pytest

from py_runtime.samples import read_samples
from tests.conftest import VIEWPORT
from tests.e2e.helpers import predicts_sample
from tests.support import CSP_WATCH, RELEASE_CACHED_JS, guard_outside_requests

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

    assert predicts_sample(page, 0)
    _, labels = read_samples((project_root / "exports/samples/mnist.bin").read_bytes())
    assert page.get_by_test_id("prediction").text_content() == str(labels[0])
    assert outside == [] and errors == []
    # the release's own headers (the page, its worker) hold the policy without a violation
    for scope in (page, *page.workers):
        assert scope.evaluate("self.__cspViolations") == []


def test_a_pushed_release_works_offline_after_the_first_visit(
    source, server, http_current, browser, project_root
):
    source.push("main:production")
    context = browser.new_context(viewport=VIEWPORT, service_workers="allow")
    try:
        page = context.new_page()
        page.goto(http_current.base + "/")
        page.wait_for_selector("html[data-runtime='ready']", timeout=90_000)
        release = json.loads((server.current / "build-manifest.json").read_text())["release"]
        assert page.evaluate(RELEASE_CACHED_JS) == f"mlpvis-{release}"
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("html[data-runtime='ready']", timeout=90_000)
        assert predicts_sample(page, 1)
    finally:
        context.close()
