"""The training timeline: the snapshot schedule, ``--snapshots`` runs, and the committed one."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch

from py_runtime import load_export
from tests.training.cli import run_cli
from training.data import load_dataset
from training.model import build_mlp
from training.snapshots import snapshot_schedule
from training.timeline import TimelineRecorder, TimelineStaging

EXPORTS = Path(__file__).resolve().parents[2] / "exports"


def run(data_dir, export_path, *extra: str) -> int:
    return run_cli(data_dir, export_path, *extra, batch_size=32)


def check_timeline(export_path: Path, total_images: int) -> list[dict]:
    """Every timeline entry loads, is consistent with its file, and the last is the final model."""
    document = json.loads(export_path.read_text())
    timeline = document["timeline"]
    folder = export_path.with_suffix("")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(e["path"]).name for e in timeline
    )
    seen = [entry["images_seen"] for entry in timeline]
    assert seen[0] == 0 and seen[-1] == total_images
    assert all(a < b for a, b in zip(seen, seen[1:], strict=False))
    assert timeline[0]["train_loss"] is None and timeline[0]["id"].endswith("_initial")
    assert all(isinstance(e["train_loss"], float) for e in timeline[1:])
    assert len({e["id"] for e in timeline}) == len(timeline)
    layers = []
    for index, entry in enumerate(timeline):
        assert entry["path"] == f"{folder.name}/{entry['id']}.json"
        assert entry["id"].startswith(f"{index:03d}_")
        path = export_path.parent / entry["path"]
        load_export(path)  # a complete, valid v1 export
        snapshot = json.loads(path.read_text())
        assert "timeline" not in snapshot
        assert snapshot["metrics"]["test_accuracy"] == entry["test_accuracy"]
        assert snapshot["metrics"]["train_loss"] == entry["train_loss"]
        assert snapshot["training"]["images_seen"] == entry["images_seen"]
        assert snapshot["training"]["snapshot"] == entry["id"]
        layers.append(snapshot["layers"])
    assert all(a != b for a, b in zip(layers, layers[1:], strict=False))  # no duplicates
    assert layers[-1] == document["layers"]  # the last snapshot is the final model
    assert timeline[-1]["test_accuracy"] == document["metrics"]["test_accuracy"]
    return timeline


# ------------------------------------------------------------------ the schedule


@pytest.mark.parametrize("total", [1_000_000, 480_000, 12_345, 300, 29, 30, 31])
def test_schedule_starts_at_zero_ends_at_total_strictly_increasing(total):
    schedule = snapshot_schedule(total, 30)
    assert schedule[0] == 0 and schedule[-1] == total
    assert all(a < b for a, b in zip(schedule, schedule[1:], strict=False))
    assert len(schedule) == min(30, total + 1)


def test_schedule_is_roughly_logarithmic():
    schedule = snapshot_schedule(1_000_000, 30)
    assert len(schedule) == 30
    # Past the dense start, consecutive ratios are nearly constant (geometric spacing) ...
    ratios = [b / a for a, b in zip(schedule[10:], schedule[11:], strict=False)]
    assert max(ratios) / min(ratios) < 1.1
    # ... and the middle milestone sits near the geometric middle, far below the linear one.
    logs = [math.log(value) for value in schedule[1:]]
    assert abs(logs[len(logs) // 2] - (logs[0] + logs[-1]) / 2) < 1.5
    assert schedule[15] < 1_000_000 / 100


def test_schedule_milestones_fall_on_batches_except_the_end():
    schedule = snapshot_schedule(480_000 + 50, 30, granularity=128)
    assert len(schedule) == 30 and schedule[-1] == 480_050
    assert all(value % 128 == 0 for value in schedule[:-1])
    assert schedule[1] == 128  # the first step is worth seeing


@pytest.mark.parametrize(
    ("total", "count", "granularity", "expected"),
    [
        (0, 30, 1, [0]),
        (1, 30, 1, [0, 1]),
        (5, 30, 1, [0, 1, 2, 3, 4, 5]),
        (100, 2, 1, [0, 100]),
        (300, 30, 64, [0, 64, 128, 192, 256, 300]),
        (50, 30, 64, [0, 50]),
    ],
)
def test_schedule_is_sane_for_tiny_totals(total, count, granularity, expected):
    assert snapshot_schedule(total, count, granularity) == expected


@pytest.mark.parametrize(
    ("args", "message"), [((10, 1), "count"), ((-1,), "negative"), ((10, 30, 0), "granularity")]
)
def test_schedule_rejects_nonsense(args, message):
    with pytest.raises(ValueError, match=message):
        snapshot_schedule(*args)


# ------------------------------------------------------------------ runs


def test_snapshots_run_writes_a_loadable_timeline(tiny_data_dir, tmp_path, capsys):
    export_path = tmp_path / "exports" / "model.json"
    assert run(tiny_data_dir, export_path, "--epochs", "2", "--snapshots") == 0
    assert "snapshots to" in capsys.readouterr().out
    timeline = check_timeline(export_path, total_images=2 * 300)
    assert len(timeline) == len(snapshot_schedule(600, 30, granularity=32))
    assert timeline[0]["path"] == "model/000_initial.json"
    assert sorted(p.name for p in export_path.parent.iterdir()) == [
        "model",
        "model.json",
        "model.png",
    ]  # no staging folder left behind


def test_snapshots_do_not_change_the_trained_weights(tiny_data_dir, tmp_path):
    assert run(tiny_data_dir, tmp_path / "plain.json", "--epochs", "2") == 0
    assert run(tiny_data_dir, tmp_path / "timed.json", "--epochs", "2", "--snapshots") == 0
    plain = json.loads((tmp_path / "plain.json").read_text())
    timed = json.loads((tmp_path / "timed.json").read_text())
    assert plain["layers"] == timed["layers"]
    assert "timeline" not in plain and not (tmp_path / "plain").exists()


def test_a_new_run_removes_stale_snapshots(tiny_data_dir, tmp_path):
    export_path = tmp_path / "model.json"
    assert run(tiny_data_dir, export_path, "--epochs", "3", "--snapshots") == 0
    (export_path.with_suffix("") / "099_stale.json").write_text("{}")
    assert run(tiny_data_dir, export_path, "--epochs", "1", "--snapshots") == 0
    timeline = check_timeline(export_path, total_images=300)
    assert len(timeline) < len(snapshot_schedule(900, 30, granularity=32))


def test_skip_train_timeline_is_the_initial_model_alone(tiny_data_dir, tmp_path):
    export_path = tmp_path / "model.json"
    assert run(tiny_data_dir, export_path, "--skip-train", "--snapshots") == 0
    timeline = check_timeline(export_path, total_images=0)
    assert [entry["id"] for entry in timeline] == ["000_initial"]


def test_one_step_past_several_milestones_gives_one_snapshot(tiny_data_dir, tmp_path):
    data = load_dataset("mnist", tiny_data_dir, download=False)
    model = build_mlp(784, [8], 10)
    with TimelineStaging(tmp_path / "m.json") as staging:
        recorder = TimelineRecorder(
            model,
            data,
            staging,
            dtype="float32",
            total_images=100,
            batch_size=1,  # milestones 1 image apart, steps of 50 images
            count=30,
            training={},
        )
        recorder.start()
        for _ in range(2):
            with torch.no_grad():
                model[1].bias += 1.0  # a "step": the weights change
            recorder.after_step(50, torch.tensor(2.0))
        assert [entry["images_seen"] for entry in recorder.entries] == [0, 50, 100]
        assert [entry["train_loss"] for entry in recorder.entries] == [None, 2.0, 2.0]
        assert len(list(staging.staging.iterdir())) == 3
    assert not staging.staging.exists()


def test_an_interrupted_publication_leaves_a_consistent_export(tiny_data_dir, tmp_path):
    export_path = tmp_path / "model.json"
    assert run(tiny_data_dir, export_path, "--epochs", "1", "--snapshots") == 0
    before = export_path.read_text()
    with TimelineStaging(export_path) as staging:
        (staging.staging / "000_initial.json").write_text("{}")
        (staging.staging / "001_new.json").write_text("{}")
        entries = [{"path": "model/000_initial.json"}, {"path": "model/001_new.json"}]

        def interrupted() -> int:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            staging.publish(entries, interrupted)
    assert export_path.read_text() == before  # the previous export ...
    for entry in json.loads(before)["timeline"]:  # ... and every snapshot it names
        assert (tmp_path / entry["path"]).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "model.json", "model.png"]


# ------------------------------------------------------------------ the committed default


def test_committed_default_carries_its_timeline():
    export_path = EXPORTS / "sample_mlp_weights.json"
    document = json.loads(export_path.read_text())
    assert export_path.stat().st_size <= 300_000
    training = document["training"]
    total = training["epochs"] * document["metrics"]["train_samples"]
    timeline = check_timeline(export_path, total_images=total)
    assert 25 <= len(timeline) <= 30
    assert timeline[0]["test_accuracy"] < 0.3 and timeline[-1]["test_accuracy"] >= 0.96
    assert "--snapshots" in training["command"]
