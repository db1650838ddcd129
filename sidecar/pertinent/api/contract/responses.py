"""What the API answers, as models: they exist for /openapi.json (and the tests that check answers
against it); routes build plain dicts, so answering costs nothing extra."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ...decision.rule_schema import TargetingRule
from ...domain import ContentStatus, Fallback, SlotKind, Source


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    details: dict | None = None


class Error(BaseModel):
    """Every 4xx and 5xx: a stable code, a message, and the field at fault when there is one."""

    error: ErrorDetail


class StoredContentItem(BaseModel):
    """A catalog item as stored: every field present, times ISO 8601 in UTC or null."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: str
    title: str
    url: str
    type: str
    excerpt: str
    text: str
    tags: list[str]
    categories: list[str]
    meta: dict
    status: ContentStatus
    published_at: datetime | None
    modified_at: datetime | None
    targeting: list[TargetingRule]
    starts_at: datetime | None
    ends_at: datetime | None


class ContentDeleted(BaseModel):
    id: str
    deleted: bool


class ContentStored(BaseModel):
    stored: int


class RejectedEvent(BaseModel):
    index: int
    field: str | None
    reason: str
    message: str


class EventsAccepted(BaseModel):
    """Accepted events are durable; each refused one is listed with the codes of a 422, or no_consent."""

    accepted: int
    rejected: list[RejectedEvent]


class DecidedItem(BaseModel):
    id: str
    title: str
    url: str


class SlotDecision(BaseModel):
    """What one slot shows (best first), where it came from and why, in a few words."""

    kind: SlotKind
    content_ids: list[str]
    scores: list[float]
    items: list[DecidedItem]
    source: Source
    reason: str
    fallback: Fallback | None = Field(description="why a fallback stands in; null when none does")


class Decision(BaseModel):
    decision_id: str
    model_version: str | None
    arm: str
    ttl: int
    cached: bool
    slots: dict[str, SlotDecision]


class Recommendations(SlotDecision):
    visitor_id: str | None
    content_id: str | None
    k: int
    model_version: str | None


class Readiness(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: Literal["ok", "degraded", "unavailable"]
    reasons: list[str]
    model_version: str | None = None


class Experiment(BaseModel):
    """An experiment as stored and answered (experiments/definition.py's to_doc)."""

    id: str
    name: str
    arms: dict[str, float]
    status: Literal["running", "stopped"]
    created_at: datetime
    stopped_at: datetime | None
    slots: list[str]
    min_impressions: int


class Experiments(BaseModel):
    experiments: list[Experiment]


class Alive(BaseModel):
    status: Literal["ok"]


class VisitorExport(BaseModel):
    visitor_id: str
    events: list[dict]


class VisitorErased(BaseModel):
    visitor_id: str
    erased: int


RESPONSE_MODELS = (Error, StoredContentItem, ContentDeleted, ContentStored, EventsAccepted, SlotDecision,
                   Decision, Recommendations, Readiness, Alive, Experiment, Experiments, VisitorExport,
                   VisitorErased)
