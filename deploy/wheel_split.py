"""Split the derived NumPy wheel by what the page needs at boot.

The boot downloads, checks and installs the whole wheel, though the page imports four of
NumPy's nineteen shared libraries. The page's wheel keeps what ``import numpy`` and the
prediction path use; ``numpy.random``'s nine libraries (training in the page needs them) move
to a second wheel, ``numpy-random``, which the worker installs when the learning panel starts
(and the offline cache keeps); ``numpy.fft`` and NumPy's test and SIMD extension modules,
which nothing in the page imports, are left out. Both wheels are reproducible (same input,
same bytes) and their sha256s go into the derived lock file.
"""

from __future__ import annotations

import io
import re
import zipfile

from deploy.pyc_compile import write_archive
from py_runtime.constants import TRAINING_PACKAGE as ON_DEMAND_PACKAGE

# Shared libraries that move to the on-demand wheel (everything else stays in numpy's).
ON_DEMAND_LIBRARIES = re.compile(r"numpy/random/[^/]+\.so$")
# Shared libraries nothing in the page imports (numpy._core._multiarray_tests stays:
# ``import numpy`` needs it).
LEFT_OUT_LIBRARIES = re.compile(
    r"numpy/(fft/[^/]+|_core/_(simd|rational_tests|umath_tests|struct_ufunc_tests"
    r"|operand_flag_tests)\.[^/]+)\.so$"
)


def split_numpy_wheel(data: bytes, wheel_name: str) -> tuple[bytes, str, bytes, list[str]]:
    """``(numpy wheel, on-demand wheel name, on-demand wheel, left-out paths)`` from the
    derived wheel ``data`` named ``wheel_name`` (``numpy-<version>-<tags>.whl``)."""
    version, tags = _wheel_version_and_tags(wheel_name)
    kept: list[tuple[str, bytes]] = []
    moved: list[tuple[str, bytes]] = []
    left_out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if LEFT_OUT_LIBRARIES.fullmatch(info.filename):
                left_out.append(info.filename)
            elif ON_DEMAND_LIBRARIES.fullmatch(info.filename):
                moved.append((info.filename, archive.read(info)))
            else:
                kept.append((info.filename, archive.read(info)))
    if not moved:
        raise ValueError(f"{wheel_name} has no numpy.random shared libraries to move")
    extra_project = ON_DEMAND_PACKAGE.replace("-", "_")
    dist_info = f"{extra_project}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {ON_DEMAND_PACKAGE}\nVersion: {version}\n"
    wheel_file = f"Wheel-Version: 1.0\nGenerator: mlpvis\nRoot-Is-Purelib: false\nTag: {tags}\n"
    moved += [
        (f"{dist_info}/METADATA", metadata.encode()),
        (f"{dist_info}/WHEEL", wheel_file.encode()),
        (f"{dist_info}/RECORD", b""),
    ]
    extra_name = f"{extra_project}-{version}-{tags}.whl"
    return write_archive(kept, wheel=True), extra_name, write_archive(moved, wheel=True), left_out


def on_demand_lock_entry(numpy_entry: dict, file_name: str, sha256: str) -> dict:
    """The ``pyodide-lock.json`` entry of the on-demand wheel (it extends ``numpy``)."""
    return {
        **numpy_entry,
        "name": ON_DEMAND_PACKAGE,
        "file_name": file_name,
        "sha256": sha256,
        "imports": [],
        "depends": ["numpy"],
        "unvendored_tests": False,
    }


def _wheel_version_and_tags(wheel_name: str) -> tuple[str, str]:
    """``(version, tags)`` of a wheel file name (``project-version-tags.whl``)."""
    _, version, tags = wheel_name.removesuffix(".whl").split("-", 2)
    return version, tags
