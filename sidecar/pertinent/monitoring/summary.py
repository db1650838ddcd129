"""One JSON summary of everything an operator watches: health, model sets, experiments, drift, training.

`GET /v1/dashboard`, `pertinent report` and the WordPress admin page all show this same document.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ..experiments.book import ExperimentBook
from ..experiments.report import experiment_report
from ..modelset import canary
from ..modelset.sets import as_model_sets
from .drift import latest_drift
from .headline import headline, metric_rows
from .traffic import window_totals

RECENT_EXPERIMENTS = 3


def build_summary(runtime, now: datetime | None = None) -> dict:
    """The dashboard document (plain JSON types only)."""
    now = now or datetime.now(timezone.utc)
    sets = runtime.models.sets
    drift = latest_drift(runtime.store) or {"status": "unknown", "drifted": False}
    state = runtime.store.get_record("worker", "state") or {}
    return {
        "generated_at": now.isoformat(),
        "health": health(runtime, drift),
        "models": {
            "live": model_summary(sets, sets.live_version(), now),
            "canary": model_summary(sets, sets.canary_version(), now),
            "canary_share": runtime.config.canary_share,
            "history": canary.canary_history(runtime.store, limit=10),
        },
        "experiments": experiment_summaries(runtime, now),
        "traffic": _traffic(runtime, now),
        "drift": drift,
        "training": {
            "last_at": state.get("last_training_at"), "last_reason": state.get("last_training_reason"),
            "last_result": state.get("last_training_result"), "next_at": state.get("next_training_at"),
            "interval_hours": runtime.config.train_interval_hours,
            # Failed trainings in a row and when the worker retries (with backoff); 0 and None when fine.
            "failures": int(state.get("training_failures") or 0), "retry_at": state.get("retry_at"),
            "skipped": list(state.get("last_training_skipped") or []),
            "worker_last_run_at": state.get("last_run_at"),
        },
    }


def _traffic(runtime, now: datetime) -> dict:
    """The last 24 hours of decisions; this process's own counts are added first, so they are in."""
    runtime.traffic.flush(runtime.cache)
    return window_totals(runtime.cache, now)


def health(runtime, drift: dict | None) -> dict:
    """ok, or degraded with the reasons: store unreachable, no live model set, drift flagged."""
    reasons = []
    try:
        runtime.store.ping()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the store is a reason, not a crash
        reasons.append(f"store unreachable: {type(exc).__name__}")
    current = runtime.models.current()
    if current is None:
        reasons.append("no live model set")
    reasons.extend(drift_reasons(drift))
    return {"status": "degraded" if reasons else "ok", "reasons": reasons,
            "model_version": current.version if current else None}


def drift_reasons(drift: dict | None) -> list[str]:
    """The readiness reason for drift (empty when none): /readyz and the dashboard say the same words."""
    if not drift or not drift.get("drifted"):
        return []
    return [f"drift: PSI {drift.get('max_psi', 0):.2f} above {drift.get('threshold', 0):.2f} "
            f"({', '.join(drift.get('drifted_features', []))})"]


def model_summary(sets, version: str | None, now: datetime) -> dict | None:
    """A model set's version, age and offline metrics, read from its manifest (nothing is unpickled).

    `sets`: the deployment's ModelSets, or a models folder."""
    if not version:
        return None
    manifest = as_model_sets(sets).manifest(version)
    if manifest is None:
        return {"version": version, "error": "manifest unreadable"}
    created = manifest.get("created")
    age_hours = None
    if created:
        stamp = datetime.fromisoformat(created.replace("Z", "+00:00"))
        age_hours = round((now - stamp).total_seconds() / 3600, 2)
    return {"version": version, "created": created, "age_hours": age_hours,
            "data_range": manifest.get("data_range"), "rows": manifest.get("rows"),
            "metrics": manifest.get("metrics", {}), "baseline_metrics": manifest.get("baseline_metrics", {}),
            "headline": headline(manifest.get("metrics"), manifest.get("baseline_metrics")),
            "metric_rows": metric_rows(manifest.get("metrics")),
            "gate": manifest.get("gate"), "provenance": manifest.get("provenance") or {}}


def experiment_summaries(runtime, now: datetime) -> list[dict]:
    """Reports of the running experiment and the most recent stopped ones."""
    book = ExperimentBook(runtime.store)
    experiments = book.list()
    stopped = [e for e in experiments if not e.running][:RECENT_EXPERIMENTS]
    chosen = [e for e in experiments if e.running] + stopped
    return [experiment_report(runtime.store, e, now) for e in chosen]
