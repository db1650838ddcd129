"""The schema's versions: ordered steps, each run once, in its own transaction with its version bump.

A new install runs every step from 1; a database from a release before versioning (its tables exist,
no schema_migrations table) is recorded as v1 unchanged. A database newer than the code is refused:
the sidecar must not write into a schema it does not know. Concurrent starters serialise on the
backend's schema lock (SQLite BEGIN IMMEDIATE, PostgreSQL pg_advisory_xact_lock) and re-read the
version under it, so one applies a step and the others find it done.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from . import model_set_tables, schema


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]

    def statements(self, dialect: str) -> tuple[str, ...]:
        return getattr(self, dialect)


STEPS: tuple[Step, ...] = (
    Step(1, "catalog, events, records and locks", schema.SQLITE, schema.POSTGRES),
    Step(2, "model sets: artifacts, manifests and pointers", model_set_tables.SQLITE,
         model_set_tables.POSTGRES),
    Step(3, "event ids, so a redelivered event is written once", schema.EVENT_IDS, schema.EVENT_IDS),
)

# Bookkeeping, not a step: one row per applied version. Same DDL on both backends.
_VERSION_TABLE = ("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                  "description TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL)")
_RECORD = "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)"
# A table every release before versioning created: its presence marks such a database as v1.
_V1_MARKER = "content"


class SchemaError(ConfigError):
    """The database's schema does not fit this release (newer than the code, or a step failed).

    A ConfigError so the CLI reports it in one line with exit status 2 and the sidecar does not start.
    """


@dataclass(frozen=True)
class Status:
    current: int
    target: int
    pending: tuple[Step, ...]


def check_steps(steps: Sequence[Step]) -> None:
    if [s.version for s in steps] != list(range(1, len(steps) + 1)):
        raise ValueError("migration steps must be numbered 1, 2, 3... in order")


def current_version(store: Any, cur: Any) -> int:
    """The applied version; 0 for an empty database (no version table and no v1 tables)."""
    if not store._has_table(cur, "schema_migrations"):
        return 1 if store._has_table(cur, _V1_MARKER) else 0
    cur.execute("SELECT MAX(version) FROM schema_migrations")
    row = cur.fetchone()
    return int(row[0] or 0)


def status(store: Any, steps: Sequence[Step] = STEPS) -> Status:
    """Current and target version and the pending steps, without changing anything."""
    conn = store._open()
    try:
        with store._schema_transaction(conn) as cur:
            current = current_version(store, cur)
    finally:
        conn.close()
    return Status(current, steps[-1].version, tuple(s for s in steps if s.version > current))


def upgrade(store: Any, steps: Sequence[Step] = STEPS) -> list[Step]:
    """Bring the store's database to the newest step on a connection of its own; returns the steps applied."""
    conn = store._open()
    try:
        return apply(store, conn, steps)
    finally:
        conn.close()


def apply(store: Any, conn: Any, steps: Sequence[Step] = STEPS) -> list[Step]:
    """Adopt a pre-versioning database, refuse a newer one, then run each pending step in order."""
    check_steps(steps)
    target = steps[-1].version
    with store._schema_transaction(conn) as cur:
        current = current_version(store, cur)
        if not store._has_table(cur, "schema_migrations"):
            cur.execute(_VERSION_TABLE)
            if current == 1:  # made by a release before versioning: record it, change nothing else
                cur.execute(store._q(_RECORD), (1, "recorded: database from before versioning", time.time()))
    _refuse_newer(store, current, target)
    applied = []
    for step in steps:
        if step.version <= current:
            continue
        with store._schema_transaction(conn) as cur:
            current = current_version(store, cur)  # another starter may have applied it meanwhile
            _refuse_newer(store, current, target)
            if current >= step.version:
                continue
            try:
                for statement in step.statements(store.dialect):
                    cur.execute(statement)
                cur.execute(store._q(_RECORD), (step.version, step.description, time.time()))
            except Exception as exc:  # rolled back by the transaction; the version stays where it was
                raise SchemaError(f"schema step {step.version} ({step.description}) failed and was rolled "
                                  f"back; the database stays at version {current}: {exc}") from exc
            current = step.version
        applied.append(step)
    return applied


def _refuse_newer(store: Any, current: int, target: int) -> None:
    if current > target:
        raise SchemaError(f"store {store._redacted()} has schema version {current}, newer than this "
                          f"release knows ({target}); upgrade Pertinent instead of writing into it")
