"""The domain's value objects: catalog items, behaviour events, decide requests and decisions.

These are the contract between routes, the decision core, stores and models. They carry no
behaviour beyond small conveniences, so every part can build and read them without the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

# Each closed set is written once, as a Literal type (what the request and response models and mypy
# read); the tuple beside it is the same values for code that iterates or tests membership.
EventType = Literal["impression", "view", "click", "dwell", "conversion"]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
SlotKind = Literal["banner", "cta", "recommendations", "read_next"]
SLOT_KINDS: tuple[SlotKind, ...] = get_args(SlotKind)
ContentStatus = Literal["publish", "draft", "pending", "private", "future", "trash"]
CONTENT_STATUSES: tuple[ContentStatus, ...] = get_args(ContentStatus)
Source = Literal["rules", "model", "popular", "latest", "default"]
SOURCES: tuple[Source, ...] = get_args(Source)
# Why a fallback served a slot: the model failed, no model set is loaded, the model had nothing for this
# visitor, nothing could be shown but the editor's default content, or deciding itself failed.
Fallback = Literal["model_error", "no_model", "cold_start", "default_content", "internal_error"]
FALLBACKS: tuple[Fallback, ...] = get_args(Fallback)
# Editor metadata keys the plugin's panel writes; any other key is kept as free metadata.
META_KEYS = ("topics", "audience", "funnel_stage", "intent")
# Items one slot may ask for: the API refuses more, the decision core clamps to it.
MAX_SLOT_COUNT = 50

# The one id rule (content, visitor, session, decision, experiment ids), at ingest, export and erase
# alike: an id that could be stored but not named in a URL path would be data nobody can erase.
MAX_ID_LENGTH = 191  # fits the WordPress and SQL index limits
# NUL cannot be stored by PostgreSQL and lone UTF-16 surrogates cannot be encoded as UTF-8 by anyone.
_SURROGATES = r"\ud800-\udfff"
UNSTORABLE_CHARACTERS = rf"\x00{_SURROGATES}"
_UNSTORABLE = re.compile(f"[{UNSTORABLE_CHARACTERS}]")
# Controls, and the separators a URL path, a proxy or a file name would split or rewrite.
_ID_SEPARATORS_AND_CONTROLS = r"\x00-\x1f\x7f-\x9f/\\"
ID_FORBIDDEN_CHARACTERS = _ID_SEPARATORS_AND_CONTROLS + _SURROGATES
_NOT_IN_ID = re.compile(f"[{ID_FORBIDDEN_CHARACTERS}]")
# The same rules as the OpenAPI document's patterns (regex escapes ECMA-262 reads too), surrogates left
# out: JSON Schema matches Unicode scalar values, which a lone surrogate is not, so validators read a
# surrogate range as matching nothing and schemathesis then draws strings that break the whole class
# (measured: '\x10' in ids, NUL in text). The 422 description names lone surrogates instead.
STORABLE_TEXT_PATTERN = r"^[^\x00]*$"
# "." and ".." (DOT_SEGMENTS) are refused too: in the document as `not: {enum: ...}` beside the pattern.
ID_PATTERN = rf"^[^{_ID_SEPARATORS_AND_CONTROLS}]*$"
DOT_SEGMENTS = (".", "..")


def text_problem(text: str) -> str | None:
    """Why a string cannot be stored (a NUL byte, a lone surrogate), or None when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return "holds a NUL character" if found.group() == "\x00" else "holds a lone UTF-16 surrogate"


def id_problem(text: str) -> str | None:
    """Why a string is not an id (empty, too long, a control character, `/` or `\\`), or None."""
    if not text:
        return "must not be empty"
    if len(text) > MAX_ID_LENGTH:
        return f"longer than {MAX_ID_LENGTH} characters"
    if text in DOT_SEGMENTS:
        return "must not be a dot segment"
    found = _NOT_IN_ID.search(text)
    if found is not None:
        return text_problem(found.group()) or f"must not hold {found.group()!r}"
    return None


