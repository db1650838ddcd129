"""Events through the real NATS JetStream server: the API publishes, `ingest` writes, nothing that was
answered 202 is lost or written twice, whatever goes away in between (store, consumer, NATS)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import nats
import psycopg
import pytest
from pertinent.domain import Event
from pertinent.ingest import erasure, messages
from pertinent.ingest.publisher import publisher_for
from pertinent.ingest.url import parse_events_url
from pertinent.store import open_store

from tests.conftest import REPO_ROOT
from tests.support.net import free_port
from tests.support.services import POSTGRES_URL

from .conftest import (
    ACK_WAIT_S,
    SERVER,
    BackgroundIngestor,
    app_on,
    ingest_until_idle,
    post,
    post_batches,
    views,
    wait_for,
)

pytestmark = [pytest.mark.nats, pytest.mark.postgres]


def stored(store) -> Counter:
    """Every stored event as (visitor, time, type, content), with how often it is there."""
    return Counter((e.visitor_id, e.timestamp, e.type, e.content_id) for batch in store.iter_events()
                   for e in batch)


def sent(events: list[dict]) -> Counter:
    return Counter((e["visitor_id"], datetime.fromisoformat(e["timestamp"]), e["type"], e["content_id"])
                   for e in events)


def stream_state(events_url: str):
    target = parse_events_url(events_url)

    async def look():
        nc = await nats.connect(list(target.servers))
        try:
            return (await nc.jetstream().stream_info(target.stream)).state
        finally:
            await nc.close()
    return asyncio.run(look())


def test_events_posted_with_the_setting_reach_the_store_only_through_ingest(sidecar, events_url):
    client, rt = sidecar
    batch = views("v1", 30) + [{"type": "click", "visitor_id": "v2", "content_id": "p1"}, {"type": "nope"}]
    response = post(client, batch)
    assert response.status_code == 202
    body = response.get_json()
    assert body["accepted"] == 31 and [r["index"] for r in body["rejected"]] == [31]
    assert rt.store.count_events() == 0  # the stream has them, the store not yet
    assert stream_state(events_url).messages == 1

    totals = ingest_until_idle(events_url, rt.store)
    assert (totals.messages, totals.written, totals.duplicates) == (1, 31, 0)
    assert sent(views("v1", 30)) <= stored(rt.store)
    assert [e.type for e in rt.store.visitor_history("v2")] == ["click"]
    assert stream_state(events_url).messages == 0  # acknowledged, so gone from the work queue


def test_a_message_delivered_twice_is_written_once(sidecar, events_url):
    _, rt = sidecar
    evs = [Event(type="view", visitor_id="v1", timestamp=_t(i), content_id="p1") for i in range(20)]
    assert publisher_for(events_url).publish(evs) == 1
    assert ingest_until_idle(events_url, rt.store).written == 20
    # The same message again under another message id (past JetStream's duplicate window, or a
    # redelivery after a consumer committed but died before its ack): the event ids repeat.
    target = parse_events_url(events_url)
    payload = messages.encode(evs, 1 << 20)[0].payload

    async def republish():
        nc = await nats.connect(list(target.servers))
        await nc.jetstream().publish(target.subject, payload, headers={"Nats-Msg-Id": "another-id"})
        await nc.close()
    asyncio.run(republish())
    totals = ingest_until_idle(events_url, rt.store)
    assert (totals.messages, totals.written, totals.duplicates) == (1, 0, 20)
    assert rt.store.count_events() == 20


def test_a_retried_batch_is_dropped_by_the_stream_and_stored_once(sidecar, events_url):
    client, rt = sidecar
    batch = views("v1", 10)
    assert post(client, batch).status_code == 202
    assert post(client, batch).status_code == 202  # the snippet retried after a lost answer
    assert stream_state(events_url).messages == 1
    ingest_until_idle(events_url, rt.store)
    assert stored(rt.store) == sent(batch)


def test_a_batch_larger_than_one_message_is_split_and_stored_whole(sidecar, events_url):
    client, rt = sidecar
    publisher = publisher_for(events_url)
    big = [Event(type="view", visitor_id=f"v{i}", timestamp=_t(i), content_id="p1",
                 url_path="/" + "x" * 1500) for i in range(1500)]  # ~2.5 MB: over the 1 MB payload limit
    assert publisher.publish(big) >= 3
    assert ingest_until_idle(events_url, rt.store).written == 1500
    assert rt.store.count_events() == 1500


def _t(i: int) -> datetime:
    return datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(seconds=i)


def test_the_store_going_away_mid_stream_loses_nothing(sidecar, events_url, pg_url):
    client, rt = sidecar
    schema = pg_url.rsplit("schema=", 1)[1]
    ingest_store = open_store(pg_url)
    first, during = views("v1", 25), views("v2", 25, start=100) + views("v3", 25, start=200)
    with BackgroundIngestor(events_url, ingest_store, ack_wait=ACK_WAIT_S) as ingestor:
        assert post(client, first).status_code == 202
        wait_for(lambda: rt.store.count_events() == 25, what="the first batch in the store")
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"ALTER SCHEMA {schema} RENAME TO {schema}_away")  # the store is gone
            try:
                # The sidecar keeps accepting: the stream has the events, the store is not needed.
                assert post(client, during[:25]).status_code == 202
                assert post(client, during[25:]).status_code == 202
                wait_for(lambda: ingestor.totals.store_retries >= 2, what="the consumer retrying")
                time.sleep(ACK_WAIT_S * 1.5)  # longer than ack_wait: kept in progress, not redelivered
            finally:
                admin.execute(f"ALTER SCHEMA {schema}_away RENAME TO {schema}")
        wait_for(lambda: rt.store.count_events() == 75, what="every event after the store came back")
    assert stored(rt.store) == sent(first + during)
    assert stream_state(events_url).messages == 0
    ingest_store.close()


def _ingest_process(events_url: str, store_url: str, tmp_path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PERTINENT_EVENTS_URL": events_url, "PERTINENT_STORE_URL": store_url,
           "PERTINENT_CACHE_URL": "memory://", "PERTINENT_DATA_DIR": str(tmp_path / "ingest"),
           "PYTHONPATH": f"{REPO_ROOT / 'sidecar'}:{REPO_ROOT / 'sdk' / 'python'}"}
    return subprocess.Popen([sys.executable, "-m", "pertinent", "ingest", "--batch", "3",
                             "--ack-wait", str(ACK_WAIT_S), *extra], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_consumer_killed_mid_stream_leaves_every_acknowledged_event_stored_exactly_once(
        sidecar, events_url, pg_url, tmp_path):
    client, rt = sidecar
    accepted = post_batches(client, 60, 20)
    worker = _ingest_process(events_url, pg_url, tmp_path)
    wait_for(lambda: rt.store.count_events() >= 60, timeout=60, what="the consumer's first batches")
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    partial = rt.store.count_events()
    assert partial < 1200, "the consumer finished before it was killed; kill it earlier"
    # A new consumer on the same durable: the killed one's unacknowledged messages come back to it.
    again = _ingest_process(events_url, pg_url, tmp_path, "--until-idle", str(ACK_WAIT_S * 2))
    out, _ = again.communicate(timeout=120)
    assert again.returncode == 0, out
    assert "Traceback" not in out
    assert stored(rt.store) == sent(accepted)  # every 202'd event, each exactly once
    assert stream_state(events_url).messages == 0


def test_two_consumers_on_one_durable_share_the_stream_and_write_each_event_once(sidecar, events_url, pg_url):
    client, rt = sidecar
    accepted = post_batches(client, 40, 5)
    stores = [open_store(pg_url), open_store(pg_url)]
    with BackgroundIngestor(events_url, stores[0], batch=2) as one, \
            BackgroundIngestor(events_url, stores[1], batch=2) as two:
        wait_for(lambda: rt.store.count_events() == 200, what="both consumers draining the stream")
    assert one.totals.messages + two.totals.messages == 40
    assert one.totals.duplicates + two.totals.duplicates == 0
    assert stored(rt.store) == sent(accepted)
    for s in stores:
        s.close()


def test_a_message_that_is_not_an_event_batch_is_dropped_and_the_rest_ingested(sidecar, events_url):
    client, rt = sidecar
    target = parse_events_url(events_url)

    async def garbage():
        nc = await nats.connect(list(target.servers))
        await nc.jetstream().publish(target.subject, b"{not json")
        await nc.close()
    assert post(client, views("v1", 5)).status_code == 202  # creates the stream
    asyncio.run(garbage())
    assert post(client, views("v2", 5)).status_code == 202
    totals = ingest_until_idle(events_url, rt.store)
    assert (totals.refused, totals.written) == (1, 10)
    assert stream_state(events_url).messages == 0


def test_nats_down_answers_503_with_json_and_nothing_accepted_is_lost(tmp_path, own_nats, pg_url):
    url = f"{own_nats.url}/pt-own"
    client, rt = app_on(tmp_path, pg_url, url)
    before = views("v1", 10)
    assert post(client, before).status_code == 202

    own_nats.stop()
    started = time.monotonic()
    response = post(client, views("v2", 10, start=50))
    assert response.status_code == 503
    assert response.is_json and response.get_json()["error"]["code"] == "stream_unavailable"
    assert "Traceback" not in response.get_data(as_text=True)
    assert time.monotonic() - started < 5  # answered, not hung
    assert post(client, views("v2", 10, start=50)).status_code == 503  # and again, at once

    own_nats.start()  # same store folder: what was acknowledged survived the restart
    after = views("v3", 10, start=100)
    wait_for(lambda: post(client, after).status_code == 202, timeout=15, what="publishing again")
    ingest_until_idle(url, rt.store)
    assert stored(rt.store) == sent(before + after)
    rt.close()


def test_an_unreachable_stream_at_start_answers_503_and_the_store_is_not_written(tmp_path, pg_url):
    client, rt = app_on(tmp_path, pg_url, f"nats://127.0.0.1:{free_port()}/pt-nowhere")
    response = post(client, views("v1", 3))
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "stream_unavailable"
    assert rt.store.count_events() == 0
    rt.close()


def test_a_running_consumer_rides_out_a_nats_restart(tmp_path, own_nats, pg_url):
    url = f"{own_nats.url}/pt-own"
    client, rt = app_on(tmp_path, pg_url, url)
    before, after = views("v1", 10), views("v2", 10, start=50)
    ingest_store = open_store(pg_url)
    with BackgroundIngestor(url, ingest_store):
        assert post(client, before).status_code == 202
        wait_for(lambda: rt.store.count_events() == 10, what="the first batch in the store")
        own_nats.stop()
        time.sleep(1.5)  # the consumer's fetches fail meanwhile; it must not exit
        own_nats.start()
        wait_for(lambda: post(client, after).status_code == 202, timeout=15, what="publishing again")
        wait_for(lambda: rt.store.count_events() == 20, timeout=30, what="the consumer reconnected")
    assert stored(rt.store) == sent(before + after)
    ingest_store.close()
    rt.close()


def test_erasing_a_visitor_covers_their_events_still_waiting_in_the_stream(sidecar, events_url, monkeypatch):
    monkeypatch.setattr(erasure, "CLOCK_SLACK", timedelta(0))  # one machine's clock here
    client, rt = sidecar
    assert post(client, views("gone", 10) + views("stays", 5, start=50)).status_code == 202
    answer = client.delete("/v1/visitors/gone", headers=SERVER)
    assert answer.status_code == 200
    later = views("gone", 3, start=100)  # the visitor came back and consented again
    assert post(client, later).status_code == 202
    totals = ingest_until_idle(events_url, rt.store)
    assert totals.erased == 10
    assert stored(rt.store) == sent(views("stays", 5, start=50) + later)


class ErasedWhileWriting:
    """A store on which the visitor's erase lands while ingest writes (between its reads of erasures)."""

    def __init__(self, store, visitor_id):
        self.store, self.visitor_id = store, visitor_id

    def add_events_once(self, identified):
        written = self.store.add_events_once(identified)
        erasure.record_erasure(self.store, self.visitor_id)
        self.store.erase_visitor(self.visitor_id)
        return written

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_an_erasure_that_lands_while_ingest_writes_still_removes_the_visitor(sidecar, events_url):
    client, rt = sidecar
    assert post(client, views("gone", 10) + views("stays", 5, start=50)).status_code == 202
    bumped = set()
    totals = ingest_until_idle(events_url, ErasedWhileWriting(rt.store, "gone"),
                               on_written=lambda events: bumped.update(e.visitor_id for e in events))
    assert stored(rt.store) == sent(views("stays", 5, start=50))
    assert bumped == {"stays"}  # the erased visitor's cache generation is not written back
    assert (totals.written, totals.duplicates) == (15, 0)


