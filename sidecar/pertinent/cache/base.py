"""The cache interface for decisions and segment answers. One implementation per backend.

Values are JSON-serialisable dicts. Visitor generations let a visitor's new events invalidate all
of that visitor's cached decisions at once, without scanning keys: the generation is part of the key.
"""
from __future__ import annotations

import abc


class Cache(abc.ABC):
    url: str

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
        """The visitor's current cache generation (0 when never bumped)."""

    @abc.abstractmethod
    def bump_generation(self, visitor_ids: list[str]) -> None:
        """Invalidate every cached decision of these visitors (called when their events arrive)."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise if the backend cannot be reached."""

    def close(self) -> None:
        """Release connections; safe to call twice."""
