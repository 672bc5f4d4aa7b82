"""The worker's learning requests (py_runtime.learning) in CPython."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from py_runtime import parse_export, random_export
from py_runtime.forward import forward
from py_runtime.learning import Learner, LearningError, read_asset
from py_runtime.samples import encode_samples
from py_runtime.worker_api import Session, load

from .test_training_session import synthetic_digits


def asset(count, seed, compress=True):
    images, labels = synthetic_digits(count, seed)
    raw = encode_samples(images.reshape(-1, 28, 28), labels)
    return gzip.compress(raw, compresslevel=1) if compress else raw


@pytest.fixture
def learner():
    session = Session()
    load(session, json.dumps(random_export((784, 16, 10), seed=0)))
    learner = Learner(session)
    learner.set_data("mnist", asset(400, 1), asset(100, 2, compress=False))
    return learner


def finish(learner):
    progress = learner.slice(10)
    while not progress["done"]:
        progress = learner.slice(10)
    return progress


def test_read_asset_accepts_plain_and_gzip():
    for compress in (True, False):
        images, labels = read_asset(asset(5, 0, compress))
        assert images.shape == (5, 784) and labels.shape == (5,)
    with pytest.raises(LearningError, match="could not be read"):
        read_asset(b"nonsense")


def test_training_makes_the_session_model_current_and_learns(learner):
    loaded = learner.holder.model
    progress = learner.start_training({"epochs": 2, "batchSize": 32, "seed": 1})
    assert progress["images_seen"] == 0 and learner.holder.model is not loaded
    pixels = synthetic_digits(1, 9)[0][0] / 255
    before = forward(learner.holder.model, pixels).probabilities
    learner.slice(0)
    assert not np.allclose(before, forward(learner.holder.model, pixels).probabilities)
    progress = finish(learner)
    assert progress["images_seen"] == 800 and progress["held_out_accuracy"] > 0.8
    assert progress["history"][-1]["images_seen"] == 800
    json.dumps(progress)  # plain values only


def test_reset_returns_to_the_loaded_model(learner):
    loaded = learner.holder.model
    learner.start_training({})
    learner.slice(0)
    assert learner.status()["changed"]
    learner.reset()
    assert learner.holder.model is loaded and not learner.status()["changed"]


def test_stop_mid_epoch_leaves_a_usable_model(learner):
    learner.start_training({"batchSize": 16})
    learner.slice(0)
    progress = learner.stop()
    assert progress["done"] and 0 < progress["images_seen"] < 400
    assert progress["held_out_accuracy"] is not None
    assert np.isfinite(forward(learner.holder.model, np.ones(784) / 2).probabilities).all()


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_a_diverging_session_says_so_and_leaves_a_usable_model(learner):
    learner.start_training({"learningRate": 10, "from": "current", "batchSize": 16})
    progress = finish(learner)
    assert progress["diverged"] and progress["learning_rate"] == 10
    assert progress["images_seen"] < 400 and progress["changed"]
    json.dumps(progress, allow_nan=False)  # the page gets numbers, not NaN
    probabilities = forward(learner.holder.model, np.ones(784) / 2).probabilities
    assert np.isfinite(probabilities).all()
    assert json.loads(learner.export())["training"]["diverged"] is True
    learner.start_training({"from": "current", "batchSize": 16})
    progress = finish(learner)
    assert not progress["diverged"] and progress["held_out_accuracy"] > 0.5  # trains on
    assert "diverged" not in json.loads(learner.export())["training"]


def test_hidden_sizes_change_the_architecture(learner):
    progress = learner.start_training({"hidden": [8, 8]})
    assert progress["architecture"] == [784, 8, 8, 10]
    assert learner.holder.model.summary()["architecture"] == [784, 8, 8, 10]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"epochs": -1}, "epochs"),
        ({"epochs": "2"}, "epochs"),
        ({"batchSize": 0}, "batchSize"),
        ({"learningRate": 0}, "learningRate"),
        ({"learningRate": float("inf")}, "learningRate"),
        ({"from": "elsewhere"}, '"from"'),
        ({"optimiser": "rmsprop"}, "optimiser"),
        ({"hidden": []}, "hidden"),
        ({"hidden": [8], "from": "current"}, "hidden"),
        ({"speed": 3}, "unknown training option"),
    ],
)
def test_bad_training_options_change_nothing(learner, options, message):
    loaded = learner.holder.model
    with pytest.raises(LearningError, match=message):
        learner.start_training(options)
    assert learner.holder.model is loaded and learner.session is None


def test_training_needs_data_of_the_models_dataset():
    session = Session()
    load(session, json.dumps(random_export((784, 16, 10), seed=0)))
    learner = Learner(session)
    with pytest.raises(LearningError, match="not loaded"):
        learner.start_training({})
    learner.set_data("fashion-mnist", asset(20, 1), asset(20, 2))
    with pytest.raises(LearningError, match="fashion-mnist"):
        learner.start_training({})


def test_fine_tune_reports_before_and_after(learner):
    learner.start_training({"epochs": 3, "seed": 0})
    finish(learner)
    rng = np.random.default_rng(3)
    style = (rng.random((2, 784)) > 0.85).astype(np.float32)
    pixels = np.repeat(style, 3, axis=0)
    labels = [2] * 3 + [7] * 3
    started = learner.start_fine_tune(pixels.reshape(-1), labels, {"steps": 120})
    assert started["before"]["mine"] < 1
    done = finish(learner)
    assert done["after"]["mine"] == 1.0
    assert done["after"]["heldOut"] >= done["before"]["heldOut"] - 0.05
    document = json.loads(learner.export("exports/sample_mlp_weights.json"))
    assert document["training"]["examples"] == 6
    assert "fine-tuned" in document["training"]["mode"]
    assert document["training"]["from"] == "exports/sample_mlp_weights.json"


@pytest.mark.parametrize(
    ("labels", "options", "message"),
    [
        ([], {}, "no examples"),
        ([10], {}, "label 10"),
        ([-1], {}, "label -1"),
        ([1], {"steps": -5}, "steps"),
        ([1], {"steps": 0}, "steps"),
        ([1], {"learningRate": -1}, "learningRate"),
    ],
)
def test_bad_fine_tune_requests_change_nothing(learner, labels, options, message):
    loaded = learner.holder.model
    pixels = np.zeros(784 * len(labels), dtype=np.float32)
    with pytest.raises(LearningError, match=message):
        learner.start_fine_tune(pixels, labels, options)
    assert learner.holder.model is loaded and learner.session is None


def test_export_reads_back_with_the_same_predictions(learner):
    learner.start_training({"seed": 2})
    finish(learner)
    text = learner.export("scratch test")
    back = parse_export(text)
    pixels = synthetic_digits(1, 4)[0][0] / 255
    np.testing.assert_array_equal(
        forward(back, pixels).probabilities, forward(learner.holder.model, pixels).probabilities
    )
    meta = json.loads(text)
    assert meta["training"]["mode"] == "trained from scratch"
    assert meta["metrics"]["held_out_count"] == 100
    assert "timeline" not in meta


def test_slice_without_a_session_is_refused(learner):
    with pytest.raises(LearningError, match="nothing is training"):
        learner.slice(0.1)


def call(name, **arguments):
    """One request through the worker's glue, as the page sends it (JSON + buffers)."""
    from py_runtime import worker_glue
    from py_runtime.worker_glue import unpack

    buffers = []

    def placeholder(value):
        buffers.append(value)
        return {"$buffer": len(buffers) - 1, "dtype": value.dtype.name}

    plain = {
        key: placeholder(value) if isinstance(value, np.ndarray) else value
        for key, value in arguments.items()
    }
    text, arrays = worker_glue.call(name, json.dumps(plain), buffers)
    return unpack(json.loads(text), arrays)


