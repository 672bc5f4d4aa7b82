"""Device selection: auto picks MPS, then CUDA, then CPU; never a silent fallback."""

from __future__ import annotations

import torch

DEVICE_CHOICES = ("auto", "mps", "cuda", "cpu")


class DeviceUnavailableError(RuntimeError):
    """The requested device does not exist on this machine."""


def mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def cuda_available() -> bool:
    return bool(torch.cuda.is_available())


def select_device(requested: str = "auto") -> torch.device:
    """The device to train on; asking for one that is unavailable is an error."""
    if requested == "auto":
        if mps_available():
            return torch.device("mps")
        if cuda_available():
            return torch.device("cuda")
        return torch.device("cpu")
    if requested == "mps" and not mps_available():
        raise DeviceUnavailableError(
            "--device mps was requested but MPS is not available here "
            "(it needs Apple silicon and a PyTorch build with MPS); use --device auto or cpu"
        )
    if requested == "cuda" and not cuda_available():
        raise DeviceUnavailableError(
            "--device cuda was requested but CUDA is not available here "
            "(no NVIDIA GPU or driver visible to PyTorch); use --device auto or cpu"
        )
    if requested not in DEVICE_CHOICES:
        raise DeviceUnavailableError(f"unknown device {requested!r}, choose from {DEVICE_CHOICES}")
    return torch.device(requested)
