"""The scale-out cache: Redis shared by several sidecars (redis://host:port/db[?prefix=P]).

Short socket timeouts and a brief back-off after a failure: when Redis is down or slow, decisions
go on uncached at full speed instead of each waiting on a dead socket.
"""
from __future__ import annotations

import logging
import os
import time
from urllib.parse import parse_qsl, urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .base import Cache, CacheUnavailable
from .keys import GENERATION_TTL, decode, encode, generation_key, split_prefix, visitor_decisions_prefix

log = logging.getLogger(__name__)

# Seconds; the URL may override them (?socket_timeout=0.5&socket_connect_timeout=0.5).
DEFAULT_TIMEOUT = 0.1
# After a failure, skip Redis for this long: one slow timeout per interval, not one per request.
BACKOFF_S = 1.0


class RedisCache(Cache):
    def __init__(self, url: str):
        self.url = url
        self.errors = 0
        self._client_url, self.prefix = split_prefix(url)
        self._clients: dict[int, redis.Redis] = {}
        self._down_until = 0.0

    def _client(self) -> redis.Redis:
        """This process's client (its pool must not cross a fork), created on first use."""
        pid = os.getpid()
        client = self._clients.get(pid)
        if client is None:
            given = dict(parse_qsl(urlsplit(self._client_url).query))
            options = {name: DEFAULT_TIMEOUT for name in ("socket_timeout", "socket_connect_timeout")
                       if name not in given}
            # One immediate retry covers a pooled connection the server closed; more would only add wait.
            client = redis.Redis.from_url(self._client_url, retry=Retry(NoBackoff(), 1), **options)
            self._clients[pid] = client
        return client

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, action: str, exc: Exception) -> None:
        self.errors += 1
        self._down_until = time.monotonic() + BACKOFF_S
        log.warning("redis cache %s failed (%s): %s", action, type(exc).__name__, exc)

    def get(self, key: str) -> dict | None:
        if not self._available():
            return None
        try:
            raw = self._client().get(self.prefix + key)
        except Exception as exc:  # connection refused, timeout, OOM: a miss, never an error page
            self._failed("get", exc)
            return None
        return decode(raw)

    def set(self, key: str, value: dict, ttl: int) -> None:
        raw = encode(value)
        if ttl <= 0 or not self._available():
            return
        try:
            self._client().set(self.prefix + key, raw, ex=int(ttl))
        except Exception as exc:
            self._failed("set", exc)

    def delete(self, key: str) -> None:
        if not self._available():
            return
        try:
            self._client().delete(self.prefix + key)
        except Exception as exc:
            self._failed("delete", exc)

    def generation(self, visitor_id: str) -> int:
        if not self._available():
            return -1
        try:
            raw = self._client().get(generation_key(self.prefix, visitor_id))
        except Exception as exc:
            self._failed("generation", exc)
            return -1
        return int(raw or 0)

    def bump_generation(self, visitor_ids: list[str]) -> None:
        if not visitor_ids:
            return
        try:
            pipe = self._client().pipeline(transaction=False)
            for visitor_id in set(visitor_ids):
                key = generation_key(self.prefix, visitor_id)
                pipe.incr(key)
                pipe.expire(key, GENERATION_TTL)
            pipe.execute()
        except Exception as exc:
            # Tried even while backing off: a lost bump would let a stale decision live out its TTL.
            self._failed("bump_generation", exc)

    def add_counts(self, key: str, deltas: dict[str, int], ttl: int) -> bool:
        if not self._available():
            return False
        try:
            # One MULTI/EXEC: every increment and the expiry land together or not at all, so a failure
            # reported back never hides counts already added (which the caller would add again). EXPIRE
            # without NX (Redis 7 only): the entry is per hour, refreshing its lifetime is harmless.
            pipe = self._client().pipeline(transaction=True)
            for name, delta in deltas.items():
                pipe.hincrby(self.prefix + key, name, int(delta))
            pipe.expire(self.prefix + key, int(ttl))
            pipe.execute()
            return True
        except Exception as exc:
            self._failed("add_counts", exc)
            return False

    def counts(self, key: str) -> dict[str, int]:
        if not self._available():
            return {}
        try:
            raw = self._client().hgetall(self.prefix + key)
        except Exception as exc:
            self._failed("counts", exc)
            return {}
        return {k.decode() if isinstance(k, bytes) else k: int(v) for k, v in raw.items()}

    def forget_visitor(self, visitor_id: str) -> None:
        """SCAN for the visitor's decisions (erase is rare), then one DEL; tried even while backing off."""
        client = self._client()
        pattern = _glob_escape(self.prefix + visitor_decisions_prefix(visitor_id)) + "*"
        keys = [generation_key(self.prefix, visitor_id), *client.scan_iter(match=pattern, count=1000)]
        client.delete(*keys)

    def ping(self) -> None:
        try:
            self._client().ping()
        except Exception as exc:
            where = urlsplit(self._client_url)
            raise CacheUnavailable(f"redis cache at {where.hostname}:{where.port} is not reachable: "
                                   f"{exc}") from exc
        self._down_until = 0.0

    def close(self) -> None:
        client = self._clients.pop(os.getpid(), None)
        if client is not None:
            client.close()


def _glob_escape(text: str) -> str:
    """A key prefix as a literal SCAN pattern (a deployment's prefix may hold * ? [ or \\)."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
