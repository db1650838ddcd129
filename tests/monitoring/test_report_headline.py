"""`pertinent report` and the dashboard document lead with the metrics a site owner judges a model set
by, each beside its baseline; counts read as counts; empty sections say so."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from pertinent.modelset.writer import live_version
from pertinent.monitoring.headline import format_value, headline, metric_rows
from pertinent.monitoring.summary import model_summary
from pertinent.report import render_html, render_text

SHIPPED = Path(__file__).resolve().parents[2] / "models"


def shipped_set() -> dict:
    return model_summary(SHIPPED, live_version(SHIPPED), datetime.now(timezone.utc))


def summary(live, history=(), drift=None) -> dict:
    return {"generated_at": "2026-12-02T12:00:00+00:00", "health": {"status": "ok", "reasons": []},
            "models": {"live": live, "canary": None, "history": list(history)}, "experiments": [],
            "drift": drift or {"status": "unknown"}, "training": {}}


def test_the_shipped_set_leads_with_ranking_and_click_metrics_beside_their_baselines():
    rows = shipped_set()["headline"]
    assert [r["label"] for r in rows][:2] == ["ranking NDCG@10", "ranking recall@10"]
    assert {"click AUC", "conversion AUC"} <= {r["label"] for r in rows}
    ndcg = rows[0]
    assert ndcg["baseline_name"] == "most popular" and 0 < ndcg["baseline"] < ndcg["value"]


def test_a_metric_the_set_lacks_is_left_out_and_a_missing_baseline_is_none():
    rows = headline({"click": {"auc": 0.7}}, {})
    assert rows == [{"label": "click AUC", "value": 0.7, "baseline": None,
                     "baseline_name": "plain logistic regression"}]


def test_counts_print_as_integers_and_rates_with_three_decimals():
    rows = {r["label"]: r for r in metric_rows({"churn": {"n": 1801, "auc": 0.84321, "positives": 12.0}})}
    assert format_value(rows["churn n"]) == "1,801" and format_value(rows["churn positives"]) == "12"
    assert format_value(rows["churn auc"]) == "0.843"
    assert not any("slices" in label for label in map(str, metric_rows(shipped_set()["metrics"])))


def test_the_terminal_report_names_ndcg_before_any_churn_figure():
    text = render_text(summary(shipped_set()))
    assert "ranking NDCG@10" in text and "(most popular: " in text
    assert "churn" not in text.split("ranking NDCG@10")[0]


def test_the_html_report_says_none_yet_instead_of_empty_sections():
    page = render_html(summary(None))
    assert page.count("none yet") >= 3  # live set, promotions and rollbacks, experiments
    assert "<th>PSI</th>" not in page  # no drift table without a reference
    live = shipped_set()
    full = render_html(summary(live))
    n = live["metrics"]["churn"]["n"]
    assert "<details><summary>all metrics</summary>" in full and f"<td>churn n</td><td>{n:,}</td>" in full
