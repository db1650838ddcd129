"""Fixtures for the events stream: a stream of each test's own on the real NATS server, the API
publishing to it, a consumer run in process, and a NATS server of the test's own to stop and restart."""
from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pertinent import create_app
from pertinent.ingest.consumer import Ingestor
from pertinent.ingest.publisher import close_publishers
from pertinent.ingest.url import parse_events_url
from pertinent.runtime import Runtime

from tests.api.conftest import API_KEY, make_config
from tests.support.net import free_port
from tests.support.services import nats_stream, postgres_schema

SERVER = {"Authorization": f"Bearer {API_KEY}"}
# Short, so a killed consumer's messages come back within the test (production default: 30 s).
ACK_WAIT_S = 2.0


@pytest.fixture
def events_url():
    with nats_stream("ingest") as url:
        yield url
    close_publishers()


@pytest.fixture
def pg_url():
    with postgres_schema("ingest") as url:
        yield url


def app_on(tmp_path, store_url: str, events_url: str):
    """(client, runtime) of an app publishing accepted events to `events_url`; close the runtime after."""
    rt = Runtime.from_config(make_config(tmp_path, store_url=store_url, events_url=events_url))
    return create_app(rt.config, rt, test_config={"TESTING": True}).test_client(), rt


@pytest.fixture
def sidecar(tmp_path, events_url, pg_url):
    """(client, runtime) of an app publishing to the test's stream; store: PostgreSQL."""
    client, rt = app_on(tmp_path, pg_url, events_url)
    yield client, rt
    rt.close()


def post(client, events, **extra) -> object:
    return client.post("/v1/events", json={"events": events, **extra}, headers=SERVER)


def post_batches(client, batches: int, size: int) -> list[dict]:
    """`batches` posts of `size` views by a visitor each; every one must be answered 202. All events sent."""
    accepted = []
    for n in range(batches):
        batch = views(f"v{n}", size, start=n * size)
        answer = post(client, batch)
        assert answer.status_code == 202, answer.get_data(as_text=True)
        accepted += batch
    return accepted


def views(visitor: str, n: int, start: int = 0) -> list[dict]:
    """n view events with explicit, distinct timestamps (what the snippet sends)."""
    t0 = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    return [{"type": "view", "visitor_id": visitor, "content_id": f"p{i % 7}",
             "timestamp": (t0 + timedelta(seconds=start + i)).isoformat()} for i in range(n)]


def ingest_until_idle(events_url: str, store, idle: float = 1.0, **options):
    """Run one consumer until no message came for `idle` seconds; its totals."""
    ingestor = Ingestor(parse_events_url(events_url), store, **options)
    return asyncio.run(ingestor.run(asyncio.Event(), idle_exit=idle))


class BackgroundIngestor:
    """A consumer on a thread of its own, running until stop()."""

    def __init__(self, events_url: str, store, **options):
        self.ingestor = Ingestor(parse_events_url(events_url), store, **options)
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._loop.run_until_complete,
                                        args=(self.ingestor.run(self._stop),), daemon=True)

    def __enter__(self):
        self._thread.start()
        return self.ingestor

    def __exit__(self, *exc):
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        assert not self._thread.is_alive(), "the consumer did not stop within 30 s"


def wait_for(condition, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


class OwnNatsServer:
    """A nats-server with JetStream on a free port and a store folder of its own, to stop and restart."""

    def __init__(self, folder: Path):
        self.binary = shutil.which("nats-server") or "/usr/sbin/nats-server"
        self.folder = folder
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen([self.binary, "-js", "-a", "127.0.0.1", "-p", str(self.port),
                                      "-sd", str(self.folder)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError(f"nats-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def own_nats(tmp_path):
    if not Path(shutil.which("nats-server") or "/usr/sbin/nats-server").exists():
        pytest.fail("nats-server is not installed (run `make services`)", pytrace=False)
    server = OwnNatsServer(tmp_path / "jetstream")
    server.start()
    yield server
    server.stop()
    close_publishers()
