"""The wire between the page's worker (Pyodide) and ``py_runtime.worker_api``.

A request travels as its name, a JSON text of its arguments and a list of typed-array buffers;
inside the JSON a buffer is ``{"$buffer": i, "dtype": "float32"}``. The answer comes back the
same way: ``(json_text, [numpy arrays])`` with ``{"$buffer": i, "dtype": d}`` placeholders, which
``unpack`` in ``web/src/protocol.js`` fills with the arrays. Answers are
``{"ok": true, "value": ...}`` or ``{"ok": false, "error": "message"}`` for a request the
runtime refuses (bad export, bad arguments). Nothing here imports Pyodide, so pytest runs it.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from .constants import BUFFER_DTYPES, BUFFER_KEY
from .export_format import ExportError
from .learning import LearningError
from .samples import SamplesError
from .worker_api import RequestError, Session, handle

DTYPES = {name: np.dtype(name) for name in BUFFER_DTYPES}

session = Session()
"""The worker's one session (its loaded model)."""


def call(name: str, arguments_json: str, buffers: Any = ()) -> tuple[str, list[np.ndarray]]:
    """Answer one request from the worker; see the module docstring for the encoding."""
    try:
        arguments = unpack(json.loads(arguments_json), list(buffers))
        value = handle(session, name, arguments)
    except (ExportError, RequestError, SamplesError, LearningError) as error:
        return json.dumps({"ok": False, "error": str(error)}), []
    return pack({"ok": True, "value": value})


def unpack(value: Any, buffers: list[Any]) -> Any:
    """Replace ``{"$buffer": i, "dtype": d}`` placeholders by NumPy arrays of ``buffers[i]``."""
    if isinstance(value, dict):
        if BUFFER_KEY in value:
            index = value[BUFFER_KEY]
            if not isinstance(index, int) or not 0 <= index < len(buffers):
                raise RequestError(f"the arguments name buffer {index!r} of {len(buffers)}")
            return _read_buffer(buffers[index], value.get("dtype", "float32"))
        return {key: unpack(item, buffers) for key, item in value.items()}
    if isinstance(value, list):
        return [unpack(item, buffers) for item in value]
    return value


def pack(value: Any) -> tuple[str, list[np.ndarray]]:
    """``(json_text, arrays)``: every NumPy array becomes a placeholder and one buffer."""
    arrays: list[np.ndarray] = []

    def plain(item: Any) -> Any:
        if isinstance(item, np.ndarray):
            if item.dtype.name not in DTYPES:
                raise TypeError(f"cannot send a {item.dtype} array to the page")
            arrays.append(np.ascontiguousarray(item))
            return {BUFFER_KEY: len(arrays) - 1, "dtype": item.dtype.name}
        if isinstance(item, dict):
            return {str(key): plain(child) for key, child in item.items()}
        if isinstance(item, list | tuple):
            return [plain(child) for child in item]
        if isinstance(item, np.generic):
            return item.item()
        return item

    return json.dumps(plain(value), allow_nan=False), arrays


def _read_buffer(buffer: Any, dtype: str) -> np.ndarray:
    """A NumPy copy of a JS typed array (Pyodide's JsBuffer) or any Python buffer."""
    if dtype not in DTYPES:
        raise RequestError(f"unknown buffer dtype {dtype!r}")
    raw = buffer.to_bytes() if hasattr(buffer, "to_bytes") else memoryview(buffer).tobytes()
    return np.frombuffer(raw, dtype=DTYPES[dtype]).copy()
