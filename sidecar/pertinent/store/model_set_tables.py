"""Version 2 of the tables (step 2 in migrations.py): model sets shared by every sidecar host.

Artifacts are content-addressed (the sha256 the signed manifest names is the key, so a set that reuses
an artifact stores it once); a manifest is kept byte for byte as the worker signed it; a pointer row
(LIVE, CANARY) names a version and counts its changes, so hosts can poll it cheaply. Created on SQLite
too, so both backends keep one schema version, though only the PostgreSQL model-set store uses them.
"""
from __future__ import annotations

SQLITE = (
    """CREATE TABLE IF NOT EXISTS model_artifacts (
        sha256 TEXT PRIMARY KEY, data BLOB NOT NULL, bytes INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS model_sets (
        version TEXT PRIMARY KEY, manifest TEXT NOT NULL, published_at REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS model_pointers (
        name TEXT PRIMARY KEY, version TEXT, serial INTEGER NOT NULL)""",
)

POSTGRES = (
    """CREATE TABLE IF NOT EXISTS model_artifacts (
        sha256 TEXT PRIMARY KEY, data BYTEA NOT NULL, bytes BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS model_sets (
        version TEXT PRIMARY KEY, manifest TEXT NOT NULL, published_at DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS model_pointers (
        name TEXT PRIMARY KEY, version TEXT, serial BIGINT NOT NULL)""",
)
