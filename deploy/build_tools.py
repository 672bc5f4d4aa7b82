"""What every step of the site build shares: its error type and the runner of ``deploy/node/``'s
scripts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

NODE_SCRIPTS = Path(__file__).resolve().parent / "node"


class BuildError(RuntimeError):
    """The site could not be built or failed verification; the message says what and why."""


def run_node(script: str, *args) -> list:
    """Run one of ``deploy/node/``'s scripts; their last stdout line is a JSON report."""
    command = ["node", str(NODE_SCRIPTS / script), *map(str, args)]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        raise BuildError(f"could not run node ({error}): install Node.js 20 or later") from None
    if result.returncode != 0:
        raise BuildError(f"{script} failed:\n{result.stderr.strip()[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
