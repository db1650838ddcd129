"""The scale-out store: PostgreSQL through psycopg 3, same tables and semantics as SQLite.

postgresql://user@host:port/db[?schema=NAME]: the optional schema (created when missing) becomes the
search_path, so several deployments or test runs can share one database.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from ..domain import Event
from ..errors import ConfigError
from . import migrations, rows
from .sql import SQLStore

# Lower case only: search_path folds unquoted names to lower case, CREATE SCHEMA quotes them.
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Seconds; short because readiness probes and requests wait on it when the server is gone.
CONNECT_TIMEOUT_S = 3


def split_url(url: str) -> tuple[str, str | None]:
    """(libpq connection URL, schema) from postgresql://...?schema=NAME; libpq rejects unknown parameters."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), None)
    if schema is not None and not _SCHEMA_NAME.match(schema):
        raise ConfigError(f"store URL: schema {schema!r} must be lower-case letters, digits and underscores")
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit(parts._replace(scheme="postgresql", query=rest)), schema


class PostgresStore(SQLStore):
    """Catalog and events in PostgreSQL; one connection per process and thread, in autocommit mode."""

    placeholder = "%s"
    dialect = "postgres"
    # Connection refused or lost, server shutting down, out of disk: not the caller's fault.
    outage_errors = (psycopg.OperationalError,)

    def __init__(self, url: str, migrate: bool = True):
        super().__init__(url)
        self.conninfo, self.schema = split_url(url)
        # migrate=False: a reader that never writes, not even DDL (a read replica: modelset/postgres_sets.py).
        self._schema_ready = not migrate

    def _open(self) -> psycopg.Connection:
        options = "-c timezone=UTC" + (f" -c search_path={self.schema}" if self.schema else "")
        # autocommit: reads never leave a transaction idle; writes open one explicitly.
        return psycopg.connect(self.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                               options=options)

    def _connect(self) -> psycopg.Connection:
        conn = self._open()
        if not self._schema_ready:
            self._ensure_schema(conn)
        return conn

    def _ensure_schema(self, conn: psycopg.Connection) -> None:
        """The PostgreSQL schema when named, then its tables brought to the newest version."""
        migrations.apply(self, conn)
        self._schema_ready = True

    @contextmanager
    def _schema_transaction(self, conn: psycopg.Connection) -> Iterator[Any]:
        """A transaction holding this deployment's advisory lock, so concurrent migrators take turns
        (concurrent CREATE ... IF NOT EXISTS can collide); the named schema is created under it."""
        with self._transaction(conn) as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"pertinent.schema.{self.schema}",))
            if self.schema:
                cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)))
            yield cur

    @staticmethod
    def _has_table(cur: Any, name: str) -> bool:
        # to_regclass resolves through search_path: the deployment's schema, as every query does.
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
        return bool(cur.fetchone()[0])

    def _usable(self, conn: psycopg.Connection) -> bool:
        return not (conn.closed or conn.broken)

    @contextmanager
    def _transaction(self, conn: psycopg.Connection) -> Iterator[Any]:
        with conn.transaction(), conn.cursor() as cur:
            yield cur

    def _insert_events(self, cur: Any, values: list[tuple]) -> None:
        # COPY: one round trip for the batch instead of one per row.
        with cur.copy(f"COPY events ({', '.join(rows.EVENT_COLUMNS)}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)

    def iter_events(self, since: datetime | None = None, until: datetime | None = None,
                    batch_size: int = 50_000) -> Iterator[list[Event]]:
        """A server-side cursor on a connection of its own, so a long read never mixes with writes."""
        where, params = self._time_bounds(since, until)
        query = (f"SELECT {', '.join(rows.EVENT_COLUMNS)} FROM events"
                 + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY ts, id")
        conn = self._connect()
        try:
            with conn.transaction(), conn.cursor(name="pertinent_iter_events") as cur:
                cur.itersize = batch_size
                cur.execute(self._q(query), tuple(params))
                while batch := cur.fetchmany(batch_size):
                    yield [rows.event_from_row(r, self._time_out) for r in batch]
        finally:
            conn.close()

    def _time_in(self, moment: datetime) -> datetime:
        return rows.to_utc(moment)

    def _time_out(self, raw: Any) -> datetime:
        return rows.to_utc(raw)
