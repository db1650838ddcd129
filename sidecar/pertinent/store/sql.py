"""The Store written once in the SQL that SQLite and PostgreSQL share; backends add connections, time types.

Connections are opened lazily and kept per (process, thread): gunicorn forks after the app is built,
and a connection made before the fork must never be used (or closed) after it.
"""
from __future__ import annotations

import abc
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from ..domain import ContentItem, Event
from . import rows
from .base import Store, StoreUnavailable
from .migrations import SchemaError
from .records import RecordsMixin

_EVENT_COLS = ", ".join(rows.EVENT_COLUMNS)
_CONTENT_COLS = ", ".join(rows.CONTENT_COLUMNS)
_UPSERT_CONTENT = (
    f"INSERT INTO content ({_CONTENT_COLS}) VALUES ({', '.join('?' for _ in rows.CONTENT_COLUMNS)}) "
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in rows.CONTENT_COLUMNS if c != "id"))
# The conflict target names the partial unique index of migration step 3 (store/schema.py EVENT_IDS).
_INSERT_EVENTS_ONCE = (
    f"INSERT INTO events (event_id, {_EVENT_COLS}) VALUES (?, {', '.join('?' for _ in rows.EVENT_COLUMNS)}) "
    "ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO NOTHING")
_BUMP_REVISION = "UPDATE catalog_state SET revision = revision + 1 WHERE id = 1"


