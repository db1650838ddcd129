"""Drift check: live traffic versus the end of the live set's training window, per feature and on scores.

The worker runs it and keeps the result in the store (kind "drift"), so /readyz, /metrics, the report
and the admin page all read the same figures without recomputing them.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from ..domain import Event
from ..store.base import Store
from .features import feature_counts, predicted_scores
from .psi import psi_counts, psi_numeric

RECORD_KIND, RECORD_ID = "drift", "latest"
MIN_EVENTS = 100
MAX_EVENTS = 200_000  # a long training window is sampled from its start; enough for proportions


def check_drift(store: Store, model_set: object, *, threshold: float, live_hours: float,
                now: datetime | None = None, category_of: Callable[[str], str | None] | None = None
                ) -> dict[str, Any]:
    """PSI of each main feature and of the predicted scores; `drifted` when any is above the threshold."""
    now = now or datetime.now(timezone.utc)
    # A JSON document (the store keeps it as such): values of several types, read back by key.
    result: dict[str, Any] = {
        "checked_at": now.isoformat(), "threshold": threshold, "features": {}, "scores": None, "max_psi": 0.0,
        "drifted": False, "drifted_features": [], "status": "ok",
        "model_version": getattr(model_set, "version", None)}
    data_range = (getattr(model_set, "manifest", None) or {}).get("data_range") or {}
    if not data_range.get("start") or not data_range.get("end"):
        result["status"] = "no_reference"
        return result
    # Windows of the same length on both sides: how many events a visitor has, and so the model's
    # scores, depend on how long a window is; a 4-week reference against one day would always "drift".
    ref_end = _time(data_range["end"])
    ref_start = max(_time(data_range["start"]), ref_end - timedelta(hours=live_hours))
    live_start = max(now - timedelta(hours=live_hours), ref_end)
    reference = _events(store, ref_start, ref_end)
    live = _events(store, live_start, now)
    result["reference"] = {"start": ref_start.isoformat(), "end": ref_end.isoformat(),
                           "events": len(reference)}
    result["live"] = {"start": live_start.isoformat(), "end": now.isoformat(), "events": len(live)}
    if len(reference) < MIN_EVENTS or len(live) < MIN_EVENTS:
        result["status"] = "insufficient_data"
        return result
    ref_counts, live_counts = feature_counts(reference, category_of), feature_counts(live, category_of)
    psis = {name: round(psi_counts(ref_counts[name], live_counts[name]), 4)
            for name in ref_counts if ref_counts[name] or live_counts[name]}
    scores: float | None = None
    recommender = getattr(model_set, "recommender", None)
    if recommender is not None:
        ref_scores = predicted_scores(reference, recommender)
        live_scores = predicted_scores(live, recommender)
        if len(ref_scores) >= 20 and len(live_scores) >= 20:
            scores = round(psi_numeric(ref_scores, live_scores), 4)
    every = list(psis.values()) + ([scores] if scores is not None else [])
    drifted = sorted(name for name, v in psis.items() if v > threshold)
    if scores is not None and scores > threshold:
        drifted.append("predicted_score")
    result.update(features=psis, scores=scores, max_psi=max(every, default=0.0), drifted_features=drifted,
                  drifted=bool(drifted), status="drift" if drifted else "ok")
    return result


def save_drift(store: Store, result: dict[str, Any]) -> None:
    store.put_record(RECORD_KIND, RECORD_ID, result)


def latest_drift(store: Store) -> dict[str, Any] | None:
    """The last drift check the worker saved, or None before the first one."""
    try:
        return store.get_record(RECORD_KIND, RECORD_ID)
    except Exception:  # noqa: BLE001 - readiness and metrics must answer even if the store hiccups
        return None


def _events(store: Store, since: datetime, until: datetime) -> list[Event]:
    out: list[Event] = []
    for batch in store.iter_events(since=since, until=until):
        out.extend(batch)
        if len(out) >= MAX_EVENTS:
            break
    return out


def _time(value: object) -> datetime:
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
