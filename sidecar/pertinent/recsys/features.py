"""Click / conversion features for (visitor state, item, context): one builder for training and serving."""
from __future__ import annotations

import math
from datetime import datetime, timezone

import numpy as np

from .neighbors import gather_scores
from .visitor import VISITOR_FEATURES, VisitorState, referrer_class

ITEM_FEATURES = ["item_log_popularity", "item_ctr", "item_log_age_days", "is_variant", "taste_match",
                 "taste_match_best", "collaborative_affinity", "content_affinity"]
CONTEXT_FEATURES = ["device_mobile", "device_tablet", "ref_search", "ref_social", "ref_email", "ref_direct",
                    "hour_sin", "hour_cos", "weekend"]
FEATURE_NAMES = VISITOR_FEATURES + ITEM_FEATURES + CONTEXT_FEATURES


def context_features(ts: float, device: str | None, referrer: str | None) -> list[float]:
    """Device, referrer class and time of day / week of the request."""
    when = datetime.fromtimestamp(ts, tz=timezone.utc)
    hour = when.hour + when.minute / 60.0
    ref = referrer_class(referrer)
    return [float(device == "mobile"), float(device == "tablet"), float(ref == "search"),
            float(ref == "social"), float(ref == "email"), float(ref == "direct"),
            math.sin(2 * math.pi * hour / 24), math.cos(2 * math.pi * hour / 24), float(when.weekday() >= 5)]


class ClickFeatures:
    """Item statistics from the training window plus the recommender's neighbour lists, for feature rows."""

    def __init__(self, recommender, item_pop: np.ndarray, item_ctr: np.ndarray, ctr_prior: float):
        self.recommender = recommender
        self.item_pop = item_pop
        self.item_ctr = item_ctr
        self.ctr_prior = ctr_prior

    def affinity(self, state: VisitorState) -> tuple[np.ndarray, np.ndarray]:
        """Collaborative and content affinity of the visitor's recent items to every item."""
        rec = self.recommender
        rows, weights = rec.history_weights(state)
        n = len(rec.index_)
        return (gather_scores(n, rec.collaborative_.idx_, rec.collaborative_.sims_, rows, weights),
                gather_scores(n, rec.content_.idx_, rec.content_.sims_, rows, weights))

    def rows(self, state: VisitorState, item_rows, ts: float, device, referrer, affinity=None) -> np.ndarray:
        """One feature row per item row (a row of -1 is an unknown item: item features fall to priors)."""
        rec = self.recommender
        visitor = state.visitor_features(ts)
        context = context_features(ts, device, referrer)
        cf, cb = affinity if affinity is not None else self.affinity(state)
        total_cf, total_cb = float(cf.sum()) or 1.0, float(cb.sum()) or 1.0
        out = np.empty((len(item_rows), len(FEATURE_NAMES)), dtype=np.float32)
        for i, row in enumerate(item_rows):
            if 0 <= row < len(rec.index_):
                labels = rec.index_.labels_[row]
                pop = self.item_pop[row] if row < len(self.item_pop) else 0.0
                ctr = self.item_ctr[row] if row < len(self.item_ctr) else self.ctr_prior
                published = rec.index_.published_[row]
                age = max(ts - published, 0.0) / 86400.0 if published else 365.0
                kind = rec.index_.types_[row]
                aff = (cf[row] / total_cf * 100.0, cb[row] / total_cb * 100.0)
            else:
                labels, pop, ctr, age, kind, aff = [], 0.0, self.ctr_prior, 0.0, "", (0.0, 0.0)
            share, best = state.label_match(labels)
            item = [pop, ctr, math.log1p(age), float(kind == "variant"), share, best, *aff]
            out[i] = visitor + item + context
        return out