class SQLStore(RecordsMixin, Store):
    """Catalog, events and visitor data over a DB-API connection; queries use '?' placeholders."""

    placeholder = "?"
    # Driver errors that mean "the backend is not there right now", raised as StoreUnavailable.
    outage_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, url: str):
        self.url = url
        self._conns: dict[tuple[int, int], Any] = {}
        self._schema_ready = False

    # --- what a backend supplies -----------------------------------------------------------------
    @abc.abstractmethod
    def _connect(self) -> Any:
        """A new connection in autocommit mode, schema ensured (see _ensure_schema)."""

    @abc.abstractmethod
    def _time_in(self, moment: datetime) -> Any:
        """A datetime as the backend's timestamp column holds it."""

    @abc.abstractmethod
    def _time_out(self, raw: Any) -> datetime:
        """A timestamp column value as an aware UTC datetime."""

    @abc.abstractmethod
    @contextmanager
    def _transaction(self, conn: Any) -> Iterator[Any]:
        """A cursor inside one write transaction, committed when the block ends without error."""

    def _usable(self, conn: Any) -> bool:
        """False for a connection the server dropped, so the next call reconnects."""
        return True

    def _insert_events(self, cur: Any, values: list[tuple]) -> None:
        cur.executemany(self._q(f"INSERT INTO events ({_EVENT_COLS}) VALUES "
                                f"({', '.join('?' for _ in rows.EVENT_COLUMNS)})"), values)

    # --- connections -------------------------------------------------------------------------------
    def _q(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _conn(self) -> Any:
        """This process's and this thread's connection, opened on first use."""
        key = (os.getpid(), threading.get_ident())
        conn = self._conns.get(key)
        if conn is None or not self._usable(conn):
            self._close_for_dead_threads()
            conn = self._connect()
            self._conns[key] = conn
        return conn

    def _close_for_dead_threads(self) -> None:
        """Servers that start a thread per request would otherwise leak one connection per request."""
        pid = os.getpid()
        alive = {t.ident for t in threading.enumerate()}
        for key, conn in list(self._conns.items()):
            if key[0] == pid and key[1] not in alive and self._conns.pop(key, None) is not None:
                _quietly_close(conn)

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            cur = self._conn().cursor()
            try:
                cur.execute(self._q(sql), params)
                return cur.fetchall()
            finally:
                cur.close()
        except self.outage_errors as exc:
            raise self._unavailable(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[Any]:
        try:
            with self._transaction(self._conn()) as cur:
                yield cur
        except self.outage_errors as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        """One exception type for callers (routes answer 503), the driver's words kept in the message."""
        return StoreUnavailable(f"store {self._redacted()} is not reachable: {exc}")

    def ping(self) -> None:
        try:
            self._read("SELECT 1")
        except (StoreUnavailable, SchemaError):  # reachable but of a schema this release refuses
            raise
        except Exception as exc:  # any driver error means "not reachable" to readiness
            raise self._unavailable(exc) from exc

    def _redacted(self) -> str:
        """The URL without a password, for messages."""
        scheme, sep, rest = self.url.partition("://")
        if "@" in rest:
            creds, _, host = rest.rpartition("@")
            rest = creds.split(":", 1)[0] + "@" + host
        return scheme + sep + rest

    def close(self) -> None:
        """Close this process's connections; other processes' (inherited over fork) are left alone."""
        pid = os.getpid()
        for key, conn in list(self._conns.items()):
            if key[0] == pid and self._conns.pop(key, None) is not None:
                _quietly_close(conn)

    # --- catalog -----------------------------------------------------------------------------------
    def upsert_content(self, items: Iterable[ContentItem]) -> int:
        values = [rows.content_row(item, self._time_in) for item in items]
        if not values:
            return 0
        with self._write() as cur:
            cur.executemany(self._q(_UPSERT_CONTENT), values)
            cur.execute(_BUMP_REVISION)
        return len(values)

    def delete_content(self, content_id: str) -> bool:
        with self._write() as cur:
            cur.execute(self._q("DELETE FROM content WHERE id = ?"), (content_id,))
            deleted = cur.rowcount > 0
            if deleted:
                cur.execute(_BUMP_REVISION)
        return deleted

    def get_content(self, content_id: str) -> ContentItem | None:
        found = self._read(f"SELECT {_CONTENT_COLS} FROM content WHERE id = ?", (content_id,))
        return rows.content_from_row(found[0], self._time_out) if found else None

    def list_content(self, statuses: tuple[str, ...] | None = None) -> list[ContentItem]:
        sql = f"SELECT {_CONTENT_COLS} FROM content"
        params: tuple[str, ...] = ()
        if statuses is not None:
            if not statuses:
                return []
            sql += f" WHERE status IN ({', '.join('?' for _ in statuses)})"
            params = tuple(statuses)
        return [rows.content_from_row(r, self._time_out) for r in self._read(sql + " ORDER BY id", params)]

    def catalog_revision(self) -> int:
        return int(self._read("SELECT revision FROM catalog_state WHERE id = 1")[0][0])

    # --- events ------------------------------------------------------------------------------------
    def add_events(self, events: list[Event]) -> int:
        values = [rows.event_row(e, self._time_in) for e in events]
        if not values:
            return 0
        with self._write() as cur:
            self._insert_events(cur, values)
        return len(values)

    def add_events_once(self, identified: list[tuple[str, Event]]) -> int:
        values = [(event_id, *rows.event_row(e, self._time_in)) for event_id, e in identified]
        if not values:
            return 0
        with self._write() as cur:
            cur.executemany(self._q(_INSERT_EVENTS_ONCE), values)
            # Both drivers sum the rows each execution inserted; a skipped duplicate inserts none.
            return cur.rowcount

    def visitor_history(self, visitor_id: str, limit: int = 50) -> list[Event]:
        found = self._read(f"SELECT {_EVENT_COLS} FROM events WHERE visitor_id = ? AND type <> 'impression' "
                           "ORDER BY ts DESC, id DESC LIMIT ?", (visitor_id, int(limit)))
        return [rows.event_from_row(r, self._time_out) for r in found]

    def iter_events(self, since: datetime | None = None, until: datetime | None = None,
                    batch_size: int = 50_000) -> Iterator[list[Event]]:
        """Keyset pagination on (ts, id): no transaction stays open between batches."""
        bounds, params = self._time_bounds(since, until)
        last: tuple | None = None
        while True:
            where = list(bounds)
            page = list(params)
            if last is not None:
                where.append("ts >= ? AND (ts > ? OR id > ?)")
                page += [last[0], last[0], last[1]]
            sql = (f"SELECT id, {_EVENT_COLS} FROM events"
                   + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY ts, id LIMIT ?")
            found = self._read(sql, tuple(page) + (int(batch_size),))
            if not found:
                return
            yield [rows.event_from_row(r[1:], self._time_out) for r in found]
            if len(found) < batch_size:
                return
            last = (found[-1][3], found[-1][0])

    def _time_bounds(self, since: datetime | None, until: datetime | None) -> tuple[list[str], list]:
        """WHERE terms for since <= ts < until."""
        where, params = [], []
        if since is not None:
            where.append("ts >= ?")
            params.append(self._time_in(since))
        if until is not None:
            where.append("ts < ?")
            params.append(self._time_in(until))
        return where, params

    def count_events(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM events")[0][0])

    def popular_content(self, since: datetime | None, limit: int = 100,
                        weights: dict | None = None) -> list[tuple[str, float]]:
        counted = {t: w for t, w in rows.weights_for(weights).items() if w != 0}
        if not counted:
            return []
        cases = " ".join("WHEN ? THEN ?" for _ in counted)
        params: list = [x for pair in counted.items() for x in pair]
        where, bound = self._time_bounds(since, None)
        where = ["content_id IS NOT NULL", f"type IN ({', '.join('?' for _ in counted)})"] + where
        params += list(counted) + bound
        sql = ("SELECT content_id, score FROM ("
               f"SELECT content_id, SUM(CASE type {cases} ELSE 0 END) AS score FROM events "
               f"WHERE {' AND '.join(where)} GROUP BY content_id) AS s "
               "WHERE score > 0 ORDER BY score DESC, content_id LIMIT ?")
        return [(cid, float(score)) for cid, score in self._read(sql, tuple(params) + (int(limit),))]

    def purge_events(self, older_than: datetime, chunk: int = 10_000) -> int:
        """In chunks, each its own transaction: a month of old events must not hold the write lock
        (and so every worker's event writes) for the whole delete."""
        cutoff, purged = self._time_in(older_than), 0
        while True:
            with self._write() as cur:
                cur.execute(self._q("DELETE FROM events WHERE id IN "
                                    "(SELECT id FROM events WHERE ts < ? LIMIT ?)"), (cutoff, chunk))
                deleted = cur.rowcount
            purged += deleted
            if deleted < chunk:
                return purged

    # --- visitors ----------------------------------------------------------------------------------
    def export_visitor(self, visitor_id: str) -> dict:
        found = self._read(f"SELECT {_EVENT_COLS} FROM events WHERE visitor_id = ? ORDER BY ts, id",
                           (visitor_id,))
        events = [rows.event_to_json(rows.event_from_row(r, self._time_out)) for r in found]
        return {"visitor_id": visitor_id, "events": events}

    def erase_visitor(self, visitor_id: str) -> int:
        with self._write() as cur:
            cur.execute(self._q("DELETE FROM events WHERE visitor_id = ?"), (visitor_id,))
            return cur.rowcount


def _quietly_close(conn: Any) -> None:
    try:
        conn.close()
    except Exception:  # closing a connection the server already dropped is not worth an error
        pass
