"""The page boots offline, from its own origin only, and shows the loading stages."""

from __future__ import annotations


def test_page_boots_with_every_outside_request_aborted(open_page, probe):
    page = open_page()
    assert page.evaluate("window.mlpvis.ready.then(() => true)")
    assert probe.outside_requests == []
    assert probe.console_errors == []
    assert probe.page_errors == []
    stages = page.eval_on_selector_all("[data-stage]", "items => items.map(i => i.dataset.state)")
    assert stages == ["done", "done", "done"]
