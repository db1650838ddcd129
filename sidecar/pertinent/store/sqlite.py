"""The embedded default store: one SQLite file in WAL mode, created on first use, no setup.

WAL lets gunicorn workers read while one writes; synchronous=FULL makes a commit survive power loss,
because an accepted event is a promise; the busy timeout lets writers from several workers queue.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from . import migrations, rows
from .sql import SQLStore

BUSY_TIMEOUT_MS = 10_000
log = logging.getLogger(__name__)


def path_from_url(url: str) -> Path:
    """sqlite:///abs/path.db (or sqlite:////abs/path.db) -> /abs/path.db; a query string is ignored."""
    rest = url.split("://", 1)[1].split("?", 1)[0]
    if not rest or rest.strip("/") in ("", ":memory:"):
        # An in-memory database would be a different, empty one on every connection.
        raise ConfigError(f"store URL {url!r}: expected sqlite:///PATH/TO/FILE.db")
    return Path("/" + rest.lstrip("/")) if rest.startswith("/") else Path(rest)


class SQLiteStore(SQLStore):
    """Catalog and events in one SQLite file; one connection per process and thread."""

    # Locked past the busy timeout, unreadable or unwritable file or folder, disk I/O errors.
    outage_errors = (sqlite3.OperationalError, OSError)

    def __init__(self, url: str):
        super().__init__(url)
        self.path = path_from_url(url)
        self._schema_lock = threading.Lock()

    dialect = "sqlite"

    def _open(self) -> sqlite3.Connection:
        """A connection with this store's settings; the schema is not looked at (see _connect)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; writes say BEGIN IMMEDIATE themselves.
        # check_same_thread=False only so close() may run from another thread; use stays per thread.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous = FULL")
        # Deleted rows are overwritten, not left in free pages: an erased visitor is gone from the file.
        conn.execute("PRAGMA secure_delete = ON")
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = self._open()
        if not self._schema_ready:
            # Threads of one process set the schema up one at a time (and only once).
            with self._schema_lock:
                if not self._schema_ready:
                    self._ensure_schema(conn)
        return conn

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        """WAL mode (persistent in the file), then the schema brought to the newest version."""
        self._set_wal(conn)
        migrations.apply(self, conn)
        self._schema_ready = True

    def _schema_transaction(self, conn: sqlite3.Connection):
        """BEGIN IMMEDIATE already holds the file's write lock: concurrent migrators queue on it."""
        return self._transaction(conn)

    @staticmethod
    def _has_table(cur, name: str) -> bool:
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return cur.fetchone() is not None

    @staticmethod
    def _set_wal(conn: sqlite3.Connection) -> None:
        """Switching a new file to WAL needs it to itself, and SQLite answers "locked" at once instead of
        waiting when another process is doing the same: retry within the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection) -> Iterator[Any]:
        # IMMEDIATE takes the write lock up front, so two writers wait on the busy timeout instead
        # of one failing later with "database is locked" when it upgrades a read lock.
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
            conn.execute("COMMIT")
        except BaseException:
            # Also after a failed COMMIT: a transaction left open would refuse every later BEGIN.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            cur.close()

    def erase_visitor(self, visitor_id: str) -> int:
        """Delete, then checkpoint: until then the erased rows' pages are still in the WAL file."""
        erased = super().erase_visitor(visitor_id)
        self._checkpoint()
        return erased

    def _checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it; a reader of another worker can delay that."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                busy, _, _ = self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except self.outage_errors as exc:  # the rows are deleted; only their copy in the WAL waits
                log.warning("erase: WAL checkpoint failed; it completes at the next one: %s", exc)
                return
            if not busy:
                return
            if time.monotonic() > deadline:
                log.warning("erase: WAL checkpoint still blocked by a reader; it completes at the next one")
                return
            time.sleep(0.05)

    def _time_in(self, moment: datetime) -> float:
        return rows.to_epoch(moment)

    def _time_out(self, raw: Any) -> datetime:
        return rows.from_epoch(raw)
