"""Popular and latest content: what a slot shows when there is no model set or the model has too little."""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta, timezone

log = logging.getLogger(__name__)

POPULAR_WINDOW = timedelta(days=14)
POPULAR_TTL = 60.0
POPULAR_LIMIT = 1000


class PopularContent:
    """store.popular_content over the last 14 days, asked at most once a minute per process."""

    def __init__(self, store, ttl: float = POPULAR_TTL, limit: int = POPULAR_LIMIT, clock=time.monotonic):
        self.store = store
        self.ttl = ttl
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._ranking: list[tuple[str, float]] = []
        self._expires = 0.0
        self.failed = False  # the last refresh failed: answers may be stale or empty

    def ranking(self, weights: dict | None = None) -> list[tuple[str, float]]:
        """(content id, score) best first; on a store error the previous list (possibly empty)."""
        if self._clock() >= self._expires and self._lock.acquire(blocking=not self._ranking):
            try:
                if self._clock() >= self._expires:
                    self._refresh(weights)
            finally:
                self._lock.release()
        return self._ranking

    def _refresh(self, weights: dict | None) -> None:
        since = datetime.now(timezone.utc) - POPULAR_WINDOW
        try:
            ranking = self.store.popular_content(since, self.limit, weights=weights)
            self._ranking = [(str(cid), float(score)) for cid, score in ranking]
            self.failed = False
            self._expires = self._clock() + self.ttl
        except Exception:
            log.exception("popular content query failed; keeping the previous list")
            self.failed = True
            self._expires = self._clock() + min(self.ttl, 5.0)  # retry soon, but not on every request

    def invalidate(self) -> None:
        self._expires = 0.0


def pick_popular(ranking, eligible, exclude, n: int) -> list[tuple[str, float]]:
    """Up to n (id, score) from the popularity ranking that the slot allows."""
    out = []
    if n <= 0:
        return out
    for cid, score in ranking:
        if cid in eligible and cid not in exclude:
            out.append((cid, score))
            if len(out) >= n:
                break
    return out
