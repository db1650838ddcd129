"""The rate limit of the public routes: per client address, server key exempt, shared through Redis."""
from __future__ import annotations

import logging

import pytest
import redis
from pertinent import create_app
from pertinent.api.limits import storage
from pertinent.config import load_config
from pertinent.errors import ConfigError
from pertinent.runtime import Runtime

from tests.api.conftest import ALLOWED, API_KEY, PUBLIC_KEY, make_config
from tests.support import services
from tests.support.services import REDIS_URL

DECIDE = {"slots": [{"name": "hero", "kind": "banner"}]}
EVENTS = {"events": [{"type": "view", "visitor_id": "v1", "content_id": "1"}]}
BROWSER = {"Authorization": f"Bearer {PUBLIC_KEY}", "Origin": ALLOWED}
SERVER = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture
def limited(tmp_path):
    """A factory of test clients on apps limited to `rate` (memory storage unless overridden)."""
    runtimes = []

    def build(rate="2/hour", **overrides):
        rt = Runtime.from_config(make_config(tmp_path, rate_limit=rate, **overrides))
        runtimes.append(rt)
        return create_app(rt.config, rt, test_config={"TESTING": True}).test_client()
    yield build
    for rt in runtimes:
        rt.close()


def decide(client, headers=BROWSER, addr="203.0.113.7", **environ):
    return client.post("/v1/decide", json=DECIDE, headers=headers,
                       environ_base={"REMOTE_ADDR": addr, **environ})


def test_over_the_limit_is_429_json_with_retry_after(limited):
    client = limited("2/hour")
    assert [decide(client).status_code for _ in range(2)] == [200, 200]
    answer = decide(client)
    assert answer.status_code == 429
    assert answer.json["error"]["code"] == "rate_limited"
    assert "2 per 1 hour" in answer.json["error"]["message"]
    assert 1 <= int(answer.headers["Retry-After"]) <= 3600
    # The snippet runs in a browser: it must be able to read the answer (CORS), and no cache may keep it.
    assert answer.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert answer.headers["Access-Control-Expose-Headers"] == "Retry-After"
    assert answer.headers["Cache-Control"] == "no-store"


def test_one_budget_covers_every_public_route(limited):
    client = limited("2/hour")
    env = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.post("/v1/events", json=EVENTS, headers=BROWSER, environ_base=env).status_code == 202
    assert client.get("/v1/recommendations?count=1", headers=BROWSER, environ_base=env).status_code == 200
    assert decide(client).status_code == 429


def test_each_address_has_its_own_budget(limited):
    client = limited("1/hour")
    assert decide(client, addr="203.0.113.7").status_code == 200
    assert decide(client, addr="203.0.113.7").status_code == 429
    assert decide(client, addr="198.51.100.9").status_code == 200


def test_the_server_key_is_never_limited(limited):
    """The WordPress plugin asks for every visitor of the site from one address."""
    client = limited("1/hour")
    assert {decide(client, headers=SERVER).status_code for _ in range(5)} == {200}
    assert decide(client).status_code == 200  # the public key's budget was not spent by those
    assert decide(client).status_code == 429


def test_routes_that_are_not_public_are_not_limited(limited):
    client = limited("1/hour")
    env = {"REMOTE_ADDR": "203.0.113.7"}
    assert {client.get("/healthz", environ_base=env).status_code for _ in range(4)} == {200}
    assert {client.get("/v1/models", headers=SERVER, environ_base=env).status_code for _ in range(4)} == {200}


