"""Accepted events as stream messages and back: JSON, split to fit the server's payload limit.

A message's id is the hash of its payload, and each event's id is that id and its index: a batch the
snippet retries with the same events (they carry their timestamps) publishes the same message, which
JetStream's duplicate window drops and the store's event-id index skips after it. Equal events inside
one batch keep different indexes, so they stay two events, as the direct path stores them.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from ..domain import Event
from ..store.rows import EVENT_FIELDS, event_to_json

VERSION = 1
# Room left under the server's max_payload for the headers (Nats-Msg-Id) and the envelope.
HEADROOM_BYTES = 1024


class BadMessage(ValueError):
    """A message that is not an event batch this release wrote (never retried: it cannot get better)."""


@dataclass(frozen=True)
class Message:
    id: str
    payload: bytes


def message_id(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:32]


def _dump(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def encode(events: list[Event], max_payload: int) -> list[Message]:
    """The events in as few messages as fit max_payload bytes each, in order."""
    limit = max_payload - HEADROOM_BYTES
    chunks: list[list[bytes]] = [[]]
    size = 0
    for event in events:
        item = _dump(event_to_json(event))
        if chunks[-1] and size + len(item) + 1 > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += len(item) + 1
    messages = []
    for chunk in chunks:
        payload = b'{"events":[' + b",".join(chunk) + b'],"v":%d}' % VERSION
        messages.append(Message(message_id(payload), payload))
    return messages


def decode(payload: bytes) -> list[tuple[str, Event]]:
    """(event id, event) pairs of one message; BadMessage when it is not one of ours."""
    try:
        doc = json.loads(payload)
        if not isinstance(doc, dict) or doc.get("v") != VERSION or not isinstance(doc.get("events"), list):
            raise BadMessage(f"not an event batch of version {VERSION}")
        mid = message_id(payload)
        out = []
        for i, item in enumerate(doc["events"]):
            values = {name: item.get(name) for name in EVENT_FIELDS}
            values["timestamp"] = datetime.fromisoformat(values["timestamp"])
            if not isinstance(values["type"], str) or not isinstance(values["visitor_id"], str):
                raise BadMessage(f"event {i} has no type or visitor_id")
            out.append((f"{mid}.{i}", Event(**values)))
        return out
    except (ValueError, TypeError, AttributeError) as exc:  # JSON, fromisoformat, a non-dict item
        if isinstance(exc, BadMessage):
            raise
        raise BadMessage(str(exc)) from None
