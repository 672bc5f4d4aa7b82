"""The multilayer perceptron: Linear layers with ReLU between them, logits out."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def check_hidden_dims(hidden_dims: list[int]) -> list[int]:
    """The hidden widths, or a ValueError that says which one is wrong."""
    for width in hidden_dims:
        if isinstance(width, bool) or not isinstance(width, int) or width <= 0:
            raise ValueError(f"hidden layer widths must be positive integers, got {width!r}")
    return list(hidden_dims)


def build_mlp(input_size: int, hidden_dims: list[int], num_classes: int) -> nn.Sequential:
    """``Flatten → (Linear → ReLU) per hidden width → Linear`` (logits; softmax is the loss's)."""
    widths = [input_size, *check_hidden_dims(hidden_dims), num_classes]
    layers: list[nn.Module] = [nn.Flatten()]
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers.append(nn.Linear(fan_in, fan_out))
        if index < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    return [module for module in model.modules() if isinstance(module, nn.Linear)]


def layer_weights(model: nn.Module) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[(weight[out, in], bias[out]), ...]`` as float32 NumPy arrays, input side first."""
    return [
        (
            layer.weight.detach().cpu().numpy().astype(np.float32),
            layer.bias.detach().cpu().numpy().astype(np.float32),
        )
        for layer in linear_layers(model)
    ]


@torch.no_grad()
def load_layer_weights(model: nn.Module, weights: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Copy ``[(weight, bias), ...]`` (e.g. decoded from an export) into the model."""
    layers = linear_layers(model)
    if len(layers) != len(weights):
        raise ValueError(f"{len(weights)} weight pairs for {len(layers)} layers")
    for layer, (weight, bias) in zip(layers, weights, strict=True):
        layer.weight.copy_(torch.as_tensor(weight))
        layer.bias.copy_(torch.as_tensor(bias))
