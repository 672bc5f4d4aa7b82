"""Roll `current` back to an earlier release, and prune old releases (never the live one)."""

from __future__ import annotations

from . import site
from .errors import DeployError
from .layout import Layout
from .lock import deploy_lock
from .log import log
from .publish import current_user
from .releases import (
    Release,
    current_state,
    find_release,
    list_releases,
    live_release_id,
    read_history,
    record_history,
    record_pruned,
    remove_tree,
    switch_current,
)


def rollback(layout: Layout, target: str | None, lock_timeout_s: float) -> Release:
    """Make `target` (default: the release before the live one) live, atomically."""
    layout.require_initialised()
    with deploy_lock(layout.lock, "rollback", lock_timeout_s):
        release = find_release(layout, target) if target else previous_release(layout)
        if release.id == live_release_id(layout):
            raise DeployError(f"release {release.id} is already live")
        try:
            site.verify_site(release.site)
        except site.BuildError as err:
            raise DeployError(f"release {release.id} failed verification: {err}") from err
        switch_current(layout, release)
        record_history(layout, release, "rollback", current_user())
        log.info("rolled back: release %s is live (%s)", release.id, release.commit)
        return release


def previous_release(layout: Layout) -> Release:
    """The newest release older than the live one; when `current` is missing or dangling, the
    newest release that was not superseded (a repair)."""
    state, detail = current_state(layout)
    if state in ("missing", "dangling"):
        candidates = [r for r in list_releases(layout) if not r.record.get("superseded")]
        if not candidates:
            raise DeployError(f"`current` is {state} and no release is left to restore")
        what = "missing" if state == "missing" else f"dangling (-> {detail})"
        log.warning("`current` is %s; restoring the newest release %s", what, candidates[-1].id)
        return candidates[-1]
    live = live_release_id(layout)
    if live is None:
        raise DeployError("nothing is live yet, so there is nothing to roll back from")
    older = [r for r in list_releases(layout) if r.id < live]
    if not older:
        raise DeployError(f"release {live} is the oldest one; there is no earlier release")
    # prefer releases that were live once: not one a killed deploy published but never switched
    were_live = {entry.get("release") for entry in read_history(layout)}
    return ([r for r in older if r.id in were_live] or older)[-1]


def prune(layout: Layout, keep: int, lock_timeout_s: float) -> list[str]:
    """Delete all but the newest `keep` releases; the live release always stays."""
    if keep < 0:
        raise DeployError("--keep must be 0 or more")
    layout.require_initialised()
    with deploy_lock(layout.lock, "prune", lock_timeout_s):
        live = live_release_id(layout)
        releases = list_releases(layout)
        kept = {r.id for r in releases[len(releases) - keep :]} if keep else set()
        doomed = [r for r in releases if r.id not in kept and r.id != live]
        for release in doomed:
            log.info("pruning release %s (%s)", release.id, release.commit)
            remove_tree(release.path)
            record_pruned(layout, release)
        log.info("pruned %d release(s); %d left", len(doomed), len(releases) - len(doomed))
        return [r.id for r in doomed]
