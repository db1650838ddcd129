"""Keys, origins and CORS: who may call which route, and what browsers are told."""
from __future__ import annotations

import hmac

import pytest
from pertinent import auth

from tests.api.conftest import ALLOWED, API_KEY, PUBLIC_KEY

DECIDE = {"slots": [{"name": "hero", "kind": "banner"}]}


def test_missing_key_is_401(client):
    answer = client.post("/v1/decide", json=DECIDE)
    assert answer.status_code == 401 and answer.json["error"]["code"] == "missing_key"


def test_wrong_key_is_401(client):
    answer = client.get("/v1/models", headers={"Authorization": "Bearer nope-nope-nope-nope"})
    assert answer.status_code == 401 and answer.json["error"]["code"] == "invalid_key"


@pytest.mark.parametrize("method, path", [("get", "/v1/models"), ("post", "/v1/models/reload"),
                                          ("put", "/v1/content/1"), ("get", "/v1/visitors/v1"),
                                          ("delete", "/v1/visitors/v1")])
def test_public_key_on_an_admin_route_is_403(client, browser, method, path):
    answer = getattr(client, method)(path, json={}, headers=browser)
    assert answer.status_code == 403 and answer.json["error"]["code"] == "public_key_not_allowed"


def test_public_key_works_as_bearer_header_or_query(client):
    bearer = {"Authorization": f"Bearer {PUBLIC_KEY}"}
    assert client.post("/v1/decide", json=DECIDE, headers=bearer).status_code == 200
    assert client.post("/v1/decide", json=DECIDE, headers={"X-Pertinent-Key": PUBLIC_KEY}).status_code == 200
    assert client.post(f"/v1/decide?key={PUBLIC_KEY}", json=DECIDE).status_code == 200


@pytest.mark.parametrize("method,path", [("get", "/v1/models"), ("post", "/v1/decide"),
                                         ("post", "/v1/events"), ("get", "/v1/recommendations")])
def test_the_server_key_in_a_query_string_is_refused_even_beside_a_valid_header(client, server, method,
                                                                                path):
    """A URL ends up in proxy logs: the server key there is a 403 telling the caller, never accepted."""
    for headers in ({}, server):
        answer = getattr(client, method)(f"{path}?key={API_KEY}", json=DECIDE, headers=headers)
        assert answer.status_code == 403, (headers, answer.json)
        assert answer.json["error"]["code"] == "server_key_in_url"


def test_allowed_origin_is_echoed_with_vary(client, browser):
    answer = client.post("/v1/decide", json=DECIDE, headers=browser)
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in answer.headers["Vary"]


def test_errors_on_public_routes_still_carry_cors_headers_for_allowed_origins(client, browser):
    answer = client.post("/v1/decide", json={"slots": []}, headers=browser)
    assert answer.status_code == 422 and answer.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_disallowed_origin_gets_403_and_no_cors_headers(client):
    headers = {"Authorization": f"Bearer {PUBLIC_KEY}", "Origin": "https://evil.example"}
    answer = client.post("/v1/decide", json=DECIDE, headers=headers)
    assert answer.status_code == 403 and answer.json["error"]["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_preflight_from_an_allowed_origin(client):
    answer = client.options("/v1/events", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in answer.headers["Access-Control-Allow-Headers"]
    assert "X-Pertinent-Key" in answer.headers["Access-Control-Allow-Headers"]


def test_preflight_from_a_disallowed_origin_or_to_an_admin_route_is_refused(client):
    evil = client.options("/v1/decide", headers={"Origin": "https://evil.example",
                                                 "Access-Control-Request-Method": "POST"})
    admin = client.options("/v1/models", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "GET"})
    for answer in (evil, admin):
        assert answer.status_code == 403 and "Access-Control-Allow-Origin" not in answer.headers


def test_server_side_calls_without_origin_are_allowed_with_the_public_key(client):
    answer = client.post("/v1/decide", json=DECIDE, headers={"Authorization": f"Bearer {PUBLIC_KEY}"})
    assert answer.status_code == 200 and "Access-Control-Allow-Origin" not in answer.headers


def test_keys_are_compared_with_hmac_compare_digest(client, monkeypatch):
    calls = []

    def spy(a, b):
        calls.append((a, b))
        return hmac.compare_digest(a, b)
    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    client.get("/v1/models", headers={"Authorization": f"Bearer {API_KEY}"})
    assert (API_KEY.encode(), API_KEY.encode()) in calls


def test_health_metrics_and_the_api_document_need_no_key(client):
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json"):
        assert client.get(path).status_code == 200, path
