"""Logging of every deploy step to `releases/deploy.log` and to stderr."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

LOGGER_NAME = "deploy"
log = logging.getLogger(LOGGER_NAME)


class _UTCFormatter(logging.Formatter):
    converter = time.gmtime


def setup_logging(log_file: Path | None) -> None:
    """Send `deploy` records to stderr and, when given, append them to `log_file`."""
    log.setLevel(logging.INFO)
    log.propagate = False
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setFormatter(logging.Formatter("deploy: %(message)s"))
    log.addHandler(terminal)
    if log_file is not None and log_file.parent.is_dir():
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setFormatter(
            _UTCFormatter(
                f"%(asctime)sZ [{os.getpid()}] %(levelname)s %(message)s",
                datefmt="%Y-%m-%dT%H:%M:%S",
            )
        )
        log.addHandler(to_file)
