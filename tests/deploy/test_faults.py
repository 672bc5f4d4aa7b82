"""Deploys that survive faults: real processes killed with `kill -9` at each stage, a full disk,
a missing or dangling `current`, a rollback to a pruned release; and exactly the manifest's
files are served."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from deploy import publish, site
from deploy.errors import DeployError
from deploy.layout import Layout
from deploy.lock import is_locked
from deploy.stages import PAUSE_ENV, STAGES
from tests.deploy.conftest import PROJECT_ROOT, TIMEOUT_S
from tests.faults import wait_until_paused
from tests.reliability import tally


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under `root` (following the `current` link), by relative path."""
    root = root.resolve()
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def next_commit(source) -> str:
    """A new commit on a branch that is not production (the hook deploys nothing for it)."""
    styles = source.path / "web" / "styles.css"
    commit = source.commit("Next release", {"web/styles.css": styles.read_text() + "\n/* v2 */\n"})
    source.push("main:refs/heads/next")
    return commit


def start_deploy(server, revision: str, **env) -> subprocess.Popen:
    argv = [sys.executable, "-m", "deploy", "deploy", "--releases", str(server.root), revision]
    return subprocess.Popen(
        argv,
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_previous_release_intact(server, http_current, before: dict, page: tuple) -> None:
    assert server.live_target() == before["target"]
    assert tree_digest(server.current) == before["files"]  # byte for byte
    assert http_current.get("/index.html") == page
    assert not is_locked(server.root / "deploy.lock")
    assert "deploying:  no" in server.cli("status").stdout


@pytest.mark.parametrize("stage", STAGES)
def test_kill_9_at_each_stage_keeps_the_previous_release(
    source, server, deployed, http_current, stage
):
    before = {"target": server.live_target(), "files": tree_digest(server.current)}
    page = http_current.get("/index.html")
    commit = next_commit(source)

    process = start_deploy(server, "next", **{PAUSE_ENV: stage})
    try:
        wait_until_paused(process, f"pausing before stage {stage}", TIMEOUT_S)
        assert is_locked(server.root / "deploy.lock")  # it really was half-way
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()

    assert_previous_release_intact(server, http_current, before, page)
    if stage != "switch":  # before `publish` the half-made release is only scratch
        assert server.scratch_entries() != [] or stage == "export"
        assert len(os.listdir(server.backups)) == 1
    else:  # published but never switched: complete, verified, listed, not live
        assert [r["live"] for r in server.releases()] == [True, False]

    redeploy = server.cli("deploy", "next")
    assert server.live()["commit"] == commit
    assert server.scratch_entries() == []
    assert list(server.root.glob(".current.*.tmp")) == []
    assert "removing leftover scratch" in redeploy.stderr or stage in ("export", "switch")
    assert http_current.get("/styles.css")[1].endswith(b"/* v2 */\n")
    server.cli("rollback")  # back to the release that was live before, not a never-live one
    assert server.live_target() == before["target"]
    tally("deploy-kill", f"killed at {stage}; recovered")


def test_an_unknown_pause_stage_is_refused_before_anything_starts(server, deployed):
    result = start_deploy(server, "production", **{PAUSE_ENV: "nowhere"})
    _, stderr = result.communicate(timeout=TIMEOUT_S)
    assert result.returncode == 1 and "is not a stage" in stderr


# ---------------------------------------------------------------- full disk

FULL_DISK_SCRIPT = """
set -eu
cp -a "$ROOT" "$COPY"
mount -t tmpfs -o size="$SIZE" tmpfs "$ROOT"
cp -a "$COPY"/. "$ROOT"/
set +e
"$PYTHON" -m deploy deploy --releases "$ROOT" next > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/rc"
"$PYTHON" -m deploy status --releases "$ROOT" > "$OUT/status" 2>&1
"$PYTHON" - "$ROOT" "$OUT" <<'EOF'
import hashlib, json, os, sys
from pathlib import Path
root, out = Path(sys.argv[1]), Path(sys.argv[2])
current = (root / "current").resolve()
files = {str(p.relative_to(current)): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(current.rglob("*")) if p.is_file()}
scratch = sorted(os.listdir(root / ".deploy_tmp")) if (root / ".deploy_tmp").exists() else []
(out / "after.json").write_text(json.dumps({
    "target": os.readlink(root / "current"), "files": files, "scratch": scratch,
    "backups": sorted(os.listdir(root / "backups")),
}))
EOF
"""


def _can_mount_tmpfs(tmp_path: Path) -> bool:
    if not shutil.which("unshare"):
        return False
    probe = tmp_path / "mount-probe"
    probe.mkdir()
    result = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", f"mount -t tmpfs tmpfs {probe}"],
        capture_output=True,
    )
    return result.returncode == 0


