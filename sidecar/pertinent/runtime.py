"""The long-lived parts one sidecar process serves with: config, store, cache, model registry, catalog.

Built once before gunicorn forks (models loaded there, so workers share their memory pages) and
passed into the app factory. Store and cache connections open lazily in each worker after the fork.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .cache import open_cache
from .cache.base import Cache
from .config import Config
from .decision.catalog import CatalogView
from .modelset.keys import keyring_from_config
from .modelset.registry import ModelRegistry
from .modelset.sets import open_model_sets
from .monitoring.traffic import TrafficCounter
from .store import open_store
from .store.base import Store, StoreUnavailable

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    config: Config
    store: Store
    cache: Cache
    models: ModelRegistry
    catalog: CatalogView
    # Decisions this process counted and has not yet added to the shared 24-hour totals.
    traffic: TrafficCounter = field(default_factory=TrafficCounter)

    @classmethod
    def from_config(cls, config: Config) -> Runtime:
        """Open every backend the configuration names and load the live model set."""
        config.data_dir.mkdir(parents=True, exist_ok=True)
        store = open_store(config.resolved_store_url)
        cache = open_cache(config.resolved_cache_url)
        models = ModelRegistry(open_model_sets(config), reload_interval=config.reload_interval,
                               keyring=keyring_from_config(config))
        models.load()
        catalog = CatalogView(store, models)
        try:
            # Brings the schema to this release's version; one newer than the code raises SchemaError
            # (a ConfigError): the sidecar does not start rather than write into a schema it does not know.
            store.ping()
        except StoreUnavailable as exc:  # down at start: /readyz reports it; the first use migrates
            log.warning("store not reachable at start; its schema is checked on first use: %s", exc)
        try:
            # Build the catalog snapshot and popular ranking now: before gunicorn forks, so no visitor's
            # request pays for them and workers share the memory.
            catalog.warm(config.event_weights)
        except Exception:  # a store that is down at start must not stop the sidecar: /readyz reports it
            log.exception("could not warm the catalog at start; the first requests will build it")
        return cls(config=config, store=store, cache=cache, models=models, catalog=catalog)

    def close(self) -> None:
        """Release connections (tests and graceful shutdown)."""
        self.store.close()
        self.cache.close()
        self.models.sets.close()
