"""The HTTP headers the site is served with: the one source for ``deploy/serve.py``, the
``<meta>`` policy in ``web/index.html`` and the nginx example in ``docs/deployment.md``
(tests/unit/test_headers.py checks that the copies match this file).

The Content-Security-Policy is the strictest the page and Pyodide 0.27 run under; every source
it allows is explained in docs/security.md. Headers reach workers (a ``<meta>`` policy does not).
"""

from __future__ import annotations

# sha256 of the one inline script left: the import map in web/index.html (import maps cannot
# be external files). tests/unit/test_headers.py recomputes it from the file.
IMPORTMAP_SHA256 = "sha256-9UpWrgVS5Sp7evIYUfr/R2tQeU4s4UjN/3uk9o1o1pA="

CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'", f"'{IMPORTMAP_SHA256}'"],
    "worker-src": ["'self'"],
    "connect-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'none'"],
}
# A <meta> policy ignores (and Chromium warns about) these: they are sent as headers only.
HEADER_ONLY_DIRECTIVES = ("frame-ancestors",)


def format_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


CONTENT_SECURITY_POLICY = format_policy(CSP_DIRECTIVES)
META_POLICY = format_policy(
    {k: v for k, v in CSP_DIRECTIVES.items() if k not in HEADER_ONLY_DIRECTIVES}
)

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
}


def response_headers(path: str) -> dict[str, str]:
    """Headers for a response to ``path`` (the URL path)."""
    return dict(BASE_HEADERS)
