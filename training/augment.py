"""Batched data augmentation on tensors: small random shifts, rotations and scaling."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class RandomAffine:
    """A random affine warp per image, for a whole batch in one ``grid_sample`` call.

    Images are normalised ``[N, H, W]``; ``background`` is the normalised value of a
    blank pixel (``-mean / std``), so what moves into view is blank, not grey.
    """

    background: float
    max_shift: float = 2.0  # pixels, each direction
    max_rotation: float = 12.0  # degrees, each direction
    min_scale: float = 0.9
    max_scale: float = 1.1

    def describe(self) -> str:
        return (
            f"batched random affine: shift ±{self.max_shift:g} px, rotation "
            f"±{self.max_rotation:g}°, scale {self.min_scale:g}–{self.max_scale:g}"
        )

    def __call__(self, images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        count, height, width = images.shape
        # Random numbers come from a CPU generator: the same seed gives the same
        # augmentation on every device.
        uniform = torch.rand(count, 4, generator=generator)
        angle = (uniform[:, 0] * 2 - 1) * math.radians(self.max_rotation)
        scale = self.min_scale + uniform[:, 1] * (self.max_scale - self.min_scale)
        shift = (uniform[:, 2:] * 2 - 1) * self.max_shift
        cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
        # theta maps output coordinates to input coordinates, in [-1, 1] units.
        theta = torch.stack(
            [
                torch.stack([cos, -sin, shift[:, 0] * 2 / width], dim=1),
                torch.stack([sin, cos, shift[:, 1] * 2 / height], dim=1),
            ],
            dim=1,
        ).to(images.device)
        grid = F.affine_grid(theta, [count, 1, height, width], align_corners=False)
        shifted = (images - self.background).unsqueeze(1)
        warped = F.grid_sample(
            shifted, grid, mode="bilinear", padding_mode="zeros", align_corners=False
        )
        return warped.squeeze(1) + self.background
