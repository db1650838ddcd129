"""`pertinent serve` for real: gunicorn, 2 workers, HTTP on loopback, signals, restarts."""
from __future__ import annotations

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.api.conftest import promote_popularity_set
from tests.serve.conftest import Sidecar

pytestmark = pytest.mark.slow


def test_catalog_events_and_decide_over_http(sidecar):
    for i in range(1, 6):
        assert sidecar.put(f"/v1/content/{i}", {"title": f"Post {i}", "tags": ["t"]}).status_code == 200
    events = [{"type": "click", "visitor_id": "v1", "content_id": "1"}, {"type": "nope", "visitor_id": "v1"}]
    answer = sidecar.post("/v1/events", {"events": events})
    assert answer.status_code == 202 and answer.json()["accepted"] == 1
    decision = sidecar.post("/v1/decide", {"visitor_id": "v1", "slots": [{"name": "related", "count": 2},
                                                                        {"name": "hero", "kind": "banner"}]})
    assert decision.status_code == 200
    assert set(decision.json()["slots"]) == {"related", "hero"}
    assert "1" not in decision.json()["slots"]["related"]["content_ids"]  # already seen


def test_a_chunked_body_over_the_limit_is_413_over_real_http(tmp_path):
    server = Sidecar(tmp_path, {"PERTINENT_MAX_BODY_BYTES": "1000"}).start()
    try:
        def chunks(n):
            yield b'{"title": "'
            for _ in range(n):
                yield b"x" * 100
            yield b'"}'
        headers = {**server.headers, "Content-Type": "application/json"}
        big = requests.put(server.url + "/v1/content/1", data=chunks(50), headers=headers, timeout=10)
        small = requests.put(server.url + "/v1/content/1", data=chunks(2), headers=headers, timeout=10)
        assert big.status_code == 413 and big.json()["error"]["code"] == "body_too_large"
        assert small.status_code == 200
    finally:
        server.stop()


def healthz_count(sidecar) -> float:
    text = requests.get(sidecar.url + "/metrics", timeout=10).text
    lines = [x for x in text.splitlines()
             if x.startswith("pertinent_requests_total") and 'route="/healthz"' in x]
    return float(lines[0].rsplit(" ", 1)[1]) if lines else 0.0


def test_concurrent_decides_events_and_catalog_writes_all_succeed(sidecar):
    """Threaded workers: the same process serves requests in parallel threads without errors."""
    for i in range(20):
        sidecar.put(f"/v1/content/{i}", {"title": f"Post {i}", "tags": [f"t{i % 3}"]})

    def one(n):
        kind = n % 3
        if kind == 0:
            answer = sidecar.post("/v1/decide", {"visitor_id": f"v{n % 7}",
                                                 "context": {"content_id": str(n % 20)},
                                                 "slots": [{"name": "a", "count": 2}, {"name": "b"}]})
        elif kind == 1:
            answer = sidecar.post("/v1/events", {"events": [{"type": "click", "visitor_id": f"v{n % 7}",
                                                             "content_id": str(n % 20)}]})
        else:
            answer = sidecar.put(f"/v1/content/{20 + n}", {"title": f"New {n}"})
        return answer.status_code
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(one, range(240)))
    assert set(statuses) <= {200, 202}, sorted(set(statuses))
    assert len(sidecar.get("/v1/visitors/v1").json()["events"]) == sum(1 for n in range(240) if n % 3 == 1
                                                                       and n % 7 == 1)


def test_metrics_sum_every_worker(sidecar):
    before = healthz_count(sidecar)

    def hit(_):
        # A fresh connection each time, so the kernel spreads requests over both workers.
        return requests.get(sidecar.url + "/healthz", timeout=10).status_code
    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(hit, range(80))) == {200}
    assert healthz_count(sidecar) - before == 80
    files = list((sidecar.root / "data" / "prometheus").glob("counter_*.db"))
    assert len({f.stem.split("_")[1] for f in files}) >= 2, "only one worker served requests"


def test_every_worker_picks_up_a_promoted_model_set(sidecar):
    version = promote_popularity_set(sidecar.root / "models")
    deadline = time.monotonic() + 10
    seen = set()
    while time.monotonic() < deadline:
        seen = {requests.get(sidecar.url + "/readyz", timeout=5).json()["model_version"] for _ in range(10)}
        if seen == {version}:
            break
        time.sleep(0.3)
    assert seen == {version}


def test_sighup_reloads_without_dropping_requests(sidecar):
    failures, answered = [], []
    stop = threading.Event()

    def hammer():
        while not stop.is_set():
            try:
                answered.append(requests.get(sidecar.url + "/healthz", timeout=10).status_code)
            except requests.RequestException as exc:
                failures.append(exc)
    thread = threading.Thread(target=hammer)
    thread.start()
    time.sleep(0.3)
    old_workers = set(sidecar.worker_pids())
    sidecar.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and set(sidecar.worker_pids()) & old_workers:
        time.sleep(0.2)
    time.sleep(0.3)
    stop.set()
    thread.join()
    assert not set(sidecar.worker_pids()) & old_workers, "old workers still running"
    assert failures == [] and set(answered) == {200}


def test_sigterm_stops_cleanly(sidecar):
    assert sidecar.stop(signal.SIGTERM) == 0


def test_events_survive_a_restart(tmp_path):
    server = Sidecar(tmp_path).start()
    try:
        events = [{"type": "view", "visitor_id": "kept", "content_id": str(i)} for i in range(3)]
        assert server.post("/v1/events", {"events": events}).json()["accepted"] == 3
    finally:
        assert server.stop() == 0
    server.start()
    try:
        exported = server.get("/v1/visitors/kept").json()
        assert sorted(e["content_id"] for e in exported["events"]) == ["0", "1", "2"]
    finally:
        server.stop()
