"""Hyperparameter search for the hybrid recommender: successive halving over random blends.

Space (documented; seeds fixed):
  l2 (EASE ridge)        50, 200, 800          grid: each value refits the collaborative model
  content                log-uniform 0.02 .. 1.5  weight of TF-IDF similarity to the history
  transition             uniform 0 .. 1           weight of session next-item transitions
  popularity             log-uniform 0.005 .. 0.5 weight of the recency-decayed popularity prior
  history_decay          uniform 0.85 .. 1.0      per-position decay of older history items
Rungs: 18 blends on 1/9 of the validation visitors, the best third on 1/3, the best two on all;
NDCG@k decides.
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


def successive_halving(model, cases, k: int, catalog_size: int, *, n: int = 18, seed: int = 7,
                       progress=print) -> tuple[dict, list[dict]]:
    """Best blend for a fitted model on validation cases; returns (blend, trials)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(cases))
    pool = sample_blends(n, seed)
    trials = []
    for rung, share in enumerate((1 / 9, 1 / 3, 1.0)):
        subset = [cases[i] for i in order[: max(20, int(len(cases) * share))]]
        t0 = time.perf_counter()
        scored = sorted(((_score(model, b, subset, k, catalog_size), i) for i, b in enumerate(pool)),
                        key=lambda s: (-s[0], s[1]))
        trials += [{"rung": rung, "cases": len(subset), "ndcg": s, "blend": pool[i]} for s, i in scored]
        progress(f"  search rung {rung + 1}: {len(pool)} blends on {len(subset)} visitors, best NDCG@{k} "
                 f"{scored[0][0]:.4f} ({time.perf_counter() - t0:.1f}s)")
        keep = 2 if rung == 1 else max(1, len(pool) // 3)
        pool = [pool[i] for _, i in scored[:keep]]
    return pool[0], trials
