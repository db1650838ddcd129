"""The canary controller: promote when not worse, roll back when worse or failing, record every step."""
from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta, timezone

import pytest
from pertinent.config import load_config
from pertinent.domain import Event
from pertinent.modelset import canary
from pertinent.modelset.health import CanaryHealth
from pertinent.modelset.writer import live_version, promote, write_model_set

from tests.simulation.models import TopicRecommender

START = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture
def models_dir(tmp_path):
    d = tmp_path / "models"
    rng = {"start": START - timedelta(days=7), "end": START}
    live = write_model_set(d, {"recommender": TopicRecommender()}, data_range=rng, rows={}, version="v-live")
    write_model_set(d, {"recommender": TopicRecommender()}, data_range=rng, rows={}, version="v-cand")
    promote(d, live.name)
    return d


def _config(**extra):
    return load_config({}, {"canary_min_impressions": 400, **extra})


def _traffic(store, arm: str, n: int, ctr: float, seed: int) -> None:
    rng = random.Random(seed)
    events = []
    for i in range(n):
        ts = START + timedelta(seconds=10 + i)
        events.append(Event("impression", f"{arm}-{i}", ts, content_id="tech-1", slot="read_next", arm=arm))
        if rng.random() < ctr:
            events.append(Event("click", f"{arm}-{i}", ts, content_id="tech-1", slot="read_next", arm=arm))
    store.add_events(events)


def test_worse_canary_is_rolled_back_with_the_reason_recorded(store, models_dir):
    canary.start_canary(store, models_dir, "v-cand", "retrained (schedule)", now=START)
    _traffic(store, "model", 1500, 0.20, seed=1)
    _traffic(store, "canary", 600, 0.05, seed=2)
    decision = canary.evaluate_canary(store, models_dir, _config(), now=START + timedelta(hours=2))
    assert decision.action == "rollback"
    assert "is worse" in decision.reason and "v-cand" in decision.reason
    canary.apply_decision(store, models_dir, decision, now=START + timedelta(hours=2))
    assert canary.canary_version(models_dir) is None and live_version(models_dir) == "v-live"
    history = canary.canary_history(store)
    assert [h["action"] for h in history] == ["rollback", "start"]
    assert history[0]["reason"] == decision.reason


def test_canary_that_is_not_worse_is_promoted(store, models_dir):
    canary.start_canary(store, models_dir, "v-cand", "retrained (drift)", now=START)
    _traffic(store, "model", 3000, 0.20, seed=3)
    _traffic(store, "canary", 3000, 0.22, seed=4)
    decision = canary.evaluate_canary(store, models_dir, _config(), now=START + timedelta(hours=2))
    assert decision.action == "promote", decision.reason
    canary.apply_decision(store, models_dir, decision, now=START + timedelta(hours=2))
    assert live_version(models_dir) == "v-cand" and canary.canary_version(models_dir) is None


def test_canary_waits_for_its_minimum_sample(store, models_dir):
    canary.start_canary(store, models_dir, "v-cand", "retrained", now=START)
    _traffic(store, "model", 1000, 0.20, seed=5)
    _traffic(store, "canary", 100, 0.0, seed=6)
    decision = canary.evaluate_canary(store, models_dir, _config(), now=START + timedelta(hours=1))
    assert decision.action == "wait" and "waiting for 400" in decision.reason


def test_canary_failing_its_decisions_is_rolled_back_before_any_click_counts(store, models_dir):
    canary.start_canary(store, models_dir, "v-cand", "retrained", now=START)
    health = CanaryHealth(store, flush_seconds=3600)
    for i in range(100):
        health.record("v-cand", latency_ms=3.0, failed=i % 10 == 0)
    health.flush()
    decision = canary.evaluate_canary(store, models_dir, _config(), now=START + timedelta(hours=1))
    assert decision.action == "rollback" and "failed 10 of 100 decisions" in decision.reason


def test_no_canary_means_nothing_to_judge(store, models_dir):
    assert canary.evaluate_canary(store, models_dir, _config()) is None


def test_canary_that_cannot_be_loaded_is_served_by_no_one_and_rolled_back(store, models_dir):
    from types import SimpleNamespace

    from pertinent.experiments.serving import ExperimentServing
    from pertinent.modelset.registry import ModelRegistry

    canary.start_canary(store, models_dir, "v-cand", "retrained", now=START)
    artifact = models_dir / "v-cand" / "recommender.joblib"
    artifact.write_bytes(artifact.read_bytes() + b"tampered")  # checksum no longer matches the manifest
    config = load_config({}, {"models_dir": models_dir, "reload_interval": 0.0, "canary_share": 1.0})
    serving = ExperimentServing(SimpleNamespace(config=config, store=store, models=ModelRegistry(models_dir)))
    assert serving.arm("anyone") == "model"  # nobody is sent to a canary that did not load
    decision = canary.evaluate_canary(store, models_dir, _config(), now=START + timedelta(minutes=5))
    assert decision.action == "rollback" and "could not be loaded" in decision.reason


def test_canary_much_slower_than_the_live_set_beside_it_is_rolled_back(store, models_dir):
    canary.start_canary(store, models_dir, "v-cand", "retrained", now=START)
    slow = CanaryHealth(store, flush_seconds=3600)
    live = CanaryHealth(store, flush_seconds=3600, role="live")
    for _ in range(60):
        slow.record("v-cand", latency_ms=40.0, failed=False)
        live.record("v-live", latency_ms=4.0, failed=False, canary="v-cand")
    slow.flush()
    live.flush()
    decision = canary.evaluate_canary(store, models_dir, _config(), now=START + timedelta(minutes=5))
    assert decision.action == "rollback"
    assert "took 40 ms per decision on average (live set 4 ms" in decision.reason


def test_canary_as_fast_as_the_live_set_is_judged_on_clicks(store, models_dir):
    canary.start_canary(store, models_dir, "v-cand", "retrained", now=START)
    mine = CanaryHealth(store, flush_seconds=3600)
    live = CanaryHealth(store, flush_seconds=3600, role="live")
    for _ in range(60):
        mine.record("v-cand", latency_ms=12.0, failed=False)
        live.record("v-live", latency_ms=10.0, failed=False, canary="v-cand")
    mine.flush()
    live.flush()
    decision = canary.evaluate_canary(store, models_dir, _config(), now=START + timedelta(minutes=5))
    assert decision.action == "wait" and "waiting for 400" in decision.reason


class BlockingStore:
    """A store whose writes hang until released: an unreachable PostgreSQL, from the caller's side."""

    def __init__(self):
        self.release = threading.Event()
        self.written = []

    def put_record(self, kind, key, doc):
        self.release.wait(10)
        self.written.append(doc)


def test_health_figures_are_written_off_the_decision_path():
    store = BlockingStore()
    health = CanaryHealth(store, flush_seconds=0)
    decision = threading.Thread(target=health.record, args=("v1", 3.0, False))
    decision.start()
    decision.join(5)
    assert not decision.is_alive(), "a decision waited for the store write"
    store.release.set()
    for _ in range(100):
        if store.written:
            break
        threading.Event().wait(0.05)
    assert store.written and store.written[0]["calls"] == 1
