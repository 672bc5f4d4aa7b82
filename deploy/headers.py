"""The HTTP headers the site is served with: the one source for ``deploy/serve.py`` and the
nginx example in ``docs/deployment.md``."""

from __future__ import annotations

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
}


def response_headers(path: str) -> dict[str, str]:
    """Headers for a response to ``path`` (the URL path)."""
    return dict(BASE_HEADERS)