def test_learning_requests_through_the_worker_glue(monkeypatch):
    from py_runtime import worker_glue

    monkeypatch.setattr(worker_glue, "session", Session())
    export = json.dumps(random_export((784, 16, 10), seed=0))
    assert call("load", data=export)["ok"]
    train = np.frombuffer(asset(200, 1), dtype=np.uint8)
    held = np.frombuffer(asset(50, 2), dtype=np.uint8)
    answer = call("learn_data", dataset="mnist", train=train, held_out=held)
    assert answer == {"ok": True, "value": {"dataset": "mnist", "train": 200, "held_out": 50}}
    started = call("learn_train", options={"epochs": 1, "hidden": [8]})["value"]
    assert started["model"]["summary"]["architecture"] == [784, 8, 10]
    assert started["model"]["layers"][0]["weight"].shape == (784 * 8,)
    assert call("learn_slice", seconds=0)["value"]["steps"] == 1
    frame = call("predict", pixels=np.zeros(784, np.float32) + 0.5, top_n=3)["value"]
    assert frame["activations"][0].shape == (8,)  # frames follow the model being trained
    refused = call("learn_fine_tune", pixels=np.zeros(784, np.float32), labels=[12])
    assert refused["ok"] is False and "label 12" in refused["error"]
    assert "unknown request" in call("learn_fly")["error"]
    assert call("learn_train", speed=2)["ok"] is False  # a bad keyword is refused
    text = call("learn_export", source="x")["value"]
    assert parse_export(text).architecture == [784, 8, 10]
    reset = call("learn_reset")["value"]
    assert reset["status"]["changed"] is False
    assert reset["model"]["summary"]["architecture"] == [784, 16, 10]


