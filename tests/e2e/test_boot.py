"""The page boots offline, from its own origin only, and shows the loading stages."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.conftest import VIEWPORT
from tests.support import CHROMIUM, CHROMIUM_ARGS

HOST = "mlpvis.test"  # resolved to 127.0.0.1 by the browser only


def test_page_boots_with_every_outside_request_aborted(open_page, probe):
    page = open_page()
    assert page.evaluate("window.mlpvis.ready.then(() => true)")
    assert probe.outside_requests == []
    assert probe.console_errors == []
    assert probe.page_errors == []
    stages = page.eval_on_selector_all("[data-stage]", "items => items.map(i => i.dataset.state)")
    assert stages == ["done", "done", "done"]


def test_page_boots_over_plain_http_from_another_host(browser_type, site_url, default_export_url):
    """Served over http from a host other than localhost, the page is not a secure context
    (no crypto.subtle, no service worker): it still checks its wheels and boots."""
    resolve = f"--host-resolver-rules=MAP {HOST} 127.0.0.1"
    browser = browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, resolve])
    try:
        page = browser.new_page(viewport=VIEWPORT)
        errors = []
        page.on("pageerror", lambda error: errors.append(error))
        url = urlsplit(site_url)._replace(netloc=f"{HOST}:{urlsplit(site_url).port}").geturl()
        page.goto(url + (f"?weights={default_export_url}" if default_export_url else ""))
        assert page.evaluate("window.isSecureContext") is False
        assert page.evaluate("window.mlpvis.ready.then(() => 'ready', e => e.message)") == "ready"
        stroke = [float(col == 14 and 4 <= row < 24) for row in range(28) for col in range(28)]
        page.evaluate("pixels => window.mlpvis.setPixels(pixels)", stroke)
        labels = page.evaluate("window.mlpvis.model().labels")
        assert page.evaluate("window.mlpvis.predict()")["label"] in labels
        assert errors == []
    finally:
        browser.close()
