"""Experiments kept in the store (so every sidecar replica and the worker see the same ones)."""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone

from ..errors import NotFound, ValidationError
from .definition import RECORD_KIND, Experiment, new_experiment

log = logging.getLogger(__name__)


class ExperimentBook:
    """Create, list and stop experiments; `running()` is cached briefly so decisions never wait on it."""

    def __init__(self, store, cache_seconds: float = 5.0):
        self.store = store
        self.cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._running: tuple[float, Experiment | None] | None = None

    def create(self, body: dict, now: datetime | None = None, default_min: int = 300) -> Experiment:
        """Start an experiment; only one runs at a time, so a visitor's arm is never ambiguous."""
        # The body is checked first: a bad arm is the mistake to report, not the experiment running.
        experiment = new_experiment(body, now=now, default_min=default_min)
        current = self.running(fresh=True)
        if current is not None:
            # 409: the request is well formed; it conflicts with the state (a client retries after a stop).
            raise ValidationError("experiment_running", f"experiment {current.id} ({current.name}) is "
                                  "still running; stop it first", status=409)
        if self.store.get_record(RECORD_KIND, experiment.id) is not None:
            raise ValidationError("invalid_field", f"experiment id {experiment.id!r} already exists",
                                  field="id", status=409)
        self.store.put_record(RECORD_KIND, experiment.id, experiment.to_doc())
        self._forget()
        return experiment

    def get(self, experiment_id: str) -> Experiment:
        doc = self.store.get_record(RECORD_KIND, experiment_id)
        if doc is None:
            raise NotFound("not_found", f"no experiment {experiment_id!r}")
        return Experiment.from_doc(doc)

    def list(self) -> list[Experiment]:
        """Every experiment, newest first."""
        found = [Experiment.from_doc(doc) for doc in self.store.list_records(RECORD_KIND)]
        return sorted(found, key=lambda e: e.created_at, reverse=True)

    def stop(self, experiment_id: str, now: datetime | None = None) -> Experiment:
        """Stop an experiment (its report stays readable); stopping twice is harmless."""
        experiment = self.get(experiment_id)
        if experiment.running:
            experiment.status = "stopped"
            experiment.stopped_at = now or datetime.now(timezone.utc)
            self.store.put_record(RECORD_KIND, experiment.id, experiment.to_doc())
        self._forget()
        return experiment

    def running(self, fresh: bool = False) -> Experiment | None:
        """The running experiment, if any; read from the store at most every cache_seconds."""
        with self._lock:
            cached = self._running
            if not fresh and cached is not None and time.monotonic() - cached[0] < self.cache_seconds:
                return cached[1]
        try:
            current = next((e for e in self.list() if e.running), None)
        except Exception:
            if fresh:
                raise
            # Store unreachable: keep serving the last known experiment, and do not ask again on every
            # decision (a PostgreSQL connect timeout per page would cost every visitor seconds).
            log.warning("experiments unavailable from the store; keeping the last known for %.0fs",
                        self.cache_seconds)
            current = cached[1] if cached is not None else None
        with self._lock:
            self._running = (time.monotonic(), current)
        return current

    def _forget(self) -> None:
        with self._lock:
            self._running = None
