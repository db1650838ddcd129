"""Runtimes built directly (no HTTP): SQLite store in tmp_path, memory:// cache, models in tmp_path."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from pertinent.cache import open_cache
from pertinent.config import load_config
from pertinent.decision.catalog import CatalogView
from pertinent.domain import ContentItem, Event
from pertinent.modelset.registry import ModelRegistry
from pertinent.modelset.writer import promote, write_model_set
from pertinent.runtime import Runtime
from pertinent.store import open_store

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=timezone.utc)  # a Monday


def make_item(cid, **kw) -> ContentItem:
    defaults = {"title": f"Post {cid}", "url": f"https://site.test/{cid}", "type": "post",
                "published_at": NOW - timedelta(days=int(cid) if str(cid).isdigit() else 1)}
    return ContentItem(id=str(cid), **{**defaults, **kw})


def view(visitor, cid, minutes_ago=5, type_="view") -> Event:
    return Event(type=type_, visitor_id=visitor, content_id=str(cid),
                 timestamp=datetime.now(timezone.utc) - timedelta(minutes=minutes_ago))


def build_runtime(tmp_path, reload_interval=0.0) -> Runtime:
    config = load_config(env={}, overrides={"data_dir": tmp_path / "var", "models_dir": tmp_path / "models",
                                            "reload_interval": reload_interval})
    store = open_store(f"sqlite:///{tmp_path / 'var' / 'pertinent.db'}")
    cache = open_cache("memory://")
    models = ModelRegistry(config.models_dir, reload_interval=reload_interval)
    models.load()
    catalog = CatalogView(store, models, check_interval=0.0)
    return Runtime(config=config, store=store, cache=cache, models=models, catalog=catalog)


def ship(runtime, artifacts, version=None, promote_it=True, reload=True) -> str:
    """Write a model set with these artifacts, make it live and load it."""
    path = write_model_set(runtime.config.models_dir, artifacts, data_range={"start": None, "end": None},
                           rows={"events": 0}, version=version)
    if promote_it:
        promote(runtime.config.models_dir, path.name)
        if reload:
            runtime.models.reload()
    return path.name


@pytest.fixture
def runtime(tmp_path):
    rt = build_runtime(tmp_path)
    yield rt
    rt.close()
