"""deploy.site: the static site build vendors verified assets and refuses tampered ones."""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from deploy import site
from deploy.bundle import bundle_scripts

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"

needs_setup = pytest.mark.skipif(
    not (ROOT / "node_modules" / "pyodide").is_dir(), reason="run `make setup` first"
)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> tuple[Path, dict]:
    """One site build for the tests that only read it: (its folder, its manifest)."""
    out = tmp_path_factory.mktemp("built") / "site"
    return out, site.build_site(ROOT, out, CACHE)


@needs_setup
def test_a_tampered_numpy_wheel_stops_the_build_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "_numpy_wheel_bytes", lambda name, cache: b"not the real wheel")
    with pytest.raises(site.BuildError) as caught:
        site.build_site(ROOT, tmp_path / "site", tmp_path / "cache")
    message = str(caught.value)
    assert "numpy-2.0.2" in message and "failed verification" in message
    assert "pyodide-lock.json" in message
    assert not (tmp_path / "site").exists()
    assert not list((tmp_path / "cache").glob("vendor/*"))  # nothing half-made is cached


@needs_setup
def test_the_pyodide_core_and_three_come_from_the_tarballs_package_lock_pins():
    vendor = site.ensure_vendor(ROOT, CACHE)
    manifest = json.loads((vendor / "vendor-manifest.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name in ("pyodide", "three"):
        assert manifest["npm_integrity"][name] == lock[f"node_modules/{name}"]["integrity"]
    tarball, _ = site.npm_tarball(ROOT, "pyodide", CACHE)
    with tarfile.open(tarball) as archive:
        for name in site.PYODIDE_CORE_FILES:
            member = archive.extractfile(f"package/{name}").read()
            assert (vendor / "pyodide" / name).read_bytes() == member, name


@needs_setup
def test_a_tarball_that_is_not_the_pinned_one_is_fetched_again_or_refused(tmp_path):
    cache = tmp_path / "cache"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/three"]["version"]
    stale = cache / "downloads" / f"three-{version}.tgz"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"a corrupt download")
    tarball, integrity = site.npm_tarball(ROOT, "three", cache)  # fetched again, and checked
    assert tarball == stale and tarball.read_bytes() != b"a corrupt download"
    # A lock that pins other bytes than the registry serves: the build stops and says why.
    source = tmp_path / "source"
    source.mkdir()
    lock["packages"]["node_modules/three"]["integrity"] = "sha512-" + "A" * 86 + "=="
    (source / "package-lock.json").write_text(json.dumps(lock))
    with pytest.raises(site.BuildError, match=rf"three@{re.escape(version)} tarball has .* pins"):
        site.npm_tarball(source, "three", cache)
    assert not stale.exists()  # refused bytes are not kept


@needs_setup
def test_built_site_verifies_and_a_changed_file_is_caught(tmp_path):
    out = tmp_path / "site"
    manifest = site.build_site(ROOT, out, CACHE)
    for required in site.REQUIRED_FILES:
        assert required in manifest["files"]
    assert any(name.startswith("exports/") for name in manifest["files"])
    assert not any(".git" in name or name.startswith("node_modules") for name in manifest["files"])
    site.verify_site(out)
    bundle = (out / "src" / "main.js").read_bytes()
    (out / "src" / "main.js").write_text("tampered")
    with pytest.raises(site.BuildError, match=r"main\.js has sha256 .* the manifest says"):
        site.verify_site(out)
    (out / "extra.js").write_text("")
    (out / "src" / "main.js").write_bytes(bundle)
    with pytest.raises(site.BuildError, match="not in the build manifest: extra.js"):
        site.verify_site(out)


def test_cli_reports_errors_without_a_traceback(tmp_path, capsys):
    assert site.main(["build", "--source", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert "not a project checkout" in capsys.readouterr().err


def _sample_of(archive: Path, keep, target: Path) -> Path:
    """A smaller copy of a zip archive: the entries whose names ``keep`` accepts, in order."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if keep(info.filename):
                out.writestr(info, source.read(info))
    return target


@needs_setup
def test_pyc_derivation_is_reproducible_and_sourceless(tmp_path):
    """Each kind of archive the build derives (py_runtime, the stdlib zip, a wheel with its
    RECORD), derived twice by Pyodide's CPython: the same bytes."""
    vendor = site.ensure_vendor(ROOT, CACHE)
    official = vendor / "pyodide"
    wheel = json.loads((vendor / "vendor-manifest.json").read_text())["numpy_wheel"]
    runtime = tmp_path / "runtime.zip"
    runtime.write_bytes(site._runtime_zip(ROOT / "py_runtime"))
    stdlib = _sample_of(
        official / "python_stdlib.zip",
        lambda name: name.startswith(("json/", "email/")),
        tmp_path / "stdlib.zip",
    )
    numpy = _sample_of(
        official / wheel,
        lambda name: ".dist-info/" in name or name.startswith("numpy/_utils/"),
        tmp_path / wheel,
    )
    sources = [
        (runtime, site.RUNTIME_PREFIX, False),
        (stdlib, site.STDLIB_PREFIX, False),
        (numpy, site.SITE_PACKAGES_PREFIX, True),
    ]
    runs = []
    for run in ("a", "b"):
        jobs = [
            {"src": src, "dst": tmp_path / run / src.name, "prefix": prefix, "wheel": is_wheel}
            for src, prefix, is_wheel in sources
        ]
        (tmp_path / run).mkdir()
        site.derive_pyc(official, jobs, tmp_path)
        runs.append([job["dst"].read_bytes() for job in jobs])
    assert runs[0] == runs[1]
    for derived, sample in zip(
        runs[0], ("py_runtime/export_format", "json/decoder", "numpy/_utils/_inspect"), strict=True
    ):
        with zipfile.ZipFile(io.BytesIO(derived)) as archive:
            names = archive.namelist()
            assert f"{sample}.pyc" in names
            assert not [name for name in names if name.endswith(".py")]
            header = archive.read(f"{sample}.pyc")[:16]
        # CPython 3.12's magic number, then flags: hash-based (bit 0), unchecked (bit 1 clear)
        assert header[:4] == (3531).to_bytes(2, "little") + b"\r\n"
        assert int.from_bytes(header[4:8], "little") == 0b01
    with zipfile.ZipFile(io.BytesIO(runs[0][2])) as archive:  # the wheel's RECORD is true
        record = next(name for name in archive.namelist() if name.endswith("/RECORD"))
        listed = {line.split(",")[0] for line in archive.read(record).decode().splitlines()}
        assert listed == set(archive.namelist())


@needs_setup
def test_derived_lock_and_manifest_describe_every_served_file(built_site):
    out, manifest = built_site
    served = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert served - {site.MANIFEST_NAME} == set(manifest["files"])
    for name, digest in manifest["files"].items():
        assert site.sha256_file(out / name) == digest, name
    # The derived lock names the derived wheel; the manifest records the official one it came from.
    pyodide = out / "vendor" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    wheel = manifest["numpy_wheel"]
    assert lock["packages"]["numpy"]["sha256"] == site.sha256_file(pyodide / wheel)
    assert lock["packages"]["numpy"]["sha256"] != manifest["numpy_sha256"]
    official = json.loads((ROOT / "node_modules/pyodide/pyodide-lock.json").read_text())
    assert manifest["numpy_sha256"] == official["packages"]["numpy"]["sha256"]
    assert manifest["derived"][f"vendor/pyodide/{wheel}"]["from_sha256"] == manifest["numpy_sha256"]
    with zipfile.ZipFile(pyodide / wheel) as archive:
        assert not [name for name in archive.namelist() if name.endswith(".py")]
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as archive:
        assert "json/__init__.pyc" in archive.namelist()
    # NumPy's random libraries are a wheel of their own (installed when the page trains), named
    # by the lock with its sha256; fft and the test extensions are not shipped at all.
    extra = lock["packages"]["numpy-random"]
    assert extra["depends"] == ["numpy"]
    assert extra["sha256"] == site.sha256_file(pyodide / extra["file_name"])
    with zipfile.ZipFile(pyodide / wheel) as archive:
        libraries = [name for name in archive.namelist() if name.endswith(".so")]
    with zipfile.ZipFile(pyodide / extra["file_name"]) as archive:
        moved = [name for name in archive.namelist() if name.endswith(".so")]
    assert "numpy/_core/_multiarray_umath.cpython-312-wasm32-emscripten.so" in libraries
    assert not [name for name in libraries if "/random/" in name or "/fft/" in name]
    assert len(moved) == 9 and all(name.startswith("numpy/random/") for name in moved)
    assert set(manifest["offline"]) >= {f"vendor/pyodide/{extra['file_name']}"}
    # The service worker caches every served file but itself, the compressed variants and the
    # learning panel's digits (fetched when the panel opens).
    variants = {
        f"{name}.{suffix}" for name, found in manifest["encodings"].items() for suffix in found
    }
    assert {f"vendor/pyodide/{wheel}.br", "vendor/pyodide/pyodide.asm.wasm.gz"} <= variants
    learning = {name for name in manifest["files"] if name.startswith("learn/")}
    assert "learn/index.json" in learning and "learn/mnist-train.bin.gz" in learning
    named = {name for name in manifest["files"] if site.CONTENT_NAMED_SCRIPT.fullmatch(name)}
    expected = set(manifest["files"]) - variants - {"sw.js"} - learning - named
    assert set(manifest["offline"]) == expected
    assert manifest["release"] in (out / "sw.js").read_text()
    # A derived file changed after the build is caught (then put back: the build is shared).
    built = (pyodide / wheel).read_bytes()
    (pyodide / wheel).write_bytes(b"tampered")
    try:
        with pytest.raises(site.BuildError, match="numpy-2.0.2.*has sha256"):
            site.verify_site(out)
    finally:
        (pyodide / wheel).write_bytes(built)
    site.verify_site(out)


def test_the_runtime_worker_names_a_copy_of_the_runtime_script_made_of_its_sha256(built_site):
    # The worker loads that copy past the service worker (Chromium keeps compiled code only for
    # scripts from its HTTP cache); offline it loads pyodide.asm.js from the release's cache.
    out, manifest = built_site
    named = [name for name in manifest["files"] if site.CONTENT_NAMED_SCRIPT.fullmatch(name)]
    assert len(named) == 1 and named[0] not in manifest["offline"]
    script = (out / site.RUNTIME_SCRIPT).read_bytes()
    assert (out / named[0]).read_bytes() == script
    assert (
        named[0]
        == f"vendor/pyodide/pyodide.asm.{site.sha256_file(out / site.RUNTIME_SCRIPT)[:16]}.js"
    )
    assert site.RUNTIME_SCRIPT in manifest["offline"]
    worker = (out / site.RUNTIME_WORKER).read_text()
    assert (
        f'"{named[0].split("/")[-1]}"' in worker and site.RUNTIME_SCRIPT_PLACEHOLDER not in worker
    )
    assert '"?network"' in (out / "sw.js").read_text()


def test_vendored_addons_import_three_by_relative_path(tmp_path):
    """Module workers (the scene's render worker) see no import map: no bare 'three' import."""
    addons = tmp_path / "three" / "addons" / "controls"
    addons.mkdir(parents=True)
    (addons / "OrbitControls.js").write_text(
        "import {\n\tControls,\n\tVector3\n} from 'three';\nimport { X } from \"three\";\n"
        "import { Y } from 'three/addons/other.js';\n"
    )
    site._import_three_relatively(tmp_path / "three")
    text = (addons / "OrbitControls.js").read_text()
    assert text.count("from '../../three.module.js'") == 2
    assert "from 'three/addons/other.js'" in text  # only the bare 'three' is rewritten


@needs_setup
def test_the_site_serves_one_bundle_per_entry_point_that_refers_only_to_served_files(built_site):
    out, manifest = built_site
    scripts = sorted(
        name
        for name in manifest["files"]
        if name.startswith("src/") and name.endswith(".js")  # not the .br / .gz beside them
    )
    chunks = [name for name in scripts if name.startswith("src/scene/chunk-")]
    assert set(scripts) - set(chunks) == {
        "src/main.js",
        "src/start-worker.js",
        "src/scene/render-worker.js",
        "src/worker/worker.js",
    }
    assert len(chunks) <= 3  # the page's lazy main-thread scene and what it shares
    worker = (out / "src" / "worker" / "worker.js").read_text()
    assert "// worker/wheels.js" in worker and "\nimport " not in worker.replace(
        'import { loadPyodide } from "../../vendor/pyodide/pyodide.mjs";', ""
    )  # one file: its only import is Pyodide's own


def fake_site(root: Path, modules: dict[str, str]) -> Path:
    for name, text in modules.items():
        path = root / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


ENTRY_POINTS = {
    "main.js": 'import { a } from "./a.js";\nexport const page = a;\n',
    "a.js": "export const a = 1;\n",
    "worker/worker.js": 'import { a } from "../a.js";\nexport const w = a;\n',
    "scene/render-worker.js": "export const r = 2;\n",
    "start-worker.js": "window.started = true;\n",
}


@needs_setup
def test_bundling_is_reproducible_and_keeps_classic_scripts(tmp_path):
    outputs = []
    for run in ("one", "two"):
        site_dir = fake_site(tmp_path / run, ENTRY_POINTS)
        written = bundle_scripts(ROOT / "node_modules", site_dir, tmp_path)
        assert written == ["main.js", "scene/render-worker.js", "worker/worker.js"]
        files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.js"))
        assert files == [
            "src/main.js",
            "src/scene/render-worker.js",
            "src/start-worker.js",
            "src/worker/worker.js",
        ]
        outputs.append({name: (site_dir / name).read_bytes() for name in files})
    assert outputs[0] == outputs[1]


@needs_setup
def test_a_bundle_referring_to_a_file_the_site_will_not_serve_stops_the_build(tmp_path):
    modules = {
        **ENTRY_POINTS,
        "scene/render-worker.js": 'export const url = new URL("./gone.js", import.meta.url);\n',
        "scene/gone.js": "export {};\n",  # a module now, but bundling removes it
    }
    site_dir = fake_site(tmp_path / "site", modules)
    with pytest.raises(site.BuildError, match=r"src/scene/render-worker\.js refers to \./gone\.js"):
        bundle_scripts(ROOT / "node_modules", site_dir, tmp_path)


@needs_setup
def test_a_page_relative_worker_url_is_checked_too(tmp_path):
    modules = {
        **ENTRY_POINTS,
        "main.js": 'new Worker(new URL("src/scene/renamed.js", document.baseURI));\n',
    }
    site_dir = fake_site(tmp_path / "site", modules)
    with pytest.raises(site.BuildError, match=r"src/main\.js refers to scene/renamed\.js"):
        bundle_scripts(ROOT / "node_modules", site_dir, tmp_path)


# Node's zlib (the build's own compressor) decodes each .br: the sha256 of what comes out.
BROTLI_DECODED_SHA256_JS = """
const { readFileSync } = require("node:fs");
const { createHash } = require("node:crypto");
const { brotliDecompressSync } = require("node:zlib");
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const names = JSON.parse(process.argv[1]);
const decoded = names.map((n) => sha256(brotliDecompressSync(readFileSync(`${n}.br`))));
console.log(JSON.stringify(decoded));
"""


@needs_setup
def test_every_brotli_variant_decodes_to_its_file(built_site):
    out, manifest = built_site
    names = [name for name, found in manifest["encodings"].items() if "br" in found]
    assert f"vendor/pyodide/{manifest['numpy_wheel']}" in names
    result = subprocess.run(
        ["node", "-e", BROTLI_DECODED_SHA256_JS, json.dumps([str(out / n) for n in names])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert dict(zip(names, json.loads(result.stdout), strict=True)) == {
        name: manifest["files"][name] for name in names
    }
