"""On demo data with known interests, every model beats its baseline by a wide margin on the test window."""
from __future__ import annotations

import json

from pertinent.modelset.loader import load_model_set
from pertinent.modelset.writer import live_version


def test_hybrid_ranking_beats_popularity_by_a_wide_margin(trained):
    result, _ = trained
    ours = result.metrics["ranking"]["overall"]
    popular = result.baseline_metrics["ranking_popularity"]["overall"]
    assert ours["cases"] >= 100
    assert ours["ndcg@10"] >= 1.3 * popular["ndcg@10"]
    assert ours["recall@10"] >= 1.3 * popular["recall@10"]
    assert ours["map@10"] > popular["map@10"] and ours["coverage"] > popular["coverage"]


def test_click_classifier_beats_constant_and_matches_logistic_regression(trained):
    result, _ = trained
    click = result.metrics["click"]
    assert click["positives"] >= 100
    assert click["auc"] >= 0.5 + 0.15
    assert click["auc"] >= result.baseline_metrics["click_logistic"]["auc"] - 0.02
    assert click["brier"] < result.baseline_metrics["click_constant"]["brier"]
    assert click["lift_top_decile"] > 1.5


def test_churn_classifier_beats_constant(trained):
    result, _ = trained
    churn = result.metrics["churn"]
    assert churn["auc"] >= 0.65
    assert churn["brier"] < 0.9 * result.baseline_metrics["churn_constant"]["brier"]
    assert churn["auc"] >= result.baseline_metrics["churn_logistic"]["auc"] - 0.02


def test_metrics_are_sliced_by_device_country_and_visitor_type(trained):
    result, _ = trained
    assert {"device", "country", "visitor"} <= set(result.metrics["ranking"]["slices"])
    assert {"mobile", "desktop"} <= set(result.metrics["click"]["slices"]["device"])
    assert {"new", "returning"} <= set(result.metrics["click"]["slices"]["visitor"])


def test_first_set_is_written_promoted_and_loadable(trained):
    result, models = trained
    assert result.promoted and result.gate["passed"], result.gate
    assert live_version(models) == result.version
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["rows"]["events"] > 10_000
    assert manifest["hyperparameters"]["recommender"]["l2"] in (50.0, 200.0, 800.0)
    assert manifest["baseline_metrics"]["ranking_popularity"]["overall"]["ndcg@10"] > 0
    weights = manifest["feature_schema"]["event_weights"]
    assert weights["conversion"] > weights["click"] > weights["view"]
    loaded = load_model_set(result.path)
    assert loaded.recommender is not None and loaded.variant_scorer is not None and loaded.risk is not None


def test_report_shows_the_comparison_with_plots(trained):
    result, _ = trained
    report = (result.path / "report.html").read_text()
    assert "popularity baseline" in report and "logistic baseline" in report and "Slices" in report
    assert (result.path / "click_curves.png").stat().st_size > 5_000
    assert "click_curves.png" in report


def test_progress_lines_name_each_step_with_its_time(trained):
    result, _ = trained
    text = "\n".join(result.progress_lines)
    for step in ("loaded", "recommender fit", "blend search", "features", "click classifier", "gate:"):
        assert step in text
    assert all(v >= 0 for v in result.timings.values())


def test_read_next_finds_the_post_opened_next_far_more_often_than_popularity(trained):
    result, _ = trained
    ours = result.metrics["read_next"]
    popular = result.baseline_metrics["read_next_popularity"]
    assert ours["cases"] >= 200
    assert ours["hit_rate@10"] >= 2 * popular["hit_rate@10"]
    assert ours["mrr"] >= 2 * popular["mrr"]
