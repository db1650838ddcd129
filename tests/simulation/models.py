"""Recommenders for the simulation, saved in real model sets: one learns tastes, one is bad on purpose.

They live in an importable module so joblib can unpickle them when the sidecar loads the model set.
"""
from __future__ import annotations

from collections import Counter

from pertinent.modelset.protocols import RecommendQuery
from pertinent.modelset.unpickler import trust_class

from tests.simulation.population import POSTS_PER_TOPIC, TOPICS, topic_of


@trust_class  # the restricted unpickler names only allowed classes: this test model is one
class TopicRecommender:
    """Recommends posts of the topic the visitor read most; a new visitor gets a mix of topics."""

    def __init__(self, invert: bool = False):
        self.invert = invert

    def recommend(self, query: RecommendQuery) -> list[tuple[str, float]]:
        favourites = Counter(topic_of(e.content_id) for e in query.history if e.content_id)
        if favourites:
            best = favourites.most_common(1)[0][0]
            # invert: the least relevant topic on purpose (the bad canary).
            order = [t for t in TOPICS if t not in favourites] if self.invert else [best]
            order += [t for t in TOPICS if t not in order]
        else:
            order = list(TOPICS)
        ranked = [(f"{t}-{i}", 1.0 / (1 + rank)) for i in range(POSTS_PER_TOPIC)
                  for rank, t in enumerate(order)]
        ranked.sort(key=lambda pair: -pair[1])
        out = []
        for cid, score in ranked:
            if cid in query.exclude or (query.candidates is not None and cid not in query.candidates):
                continue
            out.append((cid, score))
            if len(out) >= query.k:
                break
        return out

    def observe_catalog(self, items) -> None:
        """The simulated catalog never changes after training."""
