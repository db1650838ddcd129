"""The popularity baseline: items ranked by recency-decayed, event-weighted interactions.

A real fitted recommender (scikit-learn conventions: fit returns self, learned attributes end in _),
used by serving for cold start and by training as the baseline every model must beat.
"""
from __future__ import annotations

import heapq

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from ..config import DEFAULT_EVENT_WEIGHTS
from ..domain import ContentItem
from ..modelset.protocols import RecommendQuery


def _column(df: pd.DataFrame, *names: str) -> str:
    for name in names:
        if name in df.columns:
            return name
    raise ValueError(f"expected one of the columns {list(names)}, got {list(df.columns)}")


class PopularityRecommender(BaseEstimator):
    """Recommends the most interacted-with content, each event weighted by type and decayed by age."""

    def __init__(self, weights: dict | None = None, half_life_days: float | None = 14.0):
        self.weights = weights
        self.half_life_days = half_life_days

    def fit(self, events_df: pd.DataFrame, content_df: pd.DataFrame | None = None):
        """Learn scores_ (content id -> score) and ranking_ (ids best first) from an events table."""
        weights = {**DEFAULT_EVENT_WEIGHTS, **(self.weights or {})}
        scores: dict[str, float] = {}
        if len(events_df):
            type_col = _column(events_df, "event_type", "type")
            ids = events_df[_column(events_df, "content_id")]
            w = events_df[type_col].map(weights).fillna(0.0).to_numpy(dtype=float)
            if self.half_life_days and "timestamp" in events_df.columns:
                ts = pd.to_datetime(events_df["timestamp"], utc=True)
                age_days = ((ts.max() - ts).dt.total_seconds() / 86400.0).to_numpy(dtype=float)
                w = w * np.power(0.5, age_days / float(self.half_life_days))
            frame = pd.DataFrame({"id": ids.astype(str), "w": w})[ids.notna().to_numpy()]
            scores = frame.groupby("id")["w"].sum().to_dict()
        known = set(scores)
        if content_df is not None and len(content_df):
            for cid in content_df[_column(content_df, "content_id", "id")].astype(str):
                scores.setdefault(cid, 0.0)
        self.scores_ = {k: float(v) for k, v in scores.items()}
        self.n_interacted_ = len(known)
        self._rank()
        return self

    def _rank(self) -> None:
        # Ties broken by id so the ranking is deterministic across runs.
        self.ranking_ = sorted(self.scores_, key=lambda cid: (-self.scores_[cid], cid))
        self.position_ = {cid: i for i, cid in enumerate(self.ranking_)}

    def recommend(self, query: RecommendQuery) -> list[tuple[str, float]]:
        """The k most popular ids allowed by the query's candidates and exclude sets."""
        exclude, candidates, k = query.exclude, query.candidates, query.k
        if k <= 0:
            return []
        if candidates is not None and len(candidates) ** 2 < k * len(self.ranking_):
            # Walking the ranking costs about k * len(ranking) / len(candidates) steps; for a short
            # candidate list (banner variants) picking the best few of the list directly is cheaper.
            position, last = self.position_, len(self.ranking_)
            pool = (c for c in candidates if c not in exclude)
            best = heapq.nsmallest(k, pool, key=lambda cid: (position.get(cid, last), cid))
            return [(cid, self.scores_.get(cid, 0.0)) for cid in best]
        out = []
        for cid in self.ranking_:
            if cid in exclude or (candidates is not None and cid not in candidates):
                continue
            out.append((cid, self.scores_[cid]))
            if len(out) >= k:
                break
        return out

    def observe_catalog(self, items: list[ContentItem]) -> None:
        """New items join the ranking with score 0, so they are servable before the next training."""
        new = [item.id for item in items if item.id not in self.scores_]
        if new:
            scores = dict(self.scores_)
            scores.update((cid, 0.0) for cid in new)
            ranking = self.ranking_ + sorted(new)
            position = {cid: i for i, cid in enumerate(ranking)}
            # New dicts swapped in by reference: a reader mid-recommend keeps a consistent old view
            # except between assignments, where an id may briefly lack a position (it then ranks last).
            self.scores_, self.position_, self.ranking_ = scores, position, ranking
