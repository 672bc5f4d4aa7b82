"""When to snapshot the model during training: a pure, roughly logarithmic schedule."""

from __future__ import annotations

import math


def snapshot_schedule(total_images: int, count: int = 30, granularity: int = 1) -> list[int]:
    """Milestones in images seen: ``0``, then geometrically spaced up to ``total_images``.

    Returns at most ``count`` strictly increasing integers, the first ``0`` and the last
    ``total_images`` (fewer when there are not enough distinct values, e.g. tiny totals).
    Milestones other than the last are multiples of ``granularity`` (the batch size, so that
    no two milestones fall inside the same optimisation step). Each next milestone is the
    geometric step towards the end from the previous one, and at least one unit after it, so
    the dense start of the log scale does not collapse into duplicates.
    """
    if count < 2:
        raise ValueError(f"count must be at least 2 (the start and the end), got {count}")
    if granularity < 1:
        raise ValueError(f"granularity must be a positive integer, got {granularity}")
    if total_images < 0:
        raise ValueError(f"total_images must not be negative, got {total_images}")
    if total_images == 0:
        return [0]
    units = math.ceil(total_images / granularity)  # the last unit is the (maybe partial) end
    steps = min(count - 1, units)
    milestones = [1]
    for done in range(1, steps):
        current, remaining = milestones[-1], steps - done
        ratio = (units / current) ** (1 / remaining)
        latest = units - remaining + 1  # leave one distinct unit per remaining milestone
        milestones.append(min(max(current + 1, round(current * ratio)), latest))
    return [0] + [unit * granularity for unit in milestones[:-1]] + [total_images]
