"""The static server for the built site: ``make serve``, the tests and the benchmarks use it.

Standard library only (``http.server``): the page's MIME types, the security headers every
response carries (``deploy/headers.py`` is their one source), the build's precompressed
``NAME.br`` / ``NAME.gz`` in place of ``NAME`` when the browser accepts them, and extra
in-memory pages or mounted folders for tests and benchmarks.

    python -m deploy.serve build/site --port 8000
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import http.server
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from deploy.headers import response_headers

MIME_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
}

# Content-Encoding → the suffix of the build's precompressed file, preferred first.
PRECOMPRESSED = (("br", "br"), ("gzip", "gz"))


def accepted_encodings(header: str) -> set[str]:
    """The codings an ``Accept-Encoding`` header allows (``q=0`` excludes one)."""
    accepted = set()
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if coding.strip() and float(quality) > 0:
                accepted.add(coding.strip().lower())
        except ValueError:
            continue
    return accepted


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the page's MIME types and headers; ``pages`` are HTML served from
    memory, ``mounts`` map URL prefixes (e.g. ``/test-data/``) to other folders."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def __init__(self, *args, pages=None, mounts=None, quiet=True, **kwargs):
        self.pages = pages or {}
        self.mounts = mounts or {}
        self.quiet = quiet
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        for prefix, folder in self.mounts.items():
            if path.startswith(prefix):
                return str(Path(folder) / Path(urlparse(path).path).name)
        return super().translate_path(path)

    def end_headers(self) -> None:
        path = urlparse(self.path).path
        for name, value in response_headers(path).items():
            if path in self.pages and name == "Content-Security-Policy":
                continue  # in-memory test/bench pages are not the site: no site policy
            self.send_header(name, value)
        if getattr(self, "varies_by_encoding", False):
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def send_head(self):
        """A precompressed sibling (``.br``, ``.gz``) when there is one and the browser accepts
        it: same Content-Type as the original, plus Content-Encoding and Vary."""
        path = self.translate_path(self.path)
        if urlparse(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        variants = [
            (coding, f"{path}.{suffix}")
            for coding, suffix in PRECOMPRESSED
            if os.path.isfile(f"{path}.{suffix}")
        ]
        if not os.path.isfile(path) or not variants:
            return super().send_head()
        self.varies_by_encoding = True
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        for coding, variant in variants:
            if coding in accepted:
                return self._send_variant(path, variant, coding)
        return super().send_head()

    def _send_variant(self, path: str, variant: str, coding: str):
        handle = open(variant, "rb")  # noqa: SIM115 (copyfile reads it; do_GET closes it)
        status = os.fstat(handle.fileno())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(status.st_size))
        self.send_header("Last-Modified", email.utils.formatdate(status.st_mtime, usegmt=True))
        self.end_headers()
        return handle

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
        if not self.quiet:
            super().log_message(*args)


class SiteServer(http.server.ThreadingHTTPServer):
    """A threading server that stays quiet when a browser drops a connection mid-response
    (a closed page or context, a cancelled fetch)."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(root: Path, host="127.0.0.1", port=0, pages=None, mounts=None, quiet=True):
    """A threading HTTP server for ``root`` (not started)."""
    handler = functools.partial(
        SiteHandler, directory=str(root), pages=pages, mounts=mounts, quiet=quiet
    )
    return SiteServer((host, port), handler)


@contextmanager
def static_server(root: Path, pages: dict[str, bytes] | None = None, mounts=None):
    """Serve ``root`` on 127.0.0.1 (a free port) from a thread; yields the base URL (``…/``)."""
    server = make_server(root, pages=pages, mounts=mounts)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.serve", description=__doc__.split("\n")[0]
    )
    parser.add_argument("root", type=Path, help="the built site (build/site)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.root / "index.html").is_file():
        parser.error(f"{args.root} has no index.html: run `make build` first")
    server = make_server(args.root, args.host, args.port, quiet=False)
    print(f"serving {args.root} on http://{args.host}:{args.port}/  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
