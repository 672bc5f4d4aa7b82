"""Shared test configuration: the repository root and a fixed-seed valid export."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from py_runtime import random_export
from tests import reliability
from tests.support import CHROMIUM, CHROMIUM_ARGS

# Hypothesis: a modest default for CI (two cores); `pytest --hypothesis-profile=long` locally.
# The deadline is the readers' promise: no input takes more than a second.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci", max_examples=60, deadline=timedelta(seconds=1), suppress_health_check=_QUIET
)
settings.register_profile(
    "long", max_examples=3000, deadline=timedelta(seconds=1), suppress_health_check=_QUIET
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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


def pytest_sessionfinish(session, exitstatus):
    """Merge the fault tests' case counts into build/reliability.json (docs/reliability.md)."""
    reliability.save()
