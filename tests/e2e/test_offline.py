"""Offline after the first visit: the service worker caches exactly the release's files, a
reload with the network gone boots and predicts, and a new release replaces the old one whole."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from deploy import site as site_build
from deploy.serve import static_server
from tests.conftest import VIEWPORT
from tests.support import RELEASE_CACHED_JS

from .conftest import BOOT_TIMEOUT_MS, ROOT, SITE
from .helpers import predicts_sample

# Resolves once a newer service worker is installed and waiting (evaluate, not
# wait_for_function: the page's CSP refuses the eval that one uses).
NEW_RELEASE_WAITING_JS = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const deadline = Date.now() + 60000;
  while (registration.waiting === null) {
    if (Date.now() > deadline) throw new Error("no new service worker is waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}"""
# sha256 of every listed file as the page gets it now (from the service worker's cache).
SERVED_HASHES_JS = """async (names) => {
  const hex = (buffer) => Array.from(new Uint8Array(buffer),
    (b) => b.toString(16).padStart(2, "0")).join("");
  const found = {};
  for (const name of names) {
    const response = await fetch(name);
    found[name] = response.ok ? hex(await crypto.subtle.digest("SHA-256",
      await response.arrayBuffer())) : `HTTP ${response.status}`;
  }
  return found;
}"""


@pytest.fixture
def sw_context(browser):
    """A browser context where service workers run (the default test context blocks them)."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="allow")
    yield context
    context.close()


def wait_ready(page) -> None:
    page.wait_for_selector("html[data-runtime='ready']", timeout=BOOT_TIMEOUT_MS)


ON_DEMAND_FILE = "learn/index.json"


def manifest_of(site: Path) -> dict:
    return json.loads((site / site_build.MANIFEST_NAME).read_text())


def test_after_a_first_visit_a_reload_boots_and_predicts_offline(sw_context, site_url):
    page = sw_context.new_page()
    page.goto(site_url)
    wait_ready(page)
    release = manifest_of(SITE)["release"]
    assert page.evaluate(RELEASE_CACHED_JS) == f"mlpvis-{release}"
    sw_context.set_offline(True)
    page.reload()
    wait_ready(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert predicts_sample(page)
    assert page.get_by_test_id("error").is_hidden()


@pytest.fixture(scope="module")
def second_release(tmp_path_factory) -> Path:
    """Another build of the site: one stylesheet line differs, so every hash that depends on it
    (the release id, sw.js) differs too."""
    source = tmp_path_factory.mktemp("source")
    for name in ("web", "py_runtime", "exports", "training"):  # training/ makes learn/
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, source / name)
    (source / "node_modules").symlink_to(ROOT / "node_modules")  # the bundler, as in a checkout
    with open(source / "web" / "styles.css", "a") as handle:
        handle.write("\n/* second release */\n")
    out = tmp_path_factory.mktemp("release-b") / "site"
    site_build.build_site(source, out, ROOT / ".cache")
    # One on-demand file (fetched when the learning panel opens, not precached) differs too.
    index = out / ON_DEMAND_FILE
    index.write_text(index.read_text() + "\n")
    for encoded in (index.with_name(index.name + f".{ext}") for ext in site_build.ENCODINGS):
        encoded.unlink(missing_ok=True)
    manifest = manifest_of(out)
    manifest["files"][ON_DEMAND_FILE] = site_build.sha256_file(index)
    (out / site_build.MANIFEST_NAME).write_text(json.dumps(manifest))
    return out


def test_a_new_release_replaces_the_cached_one_whole(sw_context, second_release, tmp_path):
    live = tmp_path / "live"  # what the server serves: swapped like releases/current
    live.symlink_to(SITE)
    first, second = manifest_of(SITE), manifest_of(second_release)
    assert first["release"] != second["release"]
    with static_server(live) as url:
        page = sw_context.new_page()
        page.goto(url)
        wait_ready(page)
        assert page.evaluate(RELEASE_CACHED_JS) == f"mlpvis-{first['release']}"
        page.reload()  # now the page is the first release's service worker's client
        wait_ready(page)
        assert page.evaluate("navigator.serviceWorker.controller !== null")

        swap = tmp_path / "swap"
        swap.symlink_to(second_release)
        swap.replace(live)  # the deploy
        page.evaluate(NEW_RELEASE_WAITING_JS)
        # While a page of the first release is open, it keeps getting the first release only:
        # an on-demand file the server now has in the second release's version is refused.
        assert "second release" not in page.evaluate("fetch('styles.css').then((r) => r.text())")
        assert first["files"][ON_DEMAND_FILE] != second["files"][ON_DEMAND_FILE]
        refused = page.evaluate(SERVED_HASHES_JS, [ON_DEMAND_FILE])[ON_DEMAND_FILE]
        assert refused == "HTTP 503"

        # The second release takes over once no page of the first one is open.
        deadline = time.monotonic() + 60
        while True:
            page.close()
            time.sleep(0.5)
            page = sw_context.new_page()
            page.goto(url)
            wait_ready(page)
            if "second release" in page.evaluate("fetch('styles.css').then((r) => r.text())"):
                break
            assert time.monotonic() < deadline, "the second release never took over"
        assert page.evaluate(RELEASE_CACHED_JS) == f"mlpvis-{second['release']}"
        fetched = page.evaluate(SERVED_HASHES_JS, [ON_DEMAND_FILE])  # checked, then kept
        assert fetched == {ON_DEMAND_FILE: second["files"][ON_DEMAND_FILE]}

        sw_context.set_offline(True)
        page.reload()
        wait_ready(page)
        names = [*second["offline"], ON_DEMAND_FILE]
        served = page.evaluate(SERVED_HASHES_JS, names)
        assert served == {name: second["files"][name] for name in names}
        assert predicts_sample(page)


RUNTIME_SCRIPT_URL = re.compile(r".*/pyodide\.asm\.(?:[0-9a-f]{16}\.)?js(?:\?network)?")


def _runtime_script_requests(page) -> list:
    """Collect the requests for Pyodide's runtime script (the page's workers' too)."""
    seen = []

    def keep(request) -> None:
        if RUNTIME_SCRIPT_URL.fullmatch(request.url):
            seen.append(request)

    page.on("requestfinished", keep)
    page.on("requestfailed", keep)
    return seen


