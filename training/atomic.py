"""Atomic file writes: a temporary file in the same folder, then a rename.

``TRAINING_PAUSE_BEFORE_RENAME=<file name>`` stops the process (SIGSTOP) once that file's
temporary copy is written, just before the rename, after printing ``pausing before renaming
…`` to stderr: to inspect a write half-way, or to kill it there (tests/training/
test_training_kill.py does, with ``kill -9``). ``kill -CONT`` resumes.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

PAUSE_ENV = "TRAINING_PAUSE_BEFORE_RENAME"


def write_atomically(path: str | os.PathLike, write: Callable[[str], None]) -> Path:
    """Call ``write(temporary_path)``, then rename the result over ``path``.

    If ``write`` raises (or the run is interrupted), the temporary file is removed and
    ``path`` keeps its previous content, or stays absent: never half a file. Temporary files
    that a killed writer of the same ``path`` left behind are removed first (one writer per
    path at a time).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    try:
        write(temporary)
        with open(temporary, "rb") as stream:
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        _maybe_pause(target)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _maybe_pause(target: Path) -> None:
    if os.environ.get(PAUSE_ENV) == target.name:
        print(f"pausing before renaming {target} (pid {os.getpid()})", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGSTOP)
