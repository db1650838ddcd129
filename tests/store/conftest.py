"""The `store` fixture: every store test runs against SQLite and against PostgreSQL.

PostgreSQL gets a schema unique to this session (dropped at the end) and is emptied before each
test. When the server is down the PostgreSQL cases fail with a message saying so: never skip.
"""
from __future__ import annotations

import psycopg
import pytest
from pertinent.store import open_store

from tests.support.services import POSTGRES_URL, postgres_schema


@pytest.fixture(scope="session")
def postgres_url():
    """A store URL on a schema of this session's own; dropped when the session ends."""
    with postgres_schema("test") as url:
        open_store(url).ping()  # creates the schema and tables
        yield url


def _empty_postgres(url: str) -> None:
    """Each test starts from an empty catalog and event log, like a fresh SQLite file."""
    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True, options=f"-c search_path={schema}") as conn:
        conn.execute("TRUNCATE content, events RESTART IDENTITY")
        conn.execute("UPDATE catalog_state SET revision = 0")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'pertinent.db'}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()
