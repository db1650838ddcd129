"""Liveness, readiness and Prometheus metrics: what an orchestrator and a dashboard poll."""
from __future__ import annotations

import logging

from flask import Blueprint

from .. import metrics
from ..auth import OPEN, access
from ..monitoring.drift import latest_drift
from ..monitoring.summary import drift_reasons
from . import runtime

bp = Blueprint("health", __name__)
log = logging.getLogger("pertinent.api")


@bp.get("/healthz")
@access(OPEN)
def healthz():
    """The process runs and answers; nothing else is checked."""
    return {"status": "ok"}


@bp.get("/readyz")
@access(OPEN)
def readyz():
    """ok with a live model set and a reachable store; degraded on fallbacks only; 503 without a store."""
    rt = runtime()
    model_set = rt.models.current()
    version = model_set.version if model_set is not None else None
    try:
        rt.store.ping()
    except Exception as exc:  # any backend failure means the same thing to a load balancer
        log.warning("readyz: store unreachable: %s", exc)
        return {"status": "unavailable", "reasons": ["store unreachable"], "model_version": version}, 503
    reasons = []
    if model_set is None:
        reasons.append("no model set loaded: serving popular content")
    # A promoted set that failed to load (checksum, library version...) is an operator's problem even
    # while the previous set keeps serving: say which and why.
    status = rt.models.status()
    if status.get("last_error") and status.get("last_error_code") != "missing_live":
        reasons.append(f"model set not loaded: {status['last_error']}")
    try:
        rt.cache.ping()
    except Exception as exc:
        log.warning("readyz: cache unreachable: %s", exc)
        reasons.append("cache unreachable: decisions are computed on every request")
    # Drift as the worker last measured it: still serving, but the model may no longer fit the traffic.
    reasons += drift_reasons(latest_drift(rt.store))
    return {"status": "degraded" if reasons else "ok", "reasons": reasons, "model_version": version}


@bp.get("/metrics")
@access(OPEN)
def prometheus_metrics():
    """Prometheus text format, summed over all gunicorn workers."""
    from ..monitoring import gauges

    gauges.refresh(runtime())
    body, content_type = metrics.render()
    return body, 200, {"Content-Type": content_type}
