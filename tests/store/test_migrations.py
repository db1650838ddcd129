"""Schema versions: new installs, databases from before versioning, upgrades, failures, concurrency."""
from __future__ import annotations

import multiprocessing
import threading
import uuid

import psycopg
import pytest
from pertinent.domain import ContentItem
from pertinent.store import migrations, open_store
from pertinent.store.migrations import STEPS, SchemaError, Step

from .helpers import event

NEWEST = STEPS[-1].version
# Every version once the test's own extra step ran: [1, ..., NEWEST + 1].
WITH_EXTRA = list(range(1, NEWEST + 2))
# A second step defined by the test only: shows an upgrade from v1 runs and keeps the data.
V2 = Step(NEWEST + 1, "test: index on events.content_id",
          sqlite=("CREATE INDEX events_content ON events (content_id)",),
          postgres=("CREATE INDEX events_content ON events (content_id)",))
BROKEN = Step(NEWEST + 1, "test: a step that fails half-way",
              sqlite=("CREATE TABLE half_done (x INTEGER)", "CREATE TABLE events (x INTEGER)"),
              postgres=("CREATE TABLE half_done (x INTEGER)", "CREATE TABLE events (x INTEGER)"))


def _raw(store):
    """A connection that does not migrate on open, for looking at the database as it is."""
    return store._open()


def _tables(store) -> set[str]:
    conn = _raw(store)
    try:
        with store._schema_transaction(conn) as cur:
            if store.dialect == "sqlite":
                cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            else:
                cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            return {row[0] for row in cur.fetchall()}
    finally:
        conn.close()


def _versions(store) -> list[int]:
    conn = _raw(store)
    try:
        with store._schema_transaction(conn) as cur:
            cur.execute("SELECT version FROM schema_migrations ORDER BY version")
            return [row[0] for row in cur.fetchall()]
    finally:
        conn.close()


