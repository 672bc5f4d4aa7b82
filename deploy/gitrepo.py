"""Read commits out of the bare repository: argv lists only, never a shell."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

from .errors import DeployError

ZERO_SHA = "0" * 40


def git_env() -> dict[str, str]:
    """The environment minus `GIT_*` variables a hook inherits (GIT_DIR=. and friends)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `git --git-dir REPO ARGS...` and capture its output as text."""
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args],
        capture_output=True,
        text=True,
        env=git_env(),
        check=check,
    )


def resolve_commit(repo: Path, revision: str) -> str:
    """The full hash of the commit `revision` names in `repo`, or a clear DeployError."""
    if not revision or revision.startswith("-") or "\n" in revision:
        raise DeployError(f"unknown commit {revision!r}: not a revision name")
    wanted = f"{revision}^{{commit}}"
    found = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", wanted, check=False)
    if found.returncode != 0:
        raise DeployError(f"unknown commit {revision!r}: {repo} has no such commit")
    return found.stdout.strip()


def ref_tip(repo: Path, ref: str) -> str | None:
    """The commit `ref` points to now, or None when it does not exist."""
    found = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", ref, check=False)
    return found.stdout.strip() if found.returncode == 0 else None


def export_tree(repo: Path, commit: str, dest: Path) -> None:
    """Write the files of `commit` into `dest` (`git archive`, safely extracted)."""
    dest.mkdir(parents=True)
    proc = subprocess.Popen(
        ["git", "--git-dir", str(repo), "archive", "--format=tar", commit],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=git_env(),
    )
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            archive.extractall(dest, filter="data")
    except BaseException as err:
        proc.kill()
        proc.communicate()
        if isinstance(err, tarfile.TarError | OSError):
            raise DeployError(f"could not extract commit {commit}: {err}") from err
        raise
    _, errors = proc.communicate()
    if proc.returncode != 0:
        raise DeployError(f"git archive {commit} failed: {errors.decode(errors='replace')}")
