"""The registry: LIVE polled cheaply, new sets swapped in whole, bad sets never replace good ones."""
from __future__ import annotations

import threading
import time

from pertinent.modelset.registry import ModelRegistry
from pertinent.modelset.writer import LIVE_FILE, promote

from .helpers import write


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_no_live_file_means_no_model_set_and_status_says_why(tmp_path):
    registry = ModelRegistry(tmp_path, reload_interval=5)
    assert registry.load() is False
    assert registry.current() is None
    status = registry.status()
    assert status["live"] is None and "LIVE" in status["last_error"]


def test_a_bad_live_set_at_start_leaves_no_model_set(tmp_path):
    folder = write(tmp_path, version="v1")
    promote(tmp_path, "v1")
    (folder / "recommender.joblib").write_bytes(b"x")
    registry = ModelRegistry(tmp_path)
    registry.load()
    assert registry.current() is None
    assert registry.status()["last_error_code"] == "checksum_mismatch"


def test_hot_reload_after_the_interval(tmp_path):
    clock = FakeClock()
    write(tmp_path, version="v1")
    promote(tmp_path, "v1")
    registry = ModelRegistry(tmp_path, reload_interval=5, clock=clock)
    registry.load()
    assert registry.current().version == "v1"
    write(tmp_path, version="v2")
    promote(tmp_path, "v2")
    clock.now += 1
    registry.maybe_reload()
    assert registry.current().version == "v1"  # not yet due: not even a stat
    clock.now += 5
    registry.maybe_reload()
    status = registry.status()
    assert registry.current().version == "v2" and status["live"] == "v2" and status["last_error"] is None
    assert status["manifest"]["version"] == "v2" and status["loaded_at"]


def test_a_bad_new_set_keeps_the_old_one_serving(tmp_path):
    clock = FakeClock()
    write(tmp_path, version="v1")
    promote(tmp_path, "v1")
    registry = ModelRegistry(tmp_path, reload_interval=5, clock=clock)
    registry.load()
    bad = write(tmp_path, version="v2")
    (bad / "recommender.joblib").write_bytes(b"corrupt")
    promote(tmp_path, "v2", verify=False)
    clock.now += 10
    registry.maybe_reload()
    assert registry.current().version == "v1"
    status = registry.status()
    assert status["live"] == "v1" and "v2" in status["last_error"]
    assert "still serving v1" in status["last_error"]
    assert status["last_error_code"] == "checksum_mismatch"
    ok, message = registry.reload()
    assert not ok and "sha256" in message and registry.current().version == "v1"
    # A good set promoted afterwards is picked up again.
    write(tmp_path, version="v3")
    promote(tmp_path, "v3")
    clock.now += 10
    registry.maybe_reload()
    assert registry.current().version == "v3" and registry.status()["last_error"] is None


def test_unchanged_live_is_not_reloaded(tmp_path):
    clock = FakeClock()
    write(tmp_path, version="v1")
    promote(tmp_path, "v1")
    registry = ModelRegistry(tmp_path, reload_interval=1, clock=clock)
    registry.load()
    first = registry.current()
    for _ in range(3):
        clock.now += 2
        registry.maybe_reload()
    assert registry.current() is first and registry.reloads == 1


def test_garbage_in_live_is_an_error_not_a_path(tmp_path):
    (tmp_path / LIVE_FILE).write_text("../../etc\n")
    registry = ModelRegistry(tmp_path)
    assert registry.load() is False and registry.status()["last_error_code"] == "bad_manifest"


def test_readers_always_see_a_whole_set_while_versions_flip(tmp_path):
    for version in ("v1", "v2"):
        write(tmp_path, version=version)
    promote(tmp_path, "v1")
    registry = ModelRegistry(tmp_path, reload_interval=0)
    registry.load()
    errors, seen, stop = [], set(), threading.Event()

    def reader():
        while not stop.is_set():
            try:
                registry.maybe_reload()
                current = registry.current()
                assert current.manifest["version"] == current.version and current.recommender is not None
                seen.add(current.version)
                time.sleep(0.001)
            except Exception as exc:  # collected, asserted below
                errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(20):
        promote(tmp_path, "v2" if i % 2 == 0 else "v1")
        registry.reload()
    stop.set()
    for t in threads:
        t.join()
    assert not errors and seen <= {"v1", "v2"} and seen


def test_the_canary_registry_follows_its_pointer_and_serves_nothing_without_one(tmp_path):
    from pertinent.modelset.writer import set_canary

    write(tmp_path, version="v1")
    write(tmp_path, version="v2")
    promote(tmp_path, "v1")
    canary = ModelRegistry.canary(tmp_path, reload_interval=0)
    assert canary.polled() is None and canary.status()["last_error"] is None  # no CANARY: no canary
    set_canary(tmp_path, "v2")
    assert canary.polled().version == "v2"
    set_canary(tmp_path, None)
    assert canary.polled() is None


def test_a_canary_that_will_not_load_serves_nothing_and_is_reported_once(tmp_path):
    from pertinent.modelset.writer import set_canary

    write(tmp_path, version="v2")
    bad = write(tmp_path, version="v3")
    failures = []
    canary = ModelRegistry.canary(tmp_path, reload_interval=0, on_failure=lambda v, m: failures.append(v))
    set_canary(tmp_path, "v2")
    assert canary.polled().version == "v2"
    set_canary(tmp_path, "v3")
    (bad / "recommender.joblib").write_bytes(b"x")
    # Not the previous canary: v2 is no longer what CANARY names, so it must not be served as one.
    assert canary.polled() is None and canary.polled() is None
    assert failures == ["v3"] and canary.status()["last_error_code"] == "checksum_mismatch"
