"""One deploy at a time: concurrent pushes wait for the lock and end consistent."""

import time
from pathlib import Path

from deploy.lock import deploy_lock


def _wait_for(predicate, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_two_pushes_at_once_end_consistent_and_both_recorded(source, server, deployed):
    first = source.commit("Release A", {"exports/A.txt": "a\n"})
    source.git("branch", "release-a")
    second = source.commit("Release B", {"exports/B.txt": "b\n"})

    with deploy_lock(server.root / "deploy.lock", "test holds the lock", 5):
        push_a = source.start_push(f"{first}:refs/heads/production")
        _wait_for(lambda: server.log_text().count("waiting for the deploy lock") == 1)
        push_b = source.start_push(f"{second}:refs/heads/production")
        _wait_for(lambda: server.log_text().count("waiting for the deploy lock") == 2)
        assert push_a.poll() is None and push_b.poll() is None
    outputs = [push.communicate(timeout=120) for push in (push_a, push_b)]
    assert [push.returncode for push in (push_a, push_b)] == [0, 0], outputs

    releases = server.releases()
    assert [r["commit"] for r in releases][0] == deployed
    assert sorted(r["commit"] for r in releases[1:]) == sorted([first, second])
    assert server.production() == second
    assert server.live()["commit"] == second
    assert [r["release"] for r in releases if r["live"]] == [server.live()["release"]]
    assert server.scratch_entries() == []
    assert (server.root / "deploy.lock").read_text() == ""
    _assert_no_interleaving(server.log)


def _assert_no_interleaving(log: Path) -> None:
    """Between `deploying` and its outcome, no other process writes a step."""
    owner = None
    for line in log.read_text().splitlines():
        pid = line.split()[1]
        if " deploying " in line:
            assert owner is None, line
            owner = pid
        elif owner is not None:
            assert pid == owner, line
            if "is live" in line or "not published" in line or "failed" in line:
                owner = None


def test_a_deploy_waits_for_the_lock_then_fails_clearly(server, deployed):
    before = (server.releases(), server.live_target())
    with deploy_lock(server.root / "deploy.lock", "rollback by the test", 5):
        started = time.monotonic()
        result = server.cli("deploy", "--lock-timeout", "1", "production", check=False)
        waited = time.monotonic() - started
    assert result.returncode == 1
    assert "another deploy is running" in result.stderr
    assert "rollback by the test" in result.stderr
    assert waited >= 1
    assert (server.releases(), server.live_target()) == before
