"""Every error class a client can provoke answers JSON with a stable code; none of them is a 500."""
from __future__ import annotations

import io
import json

import pytest
from pertinent import create_app

from tests.api.conftest import make_config


def test_unknown_route_is_404_json(client):
    answer = client.get("/v1/nothing-here")
    assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found"


def test_wrong_method_is_405_json_with_allow(client, server):
    answer = client.patch("/v1/decide", headers=server)
    assert answer.status_code == 405 and answer.json["error"]["code"] == "method_not_allowed"
    assert "POST" in answer.headers["Allow"]


def test_unparsable_json_is_400(client, server):
    answer = client.post("/v1/decide", data="{\"slots\": [", content_type="application/json", headers=server)
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_json"


def test_non_json_content_type_is_415(client, server):
    answer = client.put("/v1/content/1", data="title=x", content_type="application/x-www-form-urlencoded",
                        headers=server)
    assert answer.status_code == 415 and answer.json["error"]["code"] == "unsupported_media_type"


def test_text_plain_is_only_accepted_where_browsers_need_it(client, server):
    answer = client.put("/v1/content/1", data="{}", content_type="text/plain", headers=server)
    assert answer.status_code == 415


@pytest.mark.parametrize("body, field", [
    ({"slots": [{"name": "a"}, {"name": "b"}, {"name": "c", "kind": "popup"}]}, "slots[2].kind"),
    ({"slots": [{"name": "a", "count": 0}]}, "slots[0].count"),
    ({"slots": [{"name": "a", "count": 51}]}, "slots[0].count"),
    ({"slots": [{"name": f"s{i}"} for i in range(21)]}, "slots"),
    ({"slots": []}, "slots"),
    ({}, "slots"),
    ({"slots": [{"name": "a"}, {"name": "a"}]}, "slots[1].name"),
    ({"slots": [{"kind": "banner"}]}, "slots[0].name"),
    ({"slots": [{"name": "a", "candidates": [1, None]}]}, "slots[0].candidates[1]"),
    ({"slots": [{"name": "a", "filters": {"colour": ["red"]}}]}, "slots[0].filters.colour"),
    ({"slots": [{"name": "a"}], "context": {"consent": "yes"}}, "context.consent"),
    # null is not "unknown, assume yes": a client unsure of consent must say false.
    ({"slots": [{"name": "a"}], "context": {"consent": None}}, "context.consent"),
    ({"slots": [{"name": " "}]}, "slots[0].name"),
    ({"slots": [{"name": "a"}], "context": {"visit_count": -1}}, "context.visit_count"),
    ({"slots": [{"name": "a"}], "context": "home"}, "context"),
    ([1, 2], "body"),
])
def test_decide_schema_errors_are_422_naming_the_field(client, server, body, field):
    answer = client.post("/v1/decide", json=body, headers=server)
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["field"] == field


@pytest.mark.parametrize("item, field", [
    ({"status": "published"}, "status"),
    ({"tags": "a,b", "categories": [1]}, "categories[0]"),
    ({"published_at": "last tuesday"}, "published_at"),
    ({"targeting": [{"action": "boost"}]}, "targeting[0].action"),
    ({"targeting": [{"action": "pin", "when": {"utm_sorce": "x"}}]}, "targeting[0].when.utm_sorce"),
    ({"targeting": [{"action": "pin", "when": {"hours": [9]}}]}, "targeting[0].when.hours"),
    ({"targeting": [{"action": "pin", "when": {"days": [7]}}]}, "targeting[0].when.days[0]"),
    # Rules the decision core cannot compile: refused here, not silently dropped at decide time.
    ({"targeting": [{"action": "pin", "when": {"hours": [5, 5]}}]}, "targeting[0].when.hours"),
    ({"targeting": [{"action": "pin", "when": {"hours": [24, 3]}}]}, "targeting[0].when.hours[0]"),
    ({"targeting": [{"action": "pin"}, {"action": "pin", "when": {"days": []}}]}, "targeting[1].when.days"),
    ({"targeting": [{"action": "pin", "when": {"days": [1, 1]}}]}, "targeting[0].when.days"),
    ({"targeting": [{"action": "pin", "when": {"device": " "}}]}, "targeting[0].when.device"),
    ({"targeting": [{"action": "pin", "when": {"visit_count_min": True}}]},
     "targeting[0].when.visit_count_min"),
    ({"targeting": [{"action": "pin", "slots": ["hero", "hero"]}]}, "targeting[0].slots"),
    ({"targeting": [{"action": "pin"}] * 21}, "targeting"),
    ({"meta": {"topics": [["nested"]]}}, "meta.topics[0]"),
])
def test_content_schema_errors_are_422_naming_the_field(client, server, item, field):
    answer = client.put("/v1/content/9", json=item, headers=server)
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["field"] == field


def test_bulk_content_refuses_a_rule_the_core_cannot_compile_and_stores_nothing(client, server):
    items = [{"id": "ok", "title": "fine"},
             {"id": "bad", "targeting": [{"action": "pin", "when": {"hours": [5, 5]}}]}]
    answer = client.post("/v1/content/bulk", json={"items": items}, headers=server)
    assert answer.status_code == 422 and answer.json["error"]["field"] == "items[1].targeting[0].when.hours"
    assert client.get("/v1/content/ok", headers=server).status_code == 404


def test_a_stored_rule_reads_back_as_saved(client, server):
    rule = {"action": "exclude", "slots": ["hero"], "when": {"hours": [22, 6], "role": "anonymous"}}
    assert client.put("/v1/content/r", json={"targeting": [rule]}, headers=server).status_code == 200
    assert client.get("/v1/content/r", headers=server).json["targeting"] == [rule]