def test_a_full_releases_filesystem_fails_cleanly(source, server, deployed, tmp_path):
    """The releases directory on a real small filesystem (tmpfs in a mount namespace)."""
    if not _can_mount_tmpfs(tmp_path):
        pytest.skip("cannot mount a tmpfs here (no unprivileged user namespaces)")
    next_commit(source)
    before = {"target": server.live_target(), "files": tree_digest(server.current)}
    used = sum(p.stat().st_size for p in server.root.rglob("*") if p.is_file())
    out = tmp_path / "out"
    out.mkdir()
    env = {
        **os.environ,
        "ROOT": str(server.root),
        "COPY": str(tmp_path / "copy"),
        "SIZE": str(used + 4 * 2**20),  # room for the copy plus 4 MiB: a build needs ~30
        "PYTHON": sys.executable,
        "OUT": str(out),
    }
    result = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", textwrap.dedent(FULL_DISK_SCRIPT)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert result.returncode == 0, result.stderr
    stderr = (out / "stderr").read_text()
    assert (out / "rc").read_text().strip() == "1", stderr
    assert "No space left on device" in stderr and "live release is unchanged" in stderr
    assert "Traceback" not in stderr
    after = json.loads((out / "after.json").read_text())
    assert after["target"] == before["target"]
    assert after["files"] == before["files"]  # byte for byte
    assert after["scratch"] == []
    assert len(after["backups"]) == 1
    assert "deploying:  no" in (out / "status").read_text()
    tally("deploy-full-disk", "full tmpfs; failed cleanly")


def test_enospc_during_the_build_fails_cleanly(server, deployed, monkeypatch, http_current):
    """The same with an injected ENOSPC (runs everywhere, also without a mountable tmpfs)."""
    before = {"target": server.live_target(), "files": tree_digest(server.current)}
    page = http_current.get("/index.html")
    real_build = site.build_site

    def build_then_disk_full(source, out, cache):
        real_build(source, out, cache)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "index.html"))

    monkeypatch.setattr(site, "build_site", build_then_disk_full)
    with pytest.raises(DeployError, match="No space left on device.*live release is unchanged"):
        publish.deploy(Layout(server.root), "production", "manual", None, 10)
    assert_previous_release_intact(server, http_current, before, page)
    assert server.scratch_entries() == []
    tally("deploy-full-disk", "injected ENOSPC; failed cleanly")


# ---------------------------------------------------------------- a broken `current`


@pytest.mark.parametrize("damage", ["missing", "dangling"])
@pytest.mark.parametrize("repair", ["rollback", "deploy"])
def test_a_missing_or_dangling_current_is_reported_and_repaired(
    server, deployed, http_current, damage, repair
):
    files = tree_digest(server.current)
    server.current.unlink()
    if damage == "dangling":
        server.current.symlink_to(Path("backups") / "20200101T000000.000000Z" / "site")
    status = server.cli("status", check=False)
    assert status.returncode == 1
    assert damage.upper() in status.stdout and "repair: python -m deploy rollback" in status.stdout
    assert json.loads(server.cli("status", "--json", check=False).stdout)["current"] == damage
    assert http_current.get("/index.html")[0] == 404

    server.cli(repair, *(["production"] if repair == "deploy" else []))
    assert server.cli("status").returncode == 0
    assert http_current.get("/index.html")[0] == 200
    if repair == "rollback":
        assert tree_digest(server.current) == files
    tally("deploy-current", f"{damage}; reported, {repair} repaired")


def test_rolling_back_to_a_pruned_release_says_so(source, server, deployed):
    first = server.live()["release"]
    source.commit("Second", {"web/styles.css": "/* second */\n"})
    source.push("main:production")
    assert server.cli("prune", "--keep", "1").stdout.strip() == f"removed {first}"
    live = server.live_target()
    result = server.cli("rollback", first, check=False)
    assert result.returncode == 1
    assert f"release {first} was pruned" in result.stderr
    assert f"python -m deploy deploy {deployed}" in result.stderr
    assert server.live_target() == live
    tally("deploy-pruned", "refused, says pruned")


# ---------------------------------------------------------------- what is served


TOP_LEVEL = ("index.html", "styles.css", "src", "vendor", "exports", "py_runtime.zip")


def test_the_published_tree_is_exactly_the_build_manifest(source, server):
    """Even with data/, tests, training sources and a nested .git in the commit."""
    extra = {
        "data/MNIST/raw/train-images-idx3-ubyte": "x",
        "tests/test_secret.py": "x",
        "training/mlp_train.py": "x",
        "web/.git/config": "[core]",
        "web/.env": "SECRET=1",
        "web/src/app.js.map": "{}",
        "notes.md": "x",
    }
    source.commit("Add things that must not be served", extra)
    source.push("main:production")
    served = server.current.resolve()
    files = {str(p.relative_to(served)) for p in served.rglob("*") if p.is_file()}
    manifest = json.loads((served / site.MANIFEST_NAME).read_text())
    assert files == set(manifest["files"]) | {site.MANIFEST_NAME}
    for path in files:
        top = path.split("/")[0]
        assert top in (*TOP_LEVEL, site.MANIFEST_NAME)
        assert top == path or top in ("src", "vendor", "exports")
        assert not any(part.startswith(".") for part in Path(path).parts), path
    forbidden = ("deploy/", "training/", "tests/", "data/", ".git", "package.json", "pyproject")
    assert not [p for p in files if p.startswith(forbidden) or "/.git" in p]
    assert not [p for p in files if p.endswith((".py", ".map", ".sh"))]
    tally("served-tree", f"{len(files)} files == manifest")
