"""The public routes' rate limit under real gunicorn: forked workers, counts in Redis, Redis down."""
from __future__ import annotations

import uuid

import pytest
import redis
import requests

from tests.serve.conftest import Sidecar
from tests.support.services import REDIS_URL

pytestmark = pytest.mark.slow

PUBLIC_KEY = "served-public-key"
DECIDE = {"slots": [{"name": "hero", "kind": "banner"}]}


def public_decide(server) -> requests.Response:
    """A fresh connection each time, so the kernel hands requests to either worker."""
    return requests.post(server.url + "/v1/decide", json=DECIDE, timeout=10,
                         headers={"Authorization": f"Bearer {PUBLIC_KEY}", "Connection": "close"})


@pytest.mark.redis
def test_workers_share_one_count_in_redis(tmp_path):
    prefix = f"pt-served-limit-{uuid.uuid4().hex[:12]}:"
    server = Sidecar(tmp_path, {"PERTINENT_PUBLIC_KEY": PUBLIC_KEY, "PERTINENT_RATE_LIMIT": "3/hour",
                                "PERTINENT_CACHE_URL": f"{REDIS_URL}?prefix={prefix}"}).start()
    store = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        answers = [public_decide(server) for _ in range(8)]
        statuses = [a.status_code for a in answers]
        assert statuses == [200] * 3 + [429] * 5, statuses
        refused = answers[-1]
        assert refused.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 3600
        assert store.keys(prefix + "ratelimit*"), "the count must live in Redis"
        assert server.post("/v1/decide", DECIDE).status_code == 200  # the server key is exempt
    finally:
        server.stop()
        keys = store.keys(prefix + "*")
        store.delete(*keys) if keys else None
        store.close()


def test_an_unreachable_redis_never_costs_a_request(tmp_path):
    server = Sidecar(tmp_path, {"PERTINENT_PUBLIC_KEY": PUBLIC_KEY, "PERTINENT_RATE_LIMIT": "100/hour",
                                "PERTINENT_RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:1/0"}).start()
    try:
        statuses = {public_decide(server).status_code for _ in range(10)}
    finally:
        server.stop()
    assert statuses == {200}
    log = server.log.read_text()
    assert "Traceback" not in log
    # Each of the 2 workers says once that it counts in memory now, not once per request.
    assert 1 <= log.count("Rate limit storage unreachable") <= 2, log
