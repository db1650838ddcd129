"""Connecting to NATS and making sure the events stream exists: shared by the publisher and `ingest`."""
from __future__ import annotations

import logging

import nats
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from .url import EventsStream

log = logging.getLogger("pertinent.ingest")

# Seconds. Short: a request waits on it when the server is gone, and must answer 503 rather than hang.
CONNECT_TIMEOUT_S = 1.0
# JetStream drops a message whose id it saw within this window: a publish retried after a lost ack.
DUPLICATE_WINDOW_S = 120.0


class StreamUnavailable(Exception):
    """The stream cannot be reached or did not acknowledge in time (the events route answers 503)."""


async def connect(target: EventsStream, *, name: str, reconnect: bool) -> nats.NATS:
    """A connection to the first server that answers.

    reconnect=False (the sidecar): one try per server, and a connection that drops is closed, so a
    request answers 503 at once and the next one connects again. reconnect=True (`ingest`): wait for a
    server as long as it takes and reconnect by itself after a drop.
    """
    made: list[nats.NATS] = []

    async def disconnected() -> None:
        if made and not made[0].is_closed:  # a close() we asked for is not worth a warning
            log.warning("NATS: disconnected from %s", target.redacted)

    nc = await nats.connect(
        servers=list(target.servers), name=name, connect_timeout=CONNECT_TIMEOUT_S,
        allow_reconnect=reconnect, max_reconnect_attempts=-1 if reconnect else 1,
        reconnect_time_wait=0.5 if reconnect else 0.05,
        # Log instead of nats-py's default of printing tracebacks to stderr.
        error_cb=_log_error, disconnected_cb=disconnected, reconnected_cb=_log_reconnect)
    made.append(nc)
    return nc


async def ensure_stream(js: JetStreamContext, target: EventsStream) -> None:
    """Create the stream when missing. An operator's own stream of that name is used as it is.

    Work-queue retention: a message is deleted once `ingest` acknowledged it (the store has it), so the
    stream holds only what is not ingested yet. File storage: it survives a NATS restart.
    """
    try:
        await js.stream_info(target.stream)
        return
    except NotFoundError:
        pass
    config = StreamConfig(name=target.stream, subjects=[target.subject], retention=RetentionPolicy.WORK_QUEUE,
                          storage=StorageType.FILE, duplicate_window=DUPLICATE_WINDOW_S)
    try:
        await js.add_stream(config)
        log.info("created JetStream stream %s (subject %s)", target.stream, target.subject)
    except BadRequestError:  # another process created it meanwhile
        await js.stream_info(target.stream)


async def _log_error(exc: Exception) -> None:
    log.warning("NATS: %s", exc or type(exc).__name__)


async def _log_reconnect() -> None:
    log.info("NATS: reconnected")
