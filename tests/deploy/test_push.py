"""Pushes: `production` deploys and is served over HTTP; other branches and deletions do not."""

import hashlib
import json
import os
import re
import stat
import subprocess
import uuid
from html.parser import HTMLParser
from pathlib import Path

FORBIDDEN_IN_SITE = {".git", "release.json", "repo.git", "training", "deploy", "backups"}


class _References(HTMLParser):
    """Local URLs an HTML page refers to: src/href attributes, the import map, the worker."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: set[str] = set()
        self._in_importmap = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href"):
            if attributes.get(name):
                self.urls.add(attributes[name])
        self._in_importmap = tag == "script" and attributes.get("type") == "importmap"

    def handle_data(self, data):
        if self._in_importmap and data.strip():
            imports = json.loads(data)["imports"]
            self.urls.update(u for u in imports.values() if not u.endswith("/"))
        self.urls.update(re.findall(r"new Worker\(\s*[\"']([^\"']+)[\"']", data))

    def local(self) -> set[str]:
        return {
            "/" + u.removeprefix("./") for u in self.urls if not re.match(r"^(?:[a-z]+:|//|#)", u)
        }


def test_push_to_production_deploys_and_serves_the_site(source, server, http_current):
    pushed = source.push("main:production")
    assert "is live" in pushed.stderr

    live = server.live()
    assert live["commit"] == source.head()
    assert live["trigger"] == "push" and live["ref"] == "refs/heads/production"
    assert server.live_target() == f"backups/{live['release']}/site"

    status, page, kind = http_current.get("/")
    assert status == 200 and kind == "text/html"
    refs = _References()
    refs.feed(page.decode())
    assets = refs.local()
    assert {"/src/main.js", "/src/start-worker.js", "/vendor/three/three.module.js"} <= assets
    refs.feed(f"<script>{http_current.get('/src/start-worker.js')[1].decode()}</script>")
    assets = refs.local()
    assert "/src/worker/worker.js" in assets
    for url in sorted(assets):
        assert http_current.get(url)[0] == 200, url

    manifest = json.loads(http_current.get("/build-manifest.json")[1])
    for name, digest in manifest["files"].items():
        status, body, kind = http_current.get("/" + name)
        assert status == 200 and hashlib.sha256(body).hexdigest() == digest, name
        if name.endswith(".wasm"):
            assert kind == "application/wasm"


def test_served_tree_is_only_the_built_site_and_not_writable_by_others(
    deployed, server, http_current
):
    site = server.current.resolve()
    release_dir = site.parent
    record = json.loads((release_dir / "release.json").read_text())
    assert record["commit"] == deployed

    manifest = json.loads((site / "build-manifest.json").read_text())
    served = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    assert served == set(manifest["files"]) | {"build-manifest.json"}
    names = {part for p in site.rglob("*") for part in p.relative_to(site).parts}
    assert not names & FORBIDDEN_IN_SITE
    for path in ("/release.json", "/../release.json", "/.git/HEAD", "/repo.git/HEAD"):
        assert http_current.get(path)[0] == 404, path

    for path in [site, *site.rglob("*")]:
        mode = path.stat().st_mode
        assert not path.is_symlink()
        assert mode & stat.S_IROTH, path
        assert not mode & (stat.S_IWOTH | stat.S_IWGRP), path
        if path.is_dir():
            assert mode & stat.S_IXOTH, path


def test_push_to_another_branch_does_not_deploy(source, server):
    pushed = source.push("main:feature")
    assert "refs/heads/feature is not production; nothing deployed" in pushed.stderr
    assert server.releases() == [] and server.live_target() is None
    assert "deploying" not in server.log_text()


def test_deleting_branches_deploys_nothing(source, server, deployed):
    before = (server.releases(), server.live_target())
    source.push("main:feature")
    deleted = source.push(":feature")
    assert "not production" not in deleted.stderr
    assert "deploy:" not in deleted.stderr
    # production is the bare repo's HEAD, so git itself refuses to delete it
    refused = source.push(":production", check=False)
    assert refused.returncode != 0 and "deploy:" not in refused.stderr
    assert server.production() == deployed
    assert (server.releases(), server.live_target()) == before


def test_ref_names_and_messages_are_never_evaluated(source, server, tmp_path):
    marker = f"pwned-{uuid.uuid4().hex[:8]}"
    payload = f"$(touch${{IFS}}{marker})`touch${{IFS}}{marker}`;touch${{IFS}}{marker}"
    source.commit(f"evil message {payload}\n\n{payload}")
    branch = f"refs/heads/x{payload}"
    pushed = source.push(f"HEAD:{branch}")
    assert f"{branch} is not production" in pushed.stderr
    source.push("HEAD:production")
    assert server.live()["commit"] == source.head()
    for place in (Path("/"), tmp_path, source.path, server.root, server.repo, Path.cwd()):
        assert not (place / marker).exists(), place


def test_hook_works_from_any_directory_and_environment(source, server, tmp_path):
    """The installed hook needs neither git's working directory nor its GIT_* variables."""
    source.push("main:staging")
    commit = source.head()
    source.git("--git-dir", str(server.repo), "update-ref", "refs/heads/production", commit)
    hook = server.repo / "hooks" / "post-receive"
    lines = f"{'0' * 40} {commit} refs/heads/staging\n{'0' * 40} {commit} refs/heads/production\n"
    env = dict(os.environ, GIT_DIR=str(tmp_path / "no-such-repo"), GIT_WORK_TREE=str(tmp_path))
    result = subprocess.run(
        [str(hook)],
        input=lines,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "refs/heads/staging is not production" in result.stdout
    assert server.live() is not None, result.stderr
    assert server.live()["commit"] == commit
    assert server.live()["ref"] == "refs/heads/production"
