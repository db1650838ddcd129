"""Collaborative model on weighted implicit feedback: EASE on the head of the catalog, item-kNN for the tail.

EASE (Steck 2019) is a closed-form linear item-to-item model: B = I - P / diag(P), P = (X'X + l2 I)^-1.
It is among the strongest known rankers on implicit data but costs O(items^3), so it runs on the most
interacted-with items (a few thousand) and cosine item-kNN covers the rest. Both end as top-N lists.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .neighbors import top_n, top_n_similar


def interaction_matrix(visitors: np.ndarray, items: np.ndarray, weights: np.ndarray, n_items: int):
    """Visitor x item matrix of log(1 + summed event weights): diminishing returns on repeat views."""
    codes, inverse = np.unique(visitors, return_inverse=True)
    x = sp.csr_matrix((weights.astype(np.float32), (inverse, items)), shape=(len(codes), n_items))
    x.sum_duplicates()
    x.data = np.log1p(x.data)
    x.eliminate_zeros()
    return x


def ease_weights(gram: np.ndarray, l2: float) -> np.ndarray:
    """EASE's item-to-item weights from the Gram matrix X'X; a zero diagonal (no item predicts itself)."""
    g = gram.astype(np.float64)  # a copy: the caller's Gram is reused for other ridges
    g[np.diag_indices_from(g)] += l2
    p = np.linalg.inv(g)
    b = -p / np.diag(p)[None, :]
    np.fill_diagonal(b, 0.0)
    return b


class CollaborativeModel:
    """Item-to-item weights learnt from co-interaction; serves as neighbour lists."""

    def __init__(self, l2: float = 200.0, n_neighbors: int = 100, max_ease_items: int = 2000,
                 signed: bool = True):
        self.l2 = l2
        self.signed = signed
        self.n_neighbors = n_neighbors
        self.max_ease_items = max_ease_items

    def fit(self, x: sp.csr_matrix):
        """x: visitor x item interaction matrix (see interaction_matrix)."""
        n_items = x.shape[1]
        counts = np.asarray((x > 0).sum(axis=0)).ravel()
        n = min(self.n_neighbors, max(n_items - 1, 1))
        # Tail: cosine similarity between item columns.
        xt = x.T.tocsr().astype(np.float32)
        norms = np.sqrt(np.asarray(xt.multiply(xt).sum(axis=1)).ravel())
        xn = sp.diags(1.0 / np.maximum(norms, 1e-9)).dot(xt).tocsr()
        self.knn_idx_, self.knn_sims_ = top_n_similar(xn, xn, n)
        head = np.argsort(-counts, kind="stable")[: self.max_ease_items]
        self.head_ = head[counts[head] > 0]
        self.interacted_ = counts > 0
        return self.refit_ease(x, self.l2)

    def refit_ease(self, x: sp.csr_matrix, l2: float):
        """(Re)compute only the EASE part for another ridge: the kNN lists are kept (cheap l2 search)."""
        self.l2 = l2
        self.idx_, self.sims_ = self.knn_idx_.copy(), self.knn_sims_.copy()
        self.n_ease_items_ = len(self.head_)
        if len(self.head_) > 1:
            self._fit_ease(x[:, self.head_], self.head_, self.idx_.shape[1])
        return self

    def drop_training_state(self) -> None:
        """Forget what serving does not need before the model is pickled."""
        self.knn_idx_ = self.knn_sims_ = None

    def _fit_ease(self, xh: sp.csr_matrix, head: np.ndarray, n: int) -> None:
        """Closed-form EASE on the head items; its lists replace the kNN lists for those items."""
        b = ease_weights((xh.T @ xh).toarray(), self.l2).astype(np.float32)
        if self.signed:
            # Keep the strongest weights of either sign: EASE's negative weights say "people who liked
            # this did not like that", which a positive-only cut-off throws away.
            idx, _ = top_n(np.abs(b), min(n, len(head) - 1))
            vals = np.take_along_axis(b, idx.astype(np.int64), axis=1)
        else:
            np.fill_diagonal(b, -np.inf)
            idx, vals = top_n(b, min(n, len(head) - 1))
            vals = np.maximum(vals, 0.0)
        # Put EASE weights on the kNN scale so mixed histories are not dominated by one of the two.
        knn_top = self.sims_[head, 0].mean() if self.sims_.shape[1] else 1.0
        ease_top = vals.max(axis=1).mean() if vals.shape[1] else 1.0
        vals = vals * (knn_top / max(ease_top, 1e-9))
        width = self.idx_.shape[1]
        self.idx_[head] = 0
        self.sims_[head] = 0.0
        self.idx_[head, : idx.shape[1]] = head[idx]
        self.sims_[head, : idx.shape[1]] = vals[:, :width]

    def grow(self, n_items: int) -> None:
        """New catalog items have no interactions yet: empty rows keep the arrays aligned with the index."""
        extra = n_items - self.idx_.shape[0]
        if extra > 0:
            self.idx_ = np.vstack([self.idx_, np.zeros((extra, self.idx_.shape[1]), dtype=np.int32)])
            self.sims_ = np.vstack([self.sims_, np.zeros((extra, self.sims_.shape[1]), dtype=np.float32)])
            self.interacted_ = np.concatenate([self.interacted_, np.zeros(extra, dtype=bool)])

