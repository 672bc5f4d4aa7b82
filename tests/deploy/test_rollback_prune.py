"""rollback (previous or named, atomic, verified) and prune (never the live release)."""

from datetime import UTC, datetime

import pytest

from deploy.layout import Layout
from deploy.releases import new_release_id


@pytest.fixture
def three_releases(source, server, deployed):
    """Three releases of three commits; the newest is live."""
    commits = [deployed]
    for name in ("two", "three"):
        commits.append(source.commit(f"Release {name}", {f"exports/{name}.txt": name}))
        source.push("main:production")
    assert [r["commit"] for r in server.releases()] == commits
    return commits


def test_rollback_to_previous_then_to_a_named_release(server, three_releases, http_current):
    ids = [r["release"] for r in server.releases()]
    assert http_current.get("/exports/three.txt")[0] == 200

    server.cli("rollback")
    assert server.live()["release"] == ids[1]
    assert http_current.get("/exports/three.txt")[0] == 404
    assert http_current.get("/exports/two.txt")[0] == 200

    server.cli("rollback")
    assert server.live()["release"] == ids[0]

    older = server.cli("rollback", check=False)
    assert older.returncode == 1 and "no earlier release" in older.stderr

    server.cli("rollback", ids[2])
    assert server.live()["release"] == ids[2]
    assert server.live_target() == f"backups/{ids[2]}/site"

    history = (server.root / "history.jsonl").read_text()
    assert history.count('"trigger": "rollback"') == 3


def test_rollback_refuses_unknown_live_and_tampered_releases(server, three_releases):
    ids = [r["release"] for r in server.releases()]
    unknown = server.cli("rollback", "1999", check=False)
    assert unknown.returncode == 1 and "no release matches '1999'" in unknown.stderr
    live = server.cli("rollback", ids[2], check=False)
    assert live.returncode == 1 and "already live" in live.stderr

    (server.backups / ids[1] / "site" / "index.html").write_text("tampered")
    tampered = server.cli("rollback", check=False)
    assert tampered.returncode == 1 and "failed verification" in tampered.stderr
    assert server.live()["release"] == ids[2]


def test_prune_never_removes_the_live_release(server, three_releases):
    ids = [r["release"] for r in server.releases()]
    server.cli("rollback", ids[0])

    pruned = server.cli("prune", "--keep", "1")
    assert pruned.stdout.split() == ["removed", ids[1]]
    assert [r["release"] for r in server.releases()] == [ids[0], ids[2]]
    assert server.live()["release"] == ids[0]

    server.cli("prune", "--keep", "0")
    assert [r["release"] for r in server.releases()] == [ids[0]]
    assert server.live()["release"] == ids[0]
    assert (server.current / "index.html").is_file()


def test_list_and_status_show_commit_time_and_what_is_live(server, three_releases):
    rows = server.cli("list").stdout.splitlines()
    assert len(rows) == 3 and rows[-1].startswith("* ") and three_releases[2][:12] in rows[-1]
    status = server.cli("status").stdout
    assert three_releases[2][:12] in status and "deploying:  no" in status


def test_release_ids_sort_and_stay_unique_within_one_second(tmp_path):
    layout = Layout(tmp_path)
    same_moment = datetime(2026, 11, 27, 10, 0, 0, 5, tzinfo=UTC)
    made = []
    for _ in range(3):
        release_id = new_release_id(layout, same_moment)
        (layout.backups / release_id).mkdir(parents=True)
        made.append(release_id)
    assert len(set(made)) == 3 and made == sorted(made)
    assert made[0] == "20261127T100000.000005Z"
