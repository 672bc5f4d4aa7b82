"""The stateful runtime the page's Web Worker drives (pure Python; no browser imports).

The worker passes plain values in (JSON text, flat float32 pixel buffers) and gets
flat float32 arrays or JSON-friendly dicts back, so the JS side converts cheaply.
A model is only replaced after the new export validated: a bad file keeps the last good one.
"""

from __future__ import annotations

import numpy as np

from .connections import top_incoming
from .export_format import ExportError, Model, parse_export
from .forward import forward, is_blank
from .preprocess import preprocess


class Runtime:
    """Holds the current model and answers predictions for it."""

    def __init__(self) -> None:
        self.model: Model | None = None
        self.pixels = np.zeros(784, dtype=np.float32)
        self.network_input = self.pixels
        self.last = None

    def load(self, raw: str | bytes, image_shape: tuple[int, int] | None = None) -> dict:
        """Validate an export and make it current; returns its summary (JSON-friendly).

        ``image_shape`` is the size of the images the caller can draw: an export for another
        size is rejected. Raises ``ExportError`` (naming the problem) and keeps the old model.
        """
        model = parse_export(raw)
        if image_shape is not None and tuple(model.image_shape) != tuple(image_shape):
            drawn = "x".join(map(str, image_shape))
            expected = "x".join(map(str, model.image_shape))
            raise ExportError(
                "dataset.image_shape",
                f"this export expects {expected} images; the page draws {drawn}",
            )
        self.model = model
        self.pixels = np.zeros(model.architecture[0], dtype=np.float32)
        self.network_input = self.pixels
        self.last = None
        return model.summary()

    def input_buffer(self) -> np.ndarray:
        """The preallocated pixel buffer the worker writes into before ``predict``."""
        return self.pixels

    def predict(self, mnist_style: bool = False) -> np.ndarray:
        """Forward pass of ``input_buffer()``, optionally MNIST-style preprocessed first.

        Returns one flat float32 array: ``[blank, probabilities..., then for each layer
        its weighted sums followed by its activations, then the pixels the network saw]``;
        widths follow the architecture.
        """
        model = self._require_model()
        self.network_input = self.pixels
        if mnist_style:
            self.network_input = preprocess(self.pixels, tuple(model.image_shape))
        result = forward(model, self.network_input)
        self.last = result
        parts = [np.array([1.0 if is_blank(self.pixels) else 0.0], dtype=np.float32)]
        parts.append(result.probabilities.astype(np.float32))
        for z, a in zip(result.pre_activations, result.activations[1:], strict=True):
            parts.append(z.astype(np.float32))
            parts.append(a.astype(np.float32))
        parts.append(self.network_input)
        return np.concatenate(parts)

    def connections(self, n: int, mode: str = "weight") -> np.ndarray:
        """Top-n incoming connections of every neuron of every layer, flattened.

        For each weight layer in order: ``indices`` (as float32) then signed ``values``,
        each ``[out, k]`` row-major with ``k = min(n, in)``. ``mode="contribution"`` ranks by
        the last prediction's ``|input * w|`` (inputs are the pixels for the first layer).
        """
        model = self._require_model()
        parts = []
        for index, layer in enumerate(model.layers):
            inputs = None
            if mode == "contribution":
                inputs = self._layer_inputs(index)
            indices, values = top_incoming(layer.weight, n, inputs, mode)
            parts.append(indices.astype(np.float32).reshape(-1))
            parts.append(values.reshape(-1))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def layer_weights(self, layer: int) -> np.ndarray:
        """Layer ``layer``'s weight matrix, flat ``[out * in]`` float32."""
        return self._require_model().layers[layer].weight.reshape(-1)

    def layer_biases(self, layer: int) -> np.ndarray:
        """Layer ``layer``'s bias vector, float32."""
        return self._require_model().layers[layer].bias

    def _layer_inputs(self, index: int) -> np.ndarray:
        if index == 0:
            return self.network_input
        if self.last is None:
            self.predict()
        return self.last.activations[index]

    def _require_model(self) -> Model:
        if self.model is None:
            raise RuntimeError("no model loaded")
        return self.model
