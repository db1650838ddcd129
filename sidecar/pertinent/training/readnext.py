"""Read-next evaluation: given the post being read, is the post the visitor opens next in the top k?"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..domain import PageContext
from ..modelset.protocols import RecommendQuery
from .ranking import is_post


def next_view_pairs(events: pd.DataFrame, start: float, end: float, item_types: dict, *,
                    max_pairs: int = 2000, seed: int = 7) -> list[tuple[str, str, str]]:
    """(visitor, current post, next post) for consecutive views in a session within [start, end)."""
    views = events[(events["ts"] >= start) & (events["ts"] < end) & (events["event_type"] == "view")]
    views = views[is_post(views["content_id"], item_types)]
    views = views.sort_values(["session_id", "ts"], kind="stable")
    sid = views["session_id"].to_numpy()
    cid = views["content_id"].to_numpy()
    vid = views["visitor_id"].to_numpy()
    same = (sid[1:] == sid[:-1]) & (cid[1:] != cid[:-1])
    pairs = list(zip(vid[:-1][same], cid[:-1][same], cid[1:][same], strict=True))
    if len(pairs) > max_pairs:
        keep = np.random.default_rng(seed).choice(len(pairs), size=max_pairs, replace=False)
        pairs = [pairs[i] for i in sorted(keep)]
    return pairs


def evaluate_read_next(recommender, pairs, k: int) -> dict:
    """Hit rate and mean reciprocal rank of the actual next post in a read_next slot of k items."""
    hits, rr = [], []
    for _, current, nxt in pairs:
        query = RecommendQuery(history=[], context=PageContext(content_id=current), k=k,
                               current_content_id=current, exclude=frozenset({current}), kind="read_next")
        ids = [c for c, _ in recommender.recommend(query)]
        rank = ids.index(nxt) + 1 if nxt in ids else 0
        hits.append(float(rank > 0))
        rr.append(1.0 / rank if rank else 0.0)
    n = len(pairs)
    return {f"hit_rate@{k}": float(np.mean(hits)) if n else 0.0, "mrr": float(np.mean(rr)) if n else 0.0,
            "cases": n}
