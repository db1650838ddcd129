"""The canary path: a candidate model set serves a small share, then is promoted or rolled back on evidence.

The CANARY pointer names the candidate (in the model-set store, like LIVE; modelset/sets.py). Its start,
and every promotion and rollback with the reason, are kept in the store so every replica and the
operator see the history. Going live in one room: the pointers and loading are modelset/sets.py and
registry.py, the counters health.py, the judge and the promotion here; the worker only calls in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..experiments.report import Tally, tally
from ..experiments.stats import points, uplift
from .health import health_totals
from .sets import ModelSets, as_model_sets

STATE_KIND, HISTORY_KIND = "canary", "canary_history"
MIN_DECISIONS = 50  # decisions before error and latency figures mean anything


@dataclass
class CanaryDecision:
    """What the controller concluded: promote, rollback or wait, and why in one sentence."""

    action: str
    version: str | None
    reason: str
    figures: dict = field(default_factory=dict)


# `sets` below: the deployment's ModelSets, or a models folder (the folder backend).
def canary_version(sets: ModelSets) -> str | None:
    """The candidate's version from the CANARY pointer, or None when no canary is running."""
    return as_model_sets(sets).canary_version()


def start_canary(store, sets: ModelSets, version: str, reason: str, now: datetime | None = None) -> None:
    """Serve `version` to the canary share from now on, and record why it was started."""
    now = now or datetime.now(timezone.utc)
    as_model_sets(sets).set_canary(version)  # verifies the set's signature and checksums first
    store.put_record(STATE_KIND, "current", {"version": version, "started_at": now.isoformat()})
    record_history(store, "start", version, reason, now)


def release(store, registry, folder: Path, reason: str, now: datetime | None = None) -> str:
    """A set that passed its gate goes out: published to every host, then live at once when nothing is
    live yet ("live"), else served as the canary ("canary"). `registry`: this process's live registry."""
    sets, version = registry.sets, Path(folder).name
    sets.publish(Path(folder))  # the folder backend: already where every host looks
    if sets.live_version() in (None, version):
        sets.promote(version)
        registry.reload()
        return "live"
    start_canary(store, sets, version, reason, now)
    return "canary"


def evaluate_canary(store, sets: ModelSets, config, now: datetime | None = None) -> CanaryDecision | None:
    """Compare the canary's online figures with the live set's since it started; None without a canary."""
    sets = as_model_sets(sets)
    version = sets.canary_version()
    if version is None:
        return None
    now = now or datetime.now(timezone.utc)
    started = _started_at(store, version, now)
    health = health_totals(store, version)
    figures = {"health": health}
    if health["load_errors"]:
        return CanaryDecision("rollback", version, f"canary {version} could not be loaded: "
                              f"{health['load_errors'][0]}", figures)
    live = health_totals(store, sets.live_version(), role="live", canary=version)
    figures["live_health"] = live
    failing = _failing(version, health, live, config)
    if failing:
        return CanaryDecision("rollback", version, failing, figures)
    counts = tally(store.iter_events(since=started, until=now), ("canary", "model"), start=started)
    return _judge(version, counts["canary"]["*"], counts["model"]["*"], config, figures)


def _failing(version: str, canary: dict, live: dict, config) -> str | None:
    """Why the canary's error or latency figures are worse than allowed, or None.

    Errors: more than canary_max_error_rate above the live set's rate over the same period. Latency:
    above canary_max_latency_ms, or twice the live set's mean and at least 10 ms slower.
    """
    if canary["calls"] < MIN_DECISIONS:
        return None
    if canary["error_rate"] > live["error_rate"] + config.canary_max_error_rate:
        return (f"canary {version} failed {canary['errors']} of {canary['calls']} decisions "
                f"({canary['error_rate']:.1%}; live set {live['error_rate']:.1%})")
    slow, base = canary["mean_latency_ms"], live["mean_latency_ms"]
    if slow > config.canary_max_latency_ms or (live["calls"] >= MIN_DECISIONS and slow > 2 * base + 10):
        return (f"canary {version} took {slow:.0f} ms per decision on average (live set {base:.0f} ms, "
                f"limit {config.canary_max_latency_ms:.0f} ms)")
    return None


