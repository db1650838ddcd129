"""Model selection: the searched blend competes with each single source; the weaker is never served."""
from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from pertinent.domain import ContentItem
from pertinent.recsys.hybrid import HybridRecommender, history_profile
from pertinent.training import gate
from pertinent.training.ranking import ranking_cases
from pertinent.training.ridge import holdout_ridge
from pertinent.training.search import select
from pertinent.training.steps import MIN_RETURNING, fit_recommender

DAY = 86400.0
CLUSTERS = ("astronomy", "baking", "cycling")


def _planted(seed: int = 3, gap: float = 1.5 * DAY):
    """Visitors read within one hidden cluster; each item's text names a random topic (content misleads)."""
    rng = np.random.default_rng(seed)
    items, cluster_of = [], {}
    for i in range(60):
        cluster, decoy = i % 3, CLUSTERS[int(rng.integers(3))]
        cid = f"p{i}"
        cluster_of[cid] = cluster
        items.append(ContentItem(id=cid, title=f"{decoy} notes {i}", text=f"{decoy} {decoy} guide",
                                 tags=[decoy]))
    rows = []
    for v in range(400):
        cluster = v % 3
        pool = [c for c in cluster_of if cluster_of[c] == cluster]
        start = rng.uniform(0, 20) * DAY
        for j, cid in enumerate(rng.choice(pool, size=10, replace=False)):
            rows.append((f"v{v}", start + j * gap, "view", cid))
    events = pd.DataFrame(rows, columns=["visitor_id", "ts", "event_type", "content_id"])
    events = events.sort_values("ts", kind="stable").reset_index(drop=True)
    for col in ("session_id", "device", "referrer", "country"):
        events[col] = ""
    events["session_id"] = events["visitor_id"]
    events["value"] = np.nan
    events["timestamp"] = pd.to_datetime(events["ts"], unit="s", utc=True)
    return items, events


@pytest.fixture(scope="module")
def planted_fold():
    items, events = _planted()
    cut = float(np.quantile(events["ts"], 0.7))
    model = HybridRecommender(event_weights={"view": 1.0}, l2=50.0).fit(items, events[events["ts"] < cut])
    cases = ranking_cases(events, cut, float(events["ts"].max()) + 1, {i.id: i.type for i in items},
                          history=500)
    assert len([c for c in cases if c.history]) >= 30  # returning visitors, whose truth the history predicts
    return [(model, cases)], len(items)


def test_selection_serves_the_single_source_when_the_blend_is_worse(planted_fold):
    folds, n_items = planted_fold
    misleading = {"collaborative": 0.3, "content": 1.5, "popularity": 0.5, "newest_transition": 0.0,
                  "history_decay": 1.0}
    winner, chosen, scores = select(folds, misleading, 10, n_items, progress=lambda _: None)
    assert scores["collaborative alone"] > scores["searched blend"]
    assert winner == "collaborative alone" and chosen["content"] == 0.0 and chosen["popularity"] == 0.0


def test_selection_keeps_the_blend_when_it_beats_every_part(planted_fold):
    folds, n_items = planted_fold
    lines: list[str] = []
    # Collaborative plus a popularity prior for the cold-start share: at least as good as each part here.
    blend = {"collaborative": 1.0, "content": 0.0, "popularity": 0.01, "newest_transition": 0.0,
             "history_decay": 1.0}
    winner, _, scores = select(folds, blend, 10, n_items, progress=lines.append)
    assert scores["searched blend"] >= max(v for k, v in scores.items() if k != "searched blend")
    assert winner == "searched blend"
    # The log shows the comparison, one line per candidate.
    assert sum("selection:" in line for line in lines) == len(scores) + 1


def test_gate_keeps_back_a_blend_that_loses_to_one_of_its_parts():
    metrics = {"ranking": {"overall": {"ndcg@10": 0.30}}}
    parts = {"ranking_popularity": {"overall": {"ndcg@10": 0.10}},
             "ranking_collaborative_alone": {"overall": {"ndcg@10": 0.32}},
             "ranking_content_alone": {"overall": {"ndcg@10": 0.12}}}
    verdict = gate.decide(metrics, parts, None)
    assert not verdict["passed"] and "collaborative alone 0.3200" in verdict["reason"]
    parts["ranking_collaborative_alone"]["overall"]["ndcg@10"] = 0.29
    assert gate.decide(metrics, parts, None)["passed"]


def test_history_profile_sums_repeat_visits_and_decays_by_items_read_since():
    # Oldest first: item 1, item 2, item 1 again (the newest).
    rows, weights = history_profile([(1, 1.0), (2, 1.0), (1, 1.0)], decay=0.5)
    assert rows.tolist() == [1, 2]
    assert weights.tolist() == pytest.approx([np.log1p(2.0), 0.5 * np.log1p(1.0)])
    # decay 1.0: order no longer matters, only how often each item was read.
    rows, weights = history_profile([(1, 1.0), (1, 1.0), (2, 1.0)], decay=1.0)
    assert dict(zip(rows.tolist(), weights.tolist(), strict=True)) == \
        pytest.approx({1: np.log1p(2.0), 2: np.log1p(1.0)})


def test_training_log_and_metrics_compare_the_served_ranking_with_each_single_source(trained):
    result, _ = trained
    lines = result.progress_lines
    for source in ("collaborative alone", "content alone", "popularity alone", "transitions alone"):
        assert any(f"selection: {source}" in line for line in lines)
        assert any(f"test window: {source}" in line for line in lines)
        assert f"ranking_{source.replace(' ', '_')}" in result.baseline_metrics
    assert any("selection: serving" in line for line in lines)
    checks = [c["check"] for c in result.gate["checks"]]
    assert any("vs collaborative alone" in c for c in checks)


def test_too_few_returning_visitors_serve_collaborative_alone_without_a_search():
    # Each visitor reads everything within a few minutes: a calendar cut finds almost no returning visitor.
    items, events = _planted(gap=60.0)
    types = {i.id: i.type for i in items}
    t_fold, t_valid, t_test = (float(v) for v in np.quantile(events["ts"], [0.55, 0.70, 0.85]))
    valid = ranking_cases(events, t_valid, t_test, types, history=500)
    lines: list[str] = []
    model, params = fit_recommender(items, events, (t_fold, t_valid, t_test), valid, 10, {"view": 1.0}, 7,
                                    lines.append, lambda _: contextlib.nullcontext(), history=500)
    assert params["returning_visitors"] < MIN_RETURNING and params["search_trials"] == 0
    assert params["source"] == "collaborative alone"
    assert model.blend_["content"] == 0.0 and model.blend_["history_decay"] == 1.0
    assert any("no blend search; serving collaborative alone" in line for line in lines)
    assert any("EASE l2=" in line and "within-visitor holdout" in line for line in lines)
    assert any("cold start: popularity prior half-life" in line for line in lines)


def test_the_holdout_ridge_works_on_a_catalog_smaller_than_k():
    # Eight items and k=10: each visitor's ranking is shorter than k (a property test found the crash).
    rng = np.random.default_rng(0)
    x = sp.csr_matrix((rng.random((40, 8)) < 0.8).astype(np.float32))
    l2, scores = holdout_ridge(x, np.arange(8), (50.0, 200.0), k=10)
    assert l2 in (50.0, 200.0) and set(scores) == {50.0, 200.0}
    assert all(0.0 <= s <= 1.0 for s in scores.values())
