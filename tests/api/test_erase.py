"""Erase means gone: after DELETE /v1/visitors/{id}, no store file, SQL dump or cache backend holds the
visitor, on SQLite and PostgreSQL, with memory, diskcache and Redis caches; other visitors are kept."""
from __future__ import annotations

import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from pertinent import create_app
from pertinent.cache import memory
from pertinent.cache.keys import visitor_tag
from pertinent.runtime import Runtime

from tests.support.services import REDIS_URL

from .conftest import API_KEY, make_config
from .test_hostile_input import SERVER


@pytest.fixture(params=["memory", "disk", pytest.param("redis", marks=pytest.mark.redis)])
def cache_url(request, tmp_path):
    """A fresh namespace on each cache backend; the Redis keys under it are deleted afterwards."""
    name = f"erase-{uuid.uuid4().hex[:8]}"
    if request.param == "memory":
        yield f"memory://{name}?prefix=t:"
    elif request.param == "disk":
        yield f"diskcache:///{tmp_path / 'cache'}?prefix=t:"
    else:
        yield f"{REDIS_URL}?prefix={name}:"
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{name}:*"):
            client.delete(key)
        client.close()


@pytest.fixture
def site(tmp_path, store_url, cache_url):
    rt = Runtime.from_config(make_config(tmp_path, store_url=store_url, cache_url=cache_url))
    app = create_app(rt.config, rt, test_config={"TESTING": True})
    yield app.test_client(), rt
    rt.close()


def everything_stored(rt, tmp_path) -> str:
    """Every byte the store and the cache hold, as text: files, SQL dumps, cache keys and values."""
    parts = [_store_text(rt.store, tmp_path), _cache_text(rt.cache)]
    return "\n".join(parts)


def _store_text(store, tmp_path) -> str:
    if store.url.startswith("sqlite"):
        conn = store._conn()
        dump = "\n".join(conn.iterdump())
        files = [p for p in store.path.parent.iterdir() if p.name.startswith(store.path.name)]
        return dump + "".join(p.read_bytes().decode("latin-1") for p in files)
    base, schema = store.url.split("?schema=")
    result = subprocess.run(["pg_dump", "--data-only", f"--schema={schema}", base], capture_output=True,
                            text=True, check=True, timeout=60)
    return result.stdout


def _cache_text(cache) -> str:
    if cache.url.startswith("memory://"):
        space = memory._NAMED[cache.url.split("//")[1].split("?")[0]]
        return "\n".join(f"{k}={v}" for k, (_, v) in space.entries.items())
    if cache.url.startswith("diskcache:"):
        handle = cache._cache()
        keys = "\n".join(str(k) for k in handle.iterkeys())
        files = [p for p in Path(cache.directory).rglob("*") if p.is_file()]
        return keys + "".join(p.read_bytes().decode("latin-1") for p in files)
    client = cache._client()
    found = []
    for key in client.scan_iter(match=cache.prefix + "*"):
        found.append(f"{key.decode()}={client.get(key)}")
    return "\n".join(found)


def test_erase_leaves_no_trace_of_the_visitor_in_any_store_or_cache(site, tmp_path):
    client, rt = site
    gone, kept = f"erase-me-{uuid.uuid4().hex}", f"keep-me-{uuid.uuid4().hex}"
    events = [{"type": "view", "visitor_id": v, "content_id": "1", "session_id": f"s-{v}"}
              for v in (gone, gone, kept)]
    assert client.post("/v1/events", json={"events": events}, headers=SERVER).get_json()["accepted"] == 3
    for visitor in (gone, kept):
        decided = client.post("/v1/decide", json={"visitor_id": visitor, "slots": [{"name": "s"}]},
                              headers=SERVER)
        assert decided.status_code == 200
    before = everything_stored(rt, tmp_path)
    # Not vacuous: the visitor is in the store, and the cache holds their generation and a decision.
    assert gone in before and before.count(visitor_tag(gone)) >= 2

    answer = client.delete("/v1/visitors/" + quote(gone, safe=""), headers=SERVER)
    assert answer.status_code == 200 and answer.get_json()["erased"] == 2

    after = everything_stored(rt, tmp_path)
    assert gone not in after
    assert visitor_tag(gone) not in _cache_text(rt.cache)
    assert kept in after and visitor_tag(kept) in after
    again = client.post("/v1/decide", json={"visitor_id": gone, "slots": [{"name": "s"}]}, headers=SERVER)
    assert again.get_json()["cached"] is False


def test_a_cache_that_cannot_forget_makes_the_erase_a_503_to_retry(any_store, monkeypatch):
    client, rt = any_store

    def broken(visitor_id):
        raise ConnectionError("cache down")

    monkeypatch.setattr(rt.cache, "forget_visitor", broken)
    answer = client.delete("/v1/visitors/v1", headers={"Authorization": f"Bearer {API_KEY}"})
    assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "cache_unavailable"
