"""The shapes of real sites' data, laid over the clean simulation: what a model meets outside the demo.

Real catalogs have untagged posts and posts with no text, and a few posts take most of the traffic; real
event logs have visitors seen once, visitors whose tracker only reported clicks, events sent twice by a
retrying beacon and events written late by batching. Each shape draws from its own seeded stream, so
`RealSiteShapes.none()` reproduces the clean simulation exactly.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np

from .catalog import DemoItem


@dataclass(frozen=True)
class RealSiteShapes:
    """Shares of each real-site shape; the defaults are modest so the demo still reads as one site."""

    untagged_posts: float = 0.08  # no tags, no categories, no editor metadata
    posts_without_text: float = 0.05  # galleries, videos, embeds: a title and nothing else
    long_tail: float = 1.5  # Zipf exponent of post popularity by rank (0: none); top 10% get ~40% of views
    click_only_visitors: float = 0.03  # a tracker that only reported clicks (views blocked or not sent)
    one_event_visitors: float = 0.15  # seen once: one view and never again
    duplicated_events: float = 0.01  # sent twice by a retrying beacon
    late_events: float = 0.02  # written after later events (batched beacons), so the file is out of order
    response_rate: float = 1.0  # scales click and conversion probabilities: 0.05 gives rates under 1%

    @classmethod
    def none(cls) -> RealSiteShapes:
        """The clean simulation: every post tagged, every visitor fully tracked, events in time order."""
        return cls(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)

    def with_response_rate(self, rate: float) -> RealSiteShapes:
        return replace(self, response_rate=rate)

    def as_dict(self) -> dict:
        return asdict(self)


def _pick(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Indices of about share * n of n items (seeded), sorted."""
    return np.flatnonzero(rng.random(n) < share) if share > 0 else np.zeros(0, dtype=int)


def apply_long_tail(rng: np.random.Generator, posts: list[DemoItem], exponent: float) -> None:
    """Multiply quality by a Zipf factor of a random popularity rank (mean factor 1)."""
    if exponent <= 0 or not posts:
        return
    ranks = rng.permutation(len(posts)) + 1.0
    factor = ranks ** -exponent
    factor *= len(posts) / factor.sum()
    for post, f in zip(posts, factor, strict=True):
        post.quality *= float(f)


def strip_posts(rng: np.random.Generator, posts: list[DemoItem], shapes: RealSiteShapes) -> dict:
    """Untag some posts and empty the text of others; the hidden topic mix stays (visitors still care)."""
    untagged = _pick(rng, len(posts), shapes.untagged_posts)
    textless = _pick(rng, len(posts), shapes.posts_without_text)
    for i in untagged:
        p = posts[i]
        p.tags, p.categories, p.topics, p.audience, p.funnel_stage, p.intent = [], [], [], [], [], []
    for i in textless:
        posts[i].text = ""
    return {"untagged_posts": [posts[i].id for i in untagged],
            "posts_without_text": [posts[i].id for i in textless]}


def shape_events(rng: np.random.Generator, rows: list[tuple], visitor_ids: list[str],
                 shapes: RealSiteShapes) -> tuple[list[tuple], dict]:
    """Click-only and one-event visitors, duplicated and late events over time-ordered rows."""
    click_only = {visitor_ids[i] for i in _pick(rng, len(visitor_ids), shapes.click_only_visitors)}
    one_event = {visitor_ids[i] for i in _pick(rng, len(visitor_ids), shapes.one_event_visitors)} - click_only
    kept, seen_once = [], set()
    for row in rows:
        vid, kind = row[0], row[2]
        if vid in click_only and kind != "click":
            continue
        if vid in one_event:
            if kind != "view" or vid in seen_once:
                continue
            seen_once.add(vid)
        kept.append(row)
    duplicated = _pick(rng, len(kept), shapes.duplicated_events)
    rows = kept + [kept[i] for i in duplicated]
    # File order is arrival order: most rows arrive as they happen, late ones minutes to hours after.
    arrival = np.array([r[1] for r in rows], dtype=float)
    late = _pick(rng, len(rows), shapes.late_events)
    arrival[late] += rng.exponential(1800.0, size=len(late))
    order = np.lexsort((np.arange(len(rows)), arrival))
    rows = [rows[i] for i in order]
    clicked = {r[0] for r in kept if r[0] in click_only}  # the others left no event at all
    return rows, {"click_only_visitors": sorted(clicked), "one_event_visitors": sorted(seen_once),
                  "duplicated_events": int(len(duplicated)), "late_events": int(len(late))}