def test_event_timestamp_errors_name_the_item(client, server):
    events = [{"type": "view", "visitor_id": "v", "timestamp": "x"}]
    answer = client.post("/v1/events", json={"events": events}, headers=server)
    assert answer.json["rejected"][0]["field"] == "events[0].timestamp"


def test_body_over_the_limit_is_413(tmp_path, runtime, server):
    app = create_app(make_config(tmp_path, max_body_bytes=200), runtime)
    answer = app.test_client().put("/v1/content/1", json={"text": "x" * 500}, headers=server)
    assert answer.status_code == 413 and answer.json["error"]["code"] == "body_too_large"


def test_chunked_body_over_the_limit_is_413(tmp_path, runtime, server):
    app = create_app(make_config(tmp_path, max_body_bytes=200), runtime)
    body = io.BytesIO(json.dumps({"text": "x" * 500}).encode())
    # No Content-Length: the server only learns the size while reading, as with Transfer-Encoding: chunked.
    answer = app.test_client().put("/v1/content/1", input_stream=body, content_type="application/json",
                                   headers=server, environ_overrides={"wsgi.input_terminated": True})
    assert answer.status_code == 413


def test_event_batch_over_the_limit_is_413(tmp_path, runtime, server):
    app = create_app(make_config(tmp_path, max_events_per_batch=3), runtime)
    events = [{"type": "view", "visitor_id": "v"}] * 4
    answer = app.test_client().post("/v1/events", json={"events": events}, headers=server)
    assert answer.status_code == 413 and answer.json["error"]["field"] == "events"


def test_content_batch_over_the_limit_is_413(tmp_path, runtime, server):
    app = create_app(make_config(tmp_path, max_content_per_batch=2), runtime)
    items = [{"id": str(i)} for i in range(3)]
    answer = app.test_client().post("/v1/content/bulk", json={"items": items}, headers=server)
    assert answer.status_code == 413 and answer.json["error"]["field"] == "items"


BAD_BODIES = [
    b"", b" ", b"null", b"0", b"\"slots\"", b"[]", b"{}", b"{\"slots\": null}", b"{\"slots\": {}}",
    b"{\"slots\": [null]}", b"{\"slots\": [[]]}", b"{\"slots\": [{\"name\": 1}]}",
    b"{\"slots\": [{\"name\": \"a\", \"count\": 1.5}]}", b"{\"slots\": [{\"name\": \"a\", \"count\": true}]}",
    b"{\"slots\": [{\"name\": \"a\", \"count\": 1e400}]}",
    b"{\"slots\": [{\"name\": \"a\", \"count\": NaN}]}",
    b"{\"slots\": [{\"name\": \"a\", \"candidates\": \"12,13\"}]}", b"{\"visitor_id\": {}, \"slots\": []}",
    b"{\"slots\": [{\"name\": \"a\"}], \"context\": {\"utm\": [1]}}",
    b"{\"slots\": [{\"name\": \"a\"}], \"context\": {\"utm\": {\"source\": 5}}}",
    b"{\"events\": [1, null, \"x\", [], {\"type\": \"view\", \"visitor_id\": \"v\", \"timestamp\": 1e300}]}",
    b"{\"events\": [{\"type\": \"view\", \"visitor_id\": \"v\", \"timestamp\": -5, \"value\": \"NaN\"}]}",
    b"{\"events\": [{\"type\": \"view\", \"visitor_id\": \"v\", \"timestamp\": \"9999-99-99\"}]}",
    b"{\"events\": [{\"type\": \"view\", \"visitor_id\": \"v\", \"context\": {\"referrer\": \"http://[::1\"}}]}",
    b"{\"events\": [{\"type\": \"view\", \"visitor_id\": \"v\", \"context\": []}]}",
    b"{\"events\": {}}", b"{\"items\": [{\"id\": null}]}", b"{\"items\": [{\"id\": true}]}",
    b"\xff\xfe\x00garbage", b"{\"a\": \"\\ud800\"}", b"[" * 50_000, b"{\"slots\": " + b"[" * 5000,
    json.dumps({"slots": [{"name": "a" * 100}]}).encode(),
]


@pytest.mark.parametrize("path", ["/v1/decide", "/v1/events", "/v1/content/bulk", "/v1/content/x"])
def test_no_bad_body_ever_gets_a_500(client, server, path):
    method = client.put if path == "/v1/content/x" else client.post
    for body in BAD_BODIES:
        answer = method(path, data=body, content_type="application/json", headers=server)
        assert answer.status_code < 500, (path, body[:80], answer.status_code)
        assert answer.is_json and ("error" in answer.json or answer.status_code in (200, 202)), body[:80]


@pytest.mark.parametrize("query", ["k=0", "k=51", "k=abc", "k=", "visitor_id=" + "v" * 300, "k=1.5"])
def test_bad_recommendation_queries_are_client_errors(client, server, query):
    answer = client.get(f"/v1/recommendations?{query}", headers=server)
    assert 400 <= answer.status_code < 500 or (query == "k=" and answer.status_code == 200)


def test_a_store_outage_is_503_not_500(client, server, runtime, monkeypatch):
    import sqlite3

    def locked(items):
        raise sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(runtime.store, "upsert_content", locked)
    monkeypatch.setattr(runtime.store, "add_events", locked)
    put = client.put("/v1/content/1", json={"title": "x"}, headers=server)
    events = client.post("/v1/events", json={"events": [{"type": "view", "visitor_id": "v"}]}, headers=server)
    for answer in (put, events):
        assert answer.status_code == 503 and answer.json["error"]["code"] == "store_unavailable"
