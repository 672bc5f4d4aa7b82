"""Constants the page and the Python runtime share, in one place.

``python -m py_runtime.write_constants`` writes ``web/src/constants.js`` from these values (a
test checks that the committed file is current), so no value is typed twice across Python and JS.
"""

from __future__ import annotations

IMAGE_SHAPE = (28, 28)
"""The drawing grid's size (rows, cols); the page draws and the runtime accepts only this."""
IMAGE_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
"""Pixels in one image: the network's input width."""
MAX_EXPORT_BYTES = 64 * 1024 * 1024
"""Largest weights export read (checked before parsing, and while streaming in the worker)."""
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
BY_WEIGHT = "weight"
BY_CONTRIBUTION = "contribution"
CONNECTION_MODES = (BY_WEIGHT, BY_CONTRIBUTION)
"""How the scene ranks a neuron's incoming connections: by |w| or by the live |input × w|."""
MNIST_STYLE = "mnist-style"
NO_PREPROCESSING = "none"
PREPROCESSING = (MNIST_STYLE, NO_PREPROCESSING)
"""Input preprocessing an export can ask for (``dataset.preprocessing``)."""
BUFFER_KEY = "$buffer"
"""The key of a typed-array placeholder in the JSON between page and runtime (worker_glue)."""
BUFFER_DTYPES = ("float32", "int32", "uint8")
"""The array types that cross between page and runtime (JS: Float32Array, Int32Array, …)."""
DATASETS = {
    "mnist": {"preprocessing": MNIST_STYLE, "subject": "digit"},
    "fashion-mnist": {"preprocessing": NO_PREPROCESSING, "subject": "clothing"},
}
"""Per dataset: the preprocessing of exports that name none, and what a drawing shows."""
TRAINING_PACKAGE = "numpy-random"
"""The derived wheel of numpy.random's libraries (deploy/wheel_split.py), installed by the
worker when learning starts: the boot does not load them."""

MAX_LEARNING_RATE = 10
"""The largest learning rate a training request accepts (a rate that large diverges: the
session stops and says so; see ``py_runtime.training.LOSS_LIMIT``)."""
DEFAULT_LEARNING_RATE = {"sgd": 0.03, "adam": 0.001}
"""Per optimiser, the learning rate when a request names none."""
LEARNING_RATE_CHOICES = (0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
"""The SGD learning rates the learning panel offers (too small to too large, on purpose)."""


def shared() -> dict:
    """The values the page needs, JSON-friendly."""
    return {
        "IMAGE_SHAPE": list(IMAGE_SHAPE),
        "IMAGE_PIXELS": IMAGE_PIXELS,
        "MAX_EXPORT_BYTES": MAX_EXPORT_BYTES,
        "ACTIVATIONS": list(ACTIVATIONS),
        "BY_WEIGHT": BY_WEIGHT,
        "BY_CONTRIBUTION": BY_CONTRIBUTION,
        "CONNECTION_MODES": list(CONNECTION_MODES),
        "MNIST_STYLE": MNIST_STYLE,
        "PREPROCESSING": list(PREPROCESSING),
        "DATASETS": DATASETS,
        "BUFFER_KEY": BUFFER_KEY,
        "BUFFER_DTYPES": list(BUFFER_DTYPES),
        "TRAINING_PACKAGE": TRAINING_PACKAGE,
        "DEFAULT_LEARNING_RATE": DEFAULT_LEARNING_RATE,
        "LEARNING_RATE_CHOICES": list(LEARNING_RATE_CHOICES),
    }
