"""`python -m deploy init`: layout, bare repo, hook; harmless when repeated; foreign hooks kept."""

import os
import stat
import sys


def test_init_creates_layout_bare_repo_and_hook(server, project_root):
    assert (server.repo / "HEAD").is_file()
    assert server.backups.is_dir() and server.scratch.is_dir()
    assert not server.current.exists()
    hook = server.repo / "hooks" / "post-receive"
    assert hook.stat().st_mode & stat.S_IXUSR
    text = hook.read_text()
    assert sys.executable in text and str(server.root) in text
    assert str(project_root / "deploy" / "deploy.sh") in text
    bare = server.cli("status").stdout
    assert "nothing (no release published yet)" in bare


def test_repeated_init_is_harmless(server, deployed):
    hook = server.repo / "hooks" / "post-receive"

    def state():
        return hook.read_bytes(), server.releases(), server.live_target(), server.production()

    before = state()
    again = server.cli("init")
    assert "already set up" in again.stdout
    assert state() == before


def test_init_refuses_to_overwrite_a_foreign_hook(server):
    hook = server.repo / "hooks" / "post-receive"
    foreign = "#!/bin/sh\necho someone else's hook\n"
    hook.write_text(foreign)
    refused = server.cli("init", check=False)
    assert refused.returncode == 1
    assert "not written by" in refused.stderr and "--force" in refused.stderr
    assert hook.read_text() == foreign

    forced = server.cli("init", "--force")
    assert "replaced a foreign hook" in forced.stdout
    assert "release hook" in hook.read_text() and os.access(hook, os.X_OK)
    backups = list(hook.parent.glob("post-receive.*.bak"))
    assert [b.read_text() for b in backups] == [foreign]


def test_init_updates_its_own_outdated_hook(server):
    hook = server.repo / "hooks" / "post-receive"
    wanted = hook.read_text()
    hook.write_text(wanted.replace("set -euo pipefail", "set -eu"))
    server.cli("init")
    assert hook.read_text() == wanted


def test_deploy_before_init_says_what_to_do(tmp_path, make_server):
    bare = make_server(tmp_path / "nowhere")
    result = bare.cli("list", check=False)
    assert result.returncode == 1
    assert "python -m deploy init" in result.stderr
