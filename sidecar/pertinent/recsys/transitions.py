"""Next-item transitions from sessions: what people read after this, for "read next" slots."""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .neighbors import top_n


class TransitionModel:
    """P(next item | current item) from consecutive views in a session, smoothed, top-N per item."""

    def __init__(self, n_neighbors: int = 30, smoothing: float = 2.0):
        self.n_neighbors = n_neighbors
        self.smoothing = smoothing

    def fit(self, views: pd.DataFrame, n_items: int):
        """views: rows (session_id, ts, item) of view events with a known item, any order."""
        v = views.sort_values(["session_id", "ts"], kind="stable")
        item = v["item"].to_numpy()
        same = v["session_id"].to_numpy()[1:] == v["session_id"].to_numpy()[:-1]
        src, dst = item[:-1][same], item[1:][same]
        keep = src != dst
        counts = sp.csr_matrix((np.ones(keep.sum(), dtype=np.float32), (src[keep], dst[keep])),
                               shape=(n_items, n_items))
        counts.sum_duplicates()
        totals = np.asarray(counts.sum(axis=1)).ravel()
        n = min(self.n_neighbors, max(n_items, 1))
        self.idx_ = np.zeros((n_items, n), dtype=np.int32)
        self.sims_ = np.zeros((n_items, n), dtype=np.float32)
        for start in range(0, n_items, 2048):
            block = counts[start:start + 2048].toarray()
            block /= totals[start:start + 2048, None] + self.smoothing
            self.idx_[start:start + 2048], self.sims_[start:start + 2048] = top_n(block, n)
        self.n_transitions_ = int(keep.sum())
        return self

    def grow(self, n_items: int) -> None:
        """New catalog items have no transitions yet: empty rows keep the arrays aligned with the index."""
        extra = n_items - self.idx_.shape[0]
        if extra > 0:
            self.idx_ = np.vstack([self.idx_, np.zeros((extra, self.idx_.shape[1]), dtype=np.int32)])
            self.sims_ = np.vstack([self.sims_, np.zeros((extra, self.sims_.shape[1]), dtype=np.float32)])
