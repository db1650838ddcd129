"""Durable storage for the catalog, events and visitor data, chosen by URL (PERTINENT_STORE_URL)."""
from __future__ import annotations

from ..errors import ConfigError
from .base import Store, StoreUnavailable

__all__ = ["Store", "StoreUnavailable", "open_store"]


def open_store(url: str) -> Store:
    """sqlite:///abs/path.db (embedded default) or postgresql://user@host:port/db[?schema=NAME].

    Nothing connects here: each process and thread opens its own connection on first use.
    """
    if url.startswith("sqlite:"):
        from .sqlite import SQLiteStore
        return SQLiteStore(url)
    if url.startswith(("postgresql://", "postgres://")):
        # Imported only when chosen, so the embedded default needs no PostgreSQL driver.
        from .postgres import PostgresStore
        return PostgresStore(url)
    raise ConfigError(f"store URL {url!r}: expected sqlite:///PATH or postgresql://USER@HOST:PORT/DB")
