"""Publishing accepted events from the sync request handlers: one client and event loop per process.

gunicorn's workers are synchronous and nats-py is asyncio, so each process runs one event loop on a
daemon thread and request threads hand it their batch and wait for the stream's acknowledgement. The
loop is made on first use in each process (after gunicorn's fork: a thread does not survive a fork).
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout

from nats.errors import NoRespondersError
from nats.js.errors import NoStreamResponseError

from ..domain import Event
from . import messages
from .jetstream import StreamUnavailable, connect, ensure_stream
from .url import EventsStream, parse_events_url

log = logging.getLogger("pertinent.ingest")

# Seconds a request waits for the stream's acknowledgement before answering 503.
PUBLISH_TIMEOUT_S = 2.0
# After a failed connect, requests answer 503 at once for this long instead of each waiting to fail.
RETRY_CONNECT_AFTER_S = 1.0


class StreamPublisher:
    """Publishes batches to one stream; publish() returns only after JetStream acknowledged every message."""

    def __init__(self, target: EventsStream, timeout: float = PUBLISH_TIMEOUT_S):
        self.target = target
        self.timeout = timeout
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pertinent-events-stream",
                                        daemon=True)
        self._thread.start()
        self._nc = None
        self._js = None
        self._failed_at = 0.0
        self._connecting = asyncio.Lock()

    def publish(self, events: list[Event]) -> int:
        """Append the events to the stream; returns how many messages carried them. StreamUnavailable
        when the stream is unreachable or did not acknowledge within the timeout: nothing is promised."""
        future = asyncio.run_coroutine_threadsafe(self._publish(events), self._loop)
        try:
            return future.result(self.timeout + 0.5)
        except FutureTimeout:
            future.cancel()
            raise StreamUnavailable(f"stream {self.target.redacted} did not acknowledge in time") from None

    async def _publish(self, events: list[Event]) -> int:
        js, nc = await self._connected()
        batch = messages.encode(events, nc.max_payload)
        try:
            acks = await asyncio.wait_for(asyncio.gather(*(
                js.publish(self.target.subject, m.payload, timeout=self.timeout,
                           headers={"Nats-Msg-Id": m.id}) for m in batch)), self.timeout)
        except Exception as exc:  # timeouts, no responders while JetStream restarts, a closed connection
            if isinstance(exc, (NoRespondersError, NoStreamResponseError)):
                # Nothing holds the subject (the stream was deleted): the next request connects afresh,
                # which makes the stream again.
                await nc.close()
            raise StreamUnavailable(f"stream {self.target.redacted} did not acknowledge: "
                                    f"{exc or type(exc).__name__}") from None
        return len(acks)

    async def _connected(self):
        async with self._connecting:
            if self._nc is not None and not self._nc.is_closed:
                return self._js, self._nc
            if time.monotonic() - self._failed_at < RETRY_CONNECT_AFTER_S:
                raise StreamUnavailable(f"stream {self.target.redacted} is not reachable (retrying shortly)")
            try:
                nc = await asyncio.wait_for(connect(self.target, name=f"pertinent-sidecar-{os.getpid()}",
                                                    reconnect=False),
                                            self.timeout)
                js = nc.jetstream(timeout=self.timeout)
                await ensure_stream(js, self.target)
            except Exception as exc:
                self._failed_at = time.monotonic()
                raise StreamUnavailable(f"stream {self.target.redacted} is not reachable: "
                                        f"{exc or type(exc).__name__}") from None
            self._nc, self._js = nc, js
            return js, nc

    def close(self) -> None:
        """Drain the connection and stop the loop; safe to call twice."""
        if not self._loop.is_running():
            return
        if self._nc is not None:
            try:
                asyncio.run_coroutine_threadsafe(self._nc.close(), self._loop).result(self.timeout)
            except Exception as exc:  # closing a connection to a server that is gone is not worth an error
                log.debug("closing the NATS connection: %s", exc)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(self.timeout)


_publishers: dict[tuple[int, str], StreamPublisher] = {}
_lock = threading.Lock()


def publisher_for(url: str) -> StreamPublisher:
    """This process's publisher for a PERTINENT_EVENTS_URL, made on first use."""
    key = (os.getpid(), url)
    with _lock:
        found = _publishers.get(key)
        if found is None:
            found = _publishers[key] = StreamPublisher(parse_events_url(url))
        return found


def close_publishers() -> None:
    """Close this process's publishers (tests, shutdown)."""
    pid = os.getpid()
    with _lock:
        for key in [k for k in _publishers if k[0] == pid]:
            _publishers.pop(key).close()
