"""Generate the demo site: content.csv, events.csv (the design's input formats) and truth.json.

Seeded and deterministic: the same arguments always write byte-identical files. By default the data has
the shapes of real sites (shapes.py); provenance.json beside the files marks them as synthetic, so a model
set trained on them says so in its manifest and report.
"""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..domain import ContentItem, Event
from .catalog import DemoItem, make_posts, make_variants
from .provenance import write_provenance
from .shapes import RealSiteShapes, apply_long_tail, shape_events, strip_posts
from .simulate import SiteSimulation, make_visitors
from .vocabulary import TOPICS
from .writing import PostWriter, excerpt

# The window ends on a fixed date so the files do not depend on when they are generated.
WINDOW_END = datetime(2026, 10, 31, tzinfo=timezone.utc)
CONTENT_COLUMNS = ["content_id", "title", "text", "tags", "categories", "published_at", "type", "url",
                   "topics", "audience", "funnel_stage", "intent"]
EVENT_COLUMNS = ["visitor_id", "timestamp", "event_type", "content_id", "value", "session_id", "device",
                 "referrer", "country"]


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(round(ts), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_content(path: Path, items: list[DemoItem]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CONTENT_COLUMNS)
        for it in items:
            writer.writerow([it.id, it.title, it.text, "|".join(it.tags), "|".join(it.categories),
                             _iso(it.published_at), it.type, it.url, "|".join(it.topics),
                             "|".join(it.audience), "|".join(it.funnel_stage), "|".join(it.intent)])


def _write_events(path: Path, rows: list[tuple]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(EVENT_COLUMNS)
        for vid, ts, kind, cid, value, sid, device, referrer, country in rows:
            writer.writerow([vid, _iso(ts), kind, cid, "" if value is None else value, sid, device, referrer,
                             country])


def generate(out_dir, seed: int = 7, n_posts: int = 300, n_variants: int = 12, n_visitors: int = 3000,
             days: int = 28, shapes: RealSiteShapes | None = None) -> dict:
    """Write content.csv, events.csv, truth.json and provenance.json under out_dir; returns a summary."""
    shapes = RealSiteShapes() if shapes is None else shapes
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    shape_rng = np.random.default_rng([seed, 1])  # its own stream: the clean simulation stays as it was
    end = WINDOW_END.timestamp()
    start = end - days * 86_400.0
    # The copy has its own stream too, so editing the text in writing.py leaves the visitors' behaviour alone.
    posts = make_posts(rng, n_posts, start, days, PostWriter(np.random.default_rng([seed, 2])))
    apply_long_tail(shape_rng, posts, shapes.long_tail)
    variants = make_variants(rng, n_variants, start)
    visitors = make_visitors(rng, n_visitors, start, days)
    sim = SiteSimulation(rng, posts, variants, start, days, response_rate=shapes.response_rate)
    # Visitors browse by the hidden topics, so untagging only hides from the models what the editor missed.
    rows, event_shapes = shape_events(shape_rng, sim.run(visitors), [v.id for v in visitors], shapes)
    post_shapes = strip_posts(shape_rng, posts, shapes)
    _write_content(out / "content.csv", posts + variants)
    _write_events(out / "events.csv", rows)
    topics = list(TOPICS)
    truth = {
        "seed": seed, "topics": topics,
        "visitors": {v.id: {"interests": dict(zip(topics, np.round(v.interests, 4).tolist(), strict=True)),
                            "funnel_stage": v.stage, "device": v.device, "country": v.country}
                     for v in visitors},
        "content": {p.id: {"topic": topics[int(p.topic_mix.argmax())], "quality": round(p.quality, 4),
                           "read_next": [posts[j].id for j in p.read_next]} for p in posts},
        "variants": {v.id: {"topic": v.topics[0], "funnel_stage": v.funnel_stage[0]} for v in variants},
        "shapes": {"settings": shapes.as_dict(), **post_shapes, **event_shapes},
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True), encoding="utf-8")
    write_provenance(out, seed=seed, shapes=shapes.as_dict())
    return {"content": len(posts) + len(variants), "posts": len(posts), "variants": len(variants),
            "visitors": len(visitors), "sessions": sim.sessions, "events": len(rows),
            "start": _iso(start), "end": _iso(end), "content_path": str(out / "content.csv"),
            "events_path": str(out / "events.csv"), "truth_path": str(out / "truth.json"),
            "provenance_path": str(out / "provenance.json")}


def _split(value: str) -> list[str]:
    return [part for part in (value or "").split("|") if part]


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _when(value: str) -> datetime | None:
    return _time(value) if value else None


def to_domain(out_dir) -> tuple[list[ContentItem], list[Event]]:
    """Read the generated files back as catalog items and events, ready for a store."""
    out = Path(out_dir)
    items = []
    with (out / "content.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            meta = {key: _split(row[key]) for key in ("topics", "audience", "funnel_stage", "intent")}
            items.append(ContentItem(
                id=row["content_id"], title=row["title"], url=row["url"], type=row["type"],
                excerpt=excerpt(row["text"]), text=row["text"], tags=_split(row["tags"]),
                categories=_split(row["categories"]), meta=meta, published_at=_when(row["published_at"]),
                modified_at=_when(row["published_at"])))
    events = []
    with (out / "events.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            events.append(Event(
                type=row["event_type"], visitor_id=row["visitor_id"], timestamp=_time(row["timestamp"]),
                content_id=row["content_id"] or None, session_id=row["session_id"] or None,
                value=float(row["value"]) if row["value"] else None, device=row["device"] or None,
                referrer=row["referrer"] or None, country=row["country"] or None))
    return items, events
