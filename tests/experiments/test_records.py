"""Records and the worker lock in the store, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from pertinent.errors import ValidationError
from pertinent.experiments.book import ExperimentBook


def test_records_round_trip_and_list_by_kind(store):
    store.put_record("experiment", "b", {"name": "second", "n": 2})
    store.put_record("experiment", "a", {"name": "first", "nested": {"x": [1, 2]}})
    store.put_record("drift", "latest", {"max_psi": 0.3})
    store.put_record("experiment", "a", {"name": "first, edited"})
    assert store.get_record("experiment", "a") == {"name": "first, edited"}
    assert [d["name"] for d in store.list_records("experiment")] == ["first, edited", "second"]
    assert store.get_record("experiment", "missing") is None
    assert store.delete_record("experiment", "b") is True
    assert store.delete_record("experiment", "b") is False


def test_second_worker_waits_until_the_first_releases_or_expires(store):
    assert store.try_lock("worker", "host-a:1", ttl=60) is True
    assert store.try_lock("worker", "host-b:2", ttl=60) is False
    assert store.try_lock("worker", "host-a:1", ttl=60) is True  # renewal by the holder
    store.release_lock("worker", "host-b:2")  # not the holder: nothing happens
    assert store.try_lock("worker", "host-b:2", ttl=60) is False
    store.release_lock("worker", "host-a:1")
    assert store.try_lock("worker", "host-b:2", ttl=60) is True
    # An expired lock (holder died) is taken over.
    assert store.try_lock("other", "dead:1", ttl=-1) is True
    assert store.try_lock("other", "alive:2", ttl=60) is True


def test_experiment_book_keeps_one_running_experiment_in_the_store(store):
    book = ExperimentBook(store, cache_seconds=0)
    first = book.create({"name": "hero", "arms": {"control": 0.5, "model": 0.5}})
    assert book.running().id == first.id
    with pytest.raises(ValidationError) as err:
        book.create({"name": "another"})
    assert err.value.code == "experiment_running"
    stopped = book.stop(first.id, now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert stopped.status == "stopped" and book.running() is None
    # Another replica (another book on the same store) sees the same experiments.
    assert [e.id for e in ExperimentBook(store).list()] == [first.id]


def test_running_experiment_survives_a_store_outage_without_asking_on_every_decision(store):
    book = ExperimentBook(store, cache_seconds=0)
    exp = book.create({"name": "hero"})
    assert book.running().id == exp.id
    calls = []

    def down(kind):
        calls.append(kind)
        raise ConnectionError("store down")

    store.list_records = down
    book.cache_seconds = 60
    book._running = (-1e9, book._running[1])  # expired: the next read goes to the (down) store
    assert book.running().id == exp.id
    assert book.running().id == exp.id
    assert len(calls) == 1
