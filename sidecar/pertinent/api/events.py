"""Behaviour events in batches: each item validated on its own; accepted ones are durable before 202
(in the store, or in the events stream when PERTINENT_EVENTS_URL names one)."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from flask import Blueprint

from .. import metrics
from ..auth import PUBLIC, access
from ..errors import PertinentError, ValidationError
from . import guard, runtime, settings
from .body import read_json
from .contract.events import parse_batch, parse_event
from .errors import is_backend_outage

bp = Blueprint("events", __name__)
log = logging.getLogger("pertinent.api")


@bp.post("/v1/events")
@access(PUBLIC)
def post_events():
    """Store the valid events in one transaction, list the rejected ones with index, field and reason."""
    body = parse_batch(read_json(allow_text_plain=True, items_checked_by_caller="events"))
    raw_events = body.events
    limit = settings().max_events_per_batch
    if len(raw_events) > limit:
        message = f"at most {limit} events per request (PERTINENT_MAX_EVENTS_PER_BATCH)"
        raise PertinentError("batch_too_large", message, field="events", status=413)
    # Without consent nothing is stored: the whole batch is refused, item by item, so callers can count.
    consent = body.consent
    now = datetime.now(timezone.utc)
    accepted, rejected = [], []
    for i, raw in enumerate(raw_events):
        try:
            if not consent or _item_refuses_consent(raw):
                rejected.append({"index": i, "field": "consent", "reason": "no_consent",
                                 "message": "the visitor did not consent; nothing was stored"})
                continue
            refused = guard.problem(raw, f"events[{i}]", depth=2)
            if refused is not None:
                raise refused
            accepted.append(parse_event(raw, f"events[{i}]", now))
        except ValidationError as exc:
            rejected.append({"index": i, "field": exc.field, "reason": exc.code, "message": exc.message})
    rt = runtime()
    if accepted:
        events_url = settings().events_url
        if events_url:
            _append_to_stream(events_url, accepted)
        else:
            _store(rt.store, accepted)
        # The visitors' cached decisions are stale now: their history changed. The events are already
        # stored, so a cache hiccup must not turn the answer into an error (TTLs bound the staleness).
        try:
            rt.cache.bump_generation(sorted({e.visitor_id for e in accepted}))
        except Exception as exc:
            log.warning("events: cache generation bump failed: %s", exc)
    metrics.observe_events(len(accepted), rejected)
    return {"accepted": len(accepted), "rejected": rejected}, 202


def _store(store, accepted) -> None:
    """Straight into the store, durable before the 202."""
    try:
        store.add_events(accepted)
    except Exception as exc:
        if not is_backend_outage(exc):
            raise  # validated input the store refuses is our bug (a 500), never a retry loop
        # Not the client's fault and nothing was stored: say so, so the snippet retries later.
        log.error("events: store write failed: %s", exc)
        message = "events could not be stored; retry later"
        raise PertinentError("store_unavailable", message, status=503) from None


def _append_to_stream(events_url: str, accepted) -> None:
    """Into the durable stream (PERTINENT_EVENTS_URL), acknowledged before the 202; `pertinent ingest`
    writes them to the store. The store may be down meanwhile: the stream keeps accepting."""
    from ..ingest.jetstream import StreamUnavailable  # only here: nats-py is needed only with the setting
    from ..ingest.publisher import publisher_for

    try:
        publisher_for(events_url).publish(accepted)
    except StreamUnavailable as exc:
        log.error("events: stream publish failed: %s", exc)
        message = "events could not be queued; retry later"
        raise PertinentError("stream_unavailable", message, status=503) from None


def _item_refuses_consent(raw) -> bool:
    """An item may carry its own `context.consent: false` (a snippet batching across a consent change)."""
    context = raw.get("context") if isinstance(raw, dict) else None
    return isinstance(context, dict) and context.get("consent") is False
