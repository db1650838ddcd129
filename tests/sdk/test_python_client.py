"""The Python client against the real sidecar under gunicorn: typed answers, batching, errors, timeouts."""
from __future__ import annotations

import time
import uuid

import pytest
from pertinent_client import (
    Decision,
    PertinentClient,
    PertinentError,
    PertinentUnavailable,
    Slot,
    TrackResult,
)

from tests.sdk.sidecar import API_KEY, running_sidecar
from tests.support.net import SilentServer, free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sidecar(tmp_path_factory):
    with running_sidecar(tmp_path_factory.mktemp("client-sidecar")) as s:
        yield s


@pytest.fixture
def client(sidecar):
    with PertinentClient(sidecar.url, API_KEY, timeout=5.0) as c:
        yield c


def _eventually(attempt, ok, timeout: float = 15.0):
    """attempt() until ok(result): the sidecar refreshes its catalog snapshot in the background."""
    deadline = time.monotonic() + timeout
    while True:
        result = attempt()
        if ok(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def _post(n: int) -> dict:
    return {"title": f"Post {n}", "url": f"https://site.example/post/{n}", "type": "post",
            "tags": ["garden"], "status": "publish"}


def test_catalog_upsert_read_and_delete(client):
    stored = client.upsert_content("p1", _post(1))
    assert stored["id"] == "p1" and stored["title"] == "Post 1"
    assert client.get_content("p1")["url"] == "https://site.example/post/1"
    assert client.upsert_contents([{"id": "p2", **_post(2)}, {"id": "p3", **_post(3)}]) == 2
    assert client.delete_content("p3") is True
    assert client.delete_content("p3") is False, "deleting twice is not an error for a sync job"


def test_decide_returns_typed_slots_and_a_decision_id(client):
    client.upsert_content("b1", {"title": "Spring sale", "url": "/sale", "type": "variant"})
    pin = {"action": "pin", "when": {"utm_source": "mail"}, "slots": ["hero"]}
    client.upsert_content("b2", {"title": "Newsletter", "url": "/news", "type": "variant",
                                 "targeting": [pin]})
    hero_slot = Slot("hero", kind="banner", candidates=("b1", "b2"))
    context = {"utm": {"source": "mail"}, "url": "https://site.example/"}
    decision = _eventually(lambda: client.decide([hero_slot], visitor_id=uuid.uuid4().hex, context=context),
                           lambda d: d.slot("hero").source == "rules")
    assert isinstance(decision, Decision)
    assert decision.decision_id
    hero = decision.slot("hero")
    assert hero.source == "rules" and hero.content_ids == ["b2"]
    assert hero.items[0].title == "Newsletter" and hero.items[0].url == "/news"
    assert not hero.is_default
    assert decision.slot("missing") is None


def test_a_slot_with_nothing_live_keeps_the_default(client):
    decision = client.decide([{"name": "side", "kind": "cta", "candidates": ["no-such-id"]}], visitor_id="v")
    assert decision.slot("side").is_default


def test_recommend_returns_items_for_a_visitor(client):
    for n in range(4, 8):
        client.upsert_content(f"p{n}", _post(n))
    result = _eventually(lambda: client.recommend(visitor_id=uuid.uuid4().hex, k=3), lambda r: r.items)
    assert 1 <= len(result.items) <= 3
    assert all(item.title and item.url for item in result.items), "items carry what a page links with"
    assert result.source in ("model", "popular", "latest", "rules")


def test_track_buffers_until_flush_and_events_reach_the_store(client):
    for kind in ("view", "click", "conversion"):
        client.track(kind, "visitor-t", content_id="p1", decision_id="d-1", slot="hero", value=2.0)
    assert client.pending == 3, "nothing is sent before a flush or a full batch"
    assert client.flush() == TrackResult(accepted=3)
    assert client.pending == 0
    events = client.export_visitor("visitor-t").events
    assert sorted(e["type"] for e in events) == ["click", "conversion", "view"]
    assert {e["decision_id"] for e in events} == {"d-1"}


def test_a_full_batch_is_sent_by_track_itself(sidecar):
    with PertinentClient(sidecar.url, API_KEY, batch_size=5) as c:
        for _ in range(5):
            c.track("view", "visitor-batch", content_id="p1")
        assert c.pending == 0
        assert len(c.export_visitor("visitor-batch").events) == 5


def test_leaving_the_context_manager_flushes(sidecar):
    with PertinentClient(sidecar.url, API_KEY) as c:
        c.track("view", "visitor-exit", content_id="p1")
    with PertinentClient(sidecar.url, API_KEY) as c:
        assert len(c.export_visitor("visitor-exit").events) == 1


def test_rejected_events_are_reported_with_their_index_and_field(client):
    client.track("view", "visitor-x", content_id="p1")
    client.track("teleport", "visitor-x", content_id="p1")
    result = client.flush()
    assert result.accepted == 1
    assert [(r["index"], r["field"]) for r in result.rejected] == [(1, "events[1].type")]


def test_erase_visitor_removes_their_events(client):
    client.track("view", "visitor-e", content_id="p1")
    client.flush()
    assert client.erase_visitor("visitor-e") == 1
    assert client.export_visitor("visitor-e").events == []


def test_a_validation_error_names_the_field(client):
    with pytest.raises(PertinentError) as info:
        client.upsert_content("bad", {"title": "x", "status": "sideways"})
    err = info.value
    assert (err.status, err.field) == (422, "status")
    assert err.code and err.message
    assert not isinstance(err, PertinentUnavailable)


def test_a_wrong_key_is_a_401(sidecar):
    with PertinentClient(sidecar.url, "not-the-key-0123456789") as c, pytest.raises(PertinentError) as info:
        c.get_content("p1")
    assert info.value.status == 401
    assert info.value.code


def test_a_missing_item_is_a_404(client):
    with pytest.raises(PertinentError) as info:
        client.get_content("never-stored")
    assert info.value.status == 404


def test_nothing_listening_is_unavailable():
    c = PertinentClient(f"http://127.0.0.1:{free_port()}", API_KEY, timeout=1.0, retries=0)
    with pytest.raises(PertinentUnavailable):
        c.decide([Slot("hero")], visitor_id="v")


def test_a_silent_sidecar_times_out_and_decide_is_not_retried():
    server = SilentServer()
    try:
        c = PertinentClient(server.url, API_KEY, timeout=0.3, retries=2)
        started = time.monotonic()
        with pytest.raises(PertinentUnavailable):
            c.decide([Slot("hero")], visitor_id="v")
        assert time.monotonic() - started < 5
        assert server.accepted == 1, "a decide is never retried"
        with pytest.raises(PertinentUnavailable):
            c.get_content("p1")
        deadline = time.monotonic() + 3
        while server.accepted < 4 and time.monotonic() < deadline:
            time.sleep(0.05)  # the accepting thread may lag behind the kernel on a loaded machine
        assert server.accepted == 4, "a GET is retried (1 try + 2 retries)"
    finally:
        server.close()


def test_events_are_kept_when_the_sidecar_is_down():
    c = PertinentClient(f"http://127.0.0.1:{free_port()}", API_KEY, timeout=0.5, batch_size=2, retries=0)
    c.track("view", "v", content_id="p1")
    c.track("view", "v", content_id="p2")  # a full batch: the send fails, tracking does not raise
    assert c.pending == 2
    with pytest.raises(PertinentUnavailable):
        c.flush()
    assert c.pending == 2, "kept for the next flush"
