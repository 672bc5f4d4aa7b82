"""The page's data flows one way: the scene renders what it is given (it never talks to the
runtime), and only the store writes settings (web/src/settings.js is its one table)."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web" / "src"


def test_the_scene_never_imports_the_runtime_bridge_or_protocol():
    for path in (WEB / "scene").rglob("*.js"):
        imports = re.findall(r"""from\s+["']([^"']+)["']""", path.read_text())
        for target in imports:
            assert not target.endswith(("/bridge.js", "/protocol.js")), f"{path} imports {target}"


def test_only_the_store_and_main_know_the_url_keys_of_the_settings():
    for path in WEB.rglob("*.js"):
        if path.name in ("settings.js", "store.js", "url-state.js", "constants.js"):
            continue
        text = path.read_text()
        assert "readHash(" not in text or path.name == "main.js", f"{path} reads the URL hash"
        assert "urlWithState(" not in text or path.name == "main.js", f"{path} writes the URL"
