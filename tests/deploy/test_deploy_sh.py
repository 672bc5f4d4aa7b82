"""`deploy/deploy.sh`: usage, unknown commits, deploying a commit by hand."""

import os
import shutil
import subprocess
import sys


def test_without_arguments_prints_usage_and_exits_2(project_root):
    result = subprocess.run(
        [str(project_root / "deploy" / "deploy.sh")], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr.startswith("usage: deploy/deploy.sh")
    assert result.stdout == ""


def test_unknown_commit_is_a_clear_error_and_changes_nothing(server, deployed):
    before = (server.releases(), server.live_target(), sorted(os.listdir(server.backups)))
    for bad in ("0123456789abcdef0123456789abcdef01234567", "no-such-branch", "--help-me"):
        result = server.deploy_sh("--", bad)
        assert result.returncode == 1, bad
        assert f"unknown commit {bad!r}" in result.stderr
        assert f"unknown commit {bad!r}" in server.log_text()
    assert (server.releases(), server.live_target(), sorted(os.listdir(server.backups))) == before
    assert server.scratch_entries() == []


def test_deploying_a_commit_by_hand(source, server, deployed):
    source.push("main:production")
    second = source.commit("Second release", {"exports/NOTE.txt": "hello\n"})
    source.push("main:staging")
    result = server.deploy_sh("staging")
    assert result.returncode == 0, result.stderr
    live = server.live()
    assert live["commit"] == second and live["trigger"] == "manual"
    assert live["requested"] == "staging" and live["ref"] is None
    assert [r["commit"] for r in server.releases()] == [deployed, second]
    assert "release" in server.log_text() and "is live" in server.log_text()


def test_default_releases_dir_is_beside_the_checkout(tmp_path, project_snapshot):
    checkout = tmp_path / "checkout"
    shutil.copytree(project_snapshot, checkout)
    env = {k: v for k, v in os.environ.items() if k not in ("RELEASES_DIR", "DEPLOY_PYTHON")}
    env.update(DEPLOY_PYTHON=sys.executable)
    init = subprocess.run(
        [sys.executable, "-P", "-m", "deploy", "init"],
        cwd=tmp_path,
        env=dict(env, PYTHONPATH=str(checkout)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert init.returncode == 0, init.stderr
    assert (checkout / "releases" / "repo.git" / "HEAD").is_file()
    result = subprocess.run(
        [str(checkout / "deploy" / "deploy.sh"), "nope"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert str(checkout / "releases" / "repo.git") in result.stderr
