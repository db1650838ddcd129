"""The demo model set committed under models/ loads (once signed with the install's key) and serves."""
from __future__ import annotations

from pertinent.domain import PageContext
from pertinent.modelset.loader import load_model_set
from pertinent.modelset.protocols import RecommendQuery
from pertinent.modelset.writer import live_version


def test_shipped_model_set_loads_and_recommends(repo_root, shipped_set):
    assert live_version(repo_root / "models"), "models/LIVE names the shipped demo set"
    ms = load_model_set(shipped_set)
    assert ms.manifest["gate"]["passed"]
    out = ms.recommender.recommend(RecommendQuery(history=[], context=PageContext(), k=5))
    assert len(out) == 5
    scores = ms.variant_scorer.score_variants(RecommendQuery(history=[], context=PageContext(), k=1),
                                              ["9000", "9001"])
    assert set(scores) == {"9000", "9001"}