def test_a_stream_deleted_under_a_running_sidecar_is_made_again(sidecar, events_url):
    client, rt = sidecar
    assert post(client, views("v1", 3)).status_code == 202
    target = parse_events_url(events_url)

    async def delete():
        nc = await nats.connect(list(target.servers))
        await nc.jetstream().delete_stream(target.stream)
        await nc.close()
    asyncio.run(delete())
    # The first publish after it finds nobody holding the subject (503); the next one recreates the stream.
    wait_for(lambda: post(client, views("v2", 3, start=10)).status_code == 202, timeout=10,
             what="publishing to a stream made again")
    ingest_until_idle(events_url, rt.store)
    # v1's events went with the stream the operator deleted; what was accepted afterwards is all there.
    assert stored(rt.store) == sent(views("v2", 3, start=10))


def test_the_embedded_sqlite_store_ingests_from_the_stream_too(tmp_path, events_url):
    client, rt = app_on(tmp_path, f"sqlite:///{tmp_path / 'data' / 'pertinent.db'}", events_url)
    accepted = post_batches(client, 5, 4)
    assert rt.store.count_events() == 0
    assert ingest_until_idle(events_url, rt.store).written == 20
    ingest_until_idle(events_url, rt.store)  # nothing left: nothing written twice
    assert stored(rt.store) == sent(accepted)
    rt.close()


def test_a_consumer_whose_durable_was_deleted_makes_it_again_and_goes_on(sidecar, events_url, monkeypatch):
    from pertinent.ingest import consumer
    monkeypatch.setattr(consumer, "CHECK_EVERY_S", 1.0)
    client, rt = sidecar
    target = parse_events_url(events_url)
    ingest_store = open_store(rt.config.resolved_store_url)
    with BackgroundIngestor(events_url, ingest_store) as ingestor:
        assert post(client, views("v1", 5)).status_code == 202
        wait_for(lambda: rt.store.count_events() == 5, what="the first batch in the store")

        async def delete():
            nc = await nats.connect(list(target.servers))
            await nc.jetstream().delete_consumer(target.stream, ingestor.durable)
            await nc.close()
        asyncio.run(delete())
        assert post(client, views("v2", 5, start=10)).status_code == 202
        wait_for(lambda: rt.store.count_events() == 10, what="the consumer made again")
    assert stored(rt.store) == sent(views("v1", 5) + views("v2", 5, start=10))
    ingest_store.close()
