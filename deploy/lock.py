"""One deploy at a time: an exclusive `flock` on `releases/deploy.lock`, with a wait limit."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .errors import DeployError
from .log import log

DEFAULT_TIMEOUT_S = 600.0
POLL_INTERVAL_S = 0.1


def lock_timeout_from_env() -> float:
    """`$DEPLOY_LOCK_TIMEOUT` seconds, else the default."""
    raw = os.environ.get("DEPLOY_LOCK_TIMEOUT")
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError as err:
        raise DeployError(f"DEPLOY_LOCK_TIMEOUT must be a number of seconds, not {raw!r}") from err


def describe_holder(path: Path) -> str:
    """What the current holder wrote into the lock file (pid, action, start time)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown holder"
    return text or "unknown holder"


def is_locked(path: Path) -> bool:
    """True while some process holds the deploy lock."""
    if not path.exists():
        return False
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@contextmanager
def deploy_lock(path: Path, action: str, timeout_s: float) -> Iterator[None]:
    """Hold the exclusive deploy lock; wait up to `timeout_s`, then fail clearly."""
    with open(path, "a+", encoding="utf-8") as handle:
        _acquire(handle, path, timeout_s)
        try:
            started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, {action}, since {started}\n")
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle, path: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    announced = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise DeployError(
                f"another deploy is running ({describe_holder(path)}); "
                f"gave up waiting for {path} after {timeout_s:g} s"
            )
        if not announced:
            log.info("waiting for the deploy lock (%s)", describe_holder(path))
            announced = True
        time.sleep(POLL_INTERVAL_S)
