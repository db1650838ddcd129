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


def _events(rows: pd.DataFrame) -> list[Event]:
    """Newest-first domain events from frame rows."""
    out = []
    for r in rows.iloc[::-1].itertuples(index=False):
        out.append(Event(type=r.event_type, visitor_id=r.visitor_id, timestamp=r.timestamp,
                         content_id=r.content_id or None, session_id=r.session_id or None,
                         value=None if r.value != r.value else r.value, device=r.device or None,
                         referrer=r.referrer or None, country=r.country or None))
    return out


def ranking_cases(events: pd.DataFrame, start: float, end: float, item_types: dict, *, history: int = 50,
                  max_cases: int | None = None, seed: int = 0) -> list[RankingCase]:
    """Visitors who view posts in [start, end): history = last events before start, truth = new views."""
    past = events[(events["ts"] < start) & (events["event_type"] != "impression")]
    window = events[(events["ts"] >= start) & (events["ts"] < end) & (events["event_type"] == "view")]
    window = window[window["content_id"].map(lambda c: item_types.get(c, "post") != "variant")]
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
    tails = past.groupby("visitor_id").tail(history)
    by_visitor = dict(tuple(tails.groupby("visitor_id")))
    cases = []
    for vid in visitors:
        s = seen.get(vid, frozenset())
        truth = future[vid] - s
        if not truth:
            continue
        rows = by_visitor.get(vid)
        f = first.loc[vid]
        history = _events(rows) if rows is not None else []
        cases.append(RankingCase(vid, history, s, truth, f["device"], f["country"], rows is not None,
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
