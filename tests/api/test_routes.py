"""Every route of the contract through Flask's test client, on a real SQLite store."""
from __future__ import annotations

from tests.api.conftest import promote_popularity_set

ITEM = {"title": "Pricing explained", "url": "https://shop.example/pricing", "type": "post",
        "tags": ["pricing"], "categories": ["guides"], "status": "publish",
        "meta": {"topics": ["billing"], "funnel_stage": "consideration", "color": "blue"},
        "published_at": "2026-01-02T10:00:00Z",
        "targeting": [{"action": "pin", "when": {"utm_campaign": "spring", "hours": [8, 18], "days": [0, 1]},
                       "slots": ["hero"]}]}


def test_healthz_answers_while_the_process_runs(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_is_degraded_without_a_model_set(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json["status"] == "degraded"
    assert answer.json["reasons"] == ["no model set loaded: serving popular content"]


def test_readyz_is_ok_with_a_live_model_set_and_a_store(client, server, config):
    version = promote_popularity_set(config.models_dir)
    assert client.post("/v1/models/reload", headers=server).status_code == 200
    answer = client.get("/readyz")
    assert answer.json == {"status": "ok", "reasons": [], "model_version": version}


def test_readyz_names_a_promoted_set_that_failed_to_load(client, server, config):
    good = promote_popularity_set(config.models_dir)
    assert client.post("/v1/models/reload", headers=server).status_code == 200
    bad = promote_popularity_set(config.models_dir)
    artifact = next((config.models_dir / bad).glob("*.joblib"))
    artifact.write_bytes(artifact.read_bytes() + b"tampered")
    assert client.post("/v1/models/reload", headers=server).status_code == 409
    answer = client.get("/readyz").json
    assert answer["status"] == "degraded" and answer["model_version"] == good
    assert any(bad in r and "sha256" in r and good in r for r in answer["reasons"]), answer


def test_readyz_is_503_when_the_store_is_unreachable(client, runtime, monkeypatch):
    def down():
        raise OSError("database is gone")
    monkeypatch.setattr(runtime.store, "ping", down)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json["status"] == "unavailable"


def test_content_put_get_delete_round_trip(client, server):
    put = client.put("/v1/content/42", json=ITEM, headers=server)
    assert put.status_code == 200
    got = client.get("/v1/content/42", headers=server).json
    assert got["id"] == "42" and got["title"] == "Pricing explained"
    assert got["meta"]["funnel_stage"] == ["consideration"] and got["meta"]["color"] == "blue"
    assert got["targeting"][0]["when"]["hours"] == [8, 18]
    assert got["published_at"].startswith("2026-01-02T10:00:00")
    assert client.delete("/v1/content/42", headers=server).json == {"id": "42", "deleted": True}
    assert client.get("/v1/content/42", headers=server).status_code == 404
    assert client.delete("/v1/content/42", headers=server).status_code == 404


def test_content_bulk_stores_every_item(client, server):
    items = [{"id": i, "title": f"Post {i}", "tags": ["t"]} for i in range(1, 6)]
    answer = client.post("/v1/content/bulk", json={"items": items}, headers=server)
    assert answer.json == {"stored": 5}
    assert client.get("/v1/content/3", headers=server).json["title"] == "Post 3"


def test_content_bulk_is_all_or_nothing(client, server):
    items = [{"id": "a", "title": "ok"}, {"id": "b", "status": "published"}]
    answer = client.post("/v1/content/bulk", json={"items": items}, headers=server)
    assert answer.status_code == 422 and answer.json["error"]["field"] == "items[1].status"
    assert client.get("/v1/content/a", headers=server).status_code == 404


def test_events_accepts_valid_items_and_names_each_rejected_one(client, server):
    events = [{"type": "view", "visitor_id": "v1", "content_id": 7, "timestamp": 1767225600},
              {"type": "click", "visitor_id": "v1", "timestamp": "yesterday"},
              {"type": "teleport", "visitor_id": "v1"},
              {"type": "click", "visitor_id": "v1", "content_id": "7", "timestamp": "2026-01-01T00:00:00Z",
               "context": {"referrer": "https://www.google.com/search?q=my+name", "url": "https://s/p?x=1"}}]
    answer = client.post("/v1/events", json={"events": events}, headers=server)
    assert answer.status_code == 202
    assert answer.json["accepted"] == 2
    assert [(r["index"], r["field"]) for r in answer.json["rejected"]] == [
        (1, "events[1].timestamp"), (2, "events[2].type")]
    stored = client.get("/v1/visitors/v1", headers=server).json["events"]
    assert {e["referrer"] for e in stored} == {None, "www.google.com"}  # host only, never the query
    assert {e["url_path"] for e in stored} == {None, "/p"}


def test_events_without_consent_are_refused_and_not_stored(client, server):
    events = [{"type": "view", "visitor_id": "shy", "content_id": "1"}] * 3
    answer = client.post("/v1/events", json={"consent": False, "events": events}, headers=server)
    assert answer.json["accepted"] == 0
    assert {r["reason"] for r in answer.json["rejected"]} == {"no_consent"}
    assert client.get("/v1/visitors/shy", headers=server).json["events"] == []


def test_events_bump_the_visitors_cache_generation(client, server, runtime):
    before = runtime.cache.generation("v9")
    client.post("/v1/events", json={"events": [{"type": "view", "visitor_id": "v9"}]}, headers=server)
    assert runtime.cache.generation("v9") > before


def test_events_accept_text_plain_json_from_a_browser(client, browser):
    answer = client.post("/v1/events", data='{"events": [{"type": "view", "visitor_id": "b1"}]}',
                         headers={**browser, "Content-Type": "text/plain;charset=UTF-8"})
    assert answer.status_code == 202 and answer.json["accepted"] == 1


def test_decide_returns_every_requested_slot(client, server):
    for i in range(1, 8):
        client.put(f"/v1/content/{i}", json={"title": f"Post {i}", "tags": ["t"]}, headers=server)
    client.put("/v1/content/b1", json={"title": "Banner", "type": "banner"}, headers=server)
    slots = [{"name": "hero", "kind": "banner", "candidates": ["b1"]},
             {"name": "cta", "kind": "cta", "candidates": []},
             {"name": "related", "kind": "recommendations", "count": 3},
             {"name": "next", "kind": "read_next", "count": 1}]
    answer = client.post("/v1/decide", json={"visitor_id": "v1", "context": {"url": "/", "device": "mobile"},
                                             "slots": slots}, headers=server)
    assert answer.status_code == 200
    body = answer.json
    assert set(body["slots"]) == {"hero", "cta", "related", "next"}
    assert body["decision_id"]
    for name, slot in body["slots"].items():
        assert slot["source"] in ("rules", "model", "popular", "latest", "default"), name
        assert len(slot["content_ids"]) == len(slot["scores"]) == len(slot["items"])
        assert slot["reason"]


def test_decide_answers_defaults_when_the_core_fails(client, server, monkeypatch):
    import pertinent.decision.cached as cached

    def broken(request, runtime):
        raise RuntimeError("bug in the core")
    monkeypatch.setattr(cached, "decide_cached", broken)
    slots = [{"name": "a", "kind": "banner"}, {"name": "b", "count": 2}]
    answer = client.post("/v1/decide", json={"slots": slots}, headers=server)
    assert answer.status_code == 200
    assert {n: (s["source"], s["reason"]) for n, s in answer.json["slots"].items()} == {
        "a": ("default", "internal error"), "b": ("default", "internal error")}
    metrics = client.get("/metrics").data.decode()
    assert 'pertinent_fallbacks_total{reason="internal_error"}' in metrics


def test_recommendations_answer_with_items_and_source(client, server, config):
    promote_popularity_set(config.models_dir, ("1", "2", "3"))
    client.post("/v1/models/reload", headers=server)
    for i in range(1, 4):
        client.put(f"/v1/content/{i}", json={"title": f"Post {i}"}, headers=server)
    answer = client.get("/v1/recommendations?visitor_id=v1&content_id=1&k=2", headers=server)
    assert answer.status_code == 200
    assert answer.json["k"] == 2 and len(answer.json["content_ids"]) <= 2
    assert "1" not in answer.json["content_ids"]  # not the page the visitor is on
    assert answer.json["source"] in ("model", "popular", "latest", "default")


def test_visitor_export_and_erase(client, server):
    client.post("/v1/events", json={"events": [{"type": "click", "visitor_id": "gone", "content_id": "1"}]},
                headers=server)
    assert len(client.get("/v1/visitors/gone", headers=server).json["events"]) == 1
    erased = client.delete("/v1/visitors/gone", headers=server).json
    assert erased["visitor_id"] == "gone" and erased["erased"] >= 1
    assert client.get("/v1/visitors/gone", headers=server).json["events"] == []


def test_models_route_shows_the_live_set_and_reload_reports_failures(client, server, config):
    assert client.get("/v1/models", headers=server).json["model_version"] is None
    version = promote_popularity_set(config.models_dir)
    assert client.post("/v1/models/reload", headers=server).json["model_version"] == version
    shown = client.get("/v1/models", headers=server).json
    assert shown["model_version"] == version and shown["manifest"]["version"] == version
    (config.models_dir / "LIVE").write_text("no-such-version\n")
    failed = client.post("/v1/models/reload", headers=server)
    assert failed.status_code == 409 and failed.json["error"]["code"] == "reload_failed"
    assert client.get("/v1/models", headers=server).json["model_version"] == version  # old set kept


def test_metrics_report_requests_per_route_template_and_decisions(client, server):
    client.get("/v1/content/1", headers=server)
    client.get("/v1/content/2", headers=server)
    client.post("/v1/decide", json={"slots": [{"name": "x"}]}, headers=server)
    text = client.get("/metrics").data.decode()
    assert 'route="/v1/content/<content_id>"' in text
    assert 'route="/v1/content/1"' not in text
    assert "pertinent_slot_decisions_total" in text
    assert 'pertinent_decision_cache_total{result="miss"}' in text


def test_metrics_labels_cannot_be_grown_by_clients(client, server):
    client.get("/v1/content/made-up-id-1", headers=server)
    client.open("/v1/decide", method="BREW", headers=server)
    client.get("/no/such/path/123")
    text = client.get("/metrics").data.decode()
    assert "made-up-id-1" not in text and "BREW" not in text and "/no/such/path" not in text
    assert 'route="unmatched"' in text


def test_api_answers_are_never_cached_by_proxies(client, server):
    answer = client.post("/v1/decide", json={"slots": [{"name": "x"}]}, headers=server)
    assert answer.headers["Cache-Control"] == "no-store"