def test_online_the_runtime_script_comes_past_the_service_worker_named_by_its_content(
    sw_context, site_url
):
    # Chromium keeps compiled code only for scripts from its HTTP cache: the runtime worker
    # asks for the copy named by its sha256 with `?network`, which sw.js leaves to the network.
    named = [n for n in manifest_of(SITE)["files"] if site_build.CONTENT_NAMED_SCRIPT.fullmatch(n)]
    page = sw_context.new_page()
    page.goto(site_url)
    wait_ready(page)
    page.evaluate(RELEASE_CACHED_JS)
    seen = _runtime_script_requests(page)
    page.reload()
    wait_ready(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    asked = [(r.url.split("/")[-1], r.response().from_service_worker) for r in seen]
    assert asked == [(f"{named[0].split('/')[-1]}?network", False)]


def test_without_the_content_named_runtime_script_the_release_copy_boots(sw_context, site_url):
    # After a deploy of another Pyodide the server has no copy of that name: the worker loads
    # its own release's pyodide.asm.js from the service worker's cache, never a mix of two.
    page = sw_context.new_page()
    page.goto(site_url)
    wait_ready(page)
    page.evaluate(RELEASE_CACHED_JS)
    sw_context.route("**/pyodide.asm.*.js?network", lambda route: route.fulfill(status=404))
    seen = _runtime_script_requests(page)
    page.reload()
    wait_ready(page)
    asked = [(r.url.split("/")[-1], r.response().status) for r in seen]
    assert asked[0][0].endswith(".js?network") and asked[0][1] == 404
    assert asked[-1] == ("pyodide.asm.js", 200) and seen[-1].response().from_service_worker
    assert predicts_sample(page)
    assert page.get_by_test_id("error").is_hidden()
