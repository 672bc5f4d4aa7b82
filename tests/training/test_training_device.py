"""Device selection: MPS, then CUDA, then CPU; an unavailable device is an error."""

from __future__ import annotations

import pytest
import torch

from training.device import DeviceUnavailableError, select_device
from training.mlp_train import main


@pytest.fixture
def available(monkeypatch):
    """Patch what PyTorch reports: ``available(mps=..., cuda=...)``."""

    def patch(*, mps: bool, cuda: bool) -> None:
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)

    return patch


@pytest.mark.parametrize(
    ("mps", "cuda", "expected"),
    [(True, True, "mps"), (True, False, "mps"), (False, True, "cuda"), (False, False, "cpu")],
)
def test_auto_prefers_mps_then_cuda_then_cpu(available, mps, cuda, expected):
    available(mps=mps, cuda=cuda)
    assert select_device("auto").type == expected


@pytest.mark.parametrize("device", ["mps", "cuda", "cpu"])
def test_an_available_device_is_used(available, device):
    available(mps=True, cuda=True)
    assert select_device(device).type == device


@pytest.mark.parametrize(("device", "name"), [("mps", "MPS"), ("cuda", "CUDA")])
def test_an_unavailable_device_is_an_error_not_a_fallback(available, device, name):
    available(mps=False, cuda=False)
    with pytest.raises(DeviceUnavailableError, match=f"{name} is not available"):
        select_device(device)


def test_cli_reports_an_unavailable_device(available, tiny_data_dir, tmp_path, capsys):
    available(mps=False, cuda=False)
    export_path = tmp_path / "model.json"
    code = main(
        [
            "--device",
            "cuda",
            "--data-dir",
            str(tiny_data_dir),
            "--no-download",
            "--export-path",
            str(export_path),
        ]
    )
    assert code == 1
    assert "--device cuda was requested but CUDA is not available" in capsys.readouterr().err
    assert not export_path.exists()
