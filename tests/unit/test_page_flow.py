"""The page's data flows one way: the scene renders what it is given (it never talks to the
runtime), and only the store writes settings (web/src/settings.js is its one table)."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web" / "src"


SCENE_MUST_NOT_IMPORT = ("/bridge.js", "/protocol.js", "/draw-grid.js", "/store.js")


def _code_without_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.DOTALL)


def test_the_scene_never_reads_the_runtime_the_grid_or_the_store():
    for path in (WEB / "scene").rglob("*.js"):
        code = _code_without_comments(path.read_text())
        imports = re.findall(r"""(?:from|import)\s*\(?\s*["']([^"']+)["']""", code)
        for target in imports:
            assert not target.endswith(SCENE_MUST_NOT_IMPORT), f"{path} imports {target}"
        assert not re.search(r"\bmlpvis\b", code), f"{path} uses window.mlpvis"


def test_only_the_store_and_main_know_the_url_keys_of_the_settings():
    for path in WEB.rglob("*.js"):
        if path.name in ("settings.js", "store.js", "url-state.js", "constants.js"):
            continue
        text = path.read_text()
        assert "readHash(" not in text or path.name == "main.js", f"{path} reads the URL hash"
        assert "urlWithState(" not in text or path.name == "main.js", f"{path} writes the URL"
