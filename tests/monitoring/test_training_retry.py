"""A failed scheduled retrain is retried within minutes, backing off; its reason, and any model the data
could not train, reach the operator (pertinent report, the WordPress admin page).

The worker is driven with explicit times (run_once(now)), never with sleeps.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from pertinent.cache import open_cache
from pertinent.config import load_config
from pertinent.modelset.registry import ModelRegistry
from pertinent.monitoring.summary import build_summary
from pertinent.monitoring.traffic import TrafficCounter
from pertinent.report import render_html, render_text
from pertinent.store import open_store
from pertinent.training.pipeline import TrainingDataError
from pertinent.worker import RETRY_MAX_MINUTES, STATE_ID, STATE_KIND, Worker

from tests.monitoring.test_admin_page_php import render
from tests.support.shapes import SiteShape, build

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
WHY = "too few visitors read in the validation/test windows (3/1); need at least 10 each"


@pytest.fixture
def runtime(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    config = load_config({}, {"models_dir": tmp_path / "models", "data_dir": tmp_path,
                              "train_interval_hours": 24.0})
    models = ModelRegistry(config.models_dir)
    models.load()
    yield SimpleNamespace(config=config, store=store, models=models, cache=open_cache("memory://"),
                          traffic=TrafficCounter())
    store.close()


class FlakyTraining:
    """Fails with a data error the first `failures` times, then produces nothing; records each reason."""

    def __init__(self, failures: int):
        self.failures = failures
        self.reasons: list[str] = []

    def __call__(self, runtime, reason: str):
        self.reasons.append(reason)
        if len(self.reasons) <= self.failures:
            raise TrainingDataError(WHY)
        return None


def state(runtime) -> dict:
    return runtime.store.get_record(STATE_KIND, STATE_ID) or {}


def test_a_failed_training_is_retried_after_minutes_then_backs_off_up_to_a_cap(runtime):
    train = FlakyTraining(failures=100)
    worker = Worker(runtime, train=train, owner="t")
    assert "train:failed" in worker.run_once(T0)
    assert state(runtime)["retry_at"] == (T0 + timedelta(minutes=5)).isoformat()
    assert state(runtime)["next_training_at"] == state(runtime)["retry_at"]
    assert not any(a.startswith("train:") for a in worker.run_once(T0 + timedelta(minutes=4)))
    now, delays = T0, []
    for _ in range(8):
        now = datetime.fromisoformat(state(runtime)["retry_at"])
        assert "train:failed" in worker.run_once(now)
        delays.append((datetime.fromisoformat(state(runtime)["retry_at"]) - now) / timedelta(minutes=1))
    assert delays == [10, 20, 40, 80, 160, RETRY_MAX_MINUTES, RETRY_MAX_MINUTES, RETRY_MAX_MINUTES]
    assert train.reasons[0] == "schedule" and train.reasons[1] == "retry 1 after a failed training"
    assert state(runtime)["training_failures"] == 9


def test_a_success_after_failures_returns_to_the_regular_schedule(runtime):
    worker = Worker(runtime, train=FlakyTraining(failures=1), owner="t")
    assert "train:failed" in worker.run_once(T0)
    retry = T0 + timedelta(minutes=5)
    assert "train:none" in worker.run_once(retry)
    after = state(runtime)
    assert "retry_at" not in after and "training_failures" not in after
    assert after["next_training_at"] == (retry + timedelta(hours=24)).isoformat()


def test_the_backoff_never_waits_past_the_schedule(runtime):
    runtime.config = load_config({}, {"models_dir": runtime.config.models_dir, "train_interval_hours": 0.5})
    worker = Worker(runtime, train=FlakyTraining(failures=100), owner="t")
    now = T0
    for _ in range(6):
        worker.run_once(now)
        retry = datetime.fromisoformat(state(runtime)["retry_at"])
        assert retry - now <= timedelta(minutes=30)
        now = retry


def test_the_failure_and_its_retry_show_in_pertinent_report(runtime):
    Worker(runtime, train=FlakyTraining(failures=5), owner="t").run_once(T0)
    summary = build_summary(runtime, now=T0)
    training = summary["training"]
    assert training["failures"] == 1 and training["last_result"] == f"failed: {WHY}"
    text = render_text(summary)
    retry = (T0 + timedelta(minutes=5)).isoformat()
    assert f"failed: {WHY}" in text and f"failed 1 time in a row; retrying at {retry}" in text
    assert f"failed 1 time in a row; retrying at {retry}" in render_html(summary)


@pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
def test_the_failure_and_its_retry_show_on_the_wordpress_admin_page(runtime, repo_root, tmp_path):
    worker = Worker(runtime, train=FlakyTraining(failures=5), owner="t")
    worker.run_once(T0)
    worker.run_once(T0 + timedelta(minutes=5))
    html = render(repo_root, tmp_path, json.dumps(build_summary(runtime, now=T0 + timedelta(minutes=5))))
    assert f"failed: {WHY}" in html
    retry = (T0 + timedelta(minutes=15)).isoformat()
    assert f"failed 2 times in a row; retrying at {retry}" in html


def test_a_store_without_enough_data_fails_training_with_the_data_reason_not_a_traceback(runtime, caplog):
    """The real training on an empty store: the worker records the data's problem in plain words."""
    actions = Worker(runtime, owner="t").run_once(T0)
    assert "train:failed" in actions
    result = state(runtime)["last_training_result"]
    assert result.startswith("failed: need at least 100 events")
    assert "Traceback" not in caplog.text


@pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
def test_a_skipped_model_is_named_in_the_report_and_on_the_admin_page(runtime, repo_root, tmp_path):
    """A conversion-free site trains its set; the conversion model is reported as skipped, with why."""
    items, events = build(replace(SiteShape(n_visitors=80, n_events=1200, n_variants=3, seed=5),
                                  kinds=("view", "click", "impression", "dwell")))
    runtime.store.upsert_content(items)
    runtime.store.add_events(events)
    now = max(e.timestamp for e in events) + timedelta(hours=1)  # the events stay inside retention
    assert "train:promoted" in Worker(runtime, owner="t").run_once(now)
    summary = build_summary(runtime, now=now)
    skipped = summary["training"]["skipped"]
    assert any(note.startswith("conversion: too few positives") for note in skipped), skipped
    assert f"skipped model {skipped[0]}" in render_text(summary)
    assert skipped[0] in render(repo_root, tmp_path, json.dumps(summary))
