"""Events through a durable stream (NATS JetStream), for sites whose event rate or uptime needs outgrow
one store: the sidecar publishes accepted events (a 202 means the stream has them) and `pertinent
ingest` writes them to the store in batches, at least once, idempotently by event id.

Chosen by PERTINENT_EVENTS_URL; without it events go straight to the store (api/events.py).
"""


def register(sub) -> None:
    """`pertinent ingest` on the CLI's subcommands (the NATS client is imported only when it runs)."""
    from .command import register as register_command

    register_command(sub)
