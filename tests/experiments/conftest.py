"""Stores for the experiment tests: SQLite in a temp dir and PostgreSQL in a schema of its own."""
from __future__ import annotations

import uuid

import pytest
from pertinent.store import open_store

PG_BASE = "postgresql://postgres@127.0.0.1:5432/pertinent_test"


@pytest.fixture(scope="session")
def pg_schema():
    """One schema per test session, dropped at the end (others run their suites concurrently)."""
    psycopg = pytest.importorskip("psycopg")
    name = "exp_" + uuid.uuid4().hex[:10]
    try:
        psycopg.connect(PG_BASE, connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    yield name
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """The same behaviour must hold on both backends; each test gets empty tables."""
    if request.param == "sqlite":
        s = open_store(f"sqlite:///{tmp_path / 'pertinent.db'}")
    else:
        schema = request.getfixturevalue("pg_schema") + "_" + uuid.uuid4().hex[:6]
        s = open_store(f"{PG_BASE}?schema={schema}")
    yield s
    if request.param == "postgres":
        import psycopg

        s.close()
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    else:
        s.close()
