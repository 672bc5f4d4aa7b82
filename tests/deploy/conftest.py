"""Fixtures for the release pipeline: real git, real pushes, a real HTTP server on `current`.

Builds share one cache (vendored Pyodide, NumPy wheel, three), so the big download and `npm ci`
happen at most once: `$DEPLOY_TEST_CACHE`, else the project's `.cache/` (the same cache
`python -m deploy.site build` uses; it is keyed by the lock files and verified).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy.serve import static_server

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOURCE_ENTRIES = (
    "web",
    "py_runtime",
    "exports",
    "package.json",
    "package-lock.json",
    "pyproject.toml",
    "deploy",
)
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", ".*")
TIMEOUT_S = 120


def run(args: list[str], cwd: Path, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run a command (argv list) and capture text output."""
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S, **kwargs
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="session")
def build_cache() -> Path:
    """One build cache for the whole test session."""
    cache = Path(os.environ.get("DEPLOY_TEST_CACHE") or PROJECT_ROOT / ".cache").resolve()
    cache.mkdir(parents=True, exist_ok=True)
    return cache


@pytest.fixture(autouse=True)
def deploy_env(monkeypatch: pytest.MonkeyPatch, build_cache: Path, tmp_path: Path) -> None:
    """A clean, predictable environment for git and for the deploy tooling."""
    for name in list(os.environ):
        if name.startswith("GIT_") or name in ("RELEASES_DIR", "DEPLOY_PYTHON"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DEPLOY_CACHE_DIR", str(build_cache))
    monkeypatch.setenv("DEPLOY_LOCK_TIMEOUT", str(TIMEOUT_S))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Release Tester")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "tester@example.invalid")


@pytest.fixture(scope="session")
def project_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own page, runtime, exports, lock files and deploy code, copied once."""
    snapshot = tmp_path_factory.mktemp("snapshot")
    for name in SOURCE_ENTRIES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, snapshot / name, ignore=IGNORED)
        elif source.is_file():
            shutil.copy2(source, snapshot / name)
    return snapshot


class Source:
    """A developer's work tree with the project committed on `main`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(["git", *args], cwd=self.path, check=check)

    def commit(self, message: str, changes: dict[str, str | None] | None = None) -> str:
        """Write (str) or delete (None) files, commit everything, return the hash."""
        for name, content in (changes or {}).items():
            target = self.path / name
            if content is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        return self.head()

    def head(self, rev: str = "HEAD") -> str:
        return self.git("rev-parse", rev).stdout.strip()

    def push(self, refspec: str, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.git("push", *extra, "server", refspec, check=check)

    def start_push(self, refspec: str) -> subprocess.Popen:
        return subprocess.Popen(
            ["git", "push", "server", refspec],
            cwd=self.path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


class Server:
    """A releases directory set up with `python -m deploy init`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = root / "repo.git"
        self.current = root / "current"
        self.backups = root / "backups"
        self.scratch = root / ".deploy_tmp"
        self.log = root / "deploy.log"

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """`python -m deploy COMMAND --releases ROOT ARGS...`, run from the project checkout."""
        command, *rest = args
        argv = [sys.executable, "-m", "deploy", command, "--releases", str(self.root), *rest]
        return run(argv, cwd=PROJECT_ROOT, check=check)

    def deploy_sh(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        env = dict(os.environ, RELEASES_DIR=str(self.root), DEPLOY_PYTHON=sys.executable)
        return run(
            [str(PROJECT_ROOT / "deploy" / "deploy.sh"), *args], cwd=self.root, env=env, check=check
        )

    def releases(self) -> list[dict]:
        return json.loads(self.cli("list", "--json").stdout)

    def live(self) -> dict | None:
        return next((r for r in self.releases() if r["live"]), None)

    def live_target(self) -> str | None:
        return os.readlink(self.current) if self.current.is_symlink() else None

    def production(self) -> str | None:
        found = run(
            [
                "git",
                "--git-dir",
                str(self.repo),
                "rev-parse",
                "--verify",
                "--quiet",
                "refs/heads/production",
            ],
            cwd=self.root,
            check=False,
        )
        return found.stdout.strip() or None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    def scratch_entries(self) -> list[str]:
        return sorted(p.name for p in self.scratch.iterdir()) if self.scratch.exists() else []


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture
def make_server():
    """Wrap a releases directory (initialised or not) in a `Server`."""
    return Server


@pytest.fixture
def server(tmp_path: Path) -> Server:
    """A freshly initialised releases directory."""
    server = Server(tmp_path / "releases")
    server.cli("init")
    return server


@pytest.fixture
def source(tmp_path: Path, project_snapshot: Path, server: Server) -> Source:
    """A git repo of the project's files with `server` as a remote."""
    path = tmp_path / "work"
    shutil.copytree(project_snapshot, path)
    src = Source(path)
    src.git("init", "--quiet", "--initial-branch=main")
    src.commit("Initial import of the visualizer")
    src.git("remote", "add", "server", str(server.repo))
    return src


@pytest.fixture
def deployed(source: Source, server: Server) -> str:
    """One release already live (pushed to production); returns its commit."""
    source.push("main:production")
    assert server.live() is not None
    return source.head()


class StaticServer:
    """A static file server rooted at `releases/current`, like the real one; `get` fetches."""

    def __init__(self, base: str) -> None:
        self.base = base

    def get(self, path: str) -> tuple[int, bytes, str]:
        """Status, body and content type of GET `path` (404s are returned, not raised)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return response.status, response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as err:
            return err.code, err.read(), err.headers.get_content_type()


@contextmanager
def serving(root: Path) -> Iterator[StaticServer]:
    with static_server(root) as url:
        yield StaticServer(url.rstrip("/"))


@pytest.fixture
def http_current(server: Server) -> Iterator[StaticServer]:
    """A static HTTP server whose document root is `releases/current`."""
    with serving(server.current) as static:
        yield static
