"""py_runtime.constants: the one source of the values the page and the runtime share."""

from __future__ import annotations

import re

from py_runtime import constants, write_constants
from py_runtime.export_format import DATASET_NAMES


def test_the_committed_javascript_constants_are_generated_from_python():
    assert write_constants.JS_PATH.read_text() == write_constants.javascript(), (
        "web/src/constants.js is stale: run python -m py_runtime.write_constants"
    )
    assert write_constants.main(["--check"]) == 0


def test_no_shared_value_is_typed_again_in_the_page():
    web = write_constants.JS_PATH.parent
    for path in web.rglob("*.js"):
        if path == write_constants.JS_PATH or "vendor" in path.parts:
            continue
        text = path.read_text()
        assert "64 * 1024 * 1024" not in text and "67108864" not in text, path
        assert not re.search(r"\b784\b", text), f"{path} types the image size"


def test_every_dataset_names_its_preprocessing():
    assert set(constants.DATASETS) == set(DATASET_NAMES)
    for info in constants.DATASETS.values():
        assert info["preprocessing"] in constants.PREPROCESSING
