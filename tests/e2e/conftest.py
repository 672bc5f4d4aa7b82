"""End-to-end fixtures: the built site on a loopback HTTP server, Debian's Chromium, and a
page that aborts (and records) every request that would leave the loopback server."""

from __future__ import annotations

import contextlib
import functools
import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from deploy.serve import static_server
from py_runtime import random_export
from tests.reliability import tally
from tests.support import CSP_WATCH, guard_outside_requests, poll_function

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("MLPVIS_SITE", ROOT / "build" / "site"))
BOOT_TIMEOUT_MS = 60_000

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def test_data_dir(tmp_path_factory) -> Path:
    """Files the tests serve under /test-data/ (bad exports, other architectures)."""
    return tmp_path_factory.mktemp("test-data")


@pytest.fixture(scope="session")
def site_url(test_data_dir) -> str:
    """Serve the built site on 127.0.0.1 (a free port) for the whole session."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} is not built: run `make build` (make test does it)")
    with static_server(SITE, mounts={"/test-data/": test_data_dir}) as url:
        yield url


@pytest.fixture(scope="session")
def default_export_url(site_url, test_data_dir) -> str | None:
    """None when the page's default model is committed (the page loads it by itself),
    else a fixed-seed random export for ``?weights=``."""
    if (SITE / "exports" / "sample_mlp_weights.json").is_file():
        return None
    (test_data_dir / "random.json").write_text(json.dumps(random_export(seed=0)))
    return "test-data/random.json"


@pytest.fixture
def page(page):
    """pytest-playwright's page, whose ``wait_for_function`` works under the site's CSP
    (see ``tests.support.poll_function``)."""
    page.wait_for_function = functools.partial(poll_function, page)
    return page


@pytest.fixture(autouse=True)
def csp_violations(request, context):
    """Every journey checks it: zero CSP violations in its pages and their workers.
    ``@pytest.mark.csp_violations_expected`` opts out (a test that provokes one on purpose)."""
    pages = []

    def watch_worker(worker) -> None:
        with contextlib.suppress(PlaywrightError):  # a worker that ended: nothing to watch
            worker.evaluate(CSP_WATCH)

    def watch_page(page) -> None:
        pages.append(page)
        page.on("worker", watch_worker)

    context.add_init_script(CSP_WATCH)
    context.on("page", watch_page)
    found: list[str] = []
    yield found
    for page in pages:
        if page.is_closed():
            continue
        for scope in [page, *page.workers]:
            with contextlib.suppress(PlaywrightError):  # closed meanwhile
                found += scope.evaluate("self.__cspViolations || []")
    if request.node.get_closest_marker("csp_violations_expected"):
        return
    tally("csp", "journey, 0 violations" if not found else "journey WITH violations")
    assert found == [], f"Content-Security-Policy violations: {found}"


class PageProbe:
    """What a page did: console errors, uncaught errors, and requests that left loopback."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.outside_requests: list[str] = []


@pytest.fixture
def probe(context, site_url) -> PageProbe:
    """Abort and record every request that is not for the loopback server."""
    record = PageProbe()
    record.outside_requests = guard_outside_requests(context, site_url)
    return record


@pytest.fixture
def open_page(page, probe, site_url, default_export_url):
    """Open the page (optionally with a query) and wait until its runtime is ready."""
    page.on(
        "console",
        lambda message: (
            probe.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: probe.page_errors.append(str(error)))

    def open_(query: str = "", wait_for: str = "ready"):
        if default_export_url and "weights=" not in query:
            separator = "&" if query else ""
            query = f"weights={default_export_url}{separator}{query}"
        page.goto(f"{site_url}?{query}" if query else site_url)
        page.wait_for_selector(f"html[data-runtime='{wait_for}']", timeout=BOOT_TIMEOUT_MS)
        return page

    return open_
