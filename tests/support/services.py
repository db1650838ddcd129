"""Throwaway namespaces on the suite's real servers: a PostgreSQL schema, a Redis key prefix, a NATS
JetStream stream.

One definition of "reach the test server or fail saying how to start it" and of the cleanup, for every
conftest that needs a fresh store or cache namespace (never skip: `make services` starts them).
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_URL = os.environ.get("PERTINENT_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/pertinent_test")
REDIS_URL = os.environ.get("PERTINENT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
NATS_URL = os.environ.get("PERTINENT_TEST_NATS_URL", "nats://127.0.0.1:4222")


@contextmanager
def postgres_schema(tag: str) -> Iterator[str]:
    """A store URL on a new schema `pt_<tag>_<random>`, dropped on exit."""
    import psycopg

    schema = f"pt_{tag}_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} (run `make services`): {exc}",
                    pytrace=False)
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()


@contextmanager
def redis_prefix(tag: str) -> Iterator[str]:
    """A key prefix `pt-<tag>-<random>:` on the test Redis; every key under it is deleted on exit."""
    import redis

    prefix = f"pt-{tag}-{uuid.uuid4().hex[:12]}:"
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (run `make services`): {exc}", pytrace=False)
    try:
        yield prefix
    finally:
        for key in client.scan_iter(match=prefix + "*", count=500):
            client.delete(key)
        client.close()


@contextmanager
def nats_stream(tag: str) -> Iterator[str]:
    """An events URL (PERTINENT_EVENTS_URL) naming a new stream `pt-<tag>-<random>` on the test NATS
    server; the stream (with its consumers) is deleted on exit. The first use creates it."""
    import asyncio

    import nats
    from nats.js.errors import NotFoundError

    stream = f"pt-{tag}-{uuid.uuid4().hex[:12]}"

    async def on_server(action=None):
        nc = await nats.connect(NATS_URL, connect_timeout=2, allow_reconnect=False, max_reconnect_attempts=1)
        try:
            js = nc.jetstream()
            await js.account_info()  # JetStream enabled, not only core NATS
            if action is not None:
                await action(js)
        finally:
            await nc.close()

    async def delete(js):
        try:
            await js.delete_stream(stream)
        except NotFoundError:  # the test never published
            pass

    try:
        asyncio.run(on_server())
    except Exception as exc:
        pytest.fail(f"NATS with JetStream is not reachable at {NATS_URL} (run `make services`): {exc}",
                    pytrace=False)
    try:
        yield f"{NATS_URL}/{stream}"
    finally:
        asyncio.run(on_server(delete))
