"""The WordPress admin page renders the sidecar's real dashboard JSON (PHP, WordPress functions stubbed).

The full page inside a real WordPress, in a real browser, is tests/wordpress/test_admin_dashboard.py.
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from pertinent.cache import open_cache
from pertinent.config import load_config
from pertinent.domain import Event
from pertinent.experiments.book import ExperimentBook
from pertinent.modelset import canary
from pertinent.modelset.registry import ModelRegistry
from pertinent.modelset.writer import promote, write_model_set
from pertinent.monitoring.summary import build_summary
from pertinent.monitoring.traffic import TrafficCounter
from pertinent.store import open_store

from tests.simulation.models import TopicRecommender

pytestmark = pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
NOW = datetime(2026, 11, 20, tzinfo=timezone.utc)


@pytest.fixture
def summary(tmp_path):
    """A summary with a live set, a rolled-back canary, an experiment with a winner and recorded drift."""
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    models_dir = tmp_path / "models"
    live = write_model_set(models_dir, {"recommender": TopicRecommender()}, rows={},
                           data_range={"start": "2026-10-01T00:00:00Z", "end": "2026-11-01T00:00:00Z"},
                           metrics={"ranking": {"overall": {"ndcg@10": 0.412, "precision@10": 0.21,
                                                            "cases": 900}},
                                    "click": {"auc": 0.71}})
    promote(models_dir, live.name)
    bad = write_model_set(models_dir, {"recommender": TopicRecommender(invert=True)}, rows={}, data_range={})
    canary.start_canary(store, models_dir, bad.name, "retrained (schedule)", NOW - timedelta(hours=3))
    canary.apply_decision(store, models_dir, canary.CanaryDecision(
        "rollback", bad.name, f"canary {bad.name} is worse: canary CTR 3.8% vs live 9.9%"), NOW)
    exp = ExperimentBook(store).create({"name": "Read next <b>vs</b> default", "min_impressions": 100},
                                       now=NOW - timedelta(days=1))
    rng = random.Random(3)
    events = []
    for arm, ctr in (("control", 0.05), ("model", 0.2)):
        for i in range(800):
            ts = NOW - timedelta(hours=20) + timedelta(seconds=i)
            events.append(Event("impression", f"{arm}{i}", ts, content_id="x", slot="read_next", arm=arm))
            if rng.random() < ctr:
                events.append(Event("click", f"{arm}{i}", ts, content_id="x", slot="read_next", arm=arm))
    store.add_events(events)
    store.put_record("drift", "latest", {"status": "drift", "drifted": True, "max_psi": 0.34,
                                         "threshold": 0.2, "features": {"device": 0.34, "country": 0.02},
                                         "scores": 0.05, "drifted_features": ["device"]})
    models = ModelRegistry(models_dir)
    models.load()
    runtime = SimpleNamespace(config=load_config({}, {"models_dir": models_dir}), store=store, models=models,
                              cache=open_cache("memory://"), traffic=TrafficCounter())
    yield build_summary(runtime, now=NOW), exp
    store.close()


def render(repo_root, tmp_path, summary_json: str) -> str:
    data = tmp_path / "summary.json"
    data.write_text(summary_json)
    script = repo_root / "tests/monitoring/php/render_dashboard.php"
    out = subprocess.run(["php", str(script), str(data)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Warning" not in out.stdout and "Notice" not in out.stdout and "Deprecated" not in out.stdout
    return out.stdout


def test_admin_page_shows_models_experiment_chart_verdict_drift_and_training(summary, repo_root, tmp_path):
    data, exp = summary
    html = render(repo_root, tmp_path, json.dumps(data))
    assert "<h1>Pertinent</h1>" in html and "degraded" in html
    assert data["models"]["live"]["version"] in html and "ranking NDCG@10 <strong>0.412</strong>" in html
    assert "rollback" in html and "is worse" in html
    assert "Read next &lt;b&gt;vs&lt;/b&gt; default" in html  # escaped, never raw HTML from the sidecar
    assert html.count("<rect") == 2 and "<svg" in html
    assert "model beats default on click-through by" in html
    assert "device</td><td>0.340" in html and "predicted score</td><td>0.050" in html
    assert "Last training" in html and "never" in html


def test_admin_page_says_when_the_sidecar_cannot_be_reached(repo_root, tmp_path):
    html = render(repo_root, tmp_path, "")
    assert "could not be reached" in html and "connection refused" in html
