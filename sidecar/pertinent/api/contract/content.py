"""Catalog items as the CMS sends them: one at a time (`PUT /v1/content/{id}`) or in bulk."""
from __future__ import annotations

import json
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError

from ... import domain
from ...decision.rule_schema import TargetingRules
from ...domain import META_KEYS, ContentStatus
from ..guard import depth_of
from .errors import validate
from .types import STORABLE_KEYS, Id, Labels, Text, Time

# Free editor metadata is kept as sent, so it is bounded: every reader (catalog refresh, GET, the
# vectorizer) walks it, and 500 levels or megabytes of it would stall or crash each of them.
MAX_META_DEPTH = 8
MAX_META_BYTES = 16_384
MAX_TEXT = 1_000_000


class Meta(BaseModel):
    """Editor metadata: the plugin's panel writes the known keys (lists of strings); free keys are kept."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        **STORABLE_KEYS,
        "description": f"editor metadata; free keys kept as sent, at most {MAX_META_DEPTH} levels deep and "
                       f"{MAX_META_BYTES} bytes as JSON"})

    topics: Labels = None
    audience: Labels = None
    funnel_stage: Labels = None
    intent: Labels = None

    @model_validator(mode="before")
    @classmethod
    def _bounded(cls, raw):
        if depth_of(raw, MAX_META_DEPTH) > MAX_META_DEPTH:
            raise PydanticCustomError("too_deep", f"nested more than {MAX_META_DEPTH} levels deep")
        if isinstance(raw, dict) and len(json.dumps(raw, ensure_ascii=False).encode()) > MAX_META_BYTES:
            raise PydanticCustomError("too_large", f"larger than {MAX_META_BYTES} bytes as JSON")
        return raw

    def to_stored(self) -> dict:
        meta = self.model_dump(exclude_unset=True)
        return {k: ([] if v is None and k in META_KEYS else v) for k, v in meta.items()}


class ContentItem(BaseModel):
    """One catalog item: a post, page, product, or a banner/CTA variant. Unknown fields are ignored."""

    title: Annotated[Text, Field(max_length=1000)] = None
    url: Annotated[Text, Field(max_length=2000)] = None
    type: Annotated[Text, Field(max_length=64)] = Field(None, description="post when absent")
    excerpt: Annotated[Text, Field(max_length=10_000)] = None
    text: Annotated[Text, Field(max_length=MAX_TEXT)] = None
    tags: Labels = None
    categories: Labels = None
    meta: Meta | None = None
    status: ContentStatus | None = Field(None, description="publish when absent")
    published_at: Time = None
    modified_at: Time = None
    targeting: TargetingRules | None = None
    starts_at: Time = None
    ends_at: Time = None

    def to_item(self, content_id: str) -> domain.ContentItem:
        return domain.ContentItem(
            id=content_id, title=self.title or "", url=self.url or "", type=self.type or "post",
            excerpt=self.excerpt or "", text=self.text or "", tags=self.tags or [],
            categories=self.categories or [], meta=self.meta.to_stored() if self.meta else {},
            status=self.status or "publish", published_at=self.published_at, modified_at=self.modified_at,
            targeting=[rule.to_stored() for rule in self.targeting or ()], starts_at=self.starts_at,
            ends_at=self.ends_at)


class BulkContentItem(ContentItem):
    id: Id


class BulkContent(BaseModel):
    """Many items in one transaction (all or none)."""

    items: list[BulkContentItem]


CONTENT = TypeAdapter(ContentItem)
BULK = TypeAdapter(BulkContent)


def parse_content(raw: object, content_id: str) -> domain.ContentItem:
    """One item from `PUT /v1/content/{content_id}`, or 422 naming the field."""
    return validate(CONTENT, raw).to_item(content_id)


def parse_bulk(raw: object) -> list[domain.ContentItem]:
    return [item.to_item(item.id) for item in validate(BULK, raw).items]
