"""Choosing and reaching a store from its URL."""
from __future__ import annotations

import psycopg
import pytest
from pertinent.domain import ContentItem
from pertinent.errors import ConfigError
from pertinent.store import StoreUnavailable, open_store
from pertinent.store.sqlite import path_from_url

from tests.support.net import free_port

from .helpers import event


def test_sqlite_urls_name_absolute_paths():
    assert str(path_from_url("sqlite:///srv/pertinent/p.db")) == "/srv/pertinent/p.db"
    assert str(path_from_url("sqlite:////srv/pertinent/p.db")) == "/srv/pertinent/p.db"


@pytest.mark.parametrize("url", ["mysql://localhost/db", "sqlite:///:memory:", "sqlite://"])
def test_unusable_store_urls_are_refused(url):
    with pytest.raises(ConfigError):
        open_store(url)


def test_sqlite_file_and_folders_are_created_on_first_use(tmp_path):
    path = tmp_path / "a" / "b" / "pertinent.db"
    store = open_store(f"sqlite:///{path}")
    assert not path.exists()  # opening connects nothing
    store.ping()
    assert path.exists()
    assert open_store(f"sqlite:///{path}")._read("PRAGMA journal_mode")[0][0] == "wal"


def test_ping_passes_on_a_reachable_store(store):
    store.ping()


def test_ping_raises_store_unavailable_when_postgres_is_down():
    store = open_store(f"postgresql://postgres@127.0.0.1:{free_port()}/pertinent_test")
    with pytest.raises(StoreUnavailable, match="not reachable"):
        store.ping()


def test_ping_raises_store_unavailable_when_the_sqlite_folder_cannot_exist(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable):
        open_store(f"sqlite:///{blocker}/pertinent.db").ping()


def test_postgres_url_password_is_not_in_messages():
    store = open_store(f"postgresql://postgres:s3cret@127.0.0.1:{free_port()}/pertinent_test")
    with pytest.raises(StoreUnavailable) as caught:
        store.ping()
    assert "s3cret" not in str(caught.value)


def test_a_closed_store_reopens_on_next_use(store):
    # The sidecar closes its store in the gunicorn master before forking; workers then reconnect.
    store.add_events([])
    store.count_events()
    store.close()
    store.close()
    assert store.count_events() == 0


def _unreachable_stores(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    return [open_store(f"postgresql://postgres@127.0.0.1:{free_port()}/pertinent_test"),
            open_store(f"sqlite:///{blocker}/pertinent.db")]


def test_reads_and_writes_on_an_unreachable_store_raise_store_unavailable(tmp_path):
    # One exception type for every backend, so routes can answer 503 without knowing drivers.
    for store in _unreachable_stores(tmp_path):
        with pytest.raises(StoreUnavailable):
            store.add_events([event()])
        with pytest.raises(StoreUnavailable):
            store.visitor_history("v1")
        with pytest.raises(StoreUnavailable):
            store.upsert_content([ContentItem(id="1")])


@pytest.mark.postgres
def test_a_postgres_schema_is_created_on_first_use_and_keeps_deployments_apart(postgres_url):
    base = postgres_url.split("?", 1)[0]
    names = [f"{postgres_url.rsplit('=', 1)[1]}_extra{n}" for n in range(2)]
    first, second = (open_store(f"{base}?schema={name}") for name in names)
    try:
        first.add_events([event(visitor="only-in-first")])
        assert first.count_events() == 1
        assert second.count_events() == 0
        found = psycopg.connect(base, autocommit=True).execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s) ORDER BY 1", (names,)).fetchall()
        assert [row[0] for row in found] == names
    finally:
        for s in (first, second):
            s.close()
        with psycopg.connect(base, autocommit=True) as conn:
            for name in names:
                conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def test_a_bad_postgres_schema_name_is_refused():
    with pytest.raises(ConfigError, match="schema"):
        open_store("postgresql://postgres@127.0.0.1/db?schema=drop table;")
    with pytest.raises(ConfigError, match="schema"):
        open_store("postgresql://postgres@127.0.0.1/db?schema=MixedCase")


def test_sqlite_commits_are_fully_synced(tmp_path):
    # synchronous=FULL: "accepted" means on disk, even across a power cut, not just in the OS cache.
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    assert store._read("PRAGMA synchronous")[0][0] == 2
    assert store._read("PRAGMA busy_timeout")[0][0] >= 1000


def test_no_table_has_a_place_for_ip_addresses_or_user_agents(store):
    store.ping()
    if store.url.startswith("sqlite"):
        columns = [r[1] for t in ("events", "content") for r in store._read(f"PRAGMA table_info({t})")]
    else:
        columns = [r[0] for r in store._read(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()")]
    assert "visitor_id" in columns
    assert not [c for c in columns if "ip" == c or "ip_" in c or "agent" in c or "email" in c]
