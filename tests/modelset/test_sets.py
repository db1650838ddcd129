"""The model-set store: both backends publish, point and fetch alike; PostgreSQL hosts share only the DB.

Each PostgreSQL case plays two hosts: the worker's (writes the set into its own folder and publishes
it) and a sidecar's (a separate, empty folder that fetches from the database).
"""
from __future__ import annotations

import psycopg
import pytest
from pertinent.errors import ModelSetError
from pertinent.modelset.folder_sets import FolderModelSets
from pertinent.modelset.loader import load_model_set
from pertinent.modelset.postgres_sets import PostgresModelSets
from pertinent.modelset.registry import ModelRegistry
from pertinent.modelset.sets import CANARY, LIVE, open_model_sets
from pertinent.store import open_store

from tests.support.services import POSTGRES_URL, postgres_schema

from .helpers import write


@pytest.fixture(scope="module")
def models_url():
    with postgres_schema("modelsets") as url:
        open_store(url).ping()  # the schema's tables, model sets' included (migration step 2)
        yield url


@pytest.fixture
def shared(models_url):
    """An empty model-set store in PostgreSQL for each test."""
    _sql(models_url, "TRUNCATE model_artifacts, model_sets, model_pointers")
    return models_url


def _sql(url: str, statement: str, params=()):
    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True, options=f"-c search_path={schema}") as conn:
        return conn.execute(statement, params).fetchall() if statement.startswith("SELECT") else \
            conn.execute(statement, params)


@pytest.fixture(params=["folder", pytest.param("postgres", marks=pytest.mark.postgres)])
def hosts(request, tmp_path):
    """(worker's ModelSets, a sidecar host's): one folder for both, or PostgreSQL and two folders."""
    if request.param == "folder":
        sets = FolderModelSets(tmp_path / "models")
        yield sets, sets
        return
    url = request.getfixturevalue("shared")
    worker = PostgresModelSets(url, tmp_path / "worker")
    sidecar = PostgresModelSets(url, tmp_path / "sidecar")
    yield worker, sidecar
    worker.close()
    sidecar.close()


def test_a_published_set_goes_live_and_another_host_loads_it(hosts):
    worker, sidecar = hosts
    folder = write(worker.models_dir, version="v1")
    worker.publish(folder)
    assert sidecar.live_version() is None
    worker.promote("v1")
    assert sidecar.live_version() == "v1"
    loaded = load_model_set(sidecar.fetch("v1"))
    assert loaded.version == "v1" and loaded.recommender is not None
    assert loaded.path.parent == sidecar.models_dir  # the sidecar's own copy
    assert sidecar.manifest("v1")["version"] == "v1"


def test_the_pointer_token_changes_on_every_write_even_to_the_same_version(hosts):
    worker, sidecar = hosts
    worker.publish(write(worker.models_dir, version="v1"))
    before = sidecar.pointer_token(LIVE)
    worker.promote("v1")
    first = sidecar.pointer_token(LIVE)
    worker.promote("v1")
    assert before is None and first is not None
    if isinstance(worker, PostgresModelSets):  # a file's mtime may not move within the same tick
        assert sidecar.pointer_token(LIVE) != first


def test_canary_is_named_and_cleared(hosts):
    worker, sidecar = hosts
    for version in ("v1", "v2"):
        worker.publish(write(worker.models_dir, version=version))
    worker.promote("v1")
    worker.set_canary("v2")
    assert (sidecar.live_version(), sidecar.canary_version()) == ("v1", "v2")
    worker.set_canary(None)
    assert sidecar.canary_version() is None and sidecar.live_version() == "v1"


def test_promoting_a_set_that_was_never_published_is_refused(hosts):
    worker, _ = hosts
    with pytest.raises(ModelSetError) as err:
        worker.promote("nowhere")
    assert err.value.code == "missing_manifest"
    with pytest.raises(ModelSetError) as err:
        worker.promote("../etc")
    assert err.value.code == "bad_manifest"
    assert worker.live_version() is None


