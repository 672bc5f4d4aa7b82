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


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def __init__(self, *args, extra: dict[str, bytes], **kwargs):
        self.extra = extra
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path.split("?")[0]
        if path in self.extra:
            body = self.extra[path]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve_site(extra: dict[str, bytes] | None = None, site: Path = SITE):
    """Serve ``site`` (plus in-memory pages at ``extra`` paths) on 127.0.0.1; yields the URL."""
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} is not built: run `make build` first")
    handler = functools.partial(_Handler, directory=str(site), extra=extra or {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


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
