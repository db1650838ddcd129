"""Population stability index: how far one distribution moved from a reference one.

Rule of thumb: below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 a different population.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np


def psi_counts(reference: Counter, live: Counter, smoothing: float = 0.5) -> float:
    """PSI over categories; additive smoothing keeps a category missing on one side finite."""
    categories = set(reference) | set(live)
    if not categories:
        return 0.0
    n_ref, n_live = sum(reference.values()), sum(live.values())
    if n_ref == 0 or n_live == 0:
        return 0.0
    k = len(categories)
    total = 0.0
    for cat in categories:
        expected = (reference.get(cat, 0) + smoothing) / (n_ref + smoothing * k)
        actual = (live.get(cat, 0) + smoothing) / (n_live + smoothing * k)
        total += (actual - expected) * math.log(actual / expected)
    return total


def psi_numeric(reference: Sequence[float], live: Sequence[float], bins: int = 10) -> float:
    """PSI of a numeric feature over the reference's quantile bins (so each bin holds ~1/bins of it)."""
    ref, cur = np.asarray(reference, dtype=float), np.asarray(live, dtype=float)
    if ref.size == 0 or cur.size == 0:
        return 0.0
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    ref_bins = Counter(np.searchsorted(edges, ref, side="right").tolist())
    cur_bins = Counter(np.searchsorted(edges, cur, side="right").tolist())
    return psi_counts(ref_bins, cur_bins)
