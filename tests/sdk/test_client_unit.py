"""The Python client's parts that need no server: answers into dataclasses, error bodies into exceptions."""
from __future__ import annotations

import json

import pytest
import requests
from pertinent_client import (
    Decision,
    PertinentClient,
    PertinentError,
    PertinentUnavailable,
    Slot,
    TrackResult,
)
from pertinent_client.errors import from_response


def _response(status: int, body) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    r.reason = "reason"
    return r


def test_an_error_body_becomes_status_code_field_and_message():
    body = {"error": {"code": "invalid", "message": "bad status", "field": "status"}}
    err = from_response(_response(422, body))
    assert type(err) is PertinentError
    assert (err.status, err.code, err.field, err.message) == (422, "invalid", "status", "bad status")
    assert "status" in str(err) and "422" in str(err)


def test_a_body_that_is_not_json_still_gives_a_clear_error():
    err = from_response(_response(500, b"<html>Internal Server Error</html>"))
    assert (err.status, err.code, err.field) == (500, "http_500", None)
    assert "Internal Server Error" in err.message


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_and_overload_statuses_mean_unavailable(status):
    assert isinstance(from_response(_response(status, {"error": {"code": "x", "message": "m"}})),
                      PertinentUnavailable)


def test_a_decide_answer_becomes_typed_slots():
    body = {"decision_id": "d1", "model_version": "v3", "arm": "model", "ttl": 300, "cached": True, "slots": {
        "more": {"kind": "recommendations", "content_ids": ["1", "2"], "scores": [0.9, 0.5],
                 "items": [{"id": "1", "title": "One", "url": "/1"},
                           {"id": "2", "title": "Two", "url": "/2"}],
                 "source": "model", "reason": "similar"},
        "hero": {"kind": "banner", "content_ids": [], "scores": [], "items": [], "source": "default",
                 "reason": "no candidates"}}}
    d = Decision.from_json(body)
    assert (d.decision_id, d.model_version, d.arm, d.ttl, d.cached) == ("d1", "v3", "model", 300, True)
    more = d.slot("more")
    assert more.content_ids == ["1", "2"]
    assert [(i.title, i.url, i.score) for i in more.items] == [("One", "/1", 0.9), ("Two", "/2", 0.5)]
    assert d.slot("hero").is_default and not more.is_default


def test_slots_serialize_to_the_api_shape():
    assert Slot("hero", kind="banner", candidates=(12, "13")).to_json() == {
        "name": "hero", "kind": "banner", "count": 1, "candidates": ["12", "13"]}
    assert Slot("more", count=3, filters={"tags": ["garden"]}).to_json() == {
        "name": "more", "kind": "recommendations", "count": 3, "filters": {"tags": ["garden"]}}


def test_track_results_add_up():
    total = TrackResult(2, ({"index": 1},)) + TrackResult(3)
    assert total == TrackResult(5, ({"index": 1},))


def test_the_base_url_may_or_may_not_end_in_v1():
    assert PertinentClient("http://h:8000/v1/", "k" * 16).base_url == "http://h:8000"
    assert PertinentClient("http://h:8000", "k" * 16).base_url == "http://h:8000"


def test_only_idempotent_methods_are_retried():
    c = PertinentClient("http://h:8000", "k" * 16, retries=3)
    retry = c._session.get_adapter("http://h:8000/").max_retries
    assert retry.total == 3 and set(retry.allowed_methods) == {"GET", "PUT", "DELETE"}
    assert c._post.get_adapter("http://h:8000/").max_retries.total == 0
