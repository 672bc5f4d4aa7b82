"""A real (tiny) training run, exported in float32: py_runtime's forward pass matches torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from py_runtime import ExportError, forward, load_export
from training.data import load_dataset
from training.export import build_model_export, write_export
from training.loop import train_epoch
from training.model import build_mlp, check_hidden_dims, load_layer_weights


@pytest.fixture(scope="module")
def trained(tiny_data_dir):
    """One epoch on 300 images, on the CPU."""
    data = load_dataset("mnist", tiny_data_dir, download=False)
    torch.manual_seed(0)
    model = build_mlp(784, [128, 64], 10)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    train_epoch(
        model,
        optimizer,
        data.train_images,
        data.train_labels,
        batch_size=32,
        generator=torch.Generator().manual_seed(0),
    )
    return model.eval(), data


def test_float32_export_forward_matches_torch(trained, tmp_path):
    model, data = trained
    path = tmp_path / "model.json"
    write_export(build_model_export(model, data.spec, dtype="float32"), path)
    exported = load_export(path)
    for layer, torch_layer in zip(exported.layers, [model[1], model[3], model[5]], strict=True):
        np.testing.assert_array_equal(layer.weight, torch_layer.weight.detach().numpy())

    pixels = (data.test_images * data.spec.std + data.spec.mean).clamp(0, 1)  # back to [0, 1]
    with torch.no_grad():
        logits = model(data.test_images).numpy()
        probabilities = torch.softmax(model(data.test_images), dim=1).numpy()
    for index in range(len(pixels)):
        result = forward(exported, pixels[index].numpy())
        np.testing.assert_allclose(result.pre_activations[-1], logits[index], atol=1e-5)
        np.testing.assert_allclose(result.probabilities, probabilities[index], atol=1e-5)


def test_float16_export_rounds_weights_only_slightly(trained, tmp_path):
    model, data = trained
    path = tmp_path / "model16.json"
    size = write_export(build_model_export(model, data.spec, dtype="float16"), path)
    assert size < 300_000
    exported = load_export(path)
    copy = build_mlp(784, [128, 64], 10)
    load_layer_weights(copy, [(layer.weight, layer.bias) for layer in exported.layers])
    with torch.no_grad():
        assert torch.equal(copy(data.test_images).argmax(1), model(data.test_images).argmax(1))
        for ours, theirs in zip(copy.parameters(), model.parameters(), strict=True):
            assert (ours - theirs).abs().max() < 2e-3


def test_export_of_non_finite_weights_is_refused(trained):
    model, data = trained
    broken = build_mlp(784, [8], 10)
    with torch.no_grad():
        broken[1].weight[0, 0] = float("nan")
    with pytest.raises((ValueError, ExportError)):
        build_model_export(broken, data.spec)


@pytest.mark.parametrize("widths", [[0], [64, -1], [True]])
def test_hidden_widths_must_be_positive(widths):
    with pytest.raises(ValueError, match="positive integers"):
        check_hidden_dims(widths)
