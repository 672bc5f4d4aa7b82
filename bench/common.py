"""Shared benchmark helpers: robust statistics, a loopback server for the site, JSON output."""

from __future__ import annotations

import json
import os
import platform
import statistics
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from deploy.serve import static_server

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "build" / "site"

# Whether the page's 3D scene (if any) shows everything it was sent and stopped animating.
SCENE_IDLE_JS = """() => {
  const stats = window.mlpvis.sceneStats();
  return stats.webgl === false || (stats.ready && !stats.animating);
}"""


def summarize(samples: list[float]) -> dict:
    """Median with min–max (the machine is shared and noisy: never report a single run)."""
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": len(samples),
    }


def machine() -> dict:
    """What the numbers were measured on."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


@contextmanager
def serve_site(extra: dict[str, bytes] | None = None, site: Path = SITE, mounts=None):
    """Serve the built ``site`` (plus in-memory pages at ``extra`` paths and folders at
    ``mounts`` prefixes); yields the URL."""
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} is not built: run `make build` first")
    with static_server(site, pages=extra, mounts=mounts) as url:
        yield url


def write_json(path: Path, document: dict) -> None:
    """Write results (creating the folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")


def print_table(title: str, rows: list[tuple[str, dict | float | str, str]]) -> None:
    """Print ``name | median (min–max) unit`` rows."""
    print(f"\n{title}")
    for name, value, unit in rows:
        if isinstance(value, dict):
            text = f"{value['median']:.3f} ({value['min']:.3f}–{value['max']:.3f}) {unit}"
        elif isinstance(value, float):
            text = f"{value:.3f} {unit}"
        else:
            text = f"{value} {unit}"
        print(f"  {name:<42} {text}")
