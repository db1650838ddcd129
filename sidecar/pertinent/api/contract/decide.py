"""A page's decide request: visitor, page context and up to 20 slots with unique names."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, TypeAdapter

from ... import domain
from ...decision.rule_schema import SlotName
from ...domain import MAX_SLOT_COUNT, SlotKind
from ...errors import ValidationError
from .errors import validate
from .types import STORABLE_KEYS, Id, Labels, OptionalId, OptionalInt, Text

MAX_SLOTS = 20
MAX_CANDIDATES = 1000


class Filters(BaseModel):
    """Filters on the catalog when a slot names no candidates."""

    model_config = ConfigDict(extra="forbid")

    type: Labels = None
    tags: Labels = None
    categories: Labels = None


class SlotRequest(BaseModel):
    """One place on the page to fill."""

    name: SlotName
    kind: SlotKind | None = Field(None, description="recommendations when absent")
    count: Annotated[OptionalInt, Field(ge=1, le=MAX_SLOT_COUNT)] = Field(None, description="1 when absent")
    candidates: list[Id] | None = Field(None, max_length=MAX_CANDIDATES)
    filters: Filters | None = None


class PageContext(BaseModel):
    """What the page knows: the page itself, how the visitor came, the device, consent."""

    url: Annotated[Text, Field(max_length=2000)] = None
    content_id: OptionalId = None
    referrer: Annotated[Text, Field(max_length=2000)] = None
    utm: dict[str, Annotated[Text, Field(max_length=500)]] | None = Field(
        None, description="source, medium, campaign, term, content", json_schema_extra=STORABLE_KEYS)
    device: Annotated[Text, Field(max_length=32)] = None
    locale: Annotated[Text, Field(max_length=35)] = None
    country: Annotated[Text, Field(max_length=8)] = None
    # Not nullable: a client unsure of consent must say false, never leave it to the default.
    consent: StrictBool = Field(True, description="false: nothing is stored, only the page context is used")
    visit_count: Annotated[OptionalInt, Field(ge=0, le=10_000_000)] = None
    segment: Annotated[Text, Field(max_length=200)] = None
    logged_in_role: Annotated[Text, Field(max_length=100)] = None

    def to_page(self) -> domain.PageContext:
        return domain.PageContext(
            url=self.url or "", content_id=self.content_id, referrer=self.referrer or "",
            utm={k: v or "" for k, v in (self.utm or {}).items()}, device=self.device or "",
            locale=self.locale or "", country=self.country or "", consent=self.consent,
            visit_count=self.visit_count, segment=self.segment or None,
            logged_in_role=self.logged_in_role or None)


class DecideRequest(BaseModel):
    visitor_id: OptionalId = None
    session_id: OptionalId = None
    context: PageContext | None = None
    slots: list[SlotRequest] = Field(min_length=1, max_length=MAX_SLOTS)


DECIDE = TypeAdapter(DecideRequest)
NO_CONTEXT = PageContext()


def parse_decide(raw: object) -> domain.DecideRequest:
    """The decide request, or 422 naming the field (`slots[2].kind`)."""
    body = validate(DECIDE, raw)
    seen = set()
    for i, slot in enumerate(body.slots):
        if slot.name in seen:
            raise ValidationError("duplicate", f"slot name {slot.name!r} is used twice",
                                  field=f"slots[{i}].name")
        seen.add(slot.name)
    slots = [domain.SlotRequest(name=s.name, kind=s.kind or "recommendations", count=s.count or 1,
                         candidates=s.candidates or [],
                         filters=s.filters.model_dump(exclude_none=True) if s.filters else {})
             for s in body.slots]
    return domain.DecideRequest(visitor_id=body.visitor_id, context=(body.context or NO_CONTEXT).to_page(),
                         slots=slots, session_id=body.session_id)


class RecommendationsQuery(BaseModel):
    """`GET /v1/recommendations` query parameters (strings on the wire: k is read as an integer)."""

    visitor_id: OptionalId = None
    content_id: OptionalId = None
    k: Annotated[int, Field(ge=1, le=MAX_SLOT_COUNT, strict=False)] = 5


RECOMMENDATIONS_QUERY = TypeAdapter(RecommendationsQuery)


def parse_recommendations_query(args: dict) -> RecommendationsQuery:
    return validate(RECOMMENDATIONS_QUERY, args)
