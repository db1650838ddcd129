"""`pertinent ingest`'s loop: fetch a batch from the durable consumer, write it to the store, then ack.

At least once: a message is acknowledged only after the store committed its events, so a consumer
killed mid-batch leaves its messages unacknowledged and JetStream redelivers them (after ack_wait) to
whichever consumer fetches next; the store's event-id index writes each event once. While the store
is down the batch is retried with backoff and kept in progress (not redelivered meanwhile); the
stream goes on accepting from the sidecars. Any number of processes on any hosts may share one
durable consumer: JetStream hands each message to one of them at a time.
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import nats.errors
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from ..domain import Event
from ..store.base import Store
from ..store.rows import to_utc
from . import erasure, messages
from .defaults import ACK_WAIT_S, BATCH, DURABLE
from .jetstream import connect, ensure_stream
from .url import EventsStream

log = logging.getLogger("pertinent.ingest")

# Seconds a fetch waits for messages before looking at the stop flag again.
FETCH_WAIT_S = 1.0
FIRST_BACKOFF_S, MAX_BACKOFF_S = 0.5, 30.0
# Seconds of empty fetches between checks that the durable consumer still exists.
CHECK_EVERY_S = 30.0


@dataclass
class Totals:
    """What one consumer did, for its log line and for tests."""

    messages: int = 0
    written: int = 0
    duplicates: int = 0
    refused: int = 0  # messages that were not event batches, terminated (never redelivered)
    erased: int = 0  # events of visitors erased after the stream accepted them, not written
    store_retries: int = 0


class Ingestor:
    """One consumer on the stream's durable pull consumer, writing into one store."""

    def __init__(self, target: EventsStream, store: Store, *, durable: str = DURABLE, batch: int = BATCH,
                 ack_wait: float = ACK_WAIT_S, on_written=None):
        self.target = target
        self.store = store
        self.durable = durable
        self.batch = batch
        self.ack_wait = ack_wait
        # Called with the written events after each commit (the sidecar's cache generations).
        self.on_written = on_written
        self.totals = Totals()
        # One thread for store writes: one store connection, and the event loop never blocks on the store.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pertinent-ingest-store")

    async def run(self, stop: asyncio.Event, idle_exit: float | None = None) -> Totals:
        """Consume until `stop` is set (or, with idle_exit, until no message came for that many seconds)."""
        nc = await self._connect(stop)
        if nc is None:
            return self.totals
        try:
            sub = await self._subscribe(nc, stop)
            if sub is None:
                return self.totals
            log.info("ingest: consuming %s as durable consumer %s", self.target.redacted, self.durable)
            idle = 0.0
            while not stop.is_set():
                batch = await self._fetch(sub)
                if not batch:
                    idle += FETCH_WAIT_S
                    if idle_exit is not None and idle >= idle_exit:
                        break
                    if idle % CHECK_EVERY_S < FETCH_WAIT_S:
                        sub = await self._still_subscribed(nc, sub, stop) or sub
                    continue
                idle = 0.0
                await self._ingest(batch, stop)
        finally:
            await nc.close()  # flushes the acks already sent
            self._writer.shutdown(wait=False)
        return self.totals

    async def _subscribe(self, nc, stop: asyncio.Event):
        """The stream and the durable consumer, made when missing; retried while JetStream is not ready."""
        backoff = FIRST_BACKOFF_S
        while not stop.is_set():
            try:
                js = nc.jetstream()
                await ensure_stream(js, self.target)
                return await js.pull_subscribe(self.target.subject, durable=self.durable,
                                               stream=self.target.stream, config=self._consumer_config())
            except nats.errors.Error as exc:
                log.warning("ingest: cannot subscribe to %s yet, retrying in %.1fs: %s", self.target.redacted,
                            backoff, exc or type(exc).__name__)
                if await _stopped_within(stop, backoff):
                    return None
                backoff = min(backoff * 2, MAX_BACKOFF_S)
        return None

    async def _still_subscribed(self, nc, sub, stop: asyncio.Event):
        """A fetch from a durable consumer (or stream) someone deleted only ever times out, like an empty
        stream would: look now and then, and make them again (None: all is well, or we are stopping)."""
        try:
            await sub.consumer_info()
            return None
        except NotFoundError:
            log.warning("ingest: durable consumer %s of %s is gone; making it again", self.durable,
                        self.target.redacted)
        except nats.errors.Error as exc:  # not reachable right now: the next look will tell
            log.debug("ingest: consumer check failed: %s", exc)
            return None
        await sub.unsubscribe()
        return await self._subscribe(nc, stop)

    async def _connect(self, stop: asyncio.Event):
        """Wait for a NATS server as long as it takes, unless stopped first."""
        name = f"pertinent-ingest-{socket.gethostname()}-{os.getpid()}"
        connecting = asyncio.ensure_future(connect(self.target, name=name, reconnect=True))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not connecting.done():
            connecting.cancel()
            return None
        return connecting.result()

    def _consumer_config(self) -> ConsumerConfig:
        """Used when the durable consumer does not exist yet; an existing one keeps its settings."""
        return ConsumerConfig(durable_name=self.durable, ack_policy=AckPolicy.EXPLICIT,
                              deliver_policy=DeliverPolicy.ALL, ack_wait=self.ack_wait, max_deliver=-1,
                              filter_subject=self.target.subject, max_ack_pending=max(1000, 20 * self.batch))

    async def _fetch(self, sub) -> list:
        try:
            return await sub.fetch(self.batch, timeout=FETCH_WAIT_S)
        except (nats.errors.TimeoutError, asyncio.TimeoutError):  # nothing came (nats-py raises either)
            return []
        except nats.errors.Error as exc:  # closed, reconnecting, no responders: the client reconnects itself
            log.warning("ingest: fetch failed, retrying: %s", exc or type(exc).__name__)
            await asyncio.sleep(FETCH_WAIT_S)
            return []

    async def _ingest(self, batch: list, stop: asyncio.Event) -> None:
        """Decode, write in one transaction (retrying while the store is down), then ack each message."""
        # (when the stream accepted it, (event id, event))
        stamped: list[tuple[datetime, tuple[str, Event]]] = []
        carried: list = []  # the messages to ack once their events are written
        for msg in batch:
            try:
                accepted_at = to_utc(msg.metadata.timestamp)
                stamped.extend((accepted_at, pair) for pair in messages.decode(msg.data))
                carried.append(msg)
            except messages.BadMessage as exc:
                # Not ours (or from a newer release): retrying cannot help, and it must not stall the rest.
                log.error("ingest: message %s is not an event batch, dropped: %s",
                          msg.metadata.sequence.stream, exc)
                self.totals.refused += 1
                await _tell(msg, "term")
        if not carried:
            return
        outcome = await self._write(stamped, carried, stop)
        if outcome is None:  # stopped while the store was down: let another consumer take them now
            for msg in carried:
                await _tell(msg, "nak")
            return
        for msg in carried:
            await _tell(msg, "ack")
        written, offered, still_stored = outcome
        self.totals.messages += len(carried)
        self.totals.written += written
        self.totals.erased += len(stamped) - offered
        self.totals.duplicates += offered - written
        if self.on_written is not None and still_stored:
            try:
                # Not erased visitors: a generation bump would write one back into the cache.
                self.on_written(still_stored)
            except Exception as exc:  # the events are stored; a cache hiccup only delays fresh decisions
                log.warning("ingest: after-write hook failed: %s", exc)

    async def _write(self, stamped: list, carried: list, stop: asyncio.Event) -> tuple[int, int, list] | None:
        """_commit's answer; None when stopped before the store took the events."""
        backoff = FIRST_BACKOFF_S
        while True:
            try:
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(self._writer, self._commit, stamped)
            except Exception as exc:  # an outage, or a bug: either way the events stay unacknowledged
                self.totals.store_retries += 1
                log.warning("ingest: store write of %d events failed, retrying in %.1fs: %s",
                            len(stamped), backoff, exc)
            # Keep the messages ours while waiting, so they are not redelivered to a consumer as stuck.
            for msg in carried:
                await _tell(msg, "in_progress")
            if await _stopped_within(stop, backoff):
                return None
            # Below ack_wait, so the in-progress signal renews the messages before they expire.
            backoff = min(backoff * 2, MAX_BACKOFF_S, self.ack_wait / 2)

    def _commit(self, stamped: list) -> tuple[int, int, list]:
        """Write the events no erasure covers; then erase again any visitor an erasure came in for while
        this wrote (the erase route records it before deleting, so one of the two always sees the other).
        Returns (events new to the store, events offered to it, the events of visitors still stored)."""
        before = erasure.erasures(self.store)
        kept = [pair for at, pair in stamped if not erasure.covered(pair[1].visitor_id, at, before)]
        written = self.store.add_events_once(kept)
        after = erasure.erasures(self.store)
        late = {pair[1].visitor_id for at, pair in stamped
                if erasure.covered(pair[1].visitor_id, at, after)
                and not erasure.covered(pair[1].visitor_id, at, before)}
        for visitor_id in sorted(late):
            self.store.erase_visitor(visitor_id)
        return written, len(kept), [event for _, event in kept if event.visitor_id not in late]


async def _tell(msg, verb: str) -> None:
    """ack, nak, in_progress or term: a lost one only means a redelivery, which the event ids absorb."""
    try:
        await getattr(msg, verb)()
    except nats.errors.Error as exc:
        log.warning("ingest: %s of message %s failed (it will be redelivered): %s", verb,
                    msg.metadata.sequence.stream, exc or type(exc).__name__)


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    """Wait up to `seconds`; True as soon as `stop` is set."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
        return True
    except asyncio.TimeoutError:
        return False
