"""Confidence intervals for rates and for the difference of two rates, and the plain-words verdict."""
from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054
ARM_LABELS = {"control": "default", "rules": "rules only", "model": "model", "canary": "canary"}


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 0) when there is no trial at all."""
    if n <= 0:
        return (0.0, 0.0)
    successes = min(max(successes, 0), n)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Uplift:
    """Rate difference (arm minus control) with a 95% interval, in proportions (0.021 = 2.1 points)."""

    diff: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def uplift(s1: int, n1: int, s0: int, n0: int, z: float = Z95) -> Uplift | None:
    """Newcombe's hybrid score interval (method 10) for p1 - p0; None when either arm is empty.

    Built from the two Wilson intervals, so it behaves at small rates where the normal
    approximation gives intervals below zero.
    """
    if n1 <= 0 or n0 <= 0:
        return None
    p1, p0 = min(s1, n1) / n1, min(s0, n0) / n0
    l1, u1 = wilson(s1, n1, z)
    l0, u0 = wilson(s0, n0, z)
    diff = p1 - p0
    low = diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return Uplift(diff, low, high)


def points(x: float) -> str:
    """A proportion as percentage points with one decimal: 0.0213 -> '2.1'."""
    return f"{x * 100:.1f}"


def verdict(arm: str, n_arm: int, n_control: int, result: Uplift | None, min_impressions: int,
            metric: str = "click-through") -> str:
    """One sentence an editor can act on; it names a winner only when the sample and the interval allow."""
    label, control = ARM_LABELS.get(arm, arm), ARM_LABELS["control"]
    smallest = min(n_arm, n_control)
    if result is None or smallest < min_impressions:
        return (f"not enough data yet: {smallest} of {min_impressions} impressions in the smaller arm; "
                f"no conclusion about {label} vs {control}")
    ci = f"95% CI {points(result.low)} to {points(result.high)}"
    if result.low > 0:
        return f"{label} beats {control} on {metric} by {points(result.diff)} points, {ci}"
    if result.high < 0:
        return f"{label} is worse than {control} on {metric} by {points(-result.diff)} points, {ci}"
    return (f"no clear difference between {label} and {control} on {metric} "
            f"({points(result.diff)} points, {ci})")
