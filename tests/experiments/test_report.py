"""Experiment reports: per arm and per slot counts, rates, uplift over control, verdict."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from pertinent.domain import Event
from pertinent.experiments.book import ExperimentBook
from pertinent.experiments.report import experiment_report

START = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _events(arm, slot, n, ctr, cvr, seed):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        ts = START + timedelta(minutes=1 + i % 500)
        out.append(Event("impression", f"{arm}{i}", ts, content_id="x", slot=slot, arm=arm))
        if rng.random() < ctr:
            out.append(Event("click", f"{arm}{i}", ts, content_id="x", slot=slot, arm=arm))
            if rng.random() < cvr:
                out.append(Event("conversion", f"{arm}{i}", ts, content_id="x", slot=slot, arm=arm))
    return out


def test_report_shows_model_beating_default_per_arm_and_slot(store):
    book = ExperimentBook(store)
    exp = book.create({"name": "read next", "arms": {"control": 0.5, "model": 0.5}, "min_impressions": 500},
                      now=START)
    store.add_events(_events("control", "read_next", 2000, 0.05, 0.1, 1)
                     + _events("model", "read_next", 2000, 0.15, 0.1, 2)
                     + _events("control", "hero", 300, 0.05, 0.0, 3)
                     + _events("model", "hero", 300, 0.05, 0.0, 4))
    report = experiment_report(store, exp, now=START + timedelta(days=1))
    model, control = report["arms"]["model"], report["arms"]["control"]
    assert control["impressions"] == 2300 and model["impressions"] == 2300
    assert model["ctr"] > control["ctr"]
    assert model["vs_control"]["ctr"]["low"] > 0
    assert report["verdict"].startswith("model beats default on click-through by ")
    # The small hero slot alone has not reached its minimum: its own verdict stays silent.
    assert model["slots"]["hero"]["vs_control"]["verdict"].startswith("not enough data yet")
    assert model["slots"]["read_next"]["vs_control"]["enough_data"] is True
    assert model["conversions"] > 0 and 0 < model["conversion_rate"] < model["ctr"]


def test_report_ignores_events_outside_the_experiment_window(store):
    book = ExperimentBook(store)
    exp = book.create({"name": "x", "arms": {"control": 0.5, "model": 0.5}}, now=START)
    store.add_events([Event("impression", "a", START - timedelta(hours=1), content_id="x", slot="s",
                            arm="model")])
    book.stop(exp.id, now=START + timedelta(hours=1))
    store.add_events([Event("impression", "b", START + timedelta(hours=2), content_id="x", slot="s",
                            arm="model")])
    report = experiment_report(store, book.get(exp.id))
    assert report["arms"]["model"]["impressions"] == 0
    assert report["verdict"].startswith("not enough data yet")


def test_a_slot_view_counts_once_however_many_items_it_showed(store):
    """The model arm shows three items (three impression events), control one default: views compare."""
    exp = ExperimentBook(store).create({"name": "views", "arms": {"control": 0.5, "model": 0.5}}, now=START)
    ts = START + timedelta(minutes=5)
    events = []
    for i in range(10):
        events += [Event("impression", f"m{i}", ts, content_id=c, slot="read_next", arm="model",
                         decision_id=f"dm{i}") for c in ("a", "b", "c")]
        events.append(Event("impression", f"c{i}", ts, slot="read_next", arm="control", decision_id=f"dc{i}"))
    events += [Event("click", "m0", ts, content_id="a", slot="read_next", arm="model", decision_id="dm0"),
               Event("click", "m0", ts, content_id="b", slot="read_next", arm="model", decision_id="dm0"),
               Event("click", "c0", ts, slot="read_next", arm="control", decision_id="dc0")]
    store.add_events(events)
    arms = experiment_report(store, exp, now=START + timedelta(hours=1))["arms"]
    assert (arms["model"]["impressions"], arms["model"]["clicks"]) == (10, 1)
    assert (arms["control"]["impressions"], arms["control"]["clicks"]) == (10, 1)
