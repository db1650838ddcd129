"""The cache interface for decisions and segment answers. One implementation per backend.

Values are JSON-serialisable dicts. Visitor generations let a visitor's new events invalidate all
of that visitor's cached decisions at once, without scanning keys: the generation is part of the key.
"""
from __future__ import annotations

import abc


class CacheUnavailable(Exception):
    """The cache's backend cannot be reached. Only ping() raises it: reads and writes degrade silently."""


class Cache(abc.ABC):
    """A cache outage costs speed, never answers: get() misses and set() is dropped, counted in `errors`."""

    url: str
    # Backend failures swallowed by get/set/delete/generation calls since start (for metrics).
    errors: int = 0

    @abc.abstractmethod
    def get(self, key: str) -> dict | None:
        """The cached value, or None when absent or expired."""

    @abc.abstractmethod
    def set(self, key: str, value: dict, ttl: int) -> None:
        """Store a value for ttl seconds."""

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Forget a key."""

    @abc.abstractmethod
    def generation(self, visitor_id: str) -> int:
        """The visitor's current cache generation (0 when never bumped, -1 when the backend failed)."""

    @abc.abstractmethod
    def bump_generation(self, visitor_ids: list[str]) -> None:
        """Invalidate every cached decision of these visitors (called when their events arrive)."""

    @abc.abstractmethod
    def forget_visitor(self, visitor_id: str) -> None:
        """Erase: drop the visitor's generation and every decision cached for them (keys.decision_key).

        Unlike get/set, a failure raises: an erase that silently left data behind would be a lie.
        """

    @abc.abstractmethod
    def add_counts(self, key: str, deltas: dict[str, int], ttl: int) -> bool:
        """Atomically add integer deltas to the named counters of one entry (created with ttl seconds
        to live); False when the backend failed, so the caller can keep the deltas for a later try."""

    @abc.abstractmethod
    def counts(self, key: str) -> dict[str, int]:
        """The counters of one entry ({} when absent, expired or the backend failed)."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise if the backend cannot be reached."""

    def close(self) -> None:
        """Release connections; safe to call twice."""