@pytest.mark.postgres
def test_an_artifact_altered_in_the_database_is_refused_and_never_cached(shared, tmp_path):
    worker, sidecar = PostgresModelSets(shared, tmp_path / "w"), PostgresModelSets(shared, tmp_path / "s")
    worker.publish(write(worker.models_dir, version="v1"))
    _sql(shared, "UPDATE model_artifacts SET data = data || '\\x00'::bytea")
    worker._write_pointer(LIVE, "v1")  # as someone with write access to the database would
    with pytest.raises(ModelSetError) as err:
        sidecar.fetch("v1")
    assert err.value.code == "checksum_mismatch"
    assert not sidecar.models_dir.exists() or list(sidecar.models_dir.iterdir()) == []


@pytest.mark.postgres
def test_a_manifest_altered_in_the_database_fails_its_signature(shared, tmp_path):
    worker, sidecar = PostgresModelSets(shared, tmp_path / "w"), PostgresModelSets(shared, tmp_path / "s")
    worker.publish(write(worker.models_dir, version="v1"))
    _sql(shared, "UPDATE model_sets SET manifest = replace(manifest, '\"events\": 4', '\"events\": 5')")
    with pytest.raises(ModelSetError) as err:
        sidecar.fetch("v1")
    assert err.value.code == "bad_signature"
    assert list(sidecar.models_dir.iterdir()) == []


@pytest.mark.postgres
def test_publishing_another_set_under_a_taken_version_is_refused(shared, tmp_path):
    first, second = PostgresModelSets(shared, tmp_path / "a"), PostgresModelSets(shared, tmp_path / "b")
    first.publish(write(first.models_dir, version="v1"))
    first.publish(first.models_dir / "v1")  # the same set again: fine
    with pytest.raises(ModelSetError) as err:
        second.publish(write(second.models_dir, version="v1"))  # written later: another manifest
    assert err.value.code == "version_exists"


@pytest.mark.postgres
def test_registries_on_two_hosts_follow_live_and_canary_and_keep_serving_through_a_bad_set(shared, tmp_path):
    worker = PostgresModelSets(shared, tmp_path / "w")
    hosts = [PostgresModelSets(shared, tmp_path / name) for name in ("a", "b")]
    live = [ModelRegistry(h, reload_interval=0) for h in hosts]
    canaries = [ModelRegistry.canary(h, reload_interval=0) for h in hosts]
    for version in ("v1", "v2", "v3"):
        worker.publish(write(worker.models_dir, version=version))
    worker.promote("v1")
    worker.set_canary("v2")
    assert [r.polled().version for r in live] == ["v1", "v1"]
    assert [r.polled().version for r in canaries] == ["v2", "v2"]
    sha = worker.manifest("v3")["artifacts"]["recommender"]["sha256"]
    _sql(shared, "UPDATE model_artifacts SET data = data || '\\x00'::bytea WHERE sha256 = %s", (sha,))
    worker._write_pointer(LIVE, "v3")
    assert [r.polled().version for r in live] == ["v1", "v1"]
    assert all(r.status()["last_error_code"] == "checksum_mismatch" for r in live)
    worker.set_canary(None)
    assert [r.polled() for r in canaries] == [None, None]


def test_the_configuration_chooses_the_backend(tmp_path, models_url):
    from pertinent.config import load_config

    assert isinstance(open_model_sets(load_config({}, {"models_dir": tmp_path})), FolderModelSets)
    chosen = open_model_sets(load_config({}, {"models_dir": tmp_path, "models_url": models_url}))
    assert isinstance(chosen, PostgresModelSets) and chosen.models_dir == tmp_path
    assert chosen.where(CANARY).endswith("(CANARY)")
    chosen.close()


def test_a_models_url_that_is_not_postgresql_is_a_configuration_error():
    from pertinent.config import load_config
    from pertinent.errors import ConfigError

    with pytest.raises(ConfigError, match="PERTINENT_MODELS_URL"):
        load_config({"PERTINENT_MODELS_URL": "s3://bucket/models"})


