"""Version 1 of the tables (step 1 in migrations.py), one statement list per backend: the same
columns, each in its backend's native types. Later changes are new steps there, never edits here.

Every statement is idempotent (IF NOT EXISTS), as releases before versioning ran them on each start.
"""
from __future__ import annotations

from . import records

SQLITE: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS content (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL DEFAULT 'post',
        excerpt TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        categories TEXT NOT NULL DEFAULT '[]',
        meta TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'publish',
        published_at REAL,
        modified_at REAL,
        targeting TEXT NOT NULL DEFAULT '[]',
        starts_at REAL,
        ends_at REAL)""",
    "CREATE INDEX IF NOT EXISTS content_status ON content (status)",
    # One row; bumped in the same transaction as every catalog write.
    """CREATE TABLE IF NOT EXISTS catalog_state (
        id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL)""",
    "INSERT INTO catalog_state (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
    # ts: seconds since the epoch, UTC. id breaks ties so time order is stable.
    """CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        visitor_id TEXT NOT NULL,
        ts REAL NOT NULL,
        content_id TEXT,
        session_id TEXT,
        decision_id TEXT,
        slot TEXT,
        arm TEXT,
        value REAL,
        device TEXT,
        referrer TEXT,
        country TEXT,
        locale TEXT,
        url_path TEXT)""",
    "CREATE INDEX IF NOT EXISTS events_visitor_ts ON events (visitor_id, ts DESC)",
    "CREATE INDEX IF NOT EXISTS events_ts ON events (ts)",
)

POSTGRES: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS content (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL DEFAULT 'post',
        excerpt TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        tags JSONB NOT NULL DEFAULT '[]',
        categories JSONB NOT NULL DEFAULT '[]',
        meta JSONB NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'publish',
        published_at TIMESTAMPTZ,
        modified_at TIMESTAMPTZ,
        targeting JSONB NOT NULL DEFAULT '[]',
        starts_at TIMESTAMPTZ,
        ends_at TIMESTAMPTZ)""",
    "CREATE INDEX IF NOT EXISTS content_status ON content (status)",
    """CREATE TABLE IF NOT EXISTS catalog_state (
        id INTEGER PRIMARY KEY CHECK (id = 1), revision BIGINT NOT NULL)""",
    "INSERT INTO catalog_state (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
    """CREATE TABLE IF NOT EXISTS events (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        type TEXT NOT NULL,
        visitor_id TEXT NOT NULL,
        ts TIMESTAMPTZ NOT NULL,
        content_id TEXT,
        session_id TEXT,
        decision_id TEXT,
        slot TEXT,
        arm TEXT,
        value DOUBLE PRECISION,
        device TEXT,
        referrer TEXT,
        country TEXT,
        locale TEXT,
        url_path TEXT)""",
    "CREATE INDEX IF NOT EXISTS events_visitor_ts ON events (visitor_id, ts DESC)",
    "CREATE INDEX IF NOT EXISTS events_ts ON events (ts)",
)

# Step 2: an id per event written through the stream (ingest/), unique, so a message delivered twice is
# stored once. Events written straight by the API have none (NULL never conflicts); the index is partial
# so it costs nothing for them. The same DDL on both backends.
EVENT_IDS = (
    "ALTER TABLE events ADD COLUMN event_id TEXT",
    "CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id) WHERE event_id IS NOT NULL",
)

# Records (experiments, canary history, drift, worker state) and named locks: see records.py.
SQLITE += records.SQLITE_TABLES
POSTGRES += records.POSTGRES_TABLES
