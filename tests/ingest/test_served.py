"""The stream under real gunicorn workers: each forked worker makes its own NATS client and loop."""
from __future__ import annotations

import pytest
from pertinent.store import open_store

from tests.serve.conftest import Sidecar

from .conftest import ingest_until_idle, views

pytestmark = [pytest.mark.nats, pytest.mark.postgres, pytest.mark.slow]


def test_events_posted_to_gunicorn_workers_reach_the_store_through_ingest(tmp_path, events_url, pg_url):
    server = Sidecar(tmp_path, {"PERTINENT_EVENTS_URL": events_url, "PERTINENT_STORE_URL": pg_url,
                                "PERTINENT_CACHE_URL": "memory://"}).start()
    try:
        batches = [views(f"v{n}", 10, start=n * 10) for n in range(20)]  # spread over both workers
        for batch in batches:
            answer = server.post("/v1/events", {"events": batch})
            assert answer.status_code == 202, answer.text
            assert answer.json()["accepted"] == 10
    finally:
        server.stop()
    store = open_store(pg_url)
    assert store.count_events() == 0
    totals = ingest_until_idle(events_url, store)
    assert (totals.messages, totals.written) == (20, 200)
    assert store.count_events() == 200
    store.close()
