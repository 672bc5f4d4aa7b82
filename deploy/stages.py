"""The deploy's stages, logged as they start; ``DEPLOY_PAUSE_AT`` stops a deploy at one.

    DEPLOY_PAUSE_AT=build python -m deploy deploy production

stops the deploy process (SIGSTOP, it holds the lock) just before the named stage, after
logging ``pausing before stage build (pid N)``: an operator can inspect the half-done state and
resume it with ``kill -CONT N`` or abandon it with ``kill -9 N``. The fault tests use it to kill
deploys at each stage (tests/deploy/test_faults.py).
"""

from __future__ import annotations

import os
import signal

from .errors import DeployError
from .log import log

PAUSE_ENV = "DEPLOY_PAUSE_AT"
# export the commit; build the site; verify it; publish it into backups/; switch `current`
STAGES = ("export", "build", "verify", "publish", "switch")


def pause_stage() -> str | None:
    """The stage ``DEPLOY_PAUSE_AT`` names, or None; a name that is no stage is an error."""
    wanted = os.environ.get(PAUSE_ENV) or None
    if wanted is not None and wanted not in STAGES:
        raise DeployError(f"{PAUSE_ENV}={wanted!r} is not a stage ({', '.join(STAGES)})")
    return wanted


def begin(name: str) -> None:
    """Log the start of stage ``name``; stop here first when ``DEPLOY_PAUSE_AT`` names it."""
    assert name in STAGES, name
    if pause_stage() == name:
        log.warning("pausing before stage %s (pid %d): kill -CONT to resume", name, os.getpid())
        for handler in log.handlers:
            handler.flush()
        os.kill(os.getpid(), signal.SIGSTOP)
    log.info("stage %s", name)
