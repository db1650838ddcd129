"""Error and latency figures of the canary model set, counted in each process and shared via the store.

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
    """Per-process counters for the canary: decisions served, failures, time spent."""

    def __init__(self, store, flush_seconds: float = 10.0):
        self.store = store
        self.flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._version: str | None = None
        self._calls = self._errors = 0
        self._latency_ms = 0.0
        self._last_flush = time.monotonic()

    def record(self, version: str, latency_ms: float, failed: bool) -> None:
        """Count one canary decision; writes to the store only when the flush interval has passed."""
        with self._lock:
            if version != self._version:
                self._version, self._calls, self._errors, self._latency_ms = version, 0, 0, 0.0
            self._calls += 1
            self._errors += int(failed)
            self._latency_ms += latency_ms
            due = time.monotonic() - self._last_flush >= self.flush_seconds
        if due:
            self.flush()

    def flush(self) -> None:
        """Write this process's totals (one record per process, overwritten each time)."""
        with self._lock:
            if self._version is None:
                return
            doc = {"version": self._version, "calls": self._calls, "errors": self._errors,
                   "latency_ms_sum": self._latency_ms, "updated_at": datetime.now(timezone.utc).isoformat()}
            self._last_flush = time.monotonic()
        try:
            self.store.put_record(HEALTH_KIND, f"{socket.gethostname()}-{os.getpid()}", doc)
        except Exception:  # noqa: BLE001 - health figures must never break a decision
            pass


    def report_load_failure(self, version: str, message: str) -> None:
        """A canary this process could not load: recorded at once, so the worker rolls it back."""
        doc = {"version": version, "calls": 0, "errors": 0, "latency_ms_sum": 0.0, "load_error": message,
               "updated_at": datetime.now(timezone.utc).isoformat()}
        try:
            self.store.put_record(HEALTH_KIND, f"{socket.gethostname()}-{os.getpid()}-load", doc)
        except Exception:  # noqa: BLE001
            pass


def health_totals(store, version: str) -> dict:
    """Sum of every process's figures for one canary version."""
    calls = errors = 0
    latency = 0.0
    load_errors = []
    for doc in store.list_records(HEALTH_KIND):
        if doc.get("version") == version:
            if doc.get("load_error"):
                load_errors.append(doc["load_error"])
            calls += int(doc.get("calls", 0))
            errors += int(doc.get("errors", 0))
            latency += float(doc.get("latency_ms_sum", 0.0))
    return {"calls": calls, "errors": errors, "error_rate": errors / calls if calls else 0.0,
            "mean_latency_ms": latency / calls if calls else 0.0, "load_errors": load_errors}
