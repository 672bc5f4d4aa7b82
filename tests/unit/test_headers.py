"""deploy/headers.py is the one source of the security headers: its copies must match it."""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.request
from pathlib import Path

from deploy.headers import (
    BASE_HEADERS,
    CONTENT_SECURITY_POLICY,
    CSP_DIRECTIVES,
    IMPORTMAP_SHA256,
    META_POLICY,
    response_headers,
)
from deploy.serve import static_server

ROOT = Path(__file__).resolve().parents[2]
INDEX = (ROOT / "web" / "index.html").read_text(encoding="utf-8")


def test_the_import_map_is_the_only_inline_script_and_its_hash_is_allowed():
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", INDEX, re.S)
    assert len(inline) == 1 and '"imports"' in inline[0]
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"sha256-{digest}" == IMPORTMAP_SHA256


def test_the_page_has_no_inline_handlers_or_style_attributes():
    assert not re.search(r"\son[a-z]+=", INDEX)
    assert not re.search(r"\sstyle=", INDEX)


def test_the_meta_policy_is_the_header_policy_minus_header_only_directives():
    (meta,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', INDEX)
    assert meta == META_POLICY
    assert INDEX.index("Content-Security-Policy") < INDEX.index("<script")
    assert "frame-ancestors" not in META_POLICY and "frame-ancestors" in CONTENT_SECURITY_POLICY


def test_the_policy_is_strict():
    assert CSP_DIRECTIVES["default-src"] == ["'self'"]
    everything = " ".join(" ".join(v) for v in CSP_DIRECTIVES.values())
    for loose in ("'unsafe-eval'", "'unsafe-inline'", "*", "blob:", "http:", "https:"):
        assert loose not in everything.split()
    assert response_headers("/anything")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_nginx_example_sends_the_same_headers():
    docs = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for name, value in BASE_HEADERS.items():
        assert f'add_header {name} "{value}" always;' in docs


def test_each_allowed_source_has_a_reason_in_the_docs():
    docs = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for directive, sources in CSP_DIRECTIVES.items():
        for source in sources:
            shown = "'sha256-…'" if source.startswith("'sha256-") else source
            row = f"| `{directive}` | `{shown}"
            assert row in docs or f"| `{directive}` | `{' '.join(sources)}`" in docs, row


def test_the_server_sends_the_policy_on_files_but_not_on_in_memory_bench_pages(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html>")
    with static_server(tmp_path, pages={"/bench.html": b"<script>1</script>"}) as url:
        site = urllib.request.urlopen(url + "index.html")
        bench = urllib.request.urlopen(url + "bench.html")
    assert site.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert bench.headers["Content-Security-Policy"] is None
    assert bench.headers["X-Content-Type-Options"] == "nosniff"
