"""Erasing a visitor while some of their events still wait in the stream: the erase must cover those too.

With PERTINENT_EVENTS_URL the erase route records an erasure (visitor id and time) before it deletes
the visitor's rows; `ingest` drops the events of an erased visitor that the stream accepted before
that time, and after each commit deletes the visitor again if an erasure came in while it wrote.
Events the stream accepted after the erasure (the visitor came back and consented) are kept. An
erasure is kept for HOLD, longer than any backlog the stream is meant to hold, then forgotten.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ..store.base import Store

KIND = "stream-erasure"
HOLD = timedelta(days=7)
# The stream's clock (when it accepted a message) and the sidecar's (when it erased) are two machines'.
CLOCK_SLACK = timedelta(seconds=5)


def record_erasure(store: Store, visitor_id: str, now: datetime | None = None) -> None:
    """Before the visitor's rows are deleted, so no event can slip in between."""
    now = now or datetime.now(timezone.utc)
    store.put_record(KIND, visitor_id, {"visitor_id": visitor_id, "erased_at": now.isoformat()})


def erasures(store: Store, now: datetime | None = None) -> dict[str, datetime]:
    """visitor id -> when they were erased; erasures older than HOLD are forgotten on the way."""
    now = now or datetime.now(timezone.utc)
    found = {}
    for doc in store.list_records(KIND):
        erased_at = datetime.fromisoformat(doc["erased_at"])
        if now - erased_at > HOLD:
            store.delete_record(KIND, doc["visitor_id"])
        else:
            found[doc["visitor_id"]] = erased_at
    return found


def covered(visitor_id: str, accepted_at: datetime, erased: dict[str, datetime]) -> bool:
    """Whether an event the stream accepted at `accepted_at` falls under the visitor's erasure."""
    erased_at = erased.get(visitor_id)
    return erased_at is not None and accepted_at <= erased_at + CLOCK_SLACK
