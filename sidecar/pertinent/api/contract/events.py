"""Behaviour events in batches: the envelope is validated whole, each event on its own (rejected by index)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    StrictFloat,
    TypeAdapter,
    WithJsonSchema,
)

from ... import domain
from ...domain import MAX_ID_LENGTH, EventType
from ...errors import ValidationError
from .errors import validate
from .types import REF_TEMPLATE, Id, OptionalId, Text, Time

# Events from clocks that run a little fast are fine; a day ahead is a bug or a forgery.
FUTURE_SLACK = timedelta(days=1)


class EventContext(BaseModel):
    """Where the event happened; only the referrer's host and the URL's path are kept."""

    device: Annotated[Text, Field(max_length=32)] = None
    referrer: Annotated[Text, Field(max_length=2000)] = None
    country: Annotated[Text, Field(max_length=8)] = None
    locale: Annotated[Text, Field(max_length=35)] = None
    url: Annotated[Text, Field(max_length=2000)] = None
    consent: StrictBool | None = Field(None, description="false: this event is refused with no_consent")


class Event(BaseModel):
    """One behaviour event. No IP, no user agent, no full referrer URL: nothing personal is stored."""

    type: EventType
    visitor_id: Id
    timestamp: Time = Field(None, description="the time it happened; now when absent")
    content_id: OptionalId = None
    session_id: OptionalId = None
    decision_id: OptionalId = None
    slot: Annotated[Text, Field(max_length=MAX_ID_LENGTH)] = None
    arm: Annotated[Text, Field(max_length=64)] = None
    value: StrictFloat | None = Field(None, description="seconds for dwell, an amount for conversion")
    context: EventContext | None = None

    def to_event(self, now: datetime, where: str) -> domain.Event:
        timestamp = self.timestamp or now
        if timestamp > now + FUTURE_SLACK:
            raise ValidationError("timestamp_in_future", "is more than a day in the future",
                                  field=f"{where}.timestamp")
        ctx = self.context or NO_CONTEXT
        return domain.Event(type=self.type, visitor_id=self.visitor_id, timestamp=timestamp,
                     content_id=self.content_id, session_id=self.session_id, decision_id=self.decision_id,
                     slot=self.slot or None, arm=self.arm or None,
                     value=self.value, device=ctx.device or None,
                     referrer=referrer_host(ctx.referrer), country=ctx.country or None,
                     locale=ctx.locale or None, url_path=url_path(ctx.url))


EVENT_REF = {"$ref": REF_TEMPLATE.format(model="Event")}


class EventBatch(BaseModel):
    # Items are checked one by one by the route (a bad event is rejected by index, the rest stored),
    # so the envelope takes any list and the document points at Event.
    events: Annotated[list[Any], WithJsonSchema({"type": "array", "items": EVENT_REF})]
    consent: StrictBool = Field(True, description="false: nothing is stored (each event rejected no_consent)")


NO_CONTEXT = EventContext()
EVENT = TypeAdapter(Event)
BATCH = TypeAdapter(EventBatch)


def parse_batch(raw: object) -> EventBatch:
    return validate(BATCH, raw)


def parse_event(raw: object, where: str, now: datetime) -> domain.Event:
    """One event of a batch, or 422 naming its field under `where` (`events[3].visitor_id`)."""
    return validate(EVENT, raw, where).to_event(now, where)


def referrer_host(referrer: str | None) -> str | None:
    """Only the host: a full referrer URL can carry search terms or tokens in its query."""
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer if "//" in referrer else "//" + referrer)
        return (parts.hostname or "").lower() or None
    except ValueError:  # e.g. a broken IPv6 literal: nothing worth keeping
        return None


def url_path(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return None
