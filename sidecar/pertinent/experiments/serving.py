"""The decision core's side of experiments: which arm serves a request, and the canary model set.

Everything here is per process and cheap on the hot path: the running experiment is re-read from the
store at most every few seconds, the CANARY pointer is polled by a registry like LIVE's, and canary
health is counted in memory. A failure in any of it serves the live model (arm "model"), never an error.
"""
from __future__ import annotations

import logging

from ..modelset.health import CanaryHealth
from ..modelset.registry import ModelRegistry
from .assignment import DEFAULT_ARM, choose_arm
from .book import ExperimentBook

log = logging.getLogger(__name__)
CONTROL_REASON = "control arm: default content"
RULES_ONLY_REASON = "rules-only arm: no rule applies: default content"


class ExperimentServing:
    """Arm choice for one process: the running experiment, the canary and its share."""

    def __init__(self, runtime):
        config = runtime.config
        self.book = ExperimentBook(runtime.store, cache_seconds=min(5.0, config.reload_interval or 5.0))
        self.health = CanaryHealth(runtime.store)
        # The live set's figures while a canary runs: the canary is judged against them, same period.
        self.live_health = CanaryHealth(runtime.store, role="live")
        # The live registry's store and keys: a canary is fetched and verified exactly as LIVE is.
        self.canary = ModelRegistry.canary(runtime.models.sets, config.reload_interval,
                                           keyring=runtime.models.keyring,
                                           on_failure=self.health.report_load_failure)
        self.canary_share = config.canary_share

    def arm(self, visitor_id: str | None) -> str:
        """The arm for this visitor; the live model when anything needed for the choice is unavailable."""
        try:
            experiment = self.book.running()
            canary_version = self.canary_version()
        except Exception:  # noqa: BLE001 - the store may be down: serve the live model
            log.exception("experiment lookup failed; serving the live model")
            return DEFAULT_ARM
        return choose_arm(visitor_id, experiment, canary_version, self.canary_share)

    def canary_version(self) -> str | None:
        """The canary version being served (None when none, or when it failed to load)."""
        found = self.canary.polled()
        return found.version if found is not None else None

    def covers(self, slot_name: str) -> bool:
        """Whether the running experiment includes this slot (an empty slot list means every slot)."""
        try:
            experiment = self.book.running()
        except Exception:  # noqa: BLE001 - unknown: let the model serve the slot
            return False
        return experiment is None or not experiment.slots or slot_name in experiment.slots

    def cache_material(self, visitor_id: str | None) -> str:
        """What a cached decision must match besides the page: arm, experiment and canary version."""
        experiment = self.book.running()
        return f"{self.arm(visitor_id)}:{experiment.id if experiment else ''}:{self.canary_version() or ''}"


def serving(runtime) -> ExperimentServing:
    """This runtime's ExperimentServing, created on first use (after gunicorn's fork, like connections)."""
    found = getattr(runtime, "_experiment_serving", None)
    if found is None:
        found = ExperimentServing(runtime)
        runtime._experiment_serving = found
    return found


def assign_arm(request, runtime) -> str:
    """The decision core's hook: control, rules, model or canary for this request."""
    return serving(runtime).arm(request.visitor_id)


def slot_arm(arm: str, slot_name: str, runtime) -> str:
    """The arm a slot is decided with: slots outside the experiment are served by the model."""
    if arm in ("control", "rules") and not serving(runtime).covers(slot_name):
        return DEFAULT_ARM
    return arm


def canary_model_set(runtime):
    """The canary model set this process serves, or None (not configured, or it failed to load)."""
    try:
        return serving(runtime).canary.polled()
    except Exception:  # noqa: BLE001
        log.exception("canary model set unavailable")
        return None


def record_decision(runtime, arm: str, model_set, latency_ms: float, failed: bool) -> None:
    """Count a decision's time and failure for the canary check: canary decisions, and live ones while a
    canary runs (nothing is counted, and nothing written, when there is no canary)."""
    if model_set is None or arm not in ("canary", "model"):
        return
    try:
        found = serving(runtime)
        if arm == "canary":
            found.health.record(model_set.version, latency_ms, failed)
        elif (canary := found.canary_version()) is not None:
            found.live_health.record(model_set.version, latency_ms, failed, canary=canary)
    except Exception:  # noqa: BLE001 - bookkeeping must never fail a decision
        log.exception("canary health not recorded")


def cache_material(request, runtime) -> str:
    """The part of a decision cache key that experiments decide: arm, experiment id, canary version."""
    try:
        return serving(runtime).cache_material(request.visitor_id)
    except Exception:  # noqa: BLE001
        return "model::"
