"""Small, importable recommenders for tests: pickled into model sets, so they must live in a module."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from pertinent.modelset.protocols import RecommendQuery
from pertinent.modelset.unpickler import trust_class
from sklearn.feature_extraction.text import TfidfVectorizer


@trust_class  # the restricted unpickler names only allowed classes: these test models are too
class ContentSimilarityRecommender:
    """TF-IDF over title, tags and categories; ranks by cosine similarity to the visitor's history."""

    def fit(self, items):
        docs = [" ".join([it.title, *it.tags, *it.categories]) for it in items]
        self.ids_ = [it.id for it in items]
        self.index_ = {cid: i for i, cid in enumerate(self.ids_)}
        self.vectorizer_ = TfidfVectorizer().fit(docs)
        self.matrix_ = self.vectorizer_.transform(docs)
        self.calls_ = 0
        return self

    def recommend(self, query: RecommendQuery) -> list[tuple[str, float]]:
        seeds = [e.content_id for e in query.history if e.content_id in self.index_]
        if query.current_content_id in self.index_:
            seeds.append(query.current_content_id)
        if not seeds:
            return []
        profile = np.asarray(self.matrix_[[self.index_[s] for s in seeds]].mean(axis=0)).ravel()
        scores = self.matrix_ @ profile
        order = np.argsort(-scores, kind="stable")
        out = []
        for i in order:
            cid = self.ids_[i]
            if cid in query.exclude or (query.candidates is not None and cid not in query.candidates):
                continue
            out.append((cid, float(scores[i])))
            if len(out) >= query.k:
                break
        return out

    def observe_catalog(self, items) -> None:
        self.observed_ = [it.id for it in items]


@trust_class
class FixedRecommender:
    """Returns a fixed ranking, ignoring candidates and exclude: the core must filter what it gets."""

    def __init__(self, ranking):
        self.ranking = list(ranking)

    def recommend(self, query):
        return [(cid, 1.0 / (i + 1)) for i, cid in enumerate(self.ranking)]

    def observe_catalog(self, items) -> None:
        pass


@trust_class
class FailingRecommender:
    """Raises on every call: the slot must fall back, the decide must not fail."""

    def recommend(self, query):
        raise RuntimeError("model exploded")

    def observe_catalog(self, items) -> None:
        pass


@trust_class
class FixedVariantScorer:
    """Scores variants from a fixed table."""

    def __init__(self, scores):
        self.scores = dict(scores)

    def score_variants(self, query, variant_ids):
        return {v: self.scores.get(v, 0.0) for v in variant_ids}


@trust_class
class ObservingVariantScorer(FixedVariantScorer):
    """A variant scorer that records which catalog items it was told about."""

    def __init__(self, scores):
        super().__init__(scores)
        self.observed_ = []

    def observe_catalog(self, items):
        self.observed_ = [item.id for item in items]


def _touch(path: str) -> None:
    Path(path).write_text("unpickled!")


class MarkerOnUnpickle:
    """Unpickling this creates a file: proves whether a loader ever unpickled a tampered artifact."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (_touch, (self.path,))
