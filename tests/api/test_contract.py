"""/openapi.json and the API draw the same line: a body the document allows is accepted, one it refuses
is a 422, and every answer fits the response schema the document gives (nullable fields included)."""
from __future__ import annotations

from datetime import datetime, timezone

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pertinent.api.contract.content import parse_bulk, parse_content
from pertinent.api.contract.decide import parse_decide
from pertinent.api.contract.events import parse_batch, parse_event
from pertinent.errors import ValidationError

SLOT = {"name": "hero"}


def validator(doc: dict, schema: dict) -> jsonschema.Draft202012Validator:
    """A validator for `schema` whose #/components/... references resolve inside the document."""
    return jsonschema.Draft202012Validator({**schema, "components": doc["components"]})


def request_schema(doc, path, method) -> dict:
    return doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]


def response_schema(doc, path, method, status) -> dict:
    return doc["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]


@pytest.mark.parametrize("path, method, body", [
    ("/v1/decide", "post", {"slots": [SLOT], "context": {"consent": None}}),
    ("/v1/decide", "post", {"slots": [SLOT], "context": {"consent": False, "url": "", "segment": None}}),
    ("/v1/decide", "post", {"slots": [{"name": ""}]}),
    ("/v1/decide", "post", {"slots": [{"name": " "}]}),
    ("/v1/decide", "post", {"slots": [SLOT], "visitor_id": ""}),
    ("/v1/decide", "post", {"slots": [SLOT], "visitor_id": "a/b"}),
    ("/v1/decide", "post", {"slots": [{"name": "hero", "count": True}]}),
    ("/v1/decide", "post", {"slots": [{"name": "hero", "candidates": [7, "8"]}]}),
    ("/v1/decide", "post", {"slots": [{"name": "hero", "kind": None, "count": None}]}),
    ("/v1/events", "post", {"events": [], "consent": None}),
    ("/v1/events", "post", {"events": [{"type": "view", "visitor_id": "v"}], "consent": True}),
    ("/v1/content/{content_id}", "put", {"published_at": "", "starts_at": None, "title": ""}),
    ("/v1/content/{content_id}", "put", {"published_at": 1767225600, "tags": "one"}),
    ("/v1/content/{content_id}", "put", {"targeting": [{"action": "pin", "when": {"hours": [5, 5]}}]}),
    ("/v1/content/{content_id}", "put", {"targeting": [{"action": "pin", "when": {"days": []}}]}),
    ("/v1/content/{content_id}", "put", {"targeting": [{"action": "pin", "slots": [""]}]}),
    ("/v1/content/{content_id}", "put", {"status": None, "meta": {"topics": ["a"], "free": {"x": 1}}}),
    ("/v1/content/bulk", "post", {"items": [{"id": "a"}, {"id": ""}]}),
    ("/v1/content/bulk", "post", {"items": [{"id": 12, "title": "twelve"}]}),
])
def test_the_document_and_the_api_accept_the_same_bodies(client, server, path, method, body):
    doc = client.get("/openapi.json").json
    allowed = validator(doc, request_schema(doc, path, method)).is_valid(body)
    url = path.replace("{content_id}", "c1")
    answer = client.open(url, method=method.upper(), json=body, headers=server)
    assert answer.status_code < 300 if allowed else answer.status_code == 422, (allowed, answer.json)


def assert_fits(doc, path, method, status, answer):
    assert answer.status_code == status, answer.json
    validator(doc, response_schema(doc, path, method, status)).validate(answer.json)


def test_answers_fit_their_documented_schemas_nulls_included(client, server):
    doc = client.get("/openapi.json").json
    stored = client.put("/v1/content/c1", json={"title": "Hi"}, headers=server)
    assert stored.json["published_at"] is None  # the case the old document typed as a string
    assert_fits(doc, "/v1/content/{content_id}", "put", 200, stored)
    assert_fits(doc, "/v1/content/{content_id}", "get", 200, client.get("/v1/content/c1", headers=server))
    assert_fits(doc, "/v1/content/bulk", "post", 200,
                client.post("/v1/content/bulk", json={"items": [{"id": "c2"}]}, headers=server))
    decided = client.post("/v1/decide", json={"slots": [SLOT]}, headers=server)
    assert_fits(doc, "/v1/decide", "post", 200, decided)
    events = {"events": [{"type": "view", "visitor_id": "v"}, {"type": "nope", "visitor_id": "v"}]}
    assert_fits(doc, "/v1/events", "post", 202, client.post("/v1/events", json=events, headers=server))
    assert_fits(doc, "/v1/recommendations", "get", 200,
                client.get("/v1/recommendations?content_id=c1", headers=server))
    assert_fits(doc, "/healthz", "get", 200, client.get("/healthz"))
    assert_fits(doc, "/readyz", "get", 200, client.get("/readyz"))
    started = client.post("/v1/experiments", json={"name": "spring"}, headers=server)
    assert_fits(doc, "/v1/experiments", "post", 201, started)
    assert_fits(doc, "/v1/experiments", "get", 200, client.get("/v1/experiments", headers=server))
    stopped = client.post(f"/v1/experiments/{started.json['id']}/stop", headers=server)
    assert_fits(doc, "/v1/experiments/{experiment_id}/stop", "post", 200, stopped)
    erased = client.delete("/v1/visitors/v", headers=server)
    assert_fits(doc, "/v1/visitors/{visitor_id}", "delete", 200, erased)
    deleted = client.delete("/v1/content/c1", headers=server)
    assert_fits(doc, "/v1/content/{content_id}", "delete", 200, deleted)


def test_errors_fit_the_error_schema_and_their_statuses_are_listed(client, server):
    doc = client.get("/openapi.json").json
    long_id = "x" * 192
    answer = client.get(f"/v1/content/{long_id}", headers=server)
    assert answer.status_code == 422 and "422" in doc["paths"]["/v1/content/{content_id}"]["get"]["responses"]
    validator(doc, {"$ref": "#/components/schemas/Error"}).validate(answer.json)
    for item in doc["paths"].values():
        for method, operation in item.items():
            if method != "parameters":
                assert {"414", "431"} <= set(operation["responses"]), method


def test_a_batch_with_consent_null_is_refused_whole(client, server):
    batch = {"events": [{"type": "view", "visitor_id": "v"}], "consent": None}
    answer = client.post("/v1/events", json=batch, headers=server)
    assert answer.status_code == 422 and answer.json["error"]["field"] == "consent"


def test_the_events_array_documents_its_items(client):
    doc = client.get("/openapi.json").json
    events = doc["components"]["schemas"]["EventBatch"]["properties"]["events"]
    assert events["items"] == {"$ref": "#/components/schemas/Event"}


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", " ", "hero", "2026-03-02T10:00:00Z", "a/b", "..", "x" * 300, "pin", "view"])
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["slots", "name", "kind", "count", "candidates", "filters", "context", "consent",
                         "utm", "visit_count", "events", "type", "visitor_id", "timestamp", "value", "title",
                         "tags", "meta", "topics", "targeting", "action", "when", "hours", "days",
                         "published_at", "items", "id", "status", "x"]), inner, max_size=5),
    max_leaves=12)




