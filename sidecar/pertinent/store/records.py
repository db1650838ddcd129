"""Small JSON records and named locks, shared by every sidecar and the worker through the store.

Experiments, canary history, drift results and worker state are a handful of documents, not rows
worth their own tables; one generic (kind, id) -> JSON table keeps both backends identical.
"""
from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager
from typing import Any, Protocol

# Appended to each backend's schema: same columns in both; times are epoch seconds (DOUBLE).
SQLITE_TABLES = (
    """CREATE TABLE IF NOT EXISTS records (
        kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, updated_at REAL NOT NULL,
        PRIMARY KEY (kind, id))""",
    """CREATE TABLE IF NOT EXISTS locks (
        name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL)""",
)
POSTGRES_TABLES = tuple(s.replace(" REAL ", " DOUBLE PRECISION ") for s in SQLITE_TABLES)

_UPSERT = ("INSERT INTO records (kind, id, doc, updated_at) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at")
# Take the lock when nobody holds it, when it expired, or renew it when we already hold it.
_TAKE_LOCK = ("INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?) "
              "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at "
              "WHERE locks.owner = excluded.owner OR locks.expires_at < ?")


class SQLAccess(Protocol):
    """What the mixin needs of its store: SQLStore's placeholder rewrite, read and write transaction."""

    def _q(self, sql: str) -> str: ...

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]: ...

    def _write(self) -> AbstractContextManager[Any]: ...


class RecordsMixin:
    """put/get/list/delete records and try/release locks over SQLStore's _read/_write/_q.

    Each method's `self: SQLAccess` says so to the type checker (mypy's recipe for mixins).
    """

    def put_record(self: SQLAccess, kind: str, record_id: str, doc: dict) -> None:
        """Insert or replace one JSON document."""
        with self._write() as cur:
            cur.execute(self._q(_UPSERT), (kind, record_id, json.dumps(doc, sort_keys=True, default=str),
                                           time.time()))

    def get_record(self: SQLAccess, kind: str, record_id: str) -> dict | None:
        found = self._read("SELECT doc FROM records WHERE kind = ? AND id = ?", (kind, record_id))
        return json.loads(found[0][0]) if found else None

    def list_records(self: SQLAccess, kind: str) -> list[dict]:
        """Every document of a kind, ordered by id."""
        found = self._read("SELECT doc FROM records WHERE kind = ? ORDER BY id", (kind,))
        return [json.loads(row[0]) for row in found]

    def delete_record(self: SQLAccess, kind: str, record_id: str) -> bool:
        with self._write() as cur:
            cur.execute(self._q("DELETE FROM records WHERE kind = ? AND id = ?"), (kind, record_id))
            return cur.rowcount > 0

    def try_lock(self: SQLAccess, name: str, owner: str, ttl: float) -> bool:
        """Take or renew a named lock for ttl seconds; False while another owner holds an unexpired one."""
        now = time.time()
        with self._write() as cur:
            cur.execute(self._q(_TAKE_LOCK), (name, owner, now + ttl, now))
            cur.execute(self._q("SELECT owner FROM locks WHERE name = ?"), (name,))
            row = cur.fetchone()
        return bool(row) and row[0] == owner

    def release_lock(self: SQLAccess, name: str, owner: str) -> None:
        """Give the lock up (only if we hold it), so the next worker need not wait for the expiry."""
        with self._write() as cur:
            cur.execute(self._q("DELETE FROM locks WHERE name = ? AND owner = ?"), (name, owner))
