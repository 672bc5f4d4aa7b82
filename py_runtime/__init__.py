"""Pure-Python (NumPy only) runtime of the MNIST MLP Visualizer.

The same files run in CPython (unit tests, training) and in Pyodide (the page's worker).
"""

from .connections import top_incoming
from .export_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_EXPORT_BYTES,
    ExportError,
    Model,
    build_export,
    decode_tensor,
    encode_tensor,
    load_export,
    parse_export,
    random_export,
    validate_export,
)
from .forward import ForwardResult, forward, is_blank, softmax

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_EXPORT_BYTES",
    "ExportError",
    "ForwardResult",
    "Model",
    "build_export",
    "decode_tensor",
    "encode_tensor",
    "forward",
    "is_blank",
    "load_export",
    "parse_export",
    "random_export",
    "softmax",
    "top_incoming",
    "validate_export",
]
