"""What every step of the site build shares: its error type, the runner of the tools it calls
(node, npm) and of ``deploy/node/``'s scripts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

NODE_SCRIPTS = Path(__file__).resolve().parent / "node"


class BuildError(RuntimeError):
    """The site could not be built or failed verification; the message says what and why."""


INSTALL_HINTS = {"node": "install Node.js 20 or later", "npm": "install Node.js and npm"}


def run_tool(command: list[str], what: str, cwd: Path | None = None) -> str:
    """Run ``command`` (``node``/``npm`` …); its stdout, or a ``BuildError`` saying ``what``
    failed and why (the end of its stderr, or how to install the missing tool)."""
    try:
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    except OSError as error:
        hint = INSTALL_HINTS.get(command[0], f"install {command[0]}")
        raise BuildError(f"could not run {command[0]} ({error}): {hint}") from None
    if result.returncode != 0:
        raise BuildError(f"{what} failed:\n{result.stderr.strip()[-4000:]}")
    return result.stdout


def run_node(script: str, *args) -> list:
    """Run one of ``deploy/node/``'s scripts; their last stdout line is a JSON report."""
    output = run_tool(["node", str(NODE_SCRIPTS / script), *map(str, args)], script)
    return json.loads(output.strip().splitlines()[-1])
