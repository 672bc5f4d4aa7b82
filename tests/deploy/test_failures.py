"""A failure anywhere leaves the previous release live and serving, and cleans up."""

import os

import pytest

from deploy import publish
from deploy.errors import DeployError
from deploy.layout import Layout

BROKEN_BUILDS = {
    "page module missing (fails verification after assembling)": {"web/src/main.js": None},
    "page missing": {"web/index.html": None},
    "lock file broken": {"package-lock.json": "{ this is not json"},
}


@pytest.mark.parametrize("changes", BROKEN_BUILDS.values(), ids=BROKEN_BUILDS.keys())
def test_failed_build_keeps_the_previous_release_live(
    source, server, deployed, http_current, changes
):
    before = (server.releases(), server.live_target())
    page = http_current.get("/index.html")
    assert page[0] == 200

    source.commit("A broken release", changes)
    pushed = source.push("main:production")

    assert "failed" in pushed.stderr and "live release is unchanged" in pushed.stderr
    assert "failed" in server.log_text()
    assert (server.releases(), server.live_target()) == before
    assert http_current.get("/index.html") == page
    assert server.scratch_entries() == []
    assert len(os.listdir(server.backups)) == 1


def test_failure_after_the_build_removes_the_release(server, deployed, monkeypatch):
    def broken_switch(layout, release):
        raise DeployError("disk trouble while switching")

    monkeypatch.setattr(publish, "switch_current", broken_switch)
    before = (server.releases(), server.live_target())
    with pytest.raises(DeployError, match="disk trouble"):
        publish.deploy(Layout(server.root), "production", "manual", None, 10)
    assert (server.releases(), server.live_target()) == before
    assert len(os.listdir(server.backups)) == 1
    assert server.scratch_entries() == []


def test_leftovers_of_an_interrupted_deploy_are_cleared(server, deployed):
    leftover = server.scratch / "20200101T000000.000000Z" / "src"
    leftover.mkdir(parents=True)
    server.cli("deploy", "production")
    assert server.scratch_entries() == []
