"""Replace the Python sources in zip archives by sourceless, unchecked-hash ``.pyc`` files.

Runs *inside* Pyodide (under Node, started by ``deploy/node/derive_pyc.mjs``), so the bytecode
is made by the very CPython build the page runs. The output is a function of the input bytes
only: entries keep their order, get a fixed timestamp and are stored uncompressed (the server
sends them brotli- or gzip-compressed; the browser's wasm no longer inflates each module).
"""

from __future__ import annotations

import base64
import hashlib
import importlib._bootstrap_external as bootstrap
import importlib.util
import io
import json
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def pyc_bytes(source: bytes, filename: str) -> bytes:
    """Bytecode for ``source`` as an unchecked hash-based ``.pyc`` (never compared to a source)."""
    code = compile(source, filename, "exec", dont_inherit=True, optimize=0)
    return bytes(
        bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
    )


def derive_archive(data: bytes, prefix: str, wheel: bool) -> tuple[bytes, dict]:
    """The archive ``data`` with every compilable ``x.py`` replaced by ``x.pyc``.

    ``prefix`` is where the archive's entries live at run time (the code objects' file names).
    A wheel's ``RECORD`` is rewritten to list the new files with their hashes.
    """
    entries: list[tuple[str, bytes]] = []
    kept_sources = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            content = archive.read(info)
            name = info.filename
            if name.endswith(".py"):
                try:
                    content = pyc_bytes(content, prefix + name)
                    name += "c"
                except (SyntaxError, ValueError):
                    kept_sources.append(name)  # not valid Python 3.12 (test data): left as is
            entries.append((name, content))
    compiled = sum(1 for name, _ in entries if name.endswith(".pyc"))
    return write_archive(entries, wheel), {"compiled": compiled, "kept_sources": kept_sources}


def write_archive(entries: list[tuple[str, bytes]], wheel: bool) -> bytes:
    """A reproducible zip of ``(name, content)`` entries, in order: fixed timestamp, stored
    uncompressed; a wheel gets its ``RECORD`` rewritten to the entries' hashes."""
    if wheel:
        entries = _with_record(entries)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for name, content in entries:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.external_attr = 0o644 << 16
            out.writestr(info, content)
    return buffer.getvalue()


def _with_record(entries: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    records = [name for name, _ in entries if name.endswith(".dist-info/RECORD")]
    if len(records) != 1:
        raise ValueError(f"expected one .dist-info/RECORD in the wheel, found {len(records)}")
    lines = []
    for name, content in entries:
        if name == records[0]:
            lines.append(f"{name},,")
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(content)}")
    record = ("\n".join(lines) + "\n").encode()
    return [(name, record if name == records[0] else content) for name, content in entries]


def derive(jobs_json: str) -> str:
    """Run the jobs (``[{"src", "dst", "prefix", "wheel"}]``, paths in Pyodide's file system);
    returns a JSON report per job."""
    report = []
    for job in json.loads(jobs_json):
        with open(job["src"], "rb") as handle:
            data = handle.read()
        derived, stats = derive_archive(data, job["prefix"], bool(job.get("wheel")))
        with open(job["dst"], "wb") as handle:
            handle.write(derived)
        report.append({"dst": job["dst"], **stats})
    return json.dumps(report)