def test_status_model_and_stop_requests(monkeypatch):
    from py_runtime import worker_glue

    monkeypatch.setattr(worker_glue, "session", Session())
    refused = call("learn_model")  # before any model is loaded
    assert refused["ok"] is False and "no model is loaded" in refused["error"]
    assert call("load", data=json.dumps(random_export((784, 16, 10), seed=0)))["ok"]
    status = call("learn_status")["value"]
    assert status == {
        "dataset": None,
        "has_data": False,
        "session": None,
        "changed": False,
        "progress": None,
    }
    model = call("learn_model")["value"]
    assert model["summary"]["architecture"] == [784, 16, 10]
    assert [layer["weight"].shape for layer in model["layers"]] == [(784 * 16,), (16 * 10,)]
    assert "nothing is training" in call("learn_stop")["error"]
    train = np.frombuffer(asset(200, 1), dtype=np.uint8)
    held = np.frombuffer(asset(50, 2), dtype=np.uint8)
    call("learn_data", dataset="mnist", train=train, held_out=held)
    call("learn_train", options={"epochs": 3, "hidden": [8]})
    call("learn_slice", seconds=0)
    training = call("learn_status")["value"]
    assert training["session"] is not None and training["progress"]["done"] is False
    assert training["changed"] is True and training["has_data"] is True
    stopped = call("learn_stop")["value"]
    assert stopped["done"] is True and stopped["steps"] == 1
    assert call("learn_model")["value"]["summary"]["architecture"] == [784, 8, 10]


def test_weight_connection_caches_follow_the_training(learner):
    from py_runtime.worker_api import predict

    session = learner.holder
    pixels = np.zeros(784, np.float32) + 0.5
    before = predict(session, pixels, top_n=4)["connections"][0]["values"].copy()
    learner.start_training({"seed": 3})
    learner.slice(0.05)
    after = predict(session, pixels, top_n=4)["connections"][0]["values"]
    assert not np.allclose(before, after)


def test_loading_another_model_ends_a_running_session(learner):
    learner.start_training({})
    learner.slice(0)
    other = json.dumps(random_export((784, 16, 10), seed=5))
    load(learner.holder, other)
    learner.sync()  # every request does this first
    progress = learner.slice(0.1)
    assert progress["done"]
    assert learner.holder.model is learner.base and not learner.status()["changed"]
