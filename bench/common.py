"""Shared benchmark helpers: robust statistics, a loopback server for the site, JSON output."""

from __future__ import annotations

import functools
import http.server
import json
import os
import platform
import shutil
import statistics
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "build" / "site"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Debian's Chromium, quiet and offline (no background connections); WebGL via SwiftShader.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]


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


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Quiet static files with the page's MIME types; ``pages`` are HTML served from memory,
    ``mounts`` map URL prefixes (e.g. ``/test-data/``) to other folders."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def __init__(self, *args, pages: dict[str, bytes], mounts: dict[str, Path], **kwargs):
        self.pages = pages
        self.mounts = mounts
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        for prefix, folder in self.mounts.items():
            if path.startswith(prefix):
                return str(folder / Path(urlparse(path).path).name)
        return super().translate_path(path)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = self.pages.get(urlparse(self.path).path)
        if body is None:
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def static_server(
    root: Path, pages: dict[str, bytes] | None = None, mounts: dict[str, Path] | None = None
):
    """Serve ``root`` on 127.0.0.1 (a free port) from a thread; yields the base URL (``…/``)."""
    handler = functools.partial(
        StaticHandler, directory=str(root), pages=pages or {}, mounts=mounts or {}
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def serve_site(extra: dict[str, bytes] | None = None, site: Path = SITE):
    """Serve the built ``site`` (plus in-memory pages at ``extra`` paths); yields the URL."""
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} is not built: run `make build` first")
    with static_server(site, pages=extra) as url:
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
