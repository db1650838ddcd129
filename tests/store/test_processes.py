"""Stores under gunicorn: durable across process exit, fresh connections after fork, many threads."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

from pertinent.store import open_store

from .helpers import event

CHILD = """
import sys
from datetime import datetime, timezone
from pertinent.domain import Event
from pertinent.store import open_store
store = open_store(sys.argv[1])
stamp = datetime(2026, 3, 1, tzinfo=timezone.utc)
print(store.add_events([Event("view", "child", stamp, content_id=str(i)) for i in range(250)]))
"""


def test_events_accepted_by_a_process_are_there_after_it_exits(store, store_url, repo_root):
    # The child exits without close(): what add_events returned must already be on disk / committed.
    done = subprocess.run([sys.executable, "-c", CHILD, store_url], cwd=repo_root, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "250"
    assert store.count_events() == 250
    assert open_store(store_url).count_events() == 250


def test_a_forked_child_writes_through_its_own_connection(store):
    store.add_events([event(visitor="parent")])  # the parent now holds an open connection
    parent_conn = store._conn()
    pid = os.fork()
    if pid == 0:  # child: only os._exit from here, never back into pytest
        code = 1
        try:
            fresh = store._conn() is not parent_conn
            store.add_events([event(visitor="child", seconds=i) for i in range(3)])
            code = 0 if fresh and len(store.visitor_history("child")) == 3 else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # The parent's connection survived the child's exit (a shared socket would have been torn down).
    assert store._conn() is parent_conn
    assert len(store.visitor_history("child")) == 3
    assert store.count_events() == 4


def test_threads_write_concurrently_without_losing_events(store):
    errors = []

    def write(n: int) -> None:
        try:
            for batch in range(5):
                store.add_events([event(visitor=f"t{n}", seconds=batch * 10 + i) for i in range(10)])
        except Exception as exc:  # collected, so the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count_events() == 300
    assert all(len(store.visitor_history(f"t{n}", limit=100)) == 50 for n in range(6))


def test_a_thread_per_request_server_does_not_leak_connections(store):
    def one_request() -> None:
        store.count_events()

    for _ in range(20):
        t = threading.Thread(target=one_request)
        t.start()
        t.join()
    store.count_events()
    mine = [key for key in store._conns if key[0] == os.getpid()]
    assert len(mine) <= 2  # this thread's, and at most the last finished thread's


WRITER = """
import sys
from datetime import datetime, timezone
from pertinent.domain import Event
from pertinent.store import open_store
store = open_store(sys.argv[1])
name = sys.argv[2]
stamp = datetime(2026, 3, 1, tzinfo=timezone.utc)
for batch in range(20):
    store.add_events([Event("view", name, stamp, content_id=str(i)) for i in range(25)])
"""


def test_several_worker_processes_write_at_once_without_losing_events(store, store_url, repo_root):
    # Like gunicorn workers: separate processes, one file or server, writes colliding on the lock.
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, store_url, f"w{n}"], cwd=repo_root,
                                stderr=subprocess.PIPE, text=True) for n in range(3)]
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    assert store.count_events() == 3 * 20 * 25
    assert all(len(store.export_visitor(f"w{n}")["events"]) == 500 for n in range(3))
