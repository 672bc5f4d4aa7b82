"""The Content-Security-Policy holds: code from another origin, eval and off-origin requests are
refused in the page and in its worker, while the page itself runs (Pyodide included)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from deploy.headers import CONTENT_SECURITY_POLICY
from deploy.serve import static_server
from py_runtime import random_export
from tests.e2e.conftest import BOOT_TIMEOUT_MS
from tests.reliability import tally

pytestmark = pytest.mark.csp_violations_expected


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory):
    """A second server (another port: another origin) with a script that marks the page."""
    root = tmp_path_factory.mktemp("other-origin")
    (root / "evil.js").write_text("window.__evil = true; self.__evil = true;\n")
    (root / "model.json").write_text(json.dumps(random_export(seed=4)))
    with static_server(root) as url:
        yield url


def _boot(page, site_url, default_export_url):
    query = f"?weights={default_export_url}" if default_export_url else ""
    page.goto(site_url + query)
    page.wait_for_selector("html[data-runtime='ready']", timeout=BOOT_TIMEOUT_MS)


def test_every_response_carries_the_policy(site_url):
    for path in ("", "src/worker/worker.js", "vendor/pyodide/pyodide.mjs", "no-such-file"):
        try:
            response = urllib.request.urlopen(site_url + path)
        except urllib.error.HTTPError as error:
            response = error
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path


def test_a_script_from_another_origin_is_refused(
    page, site_url, default_export_url, other_origin, csp_violations
):
    _boot(page, site_url, default_export_url)
    evil = other_origin + "evil.js"
    page.evaluate(
        """(src) => new Promise((resolve) => {
          const script = document.createElement("script");
          script.src = src;
          script.onload = script.onerror = resolve;
          document.head.append(script);
        })""",
        evil,
    )
    assert page.evaluate("window.__evil") is None
    seen = page.evaluate("self.__cspViolations")
    assert any(v.startswith(f"script-src-elem blocked {evil}") for v in seen), seen
    # inline code is refused too (eval cannot be checked from here: DevTools may always eval)
    page.evaluate("""() => { const s = document.createElement("script");
        s.textContent = "window.__evil = true"; document.head.append(s); }""")
    assert page.evaluate("window.__evil") is None
    seen = page.evaluate("self.__cspViolations")
    assert any(v.startswith("script-src-elem blocked inline") for v in seen), seen
    tally("csp", "foreign/inline script refused")


def test_the_worker_has_the_policy_too(page, site_url, default_export_url, other_origin):
    _boot(page, site_url, default_export_url)
    (worker,) = [w for w in page.workers if w.url.endswith("/worker/worker.js")]
    outcome = worker.evaluate(
        """async (origin) => {
          const results = {};
          try { await fetch(origin + "evil.js"); results.fetch = "ran"; }
          catch (e) { results.fetch = e.name; }
          try { importScripts(origin + "evil.js"); results.importScripts = "ran"; }
          catch (e) { results.importScripts = e.name; }
          return results;
        }""",
        other_origin,
    )
    assert outcome["fetch"] == "TypeError"
    assert outcome["importScripts"] != "ran"  # module workers have none; the policy also refuses
    assert worker.evaluate("self.__evil") is None
    seen = worker.evaluate("self.__cspViolations")
    assert any(v.startswith("connect-src") for v in seen), seen
    tally("csp", "worker fetch refused")


def test_a_link_to_weights_on_another_origin_is_refused_and_the_page_keeps_working(
    page, site_url, other_origin
):
    foreign = other_origin + "model.json"
    sent = []  # a request the policy refuses never reaches the network (CORS would: it is sent)
    page.context.on("request", lambda request: sent.append(request.url))
    page.goto(f"{site_url}?weights={foreign}")
    page.wait_for_selector("html[data-runtime='ready']", timeout=BOOT_TIMEOUT_MS)
    message = page.get_by_test_id("error-text").text_content()
    assert foreign in message and "default model" in message
    assert [url for url in sent if url.startswith(other_origin)] == []
    assert [url for url in sent if url.endswith(".json") and url.startswith(site_url)]
    assert page.evaluate("window.mlpvis.predict()") is not None
    tally("csp", "foreign weights refused")
