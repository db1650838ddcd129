"""Ranking side by side on the demo site's test window: our hybrid vs implicit ALS / BPR, EASE, popularity.

The same temporal split, test visitors, history and metrics as `pertinent train`. implicit is optional
(`pip install implicit`); without it only our models and the baseline are printed. No public dataset is
installable from PyPI here without a download at run time, so the demo site (known interests) stands in.
"""
from __future__ import annotations

import tempfile
import time

import numpy as np
import scipy.sparse as sp
from pertinent.demo.generator import generate
from pertinent.recsys.collaborative import interaction_matrix
from pertinent.recsys.hybrid import HybridRecommender
from pertinent.training.io import read_content, read_events
from pertinent.training.ranking import evaluate_ranking, ranking_cases
from pertinent.training.steps import popularity_baseline
from threadpoolctl import threadpool_limits

WEIGHTS = {"view": 1.0, "dwell": 1.0, "click": 3.0, "conversion": 8.0}


class ImplicitAdapter:
    """An implicit model behind our Recommender protocol: the visitor's history is folded in per query."""

    def __init__(self, model, row_of: dict, ids: list, posts: np.ndarray, fold_in: bool):
        self.model, self.row_of, self.ids, self.posts, self.fold_in = model, row_of, ids, posts, fold_in

    def recommend(self, query):
        n = len(self.ids)
        rows = [self.row_of[e.content_id] for e in query.history if e.content_id in self.row_of]
        weights = [WEIGHTS.get(e.type, 0.0) for e in query.history if e.content_id in self.row_of]
        factors = self.model.item_factors
        factors = factors.to_numpy() if hasattr(factors, "to_numpy") else factors
        if rows and self.fold_in:
            user = sp.csr_matrix((np.log1p(np.array(weights, dtype=np.float32)), ([0] * len(rows), rows)),
                                 shape=(1, n))
            ids, scores = self.model.recommend(0, user, N=n, recalculate_user=True,
                                               filter_already_liked_items=False)
            full = np.full(n, -np.inf)
            full[ids] = scores
        elif rows:  # BPR cannot recalculate a user: average the history's item factors instead
            full = factors @ factors[rows].mean(axis=0)
        else:
            full = np.zeros(n)
        full = np.where(self.posts, full, -np.inf)
        for cid in query.exclude:
            if cid in self.row_of:
                full[self.row_of[cid]] = -np.inf
        top = np.argsort(-full)[: query.k]
        return [(self.ids[i], float(full[i])) for i in top if np.isfinite(full[i])]


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="pertinent-bench-rec-") as tmp:
        generate(tmp, seed=7)
        items = read_content(f"{tmp}/content.csv")
        events = read_events(f"{tmp}/events.csv")
    types = {i.id: i.type for i in items}
    ts = events["ts"].to_numpy()
    t_valid, t_test = np.quantile(ts, [0.70, 0.85])
    train = events[events["ts"] < t_valid]
    cases = ranking_cases(events, t_test, ts.max() + 1, types, max_cases=3000)
    n_posts = sum(t != "variant" for t in types.values())
    with threadpool_limits(1):
        models = {"popularity": popularity_baseline(train, types, WEIGHTS)}
        t0 = time.perf_counter()
        hybrid = HybridRecommender(event_weights=WEIGHTS, l2=800)
        models["hybrid (defaults, no search)"] = hybrid.fit(items, train)
        alone = {"content": 0.0, "transition": 0.0, "popularity": 0.0}
        ease_only = HybridRecommender(event_weights=WEIGHTS, l2=800, blend=alone).fit(items, train)
        models["EASE/kNN alone"] = ease_only
        print(f"our fits: {time.perf_counter() - t0:.1f}s")
        models.update(_implicit_models(items, train))
        print(f"{'model':<34} {'NDCG@10':>8} {'recall@10':>9} {'MAP@10':>7} {'hit@10':>7} {'coverage':>8}")
        for name, model in models.items():
            m = evaluate_ranking(model, cases, 10, n_posts)["overall"]
            print(f"{name:<34} {m['ndcg@10']:>8.4f} {m['recall@10']:>9.4f} {m['map@10']:>7.4f} "
                  f"{m['hit_rate@10']:>7.4f} {m['coverage']:>8.3f}", flush=True)
    print(f"({len(cases)} test visitors; the shipped set adds the searched blend: see models/*/report.html)")


def _implicit_models(items, train) -> dict:
    try:
        from implicit.als import AlternatingLeastSquares
        from implicit.bpr import BayesianPersonalizedRanking
    except ImportError:
        print("implicit is not installed: skipping ALS/BPR (pip install implicit)")
        return {}
    ids = [i.id for i in items]
    row_of = {cid: r for r, cid in enumerate(ids)}
    posts = np.array([i.type != "variant" for i in items])
    ev = train[train["content_id"].isin(row_of)]
    w = ev["event_type"].map(WEIGHTS).fillna(0.0).to_numpy()
    keep = w > 0
    x = interaction_matrix(ev["visitor_id"].to_numpy()[keep], ev["content_id"].map(row_of).to_numpy()[keep],
                           w[keep], len(ids)).astype(np.float32)
    out = {}
    for factors in (32, 64):
        als = AlternatingLeastSquares(factors=factors, regularization=0.05, iterations=20, random_state=7)
        als.fit(x * 20, show_progress=False)
        out[f"implicit ALS ({factors} factors)"] = ImplicitAdapter(als, row_of, ids, posts, True)
    bpr = BayesianPersonalizedRanking(factors=64, iterations=100, random_state=7)
    bpr.fit(x, show_progress=False)
    out["implicit BPR (64 factors)"] = ImplicitAdapter(bpr, row_of, ids, posts, False)
    return out


if __name__ == "__main__":
    run()
