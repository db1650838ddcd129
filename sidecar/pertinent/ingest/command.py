"""`pertinent ingest`: consume the events stream (PERTINENT_EVENTS_URL) into the store until stopped."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from ..errors import ConfigError

log = logging.getLogger("pertinent.ingest")


def register(sub) -> None:
    """`pertinent ingest` on the CLI's subcommands."""
    from .defaults import ACK_WAIT_S, BATCH, DURABLE

    parser = sub.add_parser("ingest", help="write events from the stream (PERTINENT_EVENTS_URL) to the store")
    parser.add_argument("--batch", type=int, default=BATCH,
                        help=f"messages fetched and written per transaction (default {BATCH})")
    parser.add_argument("--durable", default=DURABLE,
                        help=f"the durable consumer every ingest process shares (default {DURABLE})")
    parser.add_argument("--ack-wait", type=float, default=ACK_WAIT_S,
                        help="seconds before an unacknowledged message is redelivered, set when the "
                             f"durable consumer is created (default {ACK_WAIT_S:g})")
    parser.add_argument("--until-idle", type=float, default=None, metavar="SECONDS",
                        help="exit once no message came for this long (backfills, cron, tests)")
    parser.set_defaults(func=cmd_ingest)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Run one consumer with plain log lines on stderr; SIGTERM or Ctrl-C stops it after the current batch."""
    from ..cache import open_cache
    from ..config import load_config
    from ..store import open_store
    from .consumer import Ingestor
    from .url import parse_events_url

    config = load_config()
    logging.basicConfig(level=config.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not config.events_url:
        raise ConfigError("PERTINENT_EVENTS_URL is not set: there is no stream to ingest "
                          "(e.g. nats://127.0.0.1:4222/pertinent-events)")
    if args.batch < 1:
        raise ConfigError(f"--batch {args.batch}: expected at least 1")
    if args.ack_wait <= 0:
        raise ConfigError(f"--ack-wait {args.ack_wait}: expected more than 0 seconds")
    store = open_store(config.resolved_store_url)
    cache = open_cache(config.resolved_cache_url)

    def bump(events) -> None:
        # The visitors' cached decisions predate these events; same as the direct path does on write.
        cache.bump_generation(sorted({e.visitor_id for e in events}))

    ingestor = Ingestor(parse_events_url(config.events_url), store, durable=args.durable, batch=args.batch,
                        ack_wait=args.ack_wait, on_written=bump)
    try:
        totals = asyncio.run(_run(ingestor, args.until_idle))
    finally:
        store.close()
        cache.close()
    log.info("ingest: stopped; %d messages, %d events written, %d duplicates skipped, %d refused",
             totals.messages, totals.written, totals.duplicates, totals.refused)
    return 0


async def _run(ingestor, until_idle):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return await ingestor.run(stop, idle_exit=until_idle)
