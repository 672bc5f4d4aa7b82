"""Offline after the first visit: the service worker caches exactly the release's files, a
reload with the network gone boots and predicts, and a new release replaces the old one whole."""

from __future__ import annotations

import json
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
    for name in ("web", "py_runtime", "exports"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, source / name)
    (source / "node_modules").symlink_to(ROOT / "node_modules")  # the bundler, as in a checkout
    with open(source / "web" / "styles.css", "a") as handle:
        handle.write("\n/* second release */\n")
    out = tmp_path_factory.mktemp("release-b") / "site"
    site_build.build_site(source, out, ROOT / ".cache")
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
        # While a page of the first release is open, it keeps getting the first release only.
        assert "second release" not in page.evaluate("fetch('styles.css').then((r) => r.text())")

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

        sw_context.set_offline(True)
        page.reload()
        wait_ready(page)
        served = page.evaluate(SERVED_HASHES_JS, second["offline"])
        assert served == {name: second["files"][name] for name in second["offline"]}
        assert predicts_sample(page)
