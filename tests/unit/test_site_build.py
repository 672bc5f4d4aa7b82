"""deploy.site: the static site build vendors verified assets and refuses tampered ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deploy import site

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"

needs_setup = pytest.mark.skipif(
    not (ROOT / "node_modules" / "pyodide").is_dir(), reason="run `make setup` first"
)


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
def test_built_site_verifies_and_a_changed_file_is_caught(tmp_path):
    out = tmp_path / "site"
    manifest = site.build_site(ROOT, out, CACHE)
    for required in site.REQUIRED_FILES:
        assert required in manifest["files"]
    assert any(name.startswith("exports/") for name in manifest["files"])
    assert not any(".git" in name or name.startswith("node_modules") for name in manifest["files"])
    site.verify_site(out)
    (out / "src" / "main.js").write_text("tampered")
    with pytest.raises(site.BuildError, match=r"main\.js has sha256 .* the manifest says"):
        site.verify_site(out)
    (out / "extra.js").write_text("")
    shutil.copy(ROOT / "web" / "src" / "main.js", out / "src" / "main.js")
    with pytest.raises(site.BuildError, match="not in the build manifest: extra.js"):
        site.verify_site(out)


def test_cli_reports_errors_without_a_traceback(tmp_path, capsys):
    assert site.main(["build", "--source", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert "not a project checkout" in capsys.readouterr().err


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
