"""The models a user would pick instead of Pertinent, each fitted with sensible (documented) settings.

Every peer returns a dense users x items score matrix over the split's item universe; bench/quality.py
masks each user's training items and takes the top k. A library that is not installed raises ImportError,
which the bench prints instead of a number.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

SEED = 7


def user_item_matrix(split) -> tuple[sp.csr_matrix, np.ndarray]:
    """Binary users x items matrix of the training positives, and the user ids in row order."""
    users = np.sort(split.train["userId"].unique())
    u = np.searchsorted(users, split.train["userId"].to_numpy())
    i = np.searchsorted(split.items, split.train["movieId"].to_numpy())
    x = sp.csr_matrix((np.ones(len(u), dtype=np.float32), (u, i)), shape=(len(users), len(split.items)))
    x.data[:] = 1.0
    return x, users


def popularity(x: sp.csr_matrix, split) -> np.ndarray:
    counts = np.asarray(x.sum(axis=0)).ravel()
    return np.tile(counts, (x.shape[0], 1))


def ease(x: sp.csr_matrix, split, l2: float = 300.0) -> np.ndarray:
    """EASE (Steck 2019) in a few lines of numpy, independent of Pertinent's code: the reference."""
    g = (x.T @ x).toarray().astype(np.float64)
    g[np.diag_indices_from(g)] += l2
    p = np.linalg.inv(g)
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0.0)
    return np.asarray(x @ b)


def implicit_als(x: sp.csr_matrix, split) -> np.ndarray:
    """implicit ALS on BM25-weighted confidences (the library's own MovieLens recipe), 64 factors."""
    from implicit.als import AlternatingLeastSquares
    from implicit.nearest_neighbours import bm25_weight

    model = AlternatingLeastSquares(factors=64, regularization=0.05, alpha=1.0, iterations=20,
                                    random_state=SEED)
    model.fit(bm25_weight(x, K1=100, B=0.8).tocsr().astype(np.float32), show_progress=False)
    return _factors(model.user_factors) @ _factors(model.item_factors).T


def implicit_bpr(x: sp.csr_matrix, split) -> np.ndarray:
    """implicit BPR, 64 factors, 200 epochs (its defaults are 100 factors, 100 epochs, lr 0.01)."""
    from implicit.bpr import BayesianPersonalizedRanking

    model = BayesianPersonalizedRanking(factors=64, learning_rate=0.01, regularization=0.01, iterations=200,
                                        random_state=SEED)
    model.fit(x, show_progress=False)
    return _factors(model.user_factors) @ _factors(model.item_factors).T


def cornac_bpr(x: sp.csr_matrix, split) -> np.ndarray:
    """cornac BPR, 64 factors, 200 epochs, lr 0.01, lambda 0.01."""
    import cornac
    from cornac.data import Dataset

    coo = x.tocoo()
    triples = list(zip(coo.row.tolist(), coo.col.tolist(), [1.0] * coo.nnz, strict=True))
    data = Dataset.from_uir(triples, seed=SEED)
    model = cornac.models.BPR(k=64, max_iter=200, learning_rate=0.01, lambda_reg=0.01, seed=SEED,
                              verbose=False)
    model.fit(data)
    # cornac renumbers users and items in order of appearance: map its rows back to ours.
    users = np.array([data.uid_map[u] for u in range(x.shape[0])])
    items = np.array([data.iid_map.get(i, -1) for i in range(x.shape[1])])
    u_f, i_f, i_b = model.u_factors[users], model.i_factors, model.i_biases
    scores = u_f @ i_f.T + i_b
    out = np.full(x.shape, -np.inf, dtype=np.float64)
    known = items >= 0
    out[:, known] = scores[:, items[known]]
    return out


def lightfm_warp(x: sp.csr_matrix, split) -> np.ndarray:
    """LightFM WARP with genre features next to each item's own id, 64 components, 30 epochs."""
    from lightfm import LightFM

    genres = split.movies.set_index("movieId").reindex(split.items)["genres"].fillna("").tolist()
    names = sorted({g for gs in genres for g in gs.split("|") if g})
    col = {g: j for j, g in enumerate(names)}
    rows, cols = [], []
    for r, gs in enumerate(genres):
        for g in gs.split("|"):
            if g in col:
                rows.append(r)
                cols.append(len(genres) + col[g])
    n = len(genres)
    feats = sp.csr_matrix((np.ones(n + len(rows), dtype=np.float32),
                           (list(range(n)) + rows, list(range(n)) + cols)), shape=(n, n + len(names)))
    model = LightFM(no_components=64, loss="warp", learning_rate=0.05, random_state=SEED)
    model.fit(x.tocoo(), item_features=feats, epochs=30, num_threads=1)
    users = np.repeat(np.arange(x.shape[0]), n)
    items = np.tile(np.arange(n), x.shape[0])
    return model.predict(users, items, item_features=feats, num_threads=1).reshape(x.shape[0], n)


def _factors(f) -> np.ndarray:
    return f.to_numpy() if hasattr(f, "to_numpy") else np.asarray(f)


PEERS = {"popularity": popularity, "EASE reference (l2=300)": ease, "implicit ALS": implicit_als,
         "implicit BPR": implicit_bpr, "cornac BPR": cornac_bpr, "LightFM WARP + genres": lightfm_warp}
LIBRARIES = ("implicit ALS", "implicit BPR", "cornac BPR", "LightFM WARP + genres")
