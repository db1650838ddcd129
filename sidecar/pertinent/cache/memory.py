"""An in-process cache with TTL, for tests and single-process tools: memory:// or memory://NAME.

memory:// is private to the object; memory://NAME is shared by every cache opened with that name in
this process, so a test can look into the cache the app under test opened from a URL.
"""
from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from .base import Cache
from .keys import GENERATION_TTL, decode, encode, generation_key, split_prefix, visitor_decisions_prefix

_NAMED: dict[str, _Space] = {}


class _Space:
    """Keys -> (expires at, JSON text), behind a lock because gunicorn's threads may share it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries: dict[str, tuple[float, str]] = {}


class MemoryCache(Cache):
    def __init__(self, url: str = "memory://"):
        self.url = url
        self.errors = 0
        base, self.prefix = split_prefix(url)
        name = urlsplit(base).netloc
        self._space = _NAMED.setdefault(name, _Space()) if name else _Space()

    def _get_raw(self, key: str) -> str | None:
        with self._space.lock:
            entry = self._space.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.monotonic():
                del self._space.entries[key]
                return None
            return entry[1]

    def _set_raw(self, key: str, raw: str, ttl: float) -> None:
        with self._space.lock:
            self._space.entries[key] = (time.monotonic() + ttl, raw)

    def get(self, key: str) -> dict | None:
        return decode(self._get_raw(self.prefix + key))

    def set(self, key: str, value: dict, ttl: int) -> None:
        raw = encode(value)  # encode even when not stored: the same values must work on every backend
        if ttl > 0:
            self._set_raw(self.prefix + key, raw, ttl)

    def delete(self, key: str) -> None:
        with self._space.lock:
            self._space.entries.pop(self.prefix + key, None)

    def generation(self, visitor_id: str) -> int:
        return int(self._get_raw(generation_key(self.prefix, visitor_id)) or 0)

    def bump_generation(self, visitor_ids: list[str]) -> None:
        for visitor_id in set(visitor_ids):
            key = generation_key(self.prefix, visitor_id)
            with self._space.lock:
                entry = self._space.entries.get(key)
                current = int(entry[1]) if entry and entry[0] > time.monotonic() else 0
                self._space.entries[key] = (time.monotonic() + GENERATION_TTL, str(current + 1))

    def forget_visitor(self, visitor_id: str) -> None:
        decisions = self.prefix + visitor_decisions_prefix(visitor_id)
        with self._space.lock:
            self._space.entries.pop(generation_key(self.prefix, visitor_id), None)
            for key in [k for k in self._space.entries if k.startswith(decisions)]:
                del self._space.entries[key]

    def add_counts(self, key: str, deltas: dict[str, int], ttl: int) -> bool:
        key = self.prefix + key
        with self._space.lock:
            entry = self._space.entries.get(key)
            current = decode(entry[1]) if entry and entry[0] > time.monotonic() else None
            expires = entry[0] if current is not None else time.monotonic() + ttl
            current = current or {}
            for name, delta in deltas.items():
                current[name] = int(current.get(name, 0)) + int(delta)
            self._space.entries[key] = (expires, encode(current))
        return True

    def counts(self, key: str) -> dict[str, int]:
        return {k: int(v) for k, v in (decode(self._get_raw(self.prefix + key)) or {}).items()}

    def ping(self) -> None:
        return None