def test_x_forwarded_for_is_ignored_by_default(limited):
    """Otherwise any client could name a fresh address per request and never be limited."""
    client = limited("1/hour")
    assert decide(client, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 200
    assert decide(client, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429


def test_x_forwarded_for_names_the_client_behind_trusted_proxies(limited):
    client = limited("1/hour", trusted_proxies=1)
    assert decide(client, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 200
    assert decide(client, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 200
    assert decide(client, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
    # One trusted proxy: only the address it appended counts, not what the client wrote before it.
    assert decide(client, HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.2").status_code == 429


def test_off_disables_the_limit(limited):
    client = limited("off")
    assert {decide(client).status_code for _ in range(5)} == {200}


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the test Redis; its keys are deleted afterwards."""
    with services.redis_prefix("limit") as prefix:
        yield prefix


@pytest.mark.redis
def test_two_sidecars_on_one_redis_share_the_count(limited, redis_prefix):
    """Replicas behind a load balancer: a client does not get the limit once per replica."""
    url = f"{REDIS_URL}?prefix={redis_prefix}"
    first, second = limited("2/hour", cache_url=url), limited("2/hour", cache_url=url)
    assert decide(first).status_code == 200
    assert decide(second).status_code == 200
    assert decide(first).status_code == 429
    assert decide(second).status_code == 429
    stored = redis.Redis.from_url(REDIS_URL).keys(redis_prefix + "*")
    assert stored, "the count must live in Redis under the cache's prefix"


@pytest.mark.redis
def test_a_separate_storage_url_is_used_when_given(limited, redis_prefix):
    url = f"{REDIS_URL}?prefix={redis_prefix}"
    first = limited("1/hour", rate_limit_storage_url=url)  # the cache stays in memory
    second = limited("1/hour", rate_limit_storage_url=url)
    assert decide(first).status_code == 200
    assert decide(second).status_code == 429


def test_redis_down_serves_requests_and_warns_once(limited, caplog):
    """Failing open: an unreachable Redis must never turn the public routes into 500s."""
    client = limited("3/hour", rate_limit_storage_url="redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING):
        statuses = [decide(client).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and "storage" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    # Meanwhile this worker still counts in memory, so a flood is held back even during the outage.
    assert decide(client).status_code == 429


@pytest.mark.parametrize("env, variable", [
    ({"PERTINENT_RATE_LIMIT": "lots"}, "PERTINENT_RATE_LIMIT"),
    ({"PERTINENT_RATE_LIMIT": "120/fortnight"}, "PERTINENT_RATE_LIMIT"),
    ({"PERTINENT_RATE_LIMIT_STORAGE_URL": "http://redis"}, "PERTINENT_RATE_LIMIT_STORAGE_URL"),
    ({"PERTINENT_TRUSTED_PROXIES": "-1"}, "PERTINENT_TRUSTED_PROXIES"),
    ({"PERTINENT_TRUSTED_PROXIES": "one"}, "PERTINENT_TRUSTED_PROXIES"),
])
def test_bad_settings_are_a_config_error_naming_the_variable(env, variable):
    with pytest.raises(ConfigError, match=variable):
        load_config(env=env)


def test_valid_settings_are_accepted():
    config = load_config(env={"PERTINENT_RATE_LIMIT": "10/second;1000/hour",
                              "PERTINENT_TRUSTED_PROXIES": "2"})
    assert (config.rate_limit, config.trusted_proxies) == ("10/second;1000/hour", 2)
    assert load_config(env={}).rate_limit == "120/minute"


@pytest.mark.parametrize("overrides, expected", [
    ({}, ("memory://", "")),
    ({"cache_url": "redis://r:6379/2?prefix=site1:"}, ("redis://r:6379/2", "site1:")),
    ({"cache_url": f"diskcache:///{__file__}"}, ("memory://", "")),
    ({"cache_url": "redis://r/0", "rate_limit_storage_url": "redis://other/1"}, ("redis://other/1", "")),
])
def test_counts_live_in_the_named_storage_else_the_cache_redis_else_memory(tmp_path, overrides, expected):
    assert storage(make_config(tmp_path, **overrides)) == expected


def test_every_public_route_documents_429_with_retry_after(client):
    """The snippet's authors learn of the limit from /openapi.json; public routes are found from the app."""
    from pertinent.auth import PUBLIC

    document = client.get("/openapi.json").json
    app = client.application
    public = [(rule, method.lower()) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}
              if getattr(app.view_functions[rule.endpoint], "access", None) == PUBLIC]
    assert public, "no public route found: the test would prove nothing"
    for rule, method in public:
        path = rule.rule.replace("<", "{").replace(">", "}")
        response = document["paths"][path][method]["responses"]["429"]
        component = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        assert "Retry-After" in component["headers"], path


def test_refusals_are_not_logged_one_line_each(limited, caplog):
    """A flood must not become a flood of log lines; /metrics counts the 429s."""
    client = limited("1/hour")
    with caplog.at_level(logging.DEBUG):
        statuses = [decide(client).status_code for _ in range(5)]
    assert statuses == [200] + [429] * 4
    assert not [r for r in caplog.records if "exceeded" in r.getMessage()]
