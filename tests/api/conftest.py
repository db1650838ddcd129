"""Fixtures for the HTTP API: a real Runtime (SQLite in a temp dir, memory cache) and a test client."""
from __future__ import annotations

import pytest
from pertinent import create_app
from pertinent.config import load_config
from pertinent.runtime import Runtime

from tests.conftest import TEST_SIGNING_KEY
from tests.support.services import postgres_schema

API_KEY = "test-server-key-0123456789"
PUBLIC_KEY = "test-public-key"
ALLOWED = "https://shop.example"


def make_config(tmp_path, **overrides):
    """A configuration living entirely in tmp_path, with known keys and one allowed origin."""
    values = {"data_dir": tmp_path / "data", "models_dir": tmp_path / "models", "api_key": API_KEY,
              "public_key": PUBLIC_KEY, "allowed_origins": (ALLOWED,), "cache_url": "memory://",
              "reload_interval": 0.0, "signing_key": TEST_SIGNING_KEY, "rate_limit": "off"}
    values.update(overrides)
    return load_config(env={}, overrides=values)


@pytest.fixture
def config(tmp_path):
    return make_config(tmp_path)


@pytest.fixture
def runtime(config):
    rt = Runtime.from_config(config)
    yield rt
    rt.close()


@pytest.fixture
def app(config, runtime):
    return create_app(config, runtime, test_config={"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def server():
    """Headers of a server-side caller holding the API key."""
    return {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture
def browser():
    """Headers of a browser on an allowed origin holding the public site key."""
    return {"Authorization": f"Bearer {PUBLIC_KEY}", "Origin": ALLOWED}


def promote_popularity_set(models_dir, content_ids=("1", "2", "3")) -> str:
    """Write and promote a small real model set (the popularity baseline) so the sidecar is 'ok'."""
    import pandas as pd
    from pertinent.modelset.writer import promote, write_model_set
    from pertinent.recsys.baseline import PopularityRecommender

    events = pd.DataFrame({"content_id": list(content_ids), "event_type": ["click"] * len(content_ids),
                           "timestamp": ["2026-01-01T00:00:00Z"] * len(content_ids)})
    model = PopularityRecommender().fit(events)
    path = write_model_set(models_dir, {"recommender": model},
                           data_range={"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"},
                           rows={"events": len(events), "content": len(content_ids), "visitors": 1})
    promote(models_dir, path.name)
    return path.name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """The store under test: SQLite in tmp_path, or a PostgreSQL schema of this test's own (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'pertinent.db'}"
        return
    with postgres_schema("api") as url:
        yield url


@pytest.fixture
def any_store(tmp_path, store_url):
    """(client, runtime) of an app on the store under test (both stores), memory cache."""
    rt = Runtime.from_config(make_config(tmp_path, store_url=store_url))
    app = create_app(rt.config, rt, test_config={"TESTING": True})
    yield app.test_client(), rt
    rt.close()
