"""`init`: create the releases layout and the bare repository, and install the hook."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from .errors import DeployError
from .gitrepo import git_env
from .layout import PACKAGE_DIR, Layout

HOOK_TEMPLATE = PACKAGE_DIR / "hooks" / "post-receive"
DEPLOY_SCRIPT = PACKAGE_DIR / "deploy.sh"
HOOK_MARKER = "mnist-mlp-visualizer release hook"


def init(layout: Layout, force: bool = False) -> list[str]:
    """Create what is missing; return one line per thing done. Safe to run again."""
    done = []
    for directory in (layout.root, layout.backups, layout.scratch):
        if not directory.is_dir():
            directory.mkdir(parents=True, mode=0o755)
            done.append(f"created {directory}")
    if not (layout.repo / "HEAD").is_file():
        create_bare_repo(layout.repo)
        done.append(f"created bare repository {layout.repo}")
    done.extend(install_hook(layout, force))
    return done


def create_bare_repo(repo: Path) -> None:
    """`git init --bare` with settings that keep received history sound."""
    if repo.exists() and any(repo.iterdir()):
        raise DeployError(f"{repo} exists but is not a bare git repository; move it away first")
    run_git("init", "--quiet", "--bare", str(repo))
    run_git("--git-dir", str(repo), "config", "receive.fsckObjects", "true")
    run_git("--git-dir", str(repo), "symbolic-ref", "HEAD", "refs/heads/production")


def run_git(*args: str) -> None:
    result = subprocess.run(["git", *args], capture_output=True, text=True, env=git_env())
    if result.returncode != 0:
        raise DeployError(f"git {' '.join(args)} failed: {result.stderr.strip()}")


def render_hook(layout: Layout) -> str:
    """The hook template with this checkout's interpreter, script and releases dir filled in."""
    values = {
        "@RELEASES_DIR@": str(layout.root),
        "@DEPLOY_PYTHON@": sys.executable,
        "@DEPLOY_SH@": str(DEPLOY_SCRIPT),
    }
    text = HOOK_TEMPLATE.read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, shlex.quote(value))
    return text


def install_hook(layout: Layout, force: bool) -> list[str]:
    """Write the post-receive hook; a hook we did not write is kept unless `force`."""
    wanted = render_hook(layout)
    hook = layout.hook
    hook.parent.mkdir(exist_ok=True)
    if hook.exists() or hook.is_symlink():
        existing = _read_or_empty(hook)
        if existing == wanted and os.access(hook, os.X_OK):
            return []
        if HOOK_MARKER not in existing or hook.is_symlink():
            if not force:
                raise DeployError(
                    f"{hook} exists and was not written by `python -m deploy init`; "
                    "left as it is (rerun with --force to replace it, keeping a backup)"
                )
            backup = hook.with_name(f"post-receive.{_stamp()}.bak")
            os.replace(hook, backup)
            _write_executable(hook, wanted)
            return [f"replaced a foreign hook (saved as {backup})"]
    _write_executable(hook, wanted)
    return [f"installed {hook}"]


def _write_executable(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.chmod(temp, 0o755)
    os.replace(temp, path)


def _read_or_empty(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
