"""Decisions served over the last 24 hours, counted by the sidecar itself and shared by its workers and
replicas through the cache: what the WordPress dashboard widget and `pertinent report` show.

The widget used to diff Prometheus counters between two of its own visits, so its window started at
the admin's first look ("0 decisions ... in the last 1 hours" after thousands) and restarted with every
sidecar restart. Here each process adds its counts into one cache entry per UTC hour (atomic increments:
Redis HINCRBY, a diskcache transaction, a lock in memory), at most every FLUSH_SECONDS, so a request pays
a dictionary update and the window is the same for everyone who asks.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

WINDOW_HOURS = 24
FLUSH_SECONDS = 5.0
# An hour's entry outlives the window it can be part of.
HOUR_TTL = (WINDOW_HOURS + 2) * 3600


def hour_key(at: datetime) -> str:
    return "traffic:" + at.astimezone(timezone.utc).strftime("%Y%m%d%H")


class TrafficCounter:
    """This process's counts not yet added to the cache, by hour."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: dict[str, Counter] = {}
        self._flushed_at = clock()

    def record(self, decision, cache, now: datetime | None = None) -> None:
        """Count one decision (and its slots by source and fallback); flush now and then."""
        counts = Counter(decisions=1, cached=int(decision.cached))
        for slot in decision.slots:
            counts[f"source:{slot.source}"] += 1
            if slot.fallback:
                counts[f"fallback:{slot.fallback}"] += 1
        key = hour_key(now or datetime.now(timezone.utc))
        with self._lock:
            self._pending.setdefault(key, Counter()).update(counts)
            due = self._clock() - self._flushed_at >= FLUSH_SECONDS
        if due:
            self.flush(cache)

    def flush(self, cache) -> None:
        """Add what this process counted into the shared entries; kept for the next try if the cache fails."""
        with self._lock:
            pending, self._pending = self._pending, {}
            self._flushed_at = self._clock()
        for key, counts in pending.items():
            if not cache.add_counts(key, dict(counts), HOUR_TTL):
                with self._lock:
                    self._pending.setdefault(key, Counter()).update(counts)


def window_totals(cache, now: datetime | None = None, hours: int = WINDOW_HOURS) -> dict:
    """{window_hours, decisions, cached, slots_by_source, fallbacks} over the last `hours` UTC hours
    (the current one included)."""
    now = now or datetime.now(timezone.utc)
    total: Counter = Counter()
    for back in range(hours):
        total.update(cache.counts(hour_key(now - timedelta(hours=back))))

    def prefixed(prefix: str) -> dict[str, int]:
        return {k[len(prefix):]: v for k, v in sorted(total.items()) if k.startswith(prefix)}

    return {"window_hours": hours, "decisions": total["decisions"], "cached": total["cached"],
            "slots_by_source": prefixed("source:"), "fallbacks": prefixed("fallback:")}