def shaped(keys: tuple[str, ...], **fixed):
    """Objects with some of `keys` (any JSON values) and the `fixed` ones: deep enough to reach each field."""
    return st.fixed_dictionaries(fixed, optional={k: VALUES for k in keys})


CONTEXT = shaped(("url", "content_id", "referrer", "utm", "device", "locale", "country", "consent",
                  "visit_count", "segment", "logged_in_role"))
SLOT_BODY = shaped(("kind", "count", "candidates"), name=st.sampled_from(["hero", "aside"]),
                   filters=shaped(("type", "tags", "categories")))
DECIDE_BODY = shaped(("visitor_id", "session_id"), slots=st.lists(SLOT_BODY, min_size=1, max_size=2),
                     context=CONTEXT | VALUES)
CONTENT_BODY = shaped(("title", "url", "type", "tags", "status", "published_at", "starts_at", "id"),
                      meta=shaped(("topics", "audience", "free")) | VALUES,
                      targeting=st.lists(shaped(("slots", "when"), action=st.sampled_from(["pin", "x"]))))
EVENT_BODY = shaped(("timestamp", "content_id", "slot", "value", "arm"), type=st.sampled_from(["view", "x"]),
                    visitor_id=st.sampled_from(["v", "", 3]), context=shaped(("url", "referrer", "consent")))
BODIES = VALUES | DECIDE_BODY | CONTENT_BODY | EVENT_BODY | st.builds(lambda i: {"items": i}, st.lists(
    CONTENT_BODY, max_size=2)) | st.builds(lambda e: {"events": e}, st.lists(EVENT_BODY, max_size=2))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_json_is_parsed_or_refused_with_our_error_never_a_crash(raw):
    now = datetime(2026, 3, 2, tzinfo=timezone.utc)
    for parse in (parse_decide, lambda r: parse_content(r, "1"), parse_bulk, parse_batch,
                  lambda r: parse_event(r, "events[0]", now)):
        try:
            parse(raw)
        except ValidationError as exc:
            assert exc.code and exc.field, exc.to_dict()
