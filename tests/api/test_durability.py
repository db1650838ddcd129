"""Accepted means durable: events answered with 202 are in the store when it is opened again."""
from __future__ import annotations

from pertinent import create_app
from pertinent.runtime import Runtime


def test_accepted_events_survive_a_new_runtime(config, server):
    first = Runtime.from_config(config)
    client = create_app(config, first).test_client()
    events = [{"type": "click", "visitor_id": "durable", "content_id": str(i)} for i in range(5)]
    answer = client.post("/v1/events", json={"events": events}, headers=server)
    assert answer.status_code == 202 and answer.json["accepted"] == 5
    first.close()

    second = Runtime.from_config(config)
    try:
        exported = create_app(config, second).test_client().get("/v1/visitors/durable", headers=server).json
        assert sorted(e["content_id"] for e in exported["events"]) == ["0", "1", "2", "3", "4"]
    finally:
        second.close()
