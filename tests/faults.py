"""Helpers of the kill tests: wait until a child process announces a pause point and stops."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def is_stopped(pid: int) -> bool:
    """True while ``pid`` is stopped (SIGSTOP): state ``T`` in /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[-1].split()[0] in ("T", "t")


def wait_until_paused(process: subprocess.Popen, marker: str, timeout_s: float) -> list[str]:
    """Read ``process.stderr`` (text) until a line holds ``marker``, then wait until the process
    has stopped itself; returns the lines read."""
    deadline = time.monotonic() + timeout_s
    lines = []
    for line in process.stderr:
        lines.append(line)
        if marker in line:
            break
        assert time.monotonic() < deadline, f"no {marker!r} in time:\n{''.join(lines)}"
    else:
        raise AssertionError(f"exit {process.wait()} without {marker!r}:\n{''.join(lines)}")
    while not is_stopped(process.pid):
        assert time.monotonic() < deadline, "the process did not stop"
        time.sleep(0.02)
    return lines
