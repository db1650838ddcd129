"""Hyperparameter search for the hybrid recommender: successive halving over random blends.

Space (documented; seeds fixed):
  l2 (EASE ridge)        50, 200, 800          grid: each value refits the collaborative model
  content                log-uniform 0.02 .. 1.5  weight of TF-IDF similarity to the history
  transition             uniform 0 .. 1           weight of session next-item transitions
  popularity             log-uniform 0.005 .. 0.5 weight of the recency-decayed popularity prior
  history_decay          uniform 0.85 .. 1.0      per-position decay of older history items
Rungs: 18 blends on 1/9 of the validation visitors, the best third on 1/3, the best two on all;
mean NDCG@k over two time-series folds decides (fit before 55% -> validate 55-70%, fit before 70% ->
validate 70-85%).
"""
from __future__ import annotations

import time

import numpy as np

from .ranking import evaluate_ranking

L2_GRID = (50.0, 200.0, 800.0)


def sample_blends(n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    blends = [{}]  # the defaults always compete
    for _ in range(n - 1):
        blends.append({"content": float(np.exp(rng.uniform(np.log(0.02), np.log(1.5)))),
                       "transition": float(rng.uniform(0, 1)),
                       "popularity": float(np.exp(rng.uniform(np.log(0.005), np.log(0.5)))),
                       "history_decay": float(rng.uniform(0.85, 1.0))})
    return blends


def _score(model, blend: dict, cases, k: int, catalog_size: int) -> float:
    saved = model.blend_
    model.blend_ = {**saved, **blend}
    try:
        return evaluate_ranking(model, cases, k, catalog_size)["overall"][f"ndcg@{k}"]
    finally:
        model.blend_ = saved


def fold_score(folds, blend: dict, k: int, catalog_size: int, share: float = 1.0, seed: int = 7) -> float:
    """Mean NDCG@k of one blend over time-series folds [(model fit before a cutoff, cases after it)]."""
    scores = []
    for j, (model, cases) in enumerate(folds):
        order = np.random.default_rng(seed + j).permutation(len(cases))
        subset = [cases[i] for i in order[: max(20, int(len(cases) * share))]]
        scores.append(_score(model, blend, subset, k, catalog_size))
    return float(np.mean(scores))


def successive_halving(folds, k: int, catalog_size: int, *, n: int = 18, seed: int = 7,
                       progress=print) -> tuple[dict, list[dict]]:
    """Best blend over time-series folds; returns (blend, trials)."""
    pool = sample_blends(n, seed)
    trials = []
    for rung, share in enumerate((1 / 9, 1 / 3, 1.0)):
        t0 = time.perf_counter()
        scored = sorted(((fold_score(folds, b, k, catalog_size, share, seed), i)
                         for i, b in enumerate(pool)), key=lambda s: (-s[0], s[1]))
        trials += [{"rung": rung, "share": share, "ndcg": s, "blend": pool[i]} for s, i in scored]
        elapsed = time.perf_counter() - t0
        progress(f"  search rung {rung + 1}: {len(pool)} blends on {share:.0%} of the visitors of "
                 f"{len(folds)} fold(s), best mean NDCG@{k} {scored[0][0]:.4f} ({elapsed:.1f}s)")
        keep = 2 if rung == 1 else max(1, len(pool) // 3)
        pool = [pool[i] for _, i in scored[:keep]]
    return pool[0], trials
