"""Drift: a shifted population is flagged (PSI above threshold) and the worker retrains because of it."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from pertinent.config import load_config
from pertinent.modelset.registry import ModelRegistry
from pertinent.modelset.writer import promote, write_model_set
from pertinent.monitoring.drift import check_drift, latest_drift
from pertinent.store import open_store
from pertinent.worker import Worker

from tests.simulation.models import TopicRecommender
from tests.simulation.population import browsing_events, catalog, population, topic_of

TRAIN_END = datetime(2026, 11, 1, tzinfo=timezone.utc)
NOW = TRAIN_END + timedelta(days=3)


@pytest.fixture
def runtime(tmp_path):
    """A store with two weeks of training traffic and a live model set trained on that window."""
    store = open_store(f"sqlite:///{tmp_path / 'pertinent.db'}")
    store.upsert_content(catalog())
    # Drift compares the live day with the training window's last day (same length on both sides).
    store.add_events(browsing_events(population(300, seed=1), TRAIN_END - timedelta(days=1), 24, 5, 1))
    models_dir = tmp_path / "models"
    path = write_model_set(models_dir, {"recommender": TopicRecommender()},
                           data_range={"start": TRAIN_END - timedelta(days=14), "end": TRAIN_END},
                           rows={"events": store.count_events()})
    promote(models_dir, path.name)
    config = load_config({}, {"models_dir": models_dir, "data_dir": tmp_path, "drift_window_hours": 24,
                              "train_interval_hours": 24.0})
    models = ModelRegistry(models_dir)
    models.load()
    yield SimpleNamespace(config=config, store=store, models=models)
    store.close()


def _add_live_traffic(runtime, shifted: bool) -> None:
    visitors = population(200, seed=2, shifted=shifted)
    runtime.store.add_events(browsing_events(visitors, NOW - timedelta(hours=20), 20, 5, 2))


def test_same_population_is_not_flagged(runtime):
    _add_live_traffic(runtime, shifted=False)
    result = check_drift(runtime.store, runtime.models.current(), threshold=0.2, live_hours=24, now=NOW,
                         category_of=topic_of)
    assert result["status"] == "ok", result
    assert result["max_psi"] < 0.2


def test_shifted_population_is_flagged_and_the_worker_retrains_because_of_it(runtime):
    _add_live_traffic(runtime, shifted=True)
    result = check_drift(runtime.store, runtime.models.current(), threshold=0.2, live_hours=24, now=NOW,
                         category_of=topic_of)
    assert result["drifted"] is True
    assert {"device", "country", "referrer", "content_category"} <= set(result["drifted_features"])
    assert result["features"]["device"] > 0.2

    trained = []
    worker = Worker(runtime, train=lambda rt, reason: trained.append(reason), owner="test-worker")
    # The schedule is not due (trained 7 hours ago), so only drift can be the reason.
    runtime.store.put_record("worker", "state", {"last_training_at": (NOW - timedelta(hours=7)).isoformat()})
    actions = worker.run_once(now=NOW)
    assert "drift:drift" in actions and "train:none" in actions
    assert trained and trained[0].startswith("drift: ")
    assert latest_drift(runtime.store)["drifted"] is True
    state = runtime.store.get_record("worker", "state")
    assert state["last_training_reason"].startswith("drift")
    # Still drifted an hour later, but a drift-triggered retrain does not repeat within the gap.
    later = worker.run_once(now=NOW + timedelta(hours=2))
    assert "drift:drift" in later and not any(x.startswith("train") for x in later)


def test_worker_without_drift_waits_for_the_schedule(runtime):
    _add_live_traffic(runtime, shifted=False)
    trained = []
    worker = Worker(runtime, train=lambda rt, reason: trained.append(reason), owner="test-worker")
    runtime.store.put_record("worker", "state", {"last_training_at": (NOW - timedelta(hours=7)).isoformat()})
    assert not any(a.startswith("train") for a in worker.run_once(now=NOW))
    assert worker.run_once(now=NOW + timedelta(hours=17)) and trained == ["schedule"]


def test_a_second_worker_waits_for_the_lock(runtime):
    first = Worker(runtime, train=lambda rt, reason: None, owner="host-a:1")
    second = Worker(runtime, train=lambda rt, reason: None, owner="host-b:2")
    assert first.run_once(now=NOW) != ["waiting"]
    assert second.run_once(now=NOW) == ["waiting"]


def test_a_drop_in_the_model_arms_click_through_triggers_a_retrain(runtime):
    from pertinent.domain import Event

    events = []
    for window, ctr in ((NOW - timedelta(hours=40), 0.20), (NOW - timedelta(hours=16), 0.05)):
        for i in range(1000):
            ts = window + timedelta(seconds=i)
            tag = {"content_id": "tech-1", "slot": "read_next", "arm": "model", "decision_id": f"{ts}-{i}"}
            events.append(Event("impression", f"v{i}", ts, **tag))
            if i % 100 < ctr * 100:
                events.append(Event("click", f"v{i}", ts, **tag))
    runtime.store.add_events(events)
    # These synthetic clicks would also read as drift; this test is about the metric drop alone.
    runtime.config = replace(runtime.config, drift_threshold=100.0)
    trained = []
    worker = Worker(runtime, train=lambda rt, reason: trained.append(reason), owner="test-worker")
    runtime.store.put_record("worker", "state", {"last_training_at": (NOW - timedelta(hours=7)).isoformat()})
    worker.run_once(now=NOW)
    assert trained and trained[0].startswith("metric drop: model CTR 5.0% vs 20.0%")
