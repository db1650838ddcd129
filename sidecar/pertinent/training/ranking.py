"""Ranking evaluation cases: each visitor's history before a cutoff, and what they read after it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from ..domain import Event, PageContext
from ..modelset.protocols import RecommendQuery
from .metrics import ranking_metrics


@dataclass
class RankingCase:
    visitor_id: str
    history: list[Event]
    seen: frozenset
    truth: set
    device: str
    country: str
    returning: bool
    now: object


# What counts as reading a post: many real exports hold only clicks, or only views.
READ_EVENTS = ("view", "click")
COLUMNS = ("event_type", "visitor_id", "timestamp", "content_id", "session_id", "value", "device",
           "referrer", "country")


def is_post(content_ids: pd.Series, item_types: dict) -> np.ndarray:
    """A boolean mask of rows about posts/pages (unknown ids count as posts), never about variants.

    A plain array, not `series.map(...)`: on an empty frame that map has object dtype and pandas then
    reads the mask as a list of column names."""
    return np.fromiter((item_types.get(c, "post") != "variant" for c in content_ids), dtype=bool,
                       count=len(content_ids))


def histories(rows: pd.DataFrame) -> dict[str, list[Event]]:
    """Newest-first domain events per visitor from time-ordered frame rows (one pass, no per-row pandas)."""
    out: dict[str, list[Event]] = {}
    cols = [rows[c].tolist() if c != "timestamp" else rows[c].dt.to_pydatetime().tolist() for c in COLUMNS]
    for kind, vid, when, cid, sid, value, device, referrer, country in zip(*cols, strict=True):
        out.setdefault(vid, []).append(Event(
            type=kind, visitor_id=vid, timestamp=when, content_id=cid or None, session_id=sid or None,
            value=None if value != value else value, device=device or None, referrer=referrer or None,
            country=country or None))
    for events in out.values():
        events.reverse()
    return out


def _events(rows: pd.DataFrame) -> list[Event]:
    """Newest-first domain events from one visitor's frame rows."""
    return next(iter(histories(rows).values()), [])


def ranking_cases(events: pd.DataFrame, start: float, end: float, item_types: dict, *, history: int = 50,
                  max_cases: int | None = None, seed: int = 0) -> list[RankingCase]:
    """Visitors who read posts in [start, end): history = last events before start, truth = new reads."""
    past = events[(events["ts"] < start) & (events["event_type"] != "impression")]
    window = events[(events["ts"] >= start) & (events["ts"] < end) & events["event_type"].isin(READ_EVENTS)
                    & (events["content_id"] != "")]
    window = window[is_post(window["content_id"], item_types)]
    if window.empty:  # nobody read a post in this window: no cases (grouping an empty frame has no columns)
        return []
    visitors = sorted(window["visitor_id"].unique())
    if max_cases and len(visitors) > max_cases:
        rng = np.random.default_rng(seed)
        visitors = sorted(rng.choice(visitors, size=max_cases, replace=False).tolist())
    # Narrow to the chosen visitors first: grouping a million rows for everyone is the slow part.
    chosen = set(visitors)
    window = window[window["visitor_id"].isin(chosen)]
    past = past[past["visitor_id"].isin(chosen)]
    future = window.groupby("visitor_id")["content_id"].agg(set)
    first = window.groupby("visitor_id").head(1).set_index("visitor_id")
    seen = past.groupby("visitor_id")["content_id"].agg(lambda s: frozenset(c for c in s if c))
    by_visitor = histories(past.groupby("visitor_id").tail(history))
    cases = []
    for vid in visitors:
        s = seen.get(vid, frozenset())
        truth = future[vid] - s
        if not truth:
            continue
        past_events = by_visitor.get(vid, [])
        f = first.loc[vid]
        cases.append(RankingCase(vid, past_events, s, truth, f["device"], f["country"], bool(past_events),
                                 datetime.fromtimestamp(start, tz=timezone.utc)))
    return cases


def recommend_all(recommender, cases: list[RankingCase], k: int) -> list[list[str]]:
    """What a recommender shows each case (seen items excluded, as the decision core does)."""
    out = []
    for case in cases:
        query = RecommendQuery(history=case.history, k=k, exclude=case.seen,
                               context=PageContext(device=case.device, country=case.country,
                                                   now=case.now))
        out.append([cid for cid, _ in recommender.recommend(query)])
    return out


def evaluate_ranking(recommender, cases: list[RankingCase], k: int, catalog_size: int) -> dict:
    """Overall metrics plus slices by device, country and new vs returning visitors."""
    recs = recommend_all(recommender, cases, k)
    truths = [c.truth for c in cases]
    result = {"overall": ranking_metrics(recs, truths, k, catalog_size), "slices": {}}
    for name, key in (("device", lambda c: c.device), ("country", lambda c: c.country),
                      ("visitor", lambda c: "returning" if c.returning else "new")):
        groups: dict = {}
        for i, case in enumerate(cases):
            groups.setdefault(key(case) or "unknown", []).append(i)
        result["slices"][name] = {g: ranking_metrics([recs[i] for i in ix], [truths[i] for i in ix], k,
                                                     catalog_size)
                                  for g, ix in sorted(groups.items()) if len(ix) >= 20}
    return result
