"""deploy.serve: the build's .br/.gz siblings are served when the browser accepts them."""

from __future__ import annotations

import gzip
import urllib.request

import pytest

from deploy.serve import accepted_encodings, static_server

BODY = b"export const answer = 42;\n" * 100


@pytest.fixture
def site(tmp_path):
    (tmp_path / "app.js").write_bytes(BODY)
    (tmp_path / "app.js.gz").write_bytes(gzip.compress(BODY))
    (tmp_path / "app.js.br").write_bytes(b"brotli bytes")  # content is not looked at
    (tmp_path / "plain.js").write_bytes(BODY)
    with static_server(tmp_path) as url:
        yield url


def get(url: str, accept: str | None):
    headers = {} if accept is None else {"Accept-Encoding": accept}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.headers, response.read()


@pytest.mark.parametrize(
    "accept, encoding",
    [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), (None, None)],
)
def test_the_accepted_variant_is_served_with_the_original_type(site, accept, encoding):
    headers, body = get(site + "app.js", accept)
    assert headers["Content-Type"] == "text/javascript"
    assert headers["Content-Encoding"] == encoding
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert int(headers["Content-Length"]) == len(body)
    decoded = {"br": lambda b: b, "gzip": gzip.decompress, None: lambda b: b}[encoding](body)
    assert decoded == {"br": b"brotli bytes"}.get(encoding, BODY)


def test_a_file_without_variants_is_served_as_is(site):
    headers, body = get(site + "plain.js", "gzip, br")
    assert body == BODY and headers["Content-Encoding"] is None and headers["Vary"] is None


def test_accept_encoding_parsing():
    assert accepted_encodings("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert accepted_encodings("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted_encodings("") == set()
