"""Deploy one commit: export, build, verify, record, then switch `current` atomically."""

from __future__ import annotations

import getpass
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from . import site, stages
from .errors import DeployError
from .gitrepo import export_tree, ref_tip, resolve_commit
from .layout import Layout
from .lock import deploy_lock
from .log import log
from .releases import (
    RECORD_FILE,
    SITE_DIR,
    Release,
    live_release_id,
    make_world_readable,
    new_release_id,
    record_history,
    remove_tree,
    switch_current,
)

TRIGGERS = ("push", "manual")


def current_user() -> str:
    """Who runs the deploy: `$DEPLOY_USER`, else the login name."""
    try:
        return os.environ.get("DEPLOY_USER") or getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def deploy(
    layout: Layout, revision: str, trigger: str, ref: str | None, lock_timeout_s: float
) -> Release:
    """Deploy `revision` under the deploy lock; on any failure nothing live changes."""
    if trigger not in TRIGGERS:
        raise DeployError(f"unknown trigger {trigger!r} (expected one of {', '.join(TRIGGERS)})")
    layout.require_initialised()
    commit = resolve_commit(layout.repo, revision)
    stages.pause_stage()  # a bad DEPLOY_PAUSE_AT fails before anything starts
    with deploy_lock(layout.lock, f"deploy {commit[:12]}", lock_timeout_s):
        clear_stale_scratch(layout)
        return _deploy_locked(layout, commit, revision, trigger, ref)


def clear_stale_scratch(layout: Layout) -> None:
    """Remove what an interrupted deploy left: `.deploy_tmp/*` and half-made `current` links
    (safe: we hold the lock)."""
    layout.scratch.mkdir(exist_ok=True)
    leftovers = [*layout.scratch.iterdir(), *layout.root.glob(".current.*.tmp")]
    for leftover in leftovers:
        log.info("removing leftover scratch %s", leftover)
        remove_tree(leftover)


def _deploy_locked(
    layout: Layout, commit: str, revision: str, trigger: str, ref: str | None
) -> Release:
    release_id = new_release_id(layout)
    work = layout.scratch / release_id
    published: Path | None = None
    log.info("deploying %s (%s, %s) as release %s", commit, ref or revision, trigger, release_id)
    try:
        work.mkdir(parents=True)
        build_release(layout, commit, work)
        wanted = is_still_wanted(layout, commit, trigger, ref)
        write_record(work, release_id, commit, revision, trigger, ref, superseded=not wanted)
        stages.begin("publish")
        published = layout.backups / release_id
        os.replace(work, published)
        release = Release(release_id, published, read_record(published))
        if wanted:
            stages.begin("switch")
            switch_current(layout, release)
    except BaseException as err:
        if published is not None and live_release_id(layout) != release_id:
            remove_tree(published)
        if isinstance(err, Exception):
            raise DeployError(
                f"deploy of {commit[:12]} failed: {describe(err)}; the live release is unchanged"
            ) from err
        log.error("deploy of %s interrupted; the live release is unchanged", commit[:12])
        raise
    finally:
        remove_tree(work)
    if not wanted:
        log.warning(
            "%s moved on to a newer push during this deploy; release %s kept, not published",
            ref,
            release_id,
        )
        return release
    record_history(layout, release, trigger, current_user())
    log.info("release %s is live: %s", release_id, commit)
    return release


def build_release(layout: Layout, commit: str, work: Path) -> None:
    """Export the commit into `work/src` and build the verified site into `work/site`."""
    source = work / "src"
    site_dir = work / SITE_DIR
    stages.begin("export")
    log.info("exporting %s into %s", commit[:12], source)
    export_tree(layout.repo, commit, source)
    log.info("building the site (cache %s)", layout.cache)
    layout.cache.mkdir(parents=True, exist_ok=True)
    try:
        stages.begin("build")
        site.build_site(source, site_dir, layout.cache)
        stages.begin("verify")
        log.info("verifying the built site")
        site.verify_site(site_dir)
    except site.BuildError as err:
        raise DeployError(f"build failed: {err}") from err
    remove_tree(source)
    make_world_readable(site_dir)


def is_still_wanted(layout: Layout, commit: str, trigger: str, ref: str | None) -> bool:
    """A pushed commit goes live only while its ref still points to it."""
    if trigger != "push" or ref is None:
        return True
    return ref_tip(layout.repo, ref) == commit


def write_record(
    work: Path,
    release_id: str,
    commit: str,
    revision: str,
    trigger: str,
    ref: str | None,
    superseded: bool,
) -> None:
    """Write `release.json` beside (not inside) the served site."""
    record = {
        "release": release_id,
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit,
        "ref": ref,
        "requested": revision,
        "trigger": trigger,
        "user": current_user(),
        "host": socket.gethostname(),
        "superseded": superseded,
    }
    path = work / RECORD_FILE
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.chmod(path, 0o644)
    os.chmod(work, 0o755)


def read_record(release_dir: Path) -> dict:
    return json.loads((release_dir / RECORD_FILE).read_text(encoding="utf-8"))


def describe(err: Exception) -> str:
    """A one-line reason for the log."""
    return str(err) or type(err).__name__
