"""Sticky arm assignment: a hash of (visitor, experiment), so every replica agrees with no database write."""
from __future__ import annotations

import hashlib

from .definition import Experiment

# Served when a visitor is in no experiment (or has no id to hash): the live model set.
DEFAULT_ARM = "model"


def bucket(visitor_id: str, salt: str) -> float:
    """A uniform number in [0, 1) fixed by visitor and salt; sha256 so it is stable across processes."""
    digest = hashlib.sha256(f"{salt}\x00{visitor_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def experiment_arm(visitor_id: str, experiment: Experiment) -> str:
    """The arm this visitor sees in this experiment (arms are walked in their fixed order)."""
    point = bucket(visitor_id, experiment.id)
    edge = 0.0
    arm = DEFAULT_ARM
    for arm, share in experiment.arms.items():
        edge += share
        if point < edge:
            return arm
    return arm  # float rounding at the top edge: the last arm


def choose_arm(visitor_id: str | None, experiment: Experiment | None, canary_version: str | None,
               canary_share: float) -> str:
    """Experiment arm first; visitors on the model arm go to the canary at its share, if one exists.

    The canary hash is salted with its version, so each new candidate gets a fresh sample of visitors
    and the control arm is never touched by a canary.
    """
    if not visitor_id:
        return DEFAULT_ARM
    arm = experiment_arm(visitor_id, experiment) if experiment and experiment.running else DEFAULT_ARM
    if arm == "model" and canary_version and bucket(visitor_id, "canary:" + canary_version) < canary_share:
        return "canary"
    return arm
