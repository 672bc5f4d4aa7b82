"""deploy.wheel_split: the page's NumPy wheel keeps what the boot needs; random moves out."""

from __future__ import annotations

import io
import zipfile

import pytest

from deploy.pyc_compile import write_archive
from deploy.wheel_split import on_demand_lock_entry, split_numpy_wheel

WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
SO = ".cpython-312-wasm32-emscripten.so"


def fake_numpy_wheel() -> bytes:
    names = [
        "numpy/__init__.pyc",
        f"numpy/_core/_multiarray_umath{SO}",
        f"numpy/_core/_multiarray_tests{SO}",  # import numpy needs it: stays
        f"numpy/_core/_umath_tests{SO}",
        f"numpy/_core/_simd{SO}",
        f"numpy/linalg/_umath_linalg{SO}",
        f"numpy/fft/_pocketfft_umath{SO}",
        "numpy/fft/__init__.pyc",
        f"numpy/random/_generator{SO}",
        f"numpy/random/mtrand{SO}",
        "numpy/random/__init__.pyc",
        "numpy-2.0.2.dist-info/METADATA",
        "numpy-2.0.2.dist-info/RECORD",
    ]
    return write_archive([(name, name.encode()) for name in names], wheel=True)


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def test_split_moves_random_libraries_and_leaves_out_fft_and_test_extensions():
    kept, extra_name, extra, left_out = split_numpy_wheel(fake_numpy_wheel(), WHEEL)
    assert extra_name == "numpy_random-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    assert f"numpy/_core/_multiarray_tests{SO}" in names(kept)
    assert f"numpy/linalg/_umath_linalg{SO}" in names(kept)
    assert "numpy/random/__init__.pyc" in names(kept)  # Python stays; only libraries move
    assert not [name for name in names(kept) if name.endswith(SO) and "/random/" in name]
    assert sorted(left_out) == [
        f"numpy/_core/_simd{SO}",
        f"numpy/_core/_umath_tests{SO}",
        f"numpy/fft/_pocketfft_umath{SO}",
    ]
    assert set(names(extra)) == {
        f"numpy/random/_generator{SO}",
        f"numpy/random/mtrand{SO}",
        "numpy_random-2.0.2.dist-info/METADATA",
        "numpy_random-2.0.2.dist-info/WHEEL",
        "numpy_random-2.0.2.dist-info/RECORD",
    }


def test_split_wheels_have_true_records_and_are_reproducible():
    first = split_numpy_wheel(fake_numpy_wheel(), WHEEL)
    assert first == split_numpy_wheel(fake_numpy_wheel(), WHEEL)
    for data, record in ((first[0], "numpy-2.0.2"), (first[2], "numpy_random-2.0.2")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            listed = archive.read(f"{record}.dist-info/RECORD").decode().splitlines()
            assert sorted(line.split(",")[0] for line in listed) == sorted(archive.namelist())


def test_split_refuses_a_wheel_without_random_libraries():
    plain = write_archive([("numpy-2.0.2.dist-info/RECORD", b"")], wheel=True)
    with pytest.raises(ValueError, match="no numpy.random shared libraries"):
        split_numpy_wheel(plain, WHEEL)


def test_the_on_demand_lock_entry_extends_numpy():
    numpy = {
        "name": "numpy",
        "version": "2.0.2",
        "file_name": WHEEL,
        "sha256": "a" * 64,
        "imports": ["numpy"],
        "depends": [],
        "install_dir": "site",
    }
    entry = on_demand_lock_entry(numpy, "numpy_random.whl", "b" * 64)
    assert entry["name"] == "numpy-random" and entry["depends"] == ["numpy"]
    assert entry["imports"] == [] and entry["sha256"] == "b" * 64
    assert entry["install_dir"] == "site" and entry["version"] == "2.0.2"
