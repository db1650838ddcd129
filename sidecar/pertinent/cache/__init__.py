"""Caches for decisions and segment answers, chosen by URL (PERTINENT_CACHE_URL)."""
from __future__ import annotations

from ..errors import ConfigError
from .base import Cache, CacheUnavailable

__all__ = ["Cache", "CacheUnavailable", "open_cache"]


def open_cache(url: str) -> Cache:
    """diskcache:///abs/dir (embedded default), redis://host:port/db or memory:// (tests).

    Every URL takes an optional `?prefix=P` put in front of all keys, so deployments and test runs
    can share one backend. Nothing connects here: each process opens its own handle on first use.
    """
    if url.startswith("diskcache:"):
        from .disk import DiskCache
        return DiskCache(url)
    if url.startswith(("redis://", "rediss://", "unix://")):
        # Imported only when chosen, so the embedded default needs no Redis client.
        from .redis import RedisCache
        return RedisCache(url)
    if url.startswith("memory:"):
        from .memory import MemoryCache
        return MemoryCache(url)
    raise ConfigError(f"cache URL {url!r}: expected diskcache:///PATH, redis://HOST:PORT/DB or memory://")
