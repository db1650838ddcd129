"""The public REST proxy over HTTP: text/plain JSON bodies (what the snippet sends), per-slot html from the
site's own content, payload validation."""
from __future__ import annotations

import json
import uuid

import pytest
import requests

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]


def test_proxy_decides_and_adds_html_for_a_text_plain_body(healthy):
    body = {"visitor_id": uuid.uuid4().hex, "context": {"utm": {"campaign": "spring"}, "consent": True},
            "slots": [{"name": "hero", "kind": "banner", "count": 1}]}
    resp = requests.post(healthy.url + "/wp-json/pertinent/v1/decide", data=json.dumps(body),
                         headers={"Content-Type": "text/plain"}, timeout=30)
    assert resp.status_code == 200
    hero = resp.json()["slots"]["hero"]
    assert hero["source"] == "rules"
    assert "spring-banner" in hero["html"]


def test_proxy_rejects_malformed_payloads(healthy):
    url = healthy.url + "/wp-json/pertinent/v1/decide"
    bad = [{"slots": []}, {"slots": [{"name": "<script>", "kind": "banner"}]},
           {"slots": [{"name": "hero", "kind": "popup"}]},
           {"slots": [{"name": "a", "kind": "cta"}], "extra": 1}]
    for payload in bad:
        assert requests.post(url, json=payload, timeout=30).status_code == 400, payload
    assert requests.post(url, data="not json", timeout=30).status_code == 400


def test_events_proxy_forwards_a_batch(healthy):
    events = {"events": [{"type": "view", "visitor_id": uuid.uuid4().hex, "content_id": "1"}]}
    resp = requests.post(healthy.url + "/wp-json/pertinent/v1/events", json=events, timeout=30)
    assert resp.status_code == 202
    assert resp.json()["accepted"] == 1
