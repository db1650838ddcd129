"""Prometheus metrics: request latency per route, decisions by source, cache, fallbacks, events, model set.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR (set by `pertinent serve` before this module is imported)
puts every value in a per-process file, and /metrics sums all workers.
"""
from __future__ import annotations

import os
import time

from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

# Milliseconds matter here: the plugin's whole budget is 150 ms.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5,
                   1.0, 2.5, 5.0)

REQUEST_SECONDS = Histogram("pertinent_request_duration_seconds",
                            "Time to answer a request, per route template", ["route", "method"],
                            buckets=LATENCY_BUCKETS)
REQUESTS = Counter("pertinent_requests", "Requests answered, per route template and status",
                   ["route", "method", "status"])
# The decision itself (cache and decision core, no HTTP parsing), by where the answer came from.
DECIDE_SECONDS = Histogram("pertinent_decide_duration_seconds",
                           "Time to decide a page, by source: cache, or the best source among its slots",
                           ["source"], buckets=LATENCY_BUCKETS)
DECISIONS = Counter("pertinent_slot_decisions", "Slot decisions by source (rules, model, popular, default)",
                    ["source", "kind"])
DECISION_CACHE = Counter("pertinent_decision_cache", "Decide calls answered from the cache or computed",
                         ["result"])
FALLBACKS = Counter("pertinent_fallbacks", "Slots served by a fallback, by why", ["reason"])
EVENTS = Counter("pertinent_events", "Behaviour events by outcome", ["outcome", "reason"])
MODEL_SET = Gauge("pertinent_model_set_info", "The live model set version (1 = live in some worker)",
                  ["version"], multiprocess_mode="livemax")

# Experiments and monitoring (filled at scrape time by monitoring/gauges.py from the store, so every
# worker reports the same figures; mostrecent: the last worker to compute them wins).
ARM_CTR = Gauge("pertinent_experiment_arm_ctr", "Click-through rate of each arm of the running experiment",
                ["arm"], multiprocess_mode="mostrecent")
ARM_IMPRESSIONS = Gauge("pertinent_experiment_arm_impressions", "Impressions of each arm of the running "
                        "experiment", ["arm"], multiprocess_mode="mostrecent")
MODEL_AGE = Gauge("pertinent_model_age_seconds", "Age of the live model set (since it was trained)",
                  multiprocess_mode="mostrecent")
DRIFT_PSI = Gauge("pertinent_drift_psi", "Population stability index, live traffic vs the training window",
                  ["feature"], multiprocess_mode="mostrecent")
DRIFTED = Gauge("pertinent_drift_flagged", "1 when any PSI is above PERTINENT_DRIFT_THRESHOLD",
                multiprocess_mode="mostrecent")

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
_shown_version: list[str | None] = [None]


def decide_source(decision) -> str:
    """One label per decide: "cache" for a cache hit, else the best source any of its slots used."""
    if decision.cached:
        return "cache"
    sources = {slot.source for slot in decision.slots}
    return next((s for s in ("model", "rules", "popular", "latest") if s in sources), "default")


def observe_decision(decision, *, internal_error: bool = False, seconds: float | None = None) -> None:
    """Count one decision: cache hit or miss, each slot's source, and fallbacks with their reason."""
    if seconds is not None:
        DECIDE_SECONDS.labels("error" if internal_error else decide_source(decision)).observe(seconds)
    DECISION_CACHE.labels("hit" if decision.cached else "miss").inc()
    for slot in decision.slots:
        DECISIONS.labels(slot.source, slot.kind).inc()
        if internal_error:
            FALLBACKS.labels("internal_error").inc()
        elif slot.fallback:
            FALLBACKS.labels(slot.fallback).inc()


def observe_events(accepted: int, rejected: list[dict]) -> None:
    if accepted:
        EVENTS.labels("accepted", "").inc(accepted)
    for item in rejected:
        EVENTS.labels("rejected", item["reason"]).inc()


def show_model_version(version: str | None) -> None:
    """Keep the info gauge on the version this worker serves (cheap: a no-op unless it changed)."""
    if version == _shown_version[0]:
        return
    if _shown_version[0] is not None:
        MODEL_SET.labels(_shown_version[0]).set(0)
    if version is not None:
        MODEL_SET.labels(version).set(1)
    _shown_version[0] = version


def render() -> tuple[bytes, str]:
    """The Prometheus text of this process, or of all workers in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def init_app(app: Flask) -> None:
    """Time every request; the route label is the URL template, so ids do not explode the label set."""

    @app.before_request
    def start_timer():
        g.pertinent_started = time.perf_counter()

    @app.after_request
    def record(response):
        started = g.get("pertinent_started")
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "unmatched"
            # Clients choose the method string: unknown ones share a label so they cannot grow the set.
            method = request.method if request.method in KNOWN_METHODS else "other"
            REQUEST_SECONDS.labels(route, method).observe(time.perf_counter() - started)
            REQUESTS.labels(route, method, str(response.status_code)).inc()
        return response
