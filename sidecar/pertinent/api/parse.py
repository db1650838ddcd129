"""JSON bodies into domain objects (ContentItem, Event, DecideRequest), with field-level errors."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from ..domain import (
    CONTENT_STATUSES,
    EVENT_TYPES,
    MAX_SLOT_COUNT,
    META_KEYS,
    SLOT_KINDS,
    ContentItem,
    DecideRequest,
    Event,
    PageContext,
    SlotRequest,
)
from ..decision.rule_schema import TARGETING
from .contract.errors import validate
from .fields import MAX_ID, MAX_TEXT, Fields, invalid
from .guard import depth_of

# Free editor metadata is kept as sent, so it is bounded: every reader (catalog refresh, GET, the
# vectorizer) walks it, and 500 levels or megabytes of it would stall or crash each of them.
MAX_META_DEPTH = 8
MAX_META_BYTES = 16_384

MAX_SLOTS = 20
MAX_CANDIDATES = 1000
# Events from clocks that run a little fast are fine; a day ahead is a bug or a forgery.
FUTURE_SLACK = timedelta(days=1)
FILTER_KEYS = ("type", "tags", "categories")


def parse_content(raw, content_id: str, path: str = "") -> ContentItem:
    """One catalog item; `content_id` comes from the URL or from the bulk item's `id`."""
    f = Fields(raw, path)
    return ContentItem(
        id=content_id,
        title=f.str("title", max_len=1000),
        url=f.str("url", max_len=2000),
        type=f.str("type", default="post", max_len=64) or "post",
        excerpt=f.str("excerpt", max_len=10_000),
        text=f.str("text", max_len=MAX_TEXT),
        tags=f.strs("tags"),
        categories=f.strs("categories"),
        meta=_meta(f.obj("meta")),
        status=f.str("status", default="publish", choices=CONTENT_STATUSES),
        published_at=f.time("published_at"),
        modified_at=f.time("modified_at"),
        targeting=_targeting(f),
        starts_at=f.time("starts_at"),
        ends_at=f.time("ends_at"),
    )


def _meta(f: Fields) -> dict:
    """Editor metadata: the known keys are lists of strings; free keys are kept as sent, bounded."""
    if depth_of(f.value, MAX_META_DEPTH) > MAX_META_DEPTH:
        raise invalid(f.path, f"nested more than {MAX_META_DEPTH} levels deep", "too_deep")
    if len(json.dumps(f.value, ensure_ascii=False).encode("utf-8")) > MAX_META_BYTES:
        raise invalid(f.path, f"larger than {MAX_META_BYTES} bytes as JSON", "too_large")
    meta = dict(f.value)
    for key in META_KEYS:
        if key in meta:
            meta[key] = f.strs(key)
    return meta


def _targeting(f: Fields) -> list[dict]:
    """Pin/exclude rules, under the one rule model (decision/rule_schema.py): what it accepts compiles."""
    rules = validate(TARGETING, f.value.get("targeting") or [], f.at("targeting"))
    return [rule.to_stored() for rule in rules]


def parse_event(raw, path: str, now: datetime) -> Event:
    """One behaviour event; the referrer is kept as a host and the page URL as a path (no query)."""
    f = Fields(raw, path)
    ctx = f.obj("context")
    timestamp = f.time("timestamp") or now
    if timestamp > now + FUTURE_SLACK:
        raise invalid(f.at("timestamp"), "is more than a day in the future", "timestamp_in_future")
    return Event(
        type=f.str("type", required=True, choices=EVENT_TYPES),
        visitor_id=f.id("visitor_id", required=True),
        timestamp=timestamp,
        content_id=f.id("content_id"),
        session_id=f.id("session_id"),
        decision_id=f.id("decision_id"),
        slot=f.str("slot", max_len=MAX_ID) or None,
        arm=f.str("arm", max_len=64) or None,
        value=f.number("value"),
        device=ctx.str("device", max_len=32) or None,
        referrer=referrer_host(ctx.str("referrer", max_len=2000)),
        country=ctx.str("country", max_len=8) or None,
        locale=ctx.str("locale", max_len=35) or None,
        url_path=url_path(ctx.str("url", max_len=2000)),
    )


def referrer_host(referrer: str) -> str | None:
    """Only the host: a full referrer URL can carry search terms or tokens in its query."""
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer if "//" in referrer else "//" + referrer)
        return (parts.hostname or "").lower() or None
    except ValueError:  # e.g. a broken IPv6 literal: nothing worth keeping
        return None


def url_path(url: str) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return None


def parse_decide(raw) -> DecideRequest:
    """A page's decide request: visitor, page context and up to 20 slots with unique names."""
    f = Fields(raw)
    slots_raw = f.list("slots", required=True)
    if not slots_raw:
        raise invalid("slots", "at least one slot is required", "required")
    if len(slots_raw) > MAX_SLOTS:
        raise invalid("slots", f"at most {MAX_SLOTS} slots per request", "too_many")
    slots = [_slot(Fields(s, f"slots[{i}]")) for i, s in enumerate(slots_raw)]
    seen = set()
    for i, slot in enumerate(slots):
        if slot.name in seen:
            raise invalid(f"slots[{i}].name", f"slot name {slot.name!r} is used twice", "duplicate")
        seen.add(slot.name)
    return DecideRequest(visitor_id=f.id("visitor_id"), context=_context(f.obj("context")), slots=slots,
                         session_id=f.id("session_id"))


def _context(f: Fields) -> PageContext:
    utm = f.obj("utm")
    return PageContext(
        url=f.str("url", max_len=2000),
        content_id=f.id("content_id"),
        referrer=f.str("referrer", max_len=2000),
        utm={k: utm.str(k, max_len=500) for k in utm.value},
        device=f.str("device", max_len=32),
        locale=f.str("locale", max_len=35),
        country=f.str("country", max_len=8),
        consent=f.bool("consent", True),
        visit_count=f.int("visit_count", lo=0, hi=10_000_000),
        segment=f.str("segment", max_len=200) or None,
        logged_in_role=f.str("logged_in_role", max_len=100) or None,
    )


def _slot(f: Fields) -> SlotRequest:
    filters = f.obj("filters")
    unknown = set(filters.value) - set(FILTER_KEYS)
    if unknown:
        raise invalid(filters.at(sorted(unknown)[0]), f"unknown filter; expected {', '.join(FILTER_KEYS)}",
                      "unknown_field")
    name = f.str("name", required=True, max_len=64)
    if not name.strip():
        raise invalid(f.at("name"), "must not be empty", "required")
    return SlotRequest(
        name=name,
        kind=f.str("kind", default="recommendations", choices=SLOT_KINDS),
        count=f.int("count", default=1, lo=1, hi=MAX_SLOT_COUNT),
        candidates=f.strs("candidates", max_items=MAX_CANDIDATES, ids=True),
        filters={k: filters.strs(k) for k in FILTER_KEYS if filters.has(k)},
    )


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
