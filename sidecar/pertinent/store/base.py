"""The store interface: catalog, events and visitor data. One implementation per backend.

Routes, the decision core and training talk only to this interface; SQLite (embedded default) and
PostgreSQL (scale-out) implement it and pass the same test suite.
"""
from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from datetime import datetime

from ..domain import ContentItem, Event


class StoreUnavailable(Exception):
    """The store's backend cannot be reached (raised by ping; readiness reports it)."""


class Store(abc.ABC):
    """Durable storage. Every write method returns only after the data is committed."""

    url: str

    # --- catalog -------------------------------------------------------------------------------
    @abc.abstractmethod
    def upsert_content(self, items: Iterable[ContentItem]) -> int:
        """Insert or replace catalog items in one transaction; returns how many were written."""

    @abc.abstractmethod
    def delete_content(self, content_id: str) -> bool:
        """Remove an item from the catalog; False when it was not there."""

    @abc.abstractmethod
    def get_content(self, content_id: str) -> ContentItem | None:
        """One catalog item, or None."""

    @abc.abstractmethod
    def list_content(self, statuses: tuple[str, ...] | None = None) -> list[ContentItem]:
        """The whole catalog (optionally only some statuses), ordered by id."""

    @abc.abstractmethod
    def catalog_revision(self) -> int:
        """A number that grows on every catalog write, so readers can tell their snapshot is stale."""

    # --- events --------------------------------------------------------------------------------
    @abc.abstractmethod
    def add_events(self, events: list[Event]) -> int:
        """Append events in one transaction; returns how many were stored. Durable on return."""

    @abc.abstractmethod
    def add_events_once(self, identified: list[tuple[str, Event]]) -> int:
        """Append (event id, event) pairs in one transaction, skipping ids already stored; returns how
        many were new. Durable on return. At-least-once delivery (ingest/) writes through this, so an
        event delivered twice is stored once."""

    @abc.abstractmethod
    def visitor_history(self, visitor_id: str, limit: int = 50) -> list[Event]:
        """The visitor's most recent events (newest first), impressions excluded."""

    @abc.abstractmethod
    def iter_events(self, since: datetime | None = None, until: datetime | None = None,
                    batch_size: int = 50_000) -> Iterator[list[Event]]:
        """All events in time order, in batches, for training and reports."""

    @abc.abstractmethod
    def count_events(self) -> int:
        """How many events are stored."""

    @abc.abstractmethod
    def popular_content(self, since: datetime | None, limit: int = 100,
                        weights: dict | None = None) -> list[tuple[str, float]]:
        """Content ids by weighted interaction count since a time, best first: the cold-start fallback.

        `weights` maps event type to weight (default: view 1, dwell 1, click 3, conversion 8,
        impression 0); when given, types it does not name count 0. Items scoring 0 are left out.
        """

    @abc.abstractmethod
    def purge_events(self, older_than: datetime) -> int:
        """Delete events older than a time (retention); returns how many went."""

    # --- visitors (privacy) --------------------------------------------------------------------
    @abc.abstractmethod
    def export_visitor(self, visitor_id: str) -> dict:
        """Everything stored about a visitor: {"visitor_id": ..., "events": [...]}."""

    @abc.abstractmethod
    def erase_visitor(self, visitor_id: str) -> int:
        """Delete everything stored about a visitor; returns how many rows went."""

    # --- records and locks (experiments, canary history, drift, worker state) ----------------------
    @abc.abstractmethod
    def put_record(self, kind: str, record_id: str, doc: dict) -> None:
        """Insert or replace one small JSON document under (kind, id)."""

    @abc.abstractmethod
    def get_record(self, kind: str, record_id: str) -> dict | None:
        """One document, or None."""

    @abc.abstractmethod
    def list_records(self, kind: str) -> list[dict]:
        """Every document of a kind, ordered by id."""

    @abc.abstractmethod
    def delete_record(self, kind: str, record_id: str) -> bool:
        """Remove a document; False when it was not there."""

    @abc.abstractmethod
    def try_lock(self, name: str, owner: str, ttl: float) -> bool:
        """Take or renew a named lock for ttl seconds; False while another owner holds it unexpired."""

    @abc.abstractmethod
    def release_lock(self, name: str, owner: str) -> None:
        """Give up a lock this owner holds."""

    # --- lifecycle -----------------------------------------------------------------------------
    @abc.abstractmethod
    def ping(self) -> None:
        """Raise if the backend cannot be reached."""

    def close(self) -> None:
        """Release connections; safe to call twice."""
