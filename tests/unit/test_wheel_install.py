"""The worker's wheel installer (web/src/worker/wheels.js, run under Node) reads the zips the
build writes exactly as Python's zipfile does: same files, same bytes. Needs Node; the built
site's wheels are checked too once there is one (`make build`)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from deploy.pyc_compile import write_archive

ROOT = Path(__file__).resolve().parents[2]
PYODIDE = ROOT / "build" / "site" / "vendor" / "pyodide"

# Prints [name, sha256] of every file storedZipEntries finds in the zip at argv[1].
LIST_ENTRIES = """
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { storedZipEntries } from "./web/src/worker/wheels.js";
const bytes = new Uint8Array(readFileSync(process.argv[1]));
const hash = (data) => createHash("sha256").update(data).digest("hex");
console.log(JSON.stringify(storedZipEntries(bytes).map((e) => [e.name, hash(e.data)])));
"""


def entries_read_by_the_page(path: Path) -> list[list[str]]:
    command = ["node", "--input-type=module", "-e", LIST_ENTRIES, str(path)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def entries_read_by_python(path: Path) -> list[list[str]]:
    with zipfile.ZipFile(path) as archive:
        return [
            [info.filename, hashlib.sha256(archive.read(info)).hexdigest()]
            for info in archive.infolist()
            if not info.is_dir()
        ]


@pytest.fixture(autouse=True)
def _needs_node():
    if shutil.which("node") is None:
        pytest.skip("needs node")


def test_the_installer_reads_an_archive_the_build_writes(tmp_path):
    entries = [
        ("pkg/__init__.py", b"from .core import x\n"),
        ("pkg/core.cpython-312-wasm32-emscripten.so", bytes(range(256)) * 300),
        ("pkg/sub/deep/m\u00e9t\u00e9o.pyc", b"\x00" * 17),
        ("pkg/empty.txt", b""),
        ("pkg-1.0.dist-info/RECORD", b""),
    ]
    path = tmp_path / "pkg-1.0-py3-none-any.whl"
    path.write_bytes(write_archive(entries, wheel=True))
    assert entries_read_by_the_page(path) == entries_read_by_python(path)
    assert len(entries_read_by_python(path)) == len(entries)


def test_the_installer_reads_every_wheel_of_the_built_site():
    wheels = sorted(PYODIDE.glob("*.whl"))
    if not wheels:
        pytest.skip("needs a built site (make build)")
    for wheel in wheels:
        assert entries_read_by_the_page(wheel) == entries_read_by_python(wheel), wheel.name