def _judge(version: str, canary: Tally, live: Tally, config, figures: dict) -> CanaryDecision:
    """Rollback when CTR is surely worse, promote when it is surely not worse by more than the margin."""
    figures.update(canary=canary.to_dict(), live=live.to_dict())
    need = config.canary_min_impressions
    if min(canary.impressions, live.impressions) < need:
        return CanaryDecision("wait", version, f"canary {version}: {canary.impressions} impressions, live "
                              f"{live.impressions}; waiting for {need} each", figures)
    result = uplift(canary.clicks, canary.impressions, live.clicks, live.impressions)
    if result is None:  # an arm with no impressions (canary_min_impressions 0): nothing to compare yet
        return CanaryDecision("wait", version, f"canary {version}: no impressions to compare yet", figures)
    figures["uplift"] = {"diff": result.diff, "low": result.low, "high": result.high}
    rates = (f"canary CTR {points(canary.clicks / canary.impressions)}% vs live "
             f"{points(live.clicks / live.impressions)}% ({points(result.diff)} points, 95% CI "
             f"{points(result.low)} to {points(result.high)}, {canary.impressions} canary impressions)")
    if result.high < 0:
        return CanaryDecision("rollback", version, f"canary {version} is worse: {rates}", figures)
    if result.low > -config.canary_margin:
        return CanaryDecision("promote", version, f"canary {version} is not worse: {rates}", figures)
    if canary.impressions >= 4 * need:  # the question has had its sample; do not wait forever
        action = "promote" if result.diff >= 0 else "rollback"
        return CanaryDecision(action, version, f"canary {version} undecided after {canary.impressions} "
                              f"impressions, {action} on the point estimate: {rates}", figures)
    return CanaryDecision("wait", version, f"canary {version} undecided so far: {rates}", figures)


def apply_decision(store, sets: ModelSets, decision: CanaryDecision, now: datetime | None = None) -> None:
    """Promote (LIVE <- canary) or roll back (drop CANARY), and record it; 'wait' changes nothing."""
    if decision.action not in ("promote", "rollback"):
        return
    now = now or datetime.now(timezone.utc)
    sets = as_model_sets(sets)
    if decision.action == "promote":
        if decision.version is None:
            raise ValueError("a promote verdict names the canary version it promotes")
        sets.promote(decision.version)
    sets.set_canary(None)
    store.put_record(STATE_KIND, "current", {"version": None, "ended": decision.action,
                                             "ended_at": now.isoformat()})
    record_history(store, decision.action, decision.version, decision.reason, now, decision.figures)


def record_history(store, action: str, version: str | None, reason: str, now: datetime,
                   figures: dict | None = None) -> None:
    """One line of canary history: start, promote or rollback, with its reason."""
    key = f"{now.strftime('%Y%m%dT%H%M%S.%f')}-{action}-{version}"
    store.put_record(HISTORY_KIND, key, {"at": now.isoformat(), "action": action, "version": version,
                                         "reason": reason, "figures": figures or {}})


def canary_history(store, limit: int = 50) -> list[dict]:
    """Starts, promotions and rollbacks, newest first."""
    return sorted(store.list_records(HISTORY_KIND), key=lambda d: d["at"], reverse=True)[:limit]


def _started_at(store, version: str, now: datetime) -> datetime:
    state = store.get_record(STATE_KIND, "current") or {}
    if state.get("version") == version and state.get("started_at"):
        return datetime.fromisoformat(state["started_at"])
    # CANARY written by hand (no record): count from now on, and remember that.
    store.put_record(STATE_KIND, "current", {"version": version, "started_at": now.isoformat()})
    return now

