"""Property-based tests (Hypothesis) of the worker contract's inputs: whatever a page (or a
script on it) sends, a request answers or raises the runtime's own error with a message —
RequestError, ExportError or SamplesError — and a refused request changes nothing."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from py_runtime import ExportError, random_export
from py_runtime.samples import SamplesError
from py_runtime.worker_api import RequestError, Session, handle
from tests.reliability import tally

MODEL_TEXT = json.dumps(random_export((784, 16, 10), seed=2))
OWN_ERRORS = (RequestError, ExportError, SamplesError)
ANY = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=12,
)
PIXELS = st.one_of(
    ANY,
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=780, max_size=790),
    st.builds(
        lambda values: np.array(values, dtype=np.float32),
        st.lists(st.floats(-2, 2, width=32), min_size=784, max_size=784),
    ),
    st.builds(  # valid pixels
        lambda values: np.array(values, dtype=np.float32),
        st.lists(st.floats(0, 1, width=32), min_size=784, max_size=784),
    ),
)


def _session() -> Session:
    session = Session()
    handle(session, "load", {"data": MODEL_TEXT})
    return session


SESSION = _session()


def _answer_or_own_error(name: str, arguments) -> str:
    before = SESSION.model
    try:
        handle(SESSION, name, arguments)
    except OWN_ERRORS as error:
        assert str(error).strip()
        assert SESSION.model is before  # nothing changed
        return type(error).__name__
    return "answered"


@given(PIXELS, ANY, ANY, ANY)
def test_predict_answers_or_refuses_any_arguments(pixels, mnist_style, top_n, mode):
    arguments = {"pixels": pixels, "mnist_style": mnist_style, "top_n": top_n, "mode": mode}
    tally("worker-requests", _answer_or_own_error("predict", arguments))


@given(st.sampled_from(["load", "samples", "connections", "layer", "nonsense"]), ANY)
def test_any_request_with_any_arguments_answers_or_refuses(name, arguments):
    tally("worker-requests", _answer_or_own_error(name, arguments))


@given(
    st.text(max_size=300) | st.sampled_from([MODEL_TEXT, MODEL_TEXT[:-1], "[" * 50_000]),
    st.binary(max_size=300).map(lambda raw: np.frombuffer(raw, dtype=np.uint8)),
)
def test_load_and_samples_answer_or_refuse_any_content(text, data):
    tally("worker-requests", _answer_or_own_error("load", {"data": text}))
    tally("worker-requests", _answer_or_own_error("samples", {"data": data}))
