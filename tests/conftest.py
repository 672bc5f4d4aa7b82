"""Shared test configuration: the repository root and a fixed-seed valid export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from py_runtime import random_export
from tests.support import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 900, "height": 640}  # small: SwiftShader renders on the CPU


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium (no browser downloads here), quietly and offline."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Small viewport; service workers blocked, so Playwright's routes see every request
    (the offline tests open their own contexts that allow them)."""
    return {**browser_context_args, "viewport": VIEWPORT, "service_workers": "block"}


@pytest.fixture
def random_export_doc() -> dict:
    """A valid float32 export with fixed-seed random weights (784-128-64-10)."""
    return random_export(seed=0, dtype="float32")


@pytest.fixture
def write_json(tmp_path):
    """Write a JSON document (or raw text) to a temporary file and return its path."""

    def write(document, name: str = "export.json") -> Path:
        path = tmp_path / name
        text = document if isinstance(document, str) else json.dumps(document)
        path.write_text(text)
        return path

    return write
