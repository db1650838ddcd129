"""Small sites in the shapes real exports come in, for robustness tests (hand-written and hypothesis).

A `SiteShape` says what the site looks like (untagged or textless posts, a catalog of one type, only
clicks, unknown content ids, duplicated rows, rows out of time order, visitors with one event, odd
dwell values); `build` makes the catalog and the event log from it, seeded, with a little taste
signal so models can learn.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import strategies as st
from pertinent.domain import EVENT_TYPES, ContentItem, Event

START = datetime(2026, 2, 1, tzinfo=timezone.utc)
TOPICS = ("garden", "travel", "money", "health", "food")
EVENT_COLUMNS = ["visitor_id", "timestamp", "event_type", "content_id", "session_id", "value", "device",
                 "referrer", "country"]
CONTENT_COLUMNS = ["content_id", "title", "text", "tags", "categories", "type", "published_at", "topics"]


@dataclass(frozen=True)
class SiteShape:
    n_posts: int = 30
    n_variants: int = 0
    post_types: tuple = ("post",)
    tagged_share: float = 1.0
    text_share: float = 1.0
    kinds: tuple = EVENT_TYPES
    n_visitors: int = 60
    n_events: int = 800
    one_event_visitors: int = 0
    unknown_share: float = 0.0
    duplicate_share: float = 0.0
    shuffled: bool = False
    days: float = 14.0
    dwell_seconds: float = 30.0  # the value of every dwell event: exports also hold negative or absurd ones
    seed: int = 0


def build(shape: SiteShape) -> tuple[list[ContentItem], list[Event]]:
    """The catalog and the event log of a site of this shape (events in time order unless shuffled)."""
    rng = random.Random(shape.seed)
    items = [_post(i, shape, rng) for i in range(shape.n_posts)]
    items += [ContentItem(id=f"b{j}", title=f"Offer {TOPICS[j % 5]}", type="variant",
                          tags=[TOPICS[j % 5]] if rng.random() < shape.tagged_share else [])
              for j in range(shape.n_variants)]
    posts = [i.id for i in items if i.type != "variant"]
    variants = [i.id for i in items if i.type == "variant"]
    seconds = sorted(rng.uniform(0, shape.days * 86400) for _ in range(shape.n_events))
    events = [_event(rng, shape, t, posts, variants) for t in seconds]
    events += [_event(rng, shape, rng.uniform(0, shape.days * 86400), posts, variants, f"once{i}")
               for i in range(shape.one_event_visitors)]
    events += [e for e in events if rng.random() < shape.duplicate_share]
    if shape.shuffled:
        rng.shuffle(events)
    else:
        events.sort(key=lambda e: e.timestamp)
    return items, events


def _post(i: int, shape: SiteShape, rng: random.Random) -> ContentItem:
    topic = TOPICS[i % len(TOPICS)]
    tagged = rng.random() < shape.tagged_share
    wordy = rng.random() < shape.text_share
    return ContentItem(
        id=f"p{i}", title=f"{topic.title()} notes {i}" if wordy else "", text=f"All about {topic}." if wordy
        else "", type=shape.post_types[i % len(shape.post_types)], tags=[topic] if tagged else [],
        categories=[topic] if tagged else [], meta={"topics": [topic]} if tagged else {},
        published_at=START - timedelta(days=i % 30))


def _event(rng: random.Random, shape: SiteShape, second: float, posts, variants, visitor=None) -> Event:
    visitor = visitor or f"v{rng.randrange(max(shape.n_visitors, 1))}"
    kind = rng.choice(shape.kinds)
    pool = variants if variants and kind in ("impression", "click", "conversion") and rng.random() < 0.5 \
        else posts or variants
    # A visitor prefers one topic: posts of it are picked three times as often (something to learn).
    taste = int(visitor.lstrip("vonce") or 0) % len(TOPICS)
    liked = [c for k, c in enumerate(pool) if k % len(TOPICS) == taste] if pool is posts else []
    content = rng.choice(liked if liked and rng.random() < 0.75 else pool) if pool else None
    if rng.random() < shape.unknown_share:
        content = f"gone{rng.randrange(5)}"
    when = START + timedelta(seconds=second)
    return Event(type=kind, visitor_id=visitor, timestamp=when, content_id=content,
                 session_id=f"{visitor}-{int(second // 3600)}",
                 value=shape.dwell_seconds if kind == "dwell" else None,
                 device=rng.choice(("desktop", "mobile", "tablet")), referrer="", country="FR")


def write(folder: Path, items: list[ContentItem], events: list[Event]) -> tuple[Path, Path]:
    """(events.csv, content.csv) in the training input format, rows in the order given."""
    folder.mkdir(parents=True, exist_ok=True)
    events_path, content_path = folder / "events.csv", folder / "content.csv"
    with content_path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(CONTENT_COLUMNS)
        for i in items:
            out.writerow([i.id, i.title, i.text, "|".join(i.tags), "|".join(i.categories), i.type,
                          i.published_at.isoformat() if i.published_at else "",
                          "|".join(i.meta.get("topics", []))])
    with events_path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(EVENT_COLUMNS)
        for e in events:
            value = "" if e.value is None else e.value
            out.writerow([e.visitor_id, e.timestamp.isoformat(), e.type, e.content_id or "",
                          e.session_id or "", value, e.device or "", e.referrer or "", e.country or ""])
    return events_path, content_path


def site_shapes() -> st.SearchStrategy[SiteShape]:
    """Small sites of real shapes: busy ones that should train, and sparse or odd ones to refuse cleanly."""
    odd = dict(
        n_variants=st.integers(0, 4),
        post_types=st.sampled_from([("post",), ("post", "page", "product"), ("page",), ("post",),
                                    ("variant",)]),
        tagged_share=st.sampled_from([0.0, 0.5, 1.0]), text_share=st.sampled_from([0.0, 0.5, 1.0]),
        kinds=st.one_of(
            st.sampled_from([EVENT_TYPES, ("view",), ("click",), ("view", "impression", "click")]),
            st.lists(st.sampled_from(EVENT_TYPES), min_size=1, max_size=5, unique=True).map(tuple)),
        one_event_visitors=st.integers(0, 10), unknown_share=st.sampled_from([0.0, 0.2]),
        duplicate_share=st.sampled_from([0.0, 0.2]), shuffled=st.booleans(),
        days=st.sampled_from([14.0, 3.0, 0.01]), dwell_seconds=st.sampled_from([30.0, -4.0, 1e12]),
        seed=st.integers(0, 10_000))
    # Busy enough for what training needs (100 events, 10 new readers in each evaluation window).
    busy = st.builds(SiteShape, n_posts=st.integers(8, 40), n_visitors=st.integers(50, 90),
                     n_events=st.integers(800, 1400), **odd)
    sparse = st.builds(SiteShape, n_posts=st.integers(1, 40), n_visitors=st.integers(1, 90),
                       n_events=st.integers(0, 400), **odd)
    return st.one_of(busy, sparse)
