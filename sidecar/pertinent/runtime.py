"""The long-lived parts one sidecar process serves with: config, store, cache, model registry, catalog.

Built once before gunicorn forks (models loaded there, so workers share their memory pages) and
passed into the app factory. Store and cache connections open lazily in each worker after the fork.
"""
from __future__ import annotations

from dataclasses import dataclass

from .cache import open_cache
from .cache.base import Cache
from .config import Config
from .decision.catalog import CatalogView
from .modelset.registry import ModelRegistry
from .store import open_store
from .store.base import Store


@dataclass
class Runtime:
    config: Config
    store: Store
    cache: Cache
    models: ModelRegistry
    catalog: CatalogView

    @classmethod
    def from_config(cls, config: Config) -> Runtime:
        """Open every backend the configuration names and load the live model set."""
        config.data_dir.mkdir(parents=True, exist_ok=True)
        store = open_store(config.resolved_store_url)
        cache = open_cache(config.resolved_cache_url)
        models = ModelRegistry(config.models_dir, reload_interval=config.reload_interval)
        models.load()
        catalog = CatalogView(store, models)
        return cls(config=config, store=store, cache=cache, models=models, catalog=catalog)

    def close(self) -> None:
        """Release connections (tests and graceful shutdown)."""
        self.store.close()
        self.cache.close()