@dataclass(slots=True)
class ContentItem:
    """One catalog entry: a post, page, product or a banner/CTA variant, as the CMS describes it."""

    id: str
    title: str = ""
    url: str = ""
    type: str = "post"
    excerpt: str = ""
    text: str = ""
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    # Editor metadata: topics, audience, funnel_stage, intent (each a list of strings) and free keys.
    meta: dict = field(default_factory=dict)
    status: str = "publish"
    published_at: datetime | None = None
    modified_at: datetime | None = None
    # Editor rules on this item: [{"action": "pin"|"exclude", "when": {...}, "slots": [...]}].
    targeting: list[dict] = field(default_factory=list)
    # Scheduling window for variants; outside it the item is never chosen.
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @property
    def is_live(self) -> bool:
        return self.status == "publish"


@dataclass(slots=True)
class Event:
    """One behaviour event. No IP, no user agent, no full referrer URL: nothing personal is stored."""

    type: str
    visitor_id: str
    timestamp: datetime
    content_id: str | None = None
    session_id: str | None = None
    decision_id: str | None = None
    slot: str | None = None
    arm: str | None = None
    value: float | None = None
    device: str | None = None
    # Referrer host only (e.g. "www.google.com"): a full URL can carry personal data in its query.
    referrer: str | None = None
    country: str | None = None
    locale: str | None = None
    url_path: str | None = None


def without_duplicates(events: list[Event]) -> list[Event]:
    """Events minus repeats of the same visitor, time, type, content and session (a beacon retried), in
    order. Training drops them from files by the same key (training/io.py DUPLICATE_KEY): a history read
    from the store must not count a retried view twice where the trained model never saw it."""
    seen, out = set(), []
    for e in events:
        key = (e.visitor_id, e.timestamp, e.type, e.content_id or "", e.session_id or e.visitor_id)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


@dataclass(slots=True)
class PageContext:
    """What the page knows about the request: the page itself, how the visitor came, the device."""

    url: str = ""
    content_id: str | None = None
    referrer: str = ""
    utm: dict = field(default_factory=dict)  # source, medium, campaign, term, content
    device: str = ""  # desktop | mobile | tablet
    locale: str = ""
    country: str = ""
    consent: bool = True
    visit_count: int | None = None
    segment: str | None = None
    logged_in_role: str | None = None
    now: datetime | None = None  # time of the request; rules' time windows use it


@dataclass(slots=True)
class SlotRequest:
    """One place on the page to fill: a name, a kind, optional candidate ids or filters, a count."""

    name: str
    kind: str = "recommendations"
    count: int = 1
    candidates: list[str] = field(default_factory=list)
    # Filters on the catalog when no candidates are given: {"type": [...], "tags": [...], "categories": [...]}
    filters: dict = field(default_factory=dict)


@dataclass(slots=True)
class DecideRequest:
    visitor_id: str | None
    context: PageContext
    slots: list[SlotRequest]
    session_id: str | None = None


@dataclass(slots=True)
class ScoredItem:
    """A chosen item; title and url come from the catalog so a non-WordPress page can render a link."""

    id: str
    score: float
    title: str = ""
    url: str = ""


@dataclass(slots=True)
class SlotDecision:
    """What one slot shows: items (best first), where they came from and why, in a few words."""

    name: str
    kind: str
    items: list[ScoredItem]
    source: str  # one of SOURCES
    reason: str
    # Why a fallback stands in (model_error, no_model, cold_start, default_content), None when nothing
    # failed: the model answered, a rule pinned, or an experiment arm asked for the default on purpose.
    fallback: str | None = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "content_ids": [i.id for i in self.items],
            "scores": [round(i.score, 6) for i in self.items],
            "items": [{"id": i.id, "title": i.title, "url": i.url} for i in self.items],
            "source": self.source,
            "reason": self.reason,
            "fallback": self.fallback,
        }


@dataclass(slots=True)
class Decision:
    """The answer to one page: a slot decision per slot, one id to join events back, the model version."""

    id: str
    slots: list[SlotDecision]
    model_version: str | None
    arm: str = "model"
    ttl: int = 0
    cached: bool = False

    def to_dict(self) -> dict:
        return {
            "decision_id": self.id,
            "model_version": self.model_version,
            "arm": self.arm,
            "ttl": self.ttl,
            "cached": self.cached,
            "slots": {s.name: s.to_dict() for s in self.slots},
        }
