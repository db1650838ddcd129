"""The promotion gate: kept back with the reason unless the new set beats baselines and the live set."""
from __future__ import annotations

import shutil

import pandas as pd
from pertinent.modelset.writer import live_version
from pertinent.training import gate
from pertinent.training.pipeline import train_from_files

GOOD = {"ranking": {"overall": {"ndcg@10": 0.30}}, "click": {"auc": 0.78}}
BASE = {"ranking_popularity": {"overall": {"ndcg@10": 0.10}}, "click_logistic": {"auc": 0.77}}


def test_gate_passes_a_set_that_beats_everything():
    verdict = gate.decide(GOOD, BASE, {"ranking": {"overall": {"ndcg@10": 0.29}}})
    assert verdict["passed"] and "live set" in verdict["reason"]


def test_gate_keeps_back_a_set_worse_than_the_live_one_and_says_why():
    verdict = gate.decide(GOOD, BASE, {"ranking": {"overall": {"ndcg@10": 0.35}}})
    assert not verdict["passed"]
    assert "live set 0.3500" in verdict["reason"] and verdict["reason"].startswith("kept back")


def test_gate_margin_is_configurable():
    assert gate.decide(GOOD, BASE, None, margin=1.5)["passed"]
    verdict = gate.decide(GOOD, BASE, None, margin=2.5)
    assert not verdict["passed"] and "popularity" in verdict["reason"]


def test_gate_keeps_back_a_click_model_worse_than_logistic_regression():
    verdict = gate.decide({**GOOD, "click": {"auc": 0.70}}, BASE, None)
    assert not verdict["passed"] and "logistic regression" in verdict["reason"]


def test_a_set_that_fails_the_gate_is_written_but_not_promoted(demo_site, tmp_path):
    models = tmp_path / "models"
    # The live set learnt from the first 80% of the log, so the new set's test window is news to it.
    events = pd.read_csv(demo_site["events_path"], dtype=str, keep_default_na=False)
    early = tmp_path / "early.csv"
    events.iloc[: int(len(events) * 0.8)].to_csv(early, index=False)
    first = train_from_files(early, demo_site["content_path"], models, force=True, progress=lambda _: None)
    lines: list[str] = []
    # A margin no model can reach: the set is kept back, LIVE still names the first set.
    result = train_from_files(demo_site["events_path"], demo_site["content_path"], models, margin=50.0,
                              progress=lines.append)
    assert not result.promoted and not result.gate["passed"]
    assert live_version(models) == first.version
    assert result.path.is_dir() and "kept back" in (result.path / "report.html").read_text()
    assert any("kept back" in line for line in lines)
    # The live set was measured on the same test window.
    assert any("live set" in c["check"] for c in result.gate["checks"])
    forced = train_from_files(demo_site["events_path"], demo_site["content_path"], models, margin=50.0,
                              force=True, progress=lines.append)
    assert forced.promoted and live_version(models) == forced.version


def test_a_live_set_that_saw_the_test_window_is_not_compared(trained, demo_site, tmp_path):
    first, shared = trained
    models = tmp_path / "models"
    shutil.copytree(shared, models)
    lines: list[str] = []
    result = train_from_files(demo_site["events_path"], demo_site["content_path"], models,
                              progress=lines.append)
    assert any("trained on events inside this test window" in line for line in lines)
    assert not any("live set" in c["check"] for c in result.gate["checks"])
    assert result.promoted  # judged against the baselines, which it beats