@pytest.fixture
def read_only_url(shared):
    """The shared schema through a role whose every transaction is read-only, as on a hot standby."""
    import uuid

    schema = shared.rsplit("schema=", 1)[1]
    role = f"pt_ro_{uuid.uuid4().hex[:10]}"
    for statement in (f"CREATE ROLE {role} LOGIN", f"GRANT USAGE ON SCHEMA {schema} TO {role}",
                      f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
                      f"ALTER ROLE {role} SET default_transaction_read_only = on"):
        _sql(shared, statement)
    yield shared.replace("postgres@", f"{role}@", 1)
    _sql(shared, f"DROP OWNED BY {role}")
    _sql(shared, f"DROP ROLE {role}")


@pytest.mark.postgres
def test_a_host_reading_through_a_read_only_connection_serves_the_live_set(shared, read_only_url, tmp_path):
    """A sidecar's PERTINENT_MODELS_URL may name a read replica: polling and fetching never write."""
    worker = PostgresModelSets(shared, tmp_path / "w")
    worker.publish(write(worker.models_dir, version="v1"))
    worker.promote("v1")
    replica = PostgresModelSets(read_only_url, tmp_path / "replica-host")
    registry = ModelRegistry(replica, reload_interval=0)
    assert registry.polled() is not None and registry.polled().version == "v1"
    with pytest.raises(Exception, match="read-only"):
        replica.set_canary(None)  # the connection really refuses writes
    replica.close()
    worker.close()


def test_an_unreachable_model_set_database_is_a_reported_error_not_a_crash(tmp_path):
    from tests.support.net import free_port

    dead = PostgresModelSets(f"postgresql://postgres@127.0.0.1:{free_port()}/none", tmp_path / "host")
    registry = ModelRegistry(dead, reload_interval=0)
    assert registry.load() is False and registry.current() is None
    status = registry.status()
    assert status["last_error_code"] == "models_unavailable" and "not reachable" in status["last_error"]
    assert registry.polled() is None  # and again on the next poll, without raising


@pytest.mark.parametrize("action", ["promote", "rollback"])
def test_the_judges_verdict_moves_the_pointers_every_host_reads(hosts, tmp_path, action):
    from pertinent.modelset import canary

    worker, sidecar = hosts
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    for version in ("v1", "v2"):
        worker.publish(write(worker.models_dir, version=version))
    worker.promote("v1")
    canary.start_canary(store, worker, "v2", "retrained (schedule)")
    assert sidecar.canary_version() == "v2"
    canary.apply_decision(store, worker, canary.CanaryDecision(action, "v2", "test verdict"))
    assert sidecar.live_version() == ("v2" if action == "promote" else "v1")
    assert sidecar.canary_version() is None
    assert canary.canary_history(store)[0]["action"] == action


@pytest.mark.postgres
def test_workers_of_one_host_fetching_a_set_at_once_leave_one_whole_copy(shared, tmp_path):
    """Each gunicorn worker polls on its own: several may copy the same new set at the same moment."""
    import threading

    worker = PostgresModelSets(shared, tmp_path / "w")
    worker.publish(write(worker.models_dir, version="v1"))
    processes = [PostgresModelSets(shared, tmp_path / "host") for _ in range(4)]
    gate, results, errors = threading.Barrier(len(processes)), [], []

    def fetch(sets):
        gate.wait()
        try:
            results.append(sets.fetch("v1"))
        except Exception as exc:  # noqa: BLE001 - collected: a thread's exception would not fail the test
            errors.append(exc)

    threads = [threading.Thread(target=fetch, args=(p,)) for p in processes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and set(results) == {tmp_path / "host" / "v1"}
    assert sorted(p.name for p in (tmp_path / "host").iterdir()) == ["v1"]  # no staging folder left
    assert load_model_set(tmp_path / "host" / "v1").version == "v1"
