"""The wire between the page's worker (Pyodide) and ``py_runtime.worker_api``.

A request travels as its name, a JSON text of its arguments and a list of typed-array buffers;
inside the JSON a buffer is ``{"$buffer": i, "dtype": "float32"}``. The answer comes back as
``(json_text, [blob])``: every array of the answer sits in one ``uint8`` blob (at offsets aligned
to ``ALIGN`` bytes), and its placeholder says where: ``{"$buffer": 0, "dtype": d, "offset": bytes,
"length": items}``; ``unpack`` in ``web/src/protocol.js`` makes typed-array views of it. One
buffer, not one per array, because each array crossing out of Pyodide costs proxy calls and a
copy (a frame holds fifteen). Answers are
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

DTYPES = {name: np.dtype(name).newbyteorder("<") for name in BUFFER_DTYPES}  # the page's order
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}  # (``dtype.name`` is slow)
ALIGN = 8  # bytes: every array's offset in the answer blob is a multiple (any dtype's size)

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
            dtype = value.get("dtype", "float32")
            return _read_buffer(buffers[index], dtype, value.get("offset"), value.get("length"))
        return {key: unpack(item, buffers) for key, item in value.items()}
    if isinstance(value, list):
        return [unpack(item, buffers) for item in value]
    return value


def pack(value: Any) -> tuple[str, list[np.ndarray]]:
    """``(json_text, [blob])``: every NumPy array becomes a placeholder naming its place in the
    one ``uint8`` blob (``[]`` when the value holds no array)."""
    arrays: list[tuple[int, np.ndarray]] = []
    size = 0

    def plain(item: Any) -> Any:
        nonlocal size
        if isinstance(item, np.ndarray):
            name = DTYPE_NAMES.get(item.dtype)
            if name is None:
                raise TypeError(f"cannot send a {item.dtype} array to the page")
            offset = size
            arrays.append((offset, item))
            size = offset + -(-item.nbytes // ALIGN) * ALIGN
            return {BUFFER_KEY: 0, "dtype": name, "offset": offset, "length": item.size}
        if isinstance(item, dict):
            return {str(key): plain(child) for key, child in item.items()}
        if isinstance(item, list | tuple):
            return [plain(child) for child in item]
        if isinstance(item, np.generic):
            return item.item()
        return item

    text = json.dumps(plain(value), allow_nan=False)
    if not arrays:
        return text, []
    blob = np.zeros(size, dtype=np.uint8)
    for offset, item in arrays:
        blob[offset : offset + item.nbytes] = np.ascontiguousarray(item).reshape(-1).view(np.uint8)
    return text, [blob]


def _read_buffer(buffer: Any, dtype: str, offset: Any = None, length: Any = None) -> np.ndarray:
    """A NumPy copy of a JS typed array (Pyodide's JsBuffer) or any Python buffer, whole or the
    ``length`` items at byte ``offset`` (an answer's blob)."""
    if dtype not in DTYPES:
        raise RequestError(f"unknown buffer dtype {dtype!r}")
    raw = buffer.to_bytes() if hasattr(buffer, "to_bytes") else memoryview(buffer).tobytes()
    if offset is None:
        return np.frombuffer(raw, dtype=DTYPES[dtype]).copy()
    itemsize = DTYPES[dtype].itemsize
    valid = all(isinstance(n, int) and not isinstance(n, bool) for n in (offset, length))
    inside = valid and offset >= 0 and length >= 0 and offset + length * itemsize <= len(raw)
    if not inside or offset % itemsize:
        raise RequestError(f"a buffer view ({offset!r}, {length!r}) lies outside its buffer")
    return np.frombuffer(raw, dtype=DTYPES[dtype], count=length, offset=offset).copy()
