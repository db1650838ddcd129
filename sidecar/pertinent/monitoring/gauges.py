"""Fill the monitoring gauges (per-arm CTR, model age, drift PSI) from the store when /metrics is scraped.

Per-arm CTR needs a pass over the experiment's events, so it is recomputed at most once a minute per
process; drift comes from the worker's last check; model age from the live manifest.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone

from .. import metrics
from ..experiments.book import ExperimentBook
from ..experiments.report import experiment_report
from .drift import latest_drift

log = logging.getLogger(__name__)
REPORT_EVERY_S = 60.0
_lock = threading.Lock()
_last_report = [0.0]


def refresh(runtime, now: float | None = None) -> None:
    """Update the gauges; any failure leaves the previous values (metrics must always answer)."""
    try:
        _model_age(runtime)
        _drift(runtime)
        now = time.monotonic() if now is None else now
        with _lock:
            due = now - _last_report[0] >= REPORT_EVERY_S
            if due:
                _last_report[0] = now
        if due:
            _arms(runtime)
    except Exception:  # noqa: BLE001
        log.exception("monitoring gauges not refreshed")


def _model_age(runtime) -> None:
    current = runtime.models.current()
    created = (current.manifest or {}).get("created") if current is not None else None
    if created:
        stamp = datetime.fromisoformat(created.replace("Z", "+00:00"))
        metrics.MODEL_AGE.set((datetime.now(timezone.utc) - stamp).total_seconds())


def _drift(runtime) -> None:
    drift = latest_drift(runtime.store)
    if not drift:
        return
    for feature, value in drift.get("features", {}).items():
        metrics.DRIFT_PSI.labels(feature).set(value)
    if drift.get("scores") is not None:
        metrics.DRIFT_PSI.labels("predicted_score").set(drift["scores"])
    metrics.DRIFTED.set(1.0 if drift.get("drifted") else 0.0)


def _arms(runtime) -> None:
    experiment = ExperimentBook(runtime.store, cache_seconds=0).running()
    if experiment is None:
        return
    report = experiment_report(runtime.store, experiment)
    for arm, figures in report["arms"].items():
        metrics.ARM_CTR.labels(arm).set(figures["ctr"])
        metrics.ARM_IMPRESSIONS.labels(arm).set(figures["impressions"])
