"""Hyperparameter search for the hybrid recommender: successive halving over random blends and single sources.

Space (documented; seeds fixed):
  l2 (EASE ridge)        50, 100, 200, 400, 800   grid: each value refits the collaborative model
  content                log-uniform 0.02 .. 1.5  weight of TF-IDF similarity to the history
  popularity             log-uniform 0.005 .. 0.5 weight of the recency-decayed popularity prior
  history_decay          1.0 (order ignored) for a third of the blends, else uniform 0.85 .. 1.0
  prior_half_life_days   1, 7, 30, 365 or none    how fast the popularity prior forgets
  newest_transition      uniform 0 .. 1           what follows the newest item read, when there is no page
Transitions from the page being read are not searched (the ranking cases have no page; read-next is
measured on its own, training/readnext.py). The single sources (collaborative, content, popularity,
transitions alone) compete in every rung like any blend, so a blend that loses to one of its parts cannot
be chosen. The search runs on half of each fold's visitors and the final comparison of the searched blend
with each single source on the other half (no winner's curse). Rungs: all candidates on 1/9 of the
validation visitors, the best third on 1/3, the best two on all; mean NDCG@k over the folds decides: two
time-series folds (fit before 55% -> validate 55-70%, fit before 70% -> validate 70-85%): the history
before each cut, the truth after it, as serving sees it.
"""
from __future__ import annotations

import time

import numpy as np

from ..recsys.hybrid import SINGLE_SOURCES
from .ranking import evaluate_ranking

L2_GRID = (50.0, 100.0, 200.0, 400.0, 800.0)
HALF_LIVES = (1.0, 7.0, 30.0, 365.0, None)


def sample_blends(n: int, seed: int) -> list[dict]:
    """The defaults, each single source, then n - 1 random blends."""
    rng = np.random.default_rng(seed)
    blends = [{}]  # the defaults always compete
    blends += [{**b, "history_decay": 1.0} for b in SINGLE_SOURCES.values()]
    blends += [{**b, "history_decay": 0.95} for b in SINGLE_SOURCES.values() if b["popularity"] == 0]
    for _ in range(n - 1):
        decay = 1.0 if rng.random() < 1 / 3 else float(rng.uniform(0.85, 1.0))
        blends.append({"content": float(np.exp(rng.uniform(np.log(0.02), np.log(1.5)))),
                       "newest_transition": float(rng.uniform(0, 1)),
                       "popularity": float(np.exp(rng.uniform(np.log(0.005), np.log(0.5)))),
                       "history_decay": decay,
                       "prior_half_life_days": HALF_LIVES[int(rng.integers(len(HALF_LIVES)))]})
    return blends


def apply(model, blend: dict) -> dict:
    """Set a candidate on a fitted model (the prior half-life refits the prior); returns what to restore."""
    saved = {"blend": model.blend_, "half_life": model.prior_half_life_days}
    half_life = blend.get("prior_half_life_days", saved["half_life"])
    if half_life != model.prior_half_life_days:
        model.refit_prior(half_life)
    model.blend_ = {**saved["blend"], **{k: v for k, v in blend.items() if k != "prior_half_life_days"}}
    return saved


def restore(model, saved: dict) -> None:
    model.blend_ = saved["blend"]
    if model.prior_half_life_days != saved["half_life"]:
        model.refit_prior(saved["half_life"])


def score(model, blend: dict, cases, k: int, catalog_size: int) -> float:
    """NDCG@k of one candidate on one fold's cases."""
    saved = apply(model, blend)
    try:
        return evaluate_ranking(model, cases, k, catalog_size)["overall"][f"ndcg@{k}"]
    finally:
        restore(model, saved)


def fold_score(folds, blend: dict, k: int, catalog_size: int, share: float = 1.0, seed: int = 7) -> float:
    """Mean NDCG@k of one blend over time-series folds [(model fit before a cutoff, cases after it)]."""
    scores = []
    for j, (model, cases) in enumerate(folds):
        order = np.random.default_rng(seed + j).permutation(len(cases))
        subset = [cases[i] for i in order[: max(20, int(len(cases) * share))]]
        scores.append(score(model, blend, subset, k, catalog_size))
    return float(np.mean(scores))


def successive_halving(folds, k: int, catalog_size: int, *, n: int = 18, seed: int = 7,
                       progress=print) -> tuple[dict, list[dict]]:
    """Best candidate over time-series folds; returns (blend, trials)."""
    pool = sample_blends(n, seed)
    trials = []
    for rung, share in enumerate((1 / 9, 1 / 3, 1.0)):
        t0 = time.perf_counter()
        scored = sorted(((fold_score(folds, b, k, catalog_size, share, seed), i)
                         for i, b in enumerate(pool)), key=lambda s: (-s[0], s[1]))
        trials += [{"rung": rung, "share": share, "ndcg": s, "blend": pool[i]} for s, i in scored]
        elapsed = time.perf_counter() - t0
        progress(f"  search rung {rung + 1}: {len(pool)} candidates on {share:.0%} of the visitors of "
                 f"{len(folds)} fold(s), best mean NDCG@{k} {scored[0][0]:.4f} ({elapsed:.1f}s)")
        keep = 2 if rung == 1 else max(1, len(pool) // 3)
        pool = [pool[i] for _, i in scored[:keep]]
    return pool[0], trials


def split_visitors(folds, seed: int) -> tuple[list, list]:
    """Each fold's cases in two seeded halves: (folds to search on, folds to select on)."""
    first, second = [], []
    for j, (model, cases) in enumerate(folds):
        order = np.random.default_rng(seed + 100 + j).permutation(len(cases))
        first.append((model, [cases[i] for i in sorted(order[::2])]))
        second.append((model, [cases[i] for i in sorted(order[1::2])]))
    return first, second


def select(folds, blend: dict, k: int, catalog_size: int, progress=print) -> tuple[str, dict, dict]:
    """The searched blend against each single source on all validation visitors; the best one wins.

    Returns (winner's name, its blend, {name: mean NDCG@k}); the comparison is logged line by line.
    """
    # Each single source keeps the blend's history decay and prior half-life: what is compared is the mix.
    shared = {key: blend[key] for key in ("history_decay", "prior_half_life_days") if key in blend}
    candidates = {"searched blend": blend, **{name: {**b, **shared} for name, b in SINGLE_SOURCES.items()}}
    scores = {name: fold_score(folds, b, k, catalog_size) for name, b in candidates.items()}
    winner = max(scores, key=lambda name: (scores[name], name == "searched blend"))
    for name, value in scores.items():
        progress(f"  selection: {name:<20} mean validation NDCG@{k} {value:.4f}"
                 + ("  <- chosen" if name == winner else ""))
    shown = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                      for k, v in sorted(candidates[winner].items()))
    progress(f"  selection: serving {winner} ({shown})")
    return winner, candidates[winner], scores
