"""Events: batches, history, time-ordered iteration, popularity and retention, alike on every backend."""
from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from pertinent.domain import Event

from .helpers import T0, event


def test_add_events_stores_a_batch_and_counts_it(store):
    assert store.add_events([]) == 0
    assert store.add_events([event(seconds=i) for i in range(500)]) == 500
    assert store.count_events() == 500


def test_a_batch_with_a_bad_event_stores_nothing(store):
    bad = Event(type=None, visitor_id="v1", timestamp=T0)  # type: ignore[arg-type]
    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)):
        store.add_events([event(seconds=1), bad, event(seconds=2)])
    assert store.count_events() == 0
    assert store.add_events([event()]) == 1  # the connection is still usable after the rollback


def test_every_event_field_round_trips(store):
    full = event("click", "visitor-ü", 1.5, "p9", session_id="s1", decision_id="d1", slot="hero", arm="model",
                 value=12.5, device="mobile", referrer="www.google.com", country="DE", locale="de-DE",
                 url_path="/blog/café")
    store.add_events([full])
    assert store.visitor_history("visitor-ü") == [full]


def test_timestamps_come_back_as_aware_utc_to_the_microsecond(store):
    plus_two = timezone(timedelta(hours=2))
    moments = [datetime(2026, 3, 1, 14, 0, 0, 123457, tzinfo=plus_two),
               datetime(2026, 3, 1, 12, 0, 1, 999999),  # naive: taken as UTC
               datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=timezone.utc)]
    store.add_events([Event("view", "v1", m) for m in moments])
    got = [e.timestamp for batch in store.iter_events() for e in batch]
    assert all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in got)
    expected = sorted(m if m.tzinfo else m.replace(tzinfo=timezone.utc) for m in moments)
    assert got == expected


def test_visitor_history_is_newest_first_without_impressions(store):
    store.add_events([event("view", seconds=1, content="a"), event("impression", seconds=5, content="x"),
                      event("click", seconds=3, content="b"), event("conversion", seconds=4, content="c"),
                      event("view", visitor="other", seconds=9, content="z")])
    history = store.visitor_history("v1")
    assert [(e.type, e.content_id) for e in history] == [("conversion", "c"), ("click", "b"), ("view", "a")]
    assert [e.content_id for e in store.visitor_history("v1", limit=2)] == ["c", "b"]
    assert store.visitor_history("nobody") == []


def test_iter_events_yields_time_order_in_batches(store):
    seconds = [i // 3 for i in range(100)]  # ties: three events share each second
    random.Random(7).shuffle(seconds)
    store.add_events([event(seconds=s, content=str(i)) for i, s in enumerate(seconds)])
    batches = list(store.iter_events(batch_size=7))
    assert [len(b) for b in batches] == [7] * 14 + [2]
    flat = [e for b in batches for e in b]
    assert len({e.content_id for e in flat}) == 100  # every event once, none repeated at batch edges
    assert [e.timestamp for e in flat] == sorted(e.timestamp for e in flat)


def test_iter_events_honours_since_inclusive_and_until_exclusive(store):
    store.add_events([event(seconds=s) for s in range(10)])
    got = [e for b in store.iter_events(since=T0 + timedelta(seconds=3), until=T0 + timedelta(seconds=6))
           for e in b]
    assert [(e.timestamp - T0).seconds for e in got] == [3, 4, 5]
    assert list(store.iter_events(since=T0 + timedelta(days=1))) == []


def test_popular_content_weights_event_types(store):
    store.add_events([event("view", content="viewed"), event("view", content="viewed"),
                      event("view", content="viewed"), event("click", content="clicked"),
                      event("click", content="clicked"), event("conversion", content="converted"),
                      event("impression", content="shown"), event("impression", content="shown"),
                      event("view", content=None)])
    # Defaults: view 1, click 3, conversion 8, impression 0 (never listed).
    assert store.popular_content(None) == [("converted", 8.0), ("clicked", 6.0), ("viewed", 3.0)]
    assert store.popular_content(None, limit=1) == [("converted", 8.0)]
    # Given weights replace the defaults; types they leave out count nothing.
    assert store.popular_content(None, weights={"view": 10, "impression": 1}) == [
        ("viewed", 30.0), ("shown", 2.0)]
    assert store.popular_content(None, weights={"impression": 0}) == []


def test_popular_content_counts_only_since_the_given_time(store):
    store.add_events([event("conversion", seconds=0, content="old"), event("view", seconds=60, content="new"),
                      event("view", seconds=120, content="new")])
    assert store.popular_content(T0 + timedelta(seconds=60)) == [("new", 2.0)]
    assert store.popular_content(T0 + timedelta(days=1)) == []


def test_purge_events_removes_only_older_events(store):
    store.add_events([event(seconds=s) for s in range(10)])
    assert store.purge_events(T0 + timedelta(seconds=4)) == 4
    assert store.count_events() == 6
    assert min(e.timestamp for b in store.iter_events() for e in b) == T0 + timedelta(seconds=4)
    assert store.purge_events(T0) == 0


def test_purge_in_small_chunks_removes_everything_older(store):
    store.add_events([event(seconds=s) for s in range(25)])
    assert store.purge_events(T0 + timedelta(seconds=20), chunk=4) == 20
    assert store.count_events() == 5
