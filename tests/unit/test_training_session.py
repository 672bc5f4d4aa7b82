"""Training sessions: slices, determinism, stopping, fine-tuning, and the export round trip."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from py_runtime import parse_export, random_export
from py_runtime.forward import forward
from py_runtime.training import (
    CHECKPOINT_EVERY,
    LOSS_LIMIT,
    FineTuneSession,
    TrainSession,
    accuracy,
    export_trained,
    shift_images,
)


def synthetic_digits(count: int, seed: int):
    """Ten noisy prototype images (uint8 [count, 784]) and their labels."""
    rng = np.random.default_rng(1234)
    prototypes = (rng.random((10, 784)) > 0.8) * 255
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=count)
    noise = rng.random((count, 784)) > 0.9
    images = np.where(noise, 255 - prototypes[labels], prototypes[labels]).astype(np.uint8)
    return images, labels.astype(np.uint8)


@pytest.fixture(scope="module")
def data():
    return synthetic_digits(600, 1), synthetic_digits(200, 2)


def small_model(activation="relu"):
    export = random_export((784, 16, 10), seed=0)
    export["layers"][0]["activation"] = activation
    return parse_export(json.dumps(export))


def session(data, **options):
    train, held = data
    options.setdefault("batch_size", 32)
    options.setdefault("evaluate_every", 10**9)
    return TrainSession(small_model(options.pop("activation", "relu")), train, held, **options)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("optimiser", ["sgd", "adam"])
def test_one_epoch_lowers_the_loss_and_learns(data, activation, optimiser):
    s = session(data, activation=activation, optimiser=optimiser, seed=3)
    s.run(max_steps=1)
    first = s.loss
    progress = s.run()
    assert progress["done"] and progress["images_seen"] == 600 and not progress["diverged"]
    assert s.loss < first
    assert progress["held_out_accuracy"] > 0.5


def test_slicing_does_not_change_the_result(data):
    whole = session(data, seed=5, epochs=2)
    whole.run()
    sliced = session(data, seed=5, epochs=2)
    while not sliced.done:
        sliced.run(max_steps=3)
    for (a, b), (c, d) in zip(whole.params, sliced.params, strict=True):
        assert np.array_equal(a, c) and np.array_equal(b, d)
    assert sliced.images_seen == 1200


def test_different_seeds_give_different_weights(data):
    a, b = session(data, seed=1), session(data, seed=2)
    a.run(max_steps=2)
    b.run(max_steps=2)
    assert not np.array_equal(a.params[0][0], b.params[0][0])


def test_the_model_follows_the_weights_between_slices(data):
    s = session(data, seed=0)
    pixels = data[1][0][0].astype(np.float32) / 255
    before = forward(s.model, pixels).probabilities.copy()
    s.run(max_steps=5)
    assert not np.allclose(before, forward(s.model, pixels).probabilities)


def test_from_current_starts_at_the_loaded_weights(data):
    s = session(data, seed=0, from_scratch=False)
    assert np.array_equal(s.params[0][0], small_model().layers[0].weight)
    s.run(max_steps=1)
    assert not np.array_equal(s.params[0][0], small_model().layers[0].weight)


def test_stopping_mid_epoch_leaves_a_usable_evaluated_model(data):
    s = session(data, seed=0)
    s.run(max_steps=4)
    progress = s.stop()
    assert progress["done"] and progress["images_seen"] == 128
    assert 0 <= progress["held_out_accuracy"] <= 1
    assert s.run(max_steps=10)["images_seen"] == 128  # nothing more after a stop
    probabilities = forward(s.model, data[1][0][0] / 255).probabilities
    assert np.isfinite(probabilities).all() and probabilities.sum() == pytest.approx(1, abs=1e-5)


# The steps that diverge overflow on purpose (NumPy warns once; training stops).
diverging = pytest.mark.filterwarnings(
    "ignore:overflow encountered:RuntimeWarning", "ignore:invalid value encountered:RuntimeWarning"
)


@diverging
@pytest.mark.parametrize("optimiser", ["sgd", "adam"])
def test_a_learning_rate_too_large_stops_with_the_last_weights_that_worked(data, optimiser):
    s = session(data, optimiser=optimiser, learning_rate=10, seed=0, epochs=3)
    before_each_step = []
    while True:
        before_each_step.append([array.copy() for array in s.optimiser.arrays])
        if not s.train_step():
            break
        assert s.loss <= LOSS_LIMIT
    progress = s.run()
    assert progress["done"] and progress["diverged"] and progress["learning_rate"] == 10
    assert progress["epoch_progress"] < 1 and 0 < progress["steps"] < 20
    assert np.isfinite(progress["loss"]) and 0 <= progress["held_out_accuracy"] <= 1
    # back to the last checkpoint: the weights before the last step whose number is a
    # multiple of CHECKPOINT_EVERY (its loss was within the limit)
    kept = before_each_step[CHECKPOINT_EVERY * ((progress["steps"] - 1) // CHECKPOINT_EVERY)]
    for now, then in zip(s.optimiser.arrays, kept, strict=True):
        assert np.array_equal(now, then)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the weights it kept compute without overflow
        probabilities = forward(s.model, data[1][0][0] / 255).probabilities
    assert probabilities.sum() == pytest.approx(1, abs=1e-5)
    assert s.run(max_steps=5)["steps"] == progress["steps"]  # nothing more after it stopped


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_a_slice_that_ends_on_weights_that_are_not_finite_goes_back(data, bad):
    s = session(data, seed=0, epochs=3)
    s.run(max_steps=CHECKPOINT_EVERY + 2)
    checkpoint = [array.copy() for array in s.checkpoint]  # taken before step CHECKPOINT_EVERY
    assert not np.array_equal(checkpoint[0], s.params[0][0])
    take_step = s.optimiser.step

    def overflowing_step(grads):
        take_step(grads)
        s.params[-1][0][3, 5] = bad  # as an overflowing update would leave it

    s.optimiser.step = overflowing_step
    progress = s.run(max_steps=1)  # the page would predict right after this slice
    assert progress["diverged"] and progress["steps"] == CHECKPOINT_EVERY + 3
    for now, then in zip(s.optimiser.arrays, checkpoint, strict=True):
        assert np.array_equal(now, then)


def test_a_first_step_beyond_the_limit_keeps_the_starting_weights(data):
    model = small_model()
    model.layers[-1].bias[:] = [1e4, *[0.0] * 9]  # every image: "0" by 10,000 nats
    s = TrainSession(model, *data, from_scratch=False, learning_rate=0.01)
    assert not s.train_step() and s.diverged and s.done and s.steps == 0
    for layer, (weight, bias) in zip(model.layers, s.params, strict=True):
        assert np.array_equal(weight, layer.weight) and np.array_equal(bias, layer.bias)


def test_held_out_history_is_recorded(data):
    s = session(data, seed=0, evaluate_every=200)
    s.run()
    assert [p["images_seen"] for p in s.history] == [224, 416, 600]
    assert [p["held_out_count"] for p in s.history] == [100, 100, 200]  # the last one: all


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("epochs", 0, "epochs"),
        ("epochs", 1.5, "epochs"),
        ("batch_size", -1, "batch size"),
        ("learning_rate", -0.1, "learning rate"),
        ("optimiser", "lbfgs", "unknown optimiser"),
    ],
)
def test_bad_options_are_refused(data, option, value, message):
    with pytest.raises(ValueError, match=message):
        session(data, **{option: value})


def test_max_seconds_bounds_a_slice(data):
    s = session(data, seed=0)
    progress = s.run(max_seconds=0)
    assert progress["steps"] == 1 and not progress["done"]


def test_trained_model_written_with_the_format_writer_reads_back_identically(data):
    s = session(data, seed=0)
    s.run()
    document = export_trained(s.model, {"where": "browser", "from": "scratch"}, {"acc": 0.5})
    back = parse_export(json.dumps(document))
    for mine, theirs in zip(s.model.layers, back.layers, strict=True):
        assert np.array_equal(mine.weight, theirs.weight) and np.array_equal(mine.bias, theirs.bias)
        assert mine.activation == theirs.activation
    assert back.metadata["training"]["where"] == "browser"
    assert back.architecture == s.model.architecture


def test_shift_images_moves_by_at_most_one_pixel():
    image = np.zeros((1, 28, 28), dtype=np.float32)
    image[0, 10, 12] = 1
    rng = np.random.default_rng(0)
    for _ in range(20):
        moved = shift_images(image.reshape(1, -1), (28, 28), rng).reshape(28, 28)
        (row,), (col,) = np.nonzero(moved)
        assert abs(row - 10) <= 1 and abs(col - 12) <= 1


def test_fine_tune_learns_the_examples_and_keeps_the_rest(data):
    train, held = data
    base = session(data, seed=0, epochs=3)
    base.run()
    model = base.model
    rng = np.random.default_rng(9)
    style = (rng.random((2, 784)) > 0.85).astype(np.float32)  # two new "handwritings"
    mine = np.repeat(style, 4, axis=0)
    labels = np.array([3] * 4 + [8] * 4)
    before_mine = accuracy(model, mine, labels)
    before_held = accuracy(model, *held)
    tune = FineTuneSession(model, (mine, labels), train, steps=150, seed=0)
    progress = tune.run()
    assert progress["done"] and progress["steps"] == 150
    assert accuracy(tune.model, mine, labels) == 1.0 > before_mine
    assert accuracy(tune.model, *held) >= before_held - 0.05
    assert np.array_equal(model.layers[0].weight, base.params[0][0])  # the base is untouched


@diverging
def test_fine_tune_at_a_learning_rate_too_large_stops_usable(data):
    train, _ = data
    mine = (np.random.default_rng(4).random((3, 784)) > 0.8).astype(np.float32)
    tune = FineTuneSession(
        small_model("linear"),
        (mine, np.array([1, 2, 3])),
        train,
        steps=200,
        learning_rate=10,
        seed=0,
    )
    progress = tune.run()
    assert progress["done"] and progress["diverged"] and progress["steps"] < 200
    assert all(np.isfinite(array).all() for array in tune.optimiser.arrays)


def test_fine_tune_without_examples_is_refused(data):
    with pytest.raises(ValueError, match="no examples"):
        FineTuneSession(small_model(), (np.zeros((0, 784)), np.zeros(0)), data[0])


def test_fine_tune_with_bad_steps_is_refused(data):
    with pytest.raises(ValueError, match="steps"):
        FineTuneSession(small_model(), (np.zeros((1, 784)), np.zeros(1)), data[0], steps=-3)
