"""Error and latency figures of the canary model set (and of the live set beside it), counted in each
process and shared via the store.

Counting in memory and writing at most every few seconds keeps the decision path free of database writes.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from datetime import datetime, timezone

HEALTH_KIND = "canary_health"


class CanaryHealth:
    """Per-process counters of one role ("canary", or "live" beside a canary): decisions, failures, time."""

    def __init__(self, store, flush_seconds: float = 10.0, role: str = "canary"):
        self.store = store
        self.flush_seconds = flush_seconds
        self.role = role
        self._lock = threading.Lock()
        self._version: str | None = None
        self._canary: str | None = None
        self._calls = self._errors = 0
        self._latency_ms = 0.0
        self._last_flush = time.monotonic()
        self._flushing = False

    def record(self, version: str, latency_ms: float, failed: bool, canary: str | None = None) -> None:
        """Count one decision of `version` (served beside `canary`); writes at most every flush interval."""
        canary = canary or version
        with self._lock:
            if (version, canary) != (self._version, self._canary):
                self._version, self._canary, self._calls, self._errors, self._latency_ms = (
                    version, canary, 0, 0, 0.0)
            self._calls += 1
            self._errors += int(failed)
            self._latency_ms += latency_ms
            due = not self._flushing and time.monotonic() - self._last_flush >= self.flush_seconds
            if due:
                self._flushing = True
        if due:
            # Off the request's thread: a slow or unreachable store must not make this decision wait.
            threading.Thread(target=self._flush_in_background, daemon=True).start()

    def _flush_in_background(self) -> None:
        try:
            self.flush()
        finally:
            with self._lock:
                self._flushing = False

    def flush(self) -> None:
        """Write this process's totals (one record per process, overwritten each time)."""
        with self._lock:
            if self._version is None:
                return
            doc = {"version": self._version, "role": self.role, "canary": self._canary,
                   "calls": self._calls, "errors": self._errors,
                   "latency_ms_sum": self._latency_ms, "updated_at": datetime.now(timezone.utc).isoformat()}
            self._last_flush = time.monotonic()
        try:
            self.store.put_record(HEALTH_KIND, f"{socket.gethostname()}-{os.getpid()}-{self.role}", doc)
        except Exception:  # noqa: BLE001 - health figures must never break a decision
            pass

    def report_load_failure(self, version: str, message: str) -> None:
        """A canary this process could not load: recorded at once, so the worker rolls it back."""
        doc = {"version": version, "role": "canary", "canary": version, "calls": 0, "errors": 0,
               "latency_ms_sum": 0.0, "load_error": message,
               "updated_at": datetime.now(timezone.utc).isoformat()}
        try:
            self.store.put_record(HEALTH_KIND, f"{socket.gethostname()}-{os.getpid()}-load", doc)
        except Exception:  # noqa: BLE001
            pass


def health_totals(store, version: str | None, role: str = "canary", canary: str | None = None) -> dict:
    """Sum of every process's figures for one version in one role (the live set: only beside `canary`)."""
    calls = errors = 0
    latency = 0.0
    load_errors = []
    for doc in store.list_records(HEALTH_KIND):
        if doc.get("version") != version or doc.get("role", "canary") != role:
            continue
        if canary is not None and doc.get("canary", doc.get("version")) != canary:
            continue
        if doc.get("load_error"):
            load_errors.append(doc["load_error"])
        calls += int(doc.get("calls", 0))
        errors += int(doc.get("errors", 0))
        latency += float(doc.get("latency_ms_sum", 0.0))
    return {"calls": calls, "errors": errors, "error_rate": errors / calls if calls else 0.0,
            "mean_latency_ms": latency / calls if calls else 0.0, "load_errors": load_errors}
