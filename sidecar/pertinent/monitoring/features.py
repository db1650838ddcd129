"""The main features whose distributions drift is measured on, read from behaviour events."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from ..domain import Event, PageContext
from ..modelset.protocols import RecommendQuery

ACTIVITY_BUCKETS = ((1, "1"), (3, "2-3"), (7, "4-7"), (15, "8-15"))


def feature_counts(events: Iterable[Event], category_of: Callable[[str], str | None] | None = None
                   ) -> dict[str, Counter[str]]:
    """Per feature, how often each value occurs: device, country, referrer, event type, content
    category, and how active visitors are (events per visitor, bucketed)."""
    counts: dict[str, Counter[str]] = {
        name: Counter() for name in ("device", "country", "referrer", "event_type", "content_category",
                                     "visitor_activity")}
    per_visitor: Counter[str] = Counter()
    for e in events:
        if e.type == "impression":
            continue  # impressions follow the decisions we made; they are not the population
        counts["device"][e.device or "unknown"] += 1
        counts["country"][e.country or "unknown"] += 1
        counts["referrer"][e.referrer or "direct"] += 1
        counts["event_type"][e.type] += 1
        if e.content_id and category_of is not None:
            counts["content_category"][category_of(e.content_id) or "none"] += 1
        per_visitor[e.visitor_id] += 1
    for n in per_visitor.values():
        counts["visitor_activity"][next((label for top, label in ACTIVITY_BUCKETS if n <= top), "16+")] += 1
    return counts


def predicted_scores(events: Iterable[Event], recommender, sample: int = 500, k: int = 5) -> list[float]:
    """Top recommendation score for a deterministic sample of the window's visitors, from their history."""
    histories: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.type != "impression":
            histories[e.visitor_id].append(e)
    chosen = sorted(histories, key=lambda v: hashlib.sha256(v.encode()).hexdigest())[:sample]
    scores = []
    for visitor in chosen:
        history = sorted(histories[visitor], key=lambda e: e.timestamp, reverse=True)[:50]
        query = RecommendQuery(history=history, context=PageContext(), k=k,
                               current_content_id=history[0].content_id)
        try:
            ranked = recommender.recommend(query)
        except Exception:  # noqa: BLE001 - one bad history must not hide the drift of the rest
            continue
        if ranked:
            scores.append(float(ranked[0][1]))
    return scores