def _create_like_an_earlier_release(store) -> None:
    """Today's v1 DDL without the version table: what every release before versioning left behind."""
    conn = _raw(store)
    try:
        with store._schema_transaction(conn) as cur:
            for statement in STEPS[0].statements(store.dialect):
                cur.execute(statement)
    finally:
        conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """An empty database of this test's own (a new SQLite file, a new PostgreSQL schema, dropped after),
    so versions set here never reach the other store tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'pertinent.db'}"
        return
    base = request.getfixturevalue("postgres_url").split("?", 1)[0]
    schema = f"pt_migrate_{uuid.uuid4().hex[:12]}"
    yield f"{base}?schema={schema}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _fresh(store_url):
    return open_store(store_url)


def test_a_fresh_database_is_brought_to_the_newest_version(store_url):
    store = _fresh(store_url)
    assert migrations.status(store).current == 0
    store.ping()
    assert _versions(store) == [s.version for s in STEPS]
    state = migrations.status(store)
    assert (state.current, state.target, state.pending) == (NEWEST, NEWEST, ())
    assert {"content", "events", "catalog_state", "records", "locks"} <= _tables(store)


def test_a_database_from_before_versioning_is_recorded_as_v1_unchanged(store_url):
    store = _fresh(store_url)
    _create_like_an_earlier_release(store)
    before = _tables(store)
    conn = _raw(store)
    with store._schema_transaction(conn) as cur:
        cur.execute("INSERT INTO content (id, title) VALUES ('old-1', 'kept')")
        cur.execute("UPDATE catalog_state SET revision = 7")
    conn.close()
    assert migrations.status(store).current == 1  # detected by its tables
    migrations.upgrade(store, STEPS[:1])
    assert _versions(store) == [1]
    assert _tables(store) == before | {"schema_migrations"}
    assert [c.title for c in store.list_content()] == ["kept"]
    assert store.catalog_revision() == 7


def test_an_upgrade_from_v1_runs_the_new_step_and_keeps_the_data(store_url):
    store = _fresh(store_url)
    store.upsert_content([ContentItem(id="a", title="A")])
    store.add_events([event(visitor="v1")])
    assert migrations.status(store, STEPS + (V2,)).pending == (V2,)
    assert migrations.upgrade(store, STEPS + (V2,)) == [V2]
    assert _versions(store) == WITH_EXTRA
    assert store.count_events() == 1 and [c.id for c in store.list_content()] == ["a"]
    assert migrations.upgrade(store, STEPS + (V2,)) == []  # done once, never again


def test_a_failing_step_rolls_back_and_leaves_the_previous_version(store_url):
    store = _fresh(store_url)
    store.add_events([event(visitor="v1")])
    before = _tables(store)
    failed = rf"schema step {NEWEST + 1} \(test: a step that fails half-way\).*version {NEWEST}"
    with pytest.raises(SchemaError, match=failed):
        migrations.upgrade(store, STEPS + (BROKEN,))
    assert _versions(store) == WITH_EXTRA[:-1]
    assert _tables(store) == before  # half_done was rolled back with the step
    assert store.count_events() == 1


def test_a_database_newer_than_the_code_is_refused(store_url):
    store = _fresh(store_url)
    migrations.upgrade(store, STEPS + (V2,))
    newer_unknown = open_store(store_url)  # this release knows only STEPS
    newer = rf"schema version {NEWEST + 1}, newer than this release knows \({NEWEST}\)"
    with pytest.raises(SchemaError, match=newer):
        newer_unknown.ping()
    with pytest.raises(SchemaError):
        newer_unknown.add_events([event()])


def test_concurrent_migrators_apply_each_step_once_without_error(store_url):
    _fresh(store_url)
    starters = [open_store(store_url) for _ in range(6)]
    gate = threading.Barrier(len(starters))
    applied, errors = [], []

    def start(store):
        gate.wait()
        try:
            applied.append(migrations.upgrade(store, STEPS + (V2,)))
        except Exception as exc:  # collected: an exception in a thread would not fail the test
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in starters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # each step applied by exactly one starter; the others found it done
    assert sorted(step.version for steps in applied for step in steps) == WITH_EXTRA
    assert _versions(starters[0]) == WITH_EXTRA


def _configure(monkeypatch, tmp_path, store_url) -> None:
    monkeypatch.setenv("PERTINENT_DATA_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("PERTINENT_STORE_URL", store_url)


def test_migrate_status_and_up_on_the_command_line(store_url, tmp_path, monkeypatch, capsys):
    from pertinent.cli import main

    _configure(monkeypatch, tmp_path, store_url)
    assert main(["migrate", "status"]) == 0
    assert "current: 0" in capsys.readouterr().out
    assert main(["migrate", "up"]) == 0
    out = capsys.readouterr().out
    assert all(f"applied: {s.version} {s.description}" in out for s in STEPS)
    assert main(["migrate", "status"]) == 0
    out = capsys.readouterr().out
    assert f"current: {NEWEST}" in out and "up to date" in out


def test_migrate_reports_a_newer_database_and_an_unreachable_store_without_traceback(
        store_url, tmp_path, monkeypatch, capsys):
    from pertinent.cli import main

    migrations.upgrade(open_store(store_url), STEPS + (V2,))
    _configure(monkeypatch, tmp_path, store_url)
    assert main(["migrate", "up"]) == 2
    err = capsys.readouterr().err
    assert "newer than this release" in err and "Traceback" not in err
    monkeypatch.setenv("PERTINENT_STORE_URL", f"sqlite:///{tmp_path / 'file'}/p.db")
    (tmp_path / "file").write_text("not a folder")
    assert main(["migrate", "status"]) == 1
    assert "not reachable" in capsys.readouterr().err


def test_the_sidecar_does_not_start_on_a_database_newer_than_the_code(store_url, tmp_path, monkeypatch):
    from pertinent.config import load_config
    from pertinent.runtime import Runtime

    migrations.upgrade(open_store(store_url), STEPS + (V2,))
    _configure(monkeypatch, tmp_path, store_url)
    with pytest.raises(SchemaError, match="newer than this release"):
        Runtime.from_config(load_config())


def _start_in_a_process(store_url: str, results) -> None:
    """What one gunicorn worker or replica does at start, in a process of its own."""
    try:
        applied = migrations.upgrade(open_store(store_url), STEPS + (V2,))
        results.put([step.version for step in applied])
    except Exception as exc:
        results.put(repr(exc))


def test_concurrent_processes_apply_each_step_once_without_error(store_url):
    context = multiprocessing.get_context("fork")  # the store is opened in each child, after the fork
    results = context.Queue()
    children = [context.Process(target=_start_in_a_process, args=(store_url, results)) for _ in range(4)]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=60) for _ in children]
    for child in children:
        child.join()
    assert all(isinstance(o, list) for o in outcomes), outcomes
    assert sorted(v for o in outcomes for v in o) == WITH_EXTRA
    assert _versions(open_store(store_url)) == WITH_EXTRA
