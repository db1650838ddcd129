"""The embedded default cache: diskcache in a directory (diskcache:///abs/dir[?prefix=P]).

diskcache is SQLite underneath and safe across processes; each gunicorn worker opens its own handle
on first use (keyed by pid), because a handle must not cross a fork.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import diskcache

from ..errors import ConfigError
from .base import Cache, CacheUnavailable
from .keys import GENERATION_TTL, decode, encode, generation_key, split_prefix, visitor_decisions_prefix

log = logging.getLogger(__name__)

# Seconds to wait for diskcache's SQLite lock: a cache that makes a page wait is worse than a miss.
LOCK_TIMEOUT = 0.25


def directory_from_url(url: str) -> Path:
    """diskcache:///abs/dir (or diskcache:////abs/dir) -> /abs/dir."""
    rest = url.split("://", 1)[1]
    if not rest.strip("/"):
        raise ConfigError(f"cache URL {url!r}: expected diskcache:///PATH/TO/DIR")
    return Path("/" + rest.lstrip("/")) if rest.startswith("/") else Path(rest)


class DiskCache(Cache):
    def __init__(self, url: str):
        self.url = url
        self.errors = 0
        _, self.prefix = split_prefix(url)
        self.directory = directory_from_url(url.split("?", 1)[0])
        self._handles: dict[int, diskcache.Cache] = {}

    def _cache(self) -> diskcache.Cache:
        """This process's handle; creates the directory on first use."""
        pid = os.getpid()
        handle = self._handles.get(pid)
        if handle is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            # secure_delete: a forgotten visitor's entries are overwritten, not left in free pages.
            handle = diskcache.Cache(str(self.directory), timeout=LOCK_TIMEOUT, sqlite_secure_delete=1)
            self._handles[pid] = handle
        return handle

    def _failed(self, action: str, exc: Exception) -> None:
        self.errors += 1
        log.warning("cache %s failed (%s): %s", action, type(exc).__name__, exc)

    def get(self, key: str) -> dict | None:
        try:
            raw = self._cache().get(self.prefix + key)
        except Exception as exc:  # disk full, lock timeout, corrupt file: a miss, not an error page
            self._failed("get", exc)
            return None
        return decode(raw)

    def set(self, key: str, value: dict, ttl: int) -> None:
        raw = encode(value)
        if ttl <= 0:
            return
        try:
            self._cache().set(self.prefix + key, raw, expire=ttl)
        except Exception as exc:
            self._failed("set", exc)

    def delete(self, key: str) -> None:
        try:
            self._cache().delete(self.prefix + key)
        except Exception as exc:
            self._failed("delete", exc)

    def generation(self, visitor_id: str) -> int:
        try:
            return int(self._cache().get(generation_key(self.prefix, visitor_id), default=0))
        except Exception as exc:
            self._failed("generation", exc)
            return -1

    def bump_generation(self, visitor_ids: list[str]) -> None:
        if not visitor_ids:
            return
        try:
            cache = self._cache()
            # One transaction: read-increment-write must not interleave with another worker's bump.
            with cache.transact():
                for visitor_id in set(visitor_ids):
                    key = generation_key(self.prefix, visitor_id)
                    cache.set(key, int(cache.get(key, default=0)) + 1, expire=GENERATION_TTL)
        except Exception as exc:
            self._failed("bump_generation", exc)

    def add_counts(self, key: str, deltas: dict[str, int], ttl: int) -> bool:
        try:
            cache = self._cache()
            with cache.transact():  # read-add-write must not interleave with another worker's flush
                current = decode(cache.get(self.prefix + key)) or {}
                for name, delta in deltas.items():
                    current[name] = int(current.get(name, 0)) + int(delta)
                cache.set(self.prefix + key, encode(current), expire=ttl)
            return True
        except Exception as exc:
            self._failed("add_counts", exc)
            return False

    def counts(self, key: str) -> dict[str, int]:
        return {k: int(v) for k, v in (self.get(key) or {}).items()}

    def forget_visitor(self, visitor_id: str) -> None:
        """A scan of the keys: erase is rare, and a tag index would cost every decision write."""
        cache = self._cache()
        decisions = self.prefix + visitor_decisions_prefix(visitor_id)
        cache.delete(generation_key(self.prefix, visitor_id))
        for key in [k for k in cache.iterkeys() if isinstance(k, str) and k.startswith(decisions)]:
            cache.delete(key)
        # diskcache is SQLite in WAL mode: the deleted entries' old pages stay in the WAL until this.
        with closing(sqlite3.connect(self.directory / diskcache.core.DBNAME, timeout=LOCK_TIMEOUT)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def ping(self) -> None:
        try:
            cache = self._cache()
            cache.set(self.prefix + "__ping__", "1", expire=60)
            cache.get(self.prefix + "__ping__")
        except Exception as exc:
            raise CacheUnavailable(f"disk cache at {self.directory} is not usable: {exc}") from exc

    def close(self) -> None:
        handle = self._handles.pop(os.getpid(), None)
        if handle is not None:
            handle.close()
