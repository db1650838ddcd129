"""Turning catalog items and events into table rows and back, shared by every SQL backend.

Backends differ only in how a timestamp column holds time (SQLite: epoch seconds as REAL,
PostgreSQL: timestamptz), so those conversions are passed in; everything else is the same code.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from ..config import DEFAULT_EVENT_WEIGHTS
from ..domain import ContentItem, Event

CONTENT_COLUMNS = ("id", "title", "url", "type", "excerpt", "text", "tags", "categories", "meta", "status",
                   "published_at", "modified_at", "targeting", "starts_at", "ends_at")
CONTENT_JSON = frozenset({"tags", "categories", "meta", "targeting"})
CONTENT_TIMES = frozenset({"published_at", "modified_at", "starts_at", "ends_at"})

# The event table never has columns for IP addresses or user agents: there is nowhere to put them.
EVENT_COLUMNS = ("type", "visitor_id", "ts", "content_id", "session_id", "decision_id", "slot", "arm",
                 "value", "device", "referrer", "country", "locale", "url_path")
EVENT_FIELDS = ("type", "visitor_id", "timestamp", "content_id", "session_id", "decision_id", "slot", "arm",
                "value", "device", "referrer", "country", "locale", "url_path")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
TimeIn = Callable[[datetime], Any]
TimeOut = Callable[[Any], datetime]


def to_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already (what clients mean by it)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def to_epoch(moment: datetime) -> float:
    """Seconds since the epoch; a float holds every microsecond of this era exactly enough to round back."""
    return to_utc(moment).timestamp()


def from_epoch(seconds: float) -> datetime:
    """The inverse of to_epoch, exact to the microsecond (fromtimestamp alone is often 1 us off)."""
    whole = math.floor(seconds)
    micros = round((float(seconds) - whole) * 1_000_000)
    return _EPOCH + timedelta(seconds=whole, microseconds=micros)


def _loads(raw: Any, empty: Any) -> Any:
    """JSON columns come back as text (SQLite) or already decoded (PostgreSQL jsonb)."""
    if raw is None:
        return empty
    if isinstance(raw, (str, bytes)):
        return json.loads(raw)
    return raw


def content_row(item: ContentItem, time_in: TimeIn) -> tuple:
    """Column values for one catalog item, lists and dicts as JSON text."""
    values = []
    for col in CONTENT_COLUMNS:
        value = getattr(item, col)
        if col in CONTENT_JSON:
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
        elif col in CONTENT_TIMES:
            value = None if value is None else time_in(value)
        values.append(value)
    return tuple(values)


def content_from_row(row: tuple, time_out: TimeOut) -> ContentItem:
    """A catalog item from a row selected in CONTENT_COLUMNS order."""
    data = dict(zip(CONTENT_COLUMNS, row, strict=True))
    for col in CONTENT_JSON:
        data[col] = _loads(data[col], {} if col == "meta" else [])
    for col in CONTENT_TIMES:
        data[col] = None if data[col] is None else time_out(data[col])
    return ContentItem(**data)


def event_row(event: Event, time_in: TimeIn) -> tuple:
    """Column values for one event, in EVENT_COLUMNS order."""
    values = [getattr(event, name) for name in EVENT_FIELDS]
    values[2] = time_in(event.timestamp)
    if values[8] is not None:
        values[8] = float(values[8])
    return tuple(values)


def event_from_row(row: tuple, time_out: TimeOut) -> Event:
    """An event from a row selected in EVENT_COLUMNS order."""
    values = list(row)
    values[2] = time_out(values[2])
    return Event(**dict(zip(EVENT_FIELDS, values, strict=True)))


def event_to_json(event: Event) -> dict:
    """One event as a JSON-serialisable dict (ISO 8601 UTC timestamp), for visitor exports."""
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    data["timestamp"] = to_utc(event.timestamp).isoformat()
    return data


def weights_for(weights: dict | None) -> dict[str, float]:
    """The event weights popularity uses: the defaults, or exactly the ones given (absent types count 0)."""
    if weights is None:
        return dict(DEFAULT_EVENT_WEIGHTS)
    return {str(k): float(v) for k, v in weights.items()}
