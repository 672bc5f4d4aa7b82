"""py_runtime.constants: the one source of the values the page and the runtime share."""

from __future__ import annotations

import io
import re
import tokenize

from py_runtime import constants, write_constants
from py_runtime.export_format import DATASET_NAMES


def test_the_committed_javascript_constants_are_generated_from_python():
    assert write_constants.JS_PATH.read_text() == write_constants.javascript(), (
        "web/src/constants.js is stale: run python -m py_runtime.write_constants"
    )
    assert write_constants.main(["--check"]) == 0


# Shared words the page must take from constants.js, never spell out ("none" and "linear"
# are ordinary words in CSS and JavaScript, so they are not searched for).
SHARED_WORDS = [
    *constants.CONNECTION_MODES,
    constants.MNIST_STYLE,
    *[name for name in constants.ACTIVATIONS if name != "linear"],
    constants.TRAINING_PACKAGE,
    constants.BUFFER_KEY,
]
IMAGE_SIZE_TYPED = re.compile(
    r"\b784\b|\b28\s*[,x×*]\s*28\b|(width|height)\s*[=:]\s*[\"']?28\b", re.IGNORECASE
)


def test_no_shared_value_is_typed_again_in_the_page():
    web = write_constants.JS_PATH.parent
    pages = [*web.rglob("*.js"), web.parent / "index.html", web.parent / "sw.js"]
    for path in pages:
        if path == write_constants.JS_PATH or "vendor" in path.parts:
            continue
        text = path.read_text()
        assert "64 * 1024 * 1024" not in text and "67108864" not in text, path
        assert not IMAGE_SIZE_TYPED.search(text), f"{path} types the image size"
        for word in SHARED_WORDS:
            for quoted in (f'"{word}"', f"'{word}'", f"`{word}`"):
                assert quoted not in text, f"{path} types {quoted}: use constants.js"


def test_no_shared_value_is_typed_again_in_python():
    """py_runtime, training and deploy take the image size, the size limit and the words for
    modes and preprocessing from py_runtime.constants (tokens, not words in comments)."""
    root = write_constants.JS_PATH.parents[2]
    for folder in ("py_runtime", "training", "deploy"):
        for path in (root / folder).rglob("*.py"):
            if path == root / "py_runtime" / "constants.py":
                continue
            tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
            for token in tokens:
                where = f"{path.relative_to(root)}:{token.start[0]}"
                if token.type == tokenize.NUMBER:
                    assert token.string not in ("28", "784", "67108864"), where
                # ("weight" is also the export format's key of a layer's weights)
                if token.type == tokenize.STRING:
                    assert token.string[1:-1] not in (
                        constants.BY_CONTRIBUTION,
                        constants.MNIST_STYLE,
                    ), where


def test_every_dataset_names_its_preprocessing():
    assert set(constants.DATASETS) == set(DATASET_NAMES)
    for info in constants.DATASETS.values():
        assert info["preprocessing"] in constants.PREPROCESSING
