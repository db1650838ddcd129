"""Small builders for store tests: events at known times."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pertinent.domain import Event

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def event(type_: str = "view", visitor: str = "v1", seconds: float = 0, content: str | None = "p1",
          **extra) -> Event:
    """An event `seconds` after T0."""
    return Event(type=type_, visitor_id=visitor, timestamp=T0 + timedelta(seconds=seconds),
                 content_id=content, **extra)
