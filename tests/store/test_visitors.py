"""Privacy: what is stored about a visitor can be exported in full and erased in full."""
from __future__ import annotations

import json

from .helpers import event


def test_export_visitor_is_json_and_holds_all_that_visitors_events(store):
    store.add_events([event("view", "v1", 1, "a", device="mobile"), event("impression", "v1", 2, "b"),
                      event("click", "v2", 3, "c")])
    exported = json.loads(json.dumps(store.export_visitor("v1")))
    assert exported["visitor_id"] == "v1"
    assert [(e["type"], e["content_id"]) for e in exported["events"]] == [("view", "a"), ("impression", "b")]
    assert exported["events"][0]["timestamp"] == "2026-03-01T12:00:01+00:00"
    assert exported["events"][0]["device"] == "mobile"
    assert not any(k in exported["events"][0] for k in ("ip", "ip_address", "user_agent"))


def test_export_of_an_unknown_visitor_is_empty(store):
    assert store.export_visitor("nobody") == {"visitor_id": "nobody", "events": []}


def test_erase_visitor_removes_all_and_only_that_visitors_rows(store):
    store.add_events([event("view", "v1", i) for i in range(5)] + [event("impression", "v1", 9)]
                     + [event("view", "v2", i) for i in range(3)] + [event("view", "v10", 1)])
    assert store.erase_visitor("v1") == 6
    assert store.export_visitor("v1")["events"] == []
    assert store.count_events() == 4
    assert len(store.visitor_history("v2")) == 3 and len(store.visitor_history("v10")) == 1
    assert store.erase_visitor("v1") == 0
