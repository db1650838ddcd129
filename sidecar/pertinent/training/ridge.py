"""The EASE ridge learnt from the training matrix itself, for sites whose time windows cannot choose it."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..recsys.collaborative import ease_weights
from .metrics import ranking_metrics


def holdout_ridge(x: sp.csr_matrix, head: np.ndarray, grid, k: int = 10, seed: int = 7,
                  max_visitors: int = 3000) -> tuple[float, dict]:
    """The EASE ridge that best predicts a random fifth of each visitor's own items from the rest.

    For data whose time windows hold too few returning visitors to compare blends (a site whose visitors
    come in bursts), the ridge can still be learnt from the training matrix itself: the ridge only scales
    how strongly co-occurrence is trusted, which a within-visitor holdout measures without a time cut.
    """
    xh = x[:, head].tocsr()
    rng = np.random.default_rng(seed)
    rows = rng.permutation(np.flatnonzero(np.diff(xh.indptr) >= 5))[:max_visitors]
    coo = xh[rows].tocoo()
    hidden = rng.random(len(coo.data)) < 0.2
    keep = sp.csr_matrix((coo.data[~hidden], (coo.row[~hidden], coo.col[~hidden])),
                         shape=(len(rows), len(head)))
    truths = [set() for _ in rows]
    for row, col in zip(coo.row[hidden], coo.col[hidden], strict=True):
        truths[row].add(int(col))
    cases = [i for i, held in enumerate(truths) if held]
    fit_on = sp.vstack([xh[np.setdiff1d(np.arange(xh.shape[0]), rows)], keep]).tocsr()
    gram = (fit_on.T @ fit_on).toarray()
    scores = {}
    for l2 in grid:
        s = np.asarray(keep @ ease_weights(gram, l2))
        s[keep.nonzero()] = -np.inf
        top = np.argsort(-s, axis=1)[:, :k]  # fewer than k columns on a tiny catalog
        ranked = ranking_metrics([top[i].tolist() for i in cases], [truths[i] for i in cases], k, len(head))
        scores[float(l2)] = ranked[f"ndcg@{k}"]
    # Neighbouring ridges often tie within noise: take the strongest one within 1% of the best, since a
    # stronger ridge trusts co-occurrence less and so carries better into the future than a weaker one.
    best = max(scores.values())
    return max(v for v, score in scores.items() if score >= 0.99 * best), scores
