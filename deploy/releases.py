"""Releases on disk: `backups/<id>/site` (served) beside `backups/<id>/release.json`."""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .errors import DeployError
from .layout import Layout
from .log import log

RELEASE_ID_FORMAT = "%Y%m%dT%H%M%S.%fZ"
SITE_DIR = "site"
RECORD_FILE = "release.json"


@dataclass(frozen=True)
class Release:
    """One complete release directory and what was recorded about it."""

    id: str
    path: Path
    record: dict = field(compare=False)

    @property
    def site(self) -> Path:
        return self.path / SITE_DIR

    @property
    def commit(self) -> str:
        return str(self.record.get("commit", "?"))


def new_release_id(layout: Layout, now: datetime | None = None) -> str:
    """A sortable UTC timestamp, unique and later than every release already there."""
    taken = [p.name for p in _dirs(layout.backups) + _dirs(layout.scratch)]
    latest = max((name for name in taken if is_release_id(name)), default=None)
    candidate = (now or datetime.now(UTC)).strftime(RELEASE_ID_FORMAT)
    if latest is not None and candidate <= latest:
        bumped = _parse_id(latest) + timedelta(microseconds=1)
        candidate = bumped.strftime(RELEASE_ID_FORMAT)
    return candidate


def is_release_id(name: str) -> bool:
    """True for names `new_release_id` makes."""
    try:
        _parse_id(name)
    except ValueError:
        return False
    return True


def _parse_id(name: str) -> datetime:
    return datetime.strptime(name, RELEASE_ID_FORMAT).replace(tzinfo=UTC)


def list_releases(layout: Layout) -> list[Release]:
    """Every complete release, oldest first."""
    found = []
    for path in sorted(_dirs(layout.backups), key=lambda p: p.name):
        record_file = path / RECORD_FILE
        if not record_file.is_file() or not (path / SITE_DIR).is_dir():
            continue
        try:
            record = json.loads(record_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        found.append(Release(path.name, path, record))
    return found


def live_release_id(layout: Layout) -> str | None:
    """The id of the release `current` points to, or None."""
    try:
        target = Path(os.readlink(layout.current))
    except OSError:
        return None
    parts = target.parts
    if len(parts) == 3 and parts[0] == layout.backups.name and parts[2] == SITE_DIR:
        return parts[1]
    return None


def current_state(layout: Layout) -> tuple[str, str | None]:
    """What `current` is: ("live", id), ("none", None) before the first release,
    ("missing", None) when releases exist but `current` does not, ("dangling", target) when it
    points to no complete release, ("foreign", target) when it is not a link we made."""
    link = layout.current
    if not link.is_symlink():
        if link.exists():
            return "foreign", str(link)
        return ("missing" if list_releases(layout) else "none"), None
    live = live_release_id(layout)
    if live is None:
        return "foreign", os.readlink(link)
    if live not in {r.id for r in list_releases(layout)}:
        return "dangling", os.readlink(link)
    return "live", live


def record_pruned(layout: Layout, release: Release) -> None:
    """Remember that `release` was pruned (one line in `pruned.jsonl`)."""
    entry = {
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "release": release.id,
        "commit": release.commit,
    }
    try:
        with open(layout.pruned, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
    except OSError as err:
        log.warning("could not record pruned release %s: %s", release.id, err)


def pruned_release(layout: Layout, release_id: str) -> dict | None:
    """The `pruned.jsonl` entry of a pruned release named `release_id` (or a prefix)."""
    try:
        lines = layout.pruned.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if release_id and str(entry.get("release", "")).startswith(release_id):
            return entry
    return None


def find_release(layout: Layout, release_id: str) -> Release:
    """The release named `release_id` (a unique prefix is enough)."""
    releases = list_releases(layout)
    exact = [r for r in releases if r.id == release_id]
    matches = exact or [r for r in releases if release_id and r.id.startswith(release_id)]
    gone = pruned_release(layout, release_id) if not matches else None
    if gone is not None:
        raise DeployError(
            f"release {gone['release']} was pruned on {gone.get('time', '?')} and cannot be "
            f"restored; redeploy its commit instead: python -m deploy deploy {gone.get('commit')}"
        )
    if len(matches) != 1:
        known = ", ".join(r.id for r in releases) or "none"
        what = "no" if not matches else "more than one"
        raise DeployError(f"{what} release matches {release_id!r} (releases: {known})")
    return matches[0]


def switch_current(layout: Layout, release: Release) -> None:
    """Point `current` at the release's site in one atomic rename of a fresh symlink."""
    target = Path(layout.backups.name) / release.id / SITE_DIR
    temp_link = layout.root / f".current.{os.getpid()}.tmp"
    temp_link.unlink(missing_ok=True)
    os.symlink(target, temp_link)
    try:
        os.replace(temp_link, layout.current)
    except OSError as err:
        temp_link.unlink(missing_ok=True)
        raise DeployError(f"could not switch {layout.current} to {target}: {err}") from err


def record_history(layout: Layout, release: Release, trigger: str, user: str) -> None:
    """Append one line to `history.jsonl`: which release went live, when, and why."""
    entry = {
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "release": release.id,
        "commit": release.commit,
        "trigger": trigger,
        "user": user,
    }
    try:
        with open(layout.history, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
    except OSError as err:
        log.warning("could not append release %s to %s: %s", release.id, layout.history, err)


def read_history(layout: Layout) -> list[dict]:
    """Every switch of `current`, oldest first."""
    try:
        lines = layout.history.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.strip()]


def make_world_readable(root: Path) -> None:
    """Files 0644 and directories 0755: readable by everyone, writable by the owner only."""
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                raise DeployError(f"refusing to publish a symbolic link: {path}")
            if name in filenames:
                os.chmod(path, 0o644)


def remove_tree(path: Path) -> None:
    """Delete a directory tree, even one with read-only entries."""

    def _retry_writable(func, failed_path, _exc_info):
        parent = os.path.dirname(failed_path)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR)
        func(failed_path)

    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, onerror=_retry_writable)


def _dirs(parent: Path) -> list[Path]:
    try:
        return [p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except FileNotFoundError:
        return []
