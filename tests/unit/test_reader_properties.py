"""Property-based tests (Hypothesis) of the page's readers: the export and the sample digits.

Any input either loads as a valid model (valid samples) or raises the reader's own error with a
message: never another exception, never more than a second (the profile's deadline, see
tests/conftest.py), never memory beyond the input's own size.
"""

from __future__ import annotations

import copy
import json
import math
import struct
import tracemalloc

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from py_runtime import ExportError, Model, forward, parse_export, random_export, validate_export
from py_runtime.samples import HEADER, SamplesError, encode_samples, read_samples
from tests.reliability import tally

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)
NASTY = st.sampled_from(
    [
        math.nan,
        math.inf,
        -math.inf,
        -1,
        0,
        2**31,
        2**63,
        10**100,
        -(10**100),
        1.5,
        "",
        "=",
        "AAAA",
        "not base64!!",
        "🙂",
        [],
        {},
        [[[[[[[[[[]]]]]]]]]],
        None,
        True,
    ]
)
SMALL_EXPORT = random_export((4, 3, 2), seed=1, dtype="float16", image_shape=(2, 2))
FULL_EXPORT = random_export(seed=0, dtype="float32")


def check_export(outcome_of, row: str):
    """Run ``outcome_of()``; a Model must be usable, anything else must be an ExportError."""
    try:
        model = outcome_of()
    except ExportError as error:
        assert str(error).strip(), "an ExportError without a message"
        tally(row, "ExportError")
        return
    assert isinstance(model, Model)
    pixels = np.zeros(math.prod(model.image_shape), dtype=np.float32)
    result = forward(model, pixels)
    assert np.isfinite(result.probabilities).all()
    tally(row, "loaded")


def _paths(value, prefix=()):
    """Every path (tuple of keys/indices) into a JSON document, the root included."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _mutate(document, path, action, replacement):
    if not path:
        return replacement if action == "replace" else document
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    key, old = path[-1], parent[path[-1]]
    if action == "delete":
        del parent[key]
    elif action == "replace":
        parent[key] = replacement
    elif action == "truncate" and isinstance(old, str | list):
        parent[key] = old[: len(old) // 2]
    elif action == "extend" and isinstance(old, str | list):
        parent[key] = old + (old[:4] if isinstance(old, str) else old[:1])
    elif action == "nest":
        for _ in range(200):
            old = [old]
        parent[key] = old
    return document


MUTATION = st.tuples(
    st.integers(min_value=0),
    st.sampled_from(["delete", "replace", "replace", "truncate", "extend", "nest"]),
    NASTY | JSON_VALUES,
)


@given(JSON_VALUES)
def test_any_json_value_loads_or_raises_export_error(value):
    check_export(lambda: validate_export(value), "export-json")
    check_export(lambda: parse_export(json.dumps(value)), "export-json")


@given(st.text(max_size=200) | st.binary(max_size=200))
def test_any_text_or_bytes_loads_or_raises_export_error(raw):
    check_export(lambda: parse_export(raw), "export-text")


@given(
    st.integers(min_value=1, max_value=200_000),
    st.sampled_from(["[", '{"a":', "[{", "-"]),
    st.sampled_from(["", "1", "]", "}"]),
)
def test_deep_nesting_and_long_numbers_are_export_errors(depth, opener, closer):
    check_export(lambda: parse_export(opener * depth + closer * min(depth, 10)), "export-text")
    check_export(lambda: parse_export("9" * min(depth, 20_000)), "export-text")


@settings(max_examples=150)
@given(st.booleans(), st.lists(MUTATION, min_size=1, max_size=3))
def test_any_mutation_of_a_valid_export_loads_or_raises_export_error(full, mutations):
    document = copy.deepcopy(FULL_EXPORT if full else SMALL_EXPORT)
    for index, action, replacement in mutations:
        paths = list(_paths(document))
        document = _mutate(document, paths[index % len(paths)], action, replacement)
    check_export(lambda: validate_export(document), "export-mutation")
    check_export(lambda: parse_export(json.dumps(document)), "export-mutation")


@settings(max_examples=30)
@given(
    st.lists(st.integers(min_value=1, max_value=2**31 - 1), min_size=1, max_size=3),
    st.sampled_from(["float16", "float32"]),
    st.text(alphabet="AB=", max_size=64),
)
def test_declared_sizes_are_checked_before_anything_is_allocated(shape, dtype, data):
    document = copy.deepcopy(SMALL_EXPORT)
    document["layers"][0]["weight"] = {"dtype": dtype, "shape": shape, "data": data}
    document["architecture"] = [4, *shape[:1], 2]
    raw = json.dumps(document)
    tracemalloc.start()
    try:
        check_export(lambda: parse_export(raw), "export-memory")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * len(raw) + 1_000_000, f"{peak} bytes for a {len(raw)}-byte export"


# ---------------------------------------------------------------- sample digits asset

VALID_SAMPLES = encode_samples(
    np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5), np.array([0, 1, 9])
)


def check_samples(raw: bytes) -> None:
    try:
        images, labels = read_samples(raw)
    except SamplesError as error:
        assert str(error).strip()
        tally("samples-bytes", "SamplesError")
        return
    assert images.dtype == np.uint8 and images.ndim == 3
    assert labels.shape == (images.shape[0],)
    tally("samples-bytes", "loaded")


@given(st.binary(max_size=300))
def test_any_bytes_are_samples_or_a_samples_error(raw):
    check_samples(raw)
    check_samples(VALID_SAMPLES[:12] + raw)


@given(
    st.just(1) | st.integers(0, 255),
    st.just(4) | st.integers(0, 255),
    st.just(5) | st.integers(0, 255),
    st.just(3) | st.integers(0, 2**32 - 1),
    st.just(0) | st.integers(-20, 20),
)
def test_any_header_of_a_valid_asset_is_samples_or_a_samples_error(
    version, rows, cols, count, extra
):
    header = HEADER.pack(b"MLPS", version, rows, cols, 0, count)
    body = VALID_SAMPLES[HEADER.size :]
    body = body[:extra] if extra < 0 else body + b"\0" * extra
    tracemalloc.start()
    try:
        check_samples(header + body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    assert struct.unpack_from("<I", header, 8)[0] == count
