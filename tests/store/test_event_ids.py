"""Idempotent event writes by event id (what stream ingestion relies on), alike on every backend."""
from __future__ import annotations

import sqlite3

import psycopg
import pytest
from pertinent.domain import Event

from .helpers import T0, event


def test_events_written_twice_under_the_same_ids_are_stored_once(store):
    batch = [(f"m1.{i}", event(seconds=i)) for i in range(50)]
    assert store.add_events_once(batch) == 50
    assert store.add_events_once(batch) == 0  # a redelivered message
    assert store.count_events() == 50


def test_a_batch_overlapping_stored_ids_writes_only_the_new_ones(store):
    store.add_events_once([(f"m1.{i}", event(seconds=i)) for i in range(10)])
    overlapping = [(f"m1.{i}", event(seconds=i)) for i in range(5, 15)]
    assert store.add_events_once(overlapping) == 5
    assert store.count_events() == 15
    assert [e.timestamp for batch in store.iter_events() for e in batch] == \
        [event(seconds=i).timestamp for i in range(15)]


def test_equal_events_under_different_ids_are_both_kept(store):
    # Two identical views in one batch are two views (as the direct path stores them): ids, not
    # contents, say what is a repeat.
    same = event(seconds=1)
    assert store.add_events_once([("m1.0", same), ("m1.1", same)]) == 2
    assert store.count_events() == 2


def test_events_without_ids_never_conflict_with_each_other_or_with_ids(store):
    store.add_events([event(seconds=1), event(seconds=1)])
    store.add_events_once([("m1.0", event(seconds=1))])
    store.add_events([event(seconds=1)])
    assert store.count_events() == 4


def test_identified_events_round_trip_every_field(store):
    full = event("click", "visitor-ü", 1.5, "p9", session_id="s1", decision_id="d1", slot="hero", arm="model",
                 value=12.5, device="mobile", referrer="www.google.com", country="DE", locale="de-DE",
                 url_path="/blog/café")
    store.add_events_once([("m9.0", full)])
    assert store.visitor_history("visitor-ü") == [full]


def test_a_bad_event_in_an_identified_batch_stores_nothing(store):
    bad = Event(type=None, visitor_id="v1", timestamp=T0)  # type: ignore[arg-type]
    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)):
        store.add_events_once([("m1.0", event(seconds=1)), ("m1.1", bad)])
    assert store.count_events() == 0
    assert store.add_events_once([("m1.0", event(seconds=1))]) == 1  # the rolled-back id is free again
