"""Model sets in PostgreSQL, for sidecar hosts that share no file system (PERTINENT_MODELS_URL).

The worker publishes a set it wrote (and verified) into tables: artifacts by sha256, the manifest byte
for byte, the LIVE / CANARY pointers as rows. A host copies a set into its own models folder the first
time a pointer names it, and only after the copy passes every check the loader makes (signature,
manifest, each artifact's sha256) is it renamed into place; the loader then checks it again before
unpickling. A set altered in the database is therefore refused by every host, which keep serving what
they had. Tables come with the store's schema (store/model_set_tables.py, migration step 2).
"""
from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path

import psycopg

from ..errors import ModelSetError
from ..store.postgres import PostgresStore
from .manifest import MANIFEST_NAME, is_safe_name, sha256_bytes, validate_manifest
from .sets import ModelSets
from .signing import Keyring

_PUT_ARTIFACT = ("INSERT INTO model_artifacts (sha256, data, bytes) VALUES (?, ?, ?) "
                 "ON CONFLICT (sha256) DO NOTHING")
_PUT_SET = ("INSERT INTO model_sets (version, manifest, published_at) VALUES (?, ?, ?) "
            "ON CONFLICT (version) DO NOTHING")
_MOVE_POINTER = ("INSERT INTO model_pointers (name, version, serial) VALUES (?, ?, 1) ON CONFLICT (name) "
                 "DO UPDATE SET version = excluded.version, serial = model_pointers.serial + 1")


class PostgresModelSets(ModelSets):
    """Sets and pointers in PostgreSQL; `models_dir` is this host's verified copies of the sets."""

    def __init__(self, url: str, models_dir):
        # The store's connection handling (per process and thread, after gunicorn's fork). Writes (the
        # worker's) bring the schema up to date first; reads (every host's) never write, not even DDL,
        # so a sidecar's URL may name a read replica of the worker's primary.
        self._db = PostgresStore(url)
        self._reads = PostgresStore(url, migrate=False)
        self.models_dir = Path(models_dir)

    def publish(self, folder: Path, keyring: Keyring | None = None) -> None:
        """Upload a local set after checking it as the loader would; a version already there must match."""
        from .loader import verify_model_set

        folder = Path(folder)
        manifest = verify_model_set(folder, keyring)
        raw = (folder / MANIFEST_NAME).read_text(encoding="utf-8")
        with self._db._write() as cur:
            for entry in manifest["artifacts"].values():
                data = (folder / entry["file"]).read_bytes()
                cur.execute(self._db._q(_PUT_ARTIFACT), (entry["sha256"], data, len(data)))
            version = manifest["version"]
            cur.execute(self._db._q(_PUT_SET), (version, raw, time.time()))
            cur.execute(self._db._q("SELECT manifest FROM model_sets WHERE version = ?"), (version,))
            if cur.fetchone()[0] != raw:
                raise ModelSetError("version_exists", f"{self.where(version)} already holds "
                                                      "a different set of that version")

    def pointer(self, name: str) -> str | None:
        rows = self._pointer_row(name)
        return rows[0][0] if rows and rows[0][0] else None

    def pointer_token(self, name: str) -> object:
        """(version, serial): the serial grows on every write, so re-naming the same version also shows."""
        rows = self._pointer_row(name)
        return tuple(rows[0]) if rows else None

    def _pointer_row(self, name: str) -> list[tuple]:
        try:
            return self._reads._read("SELECT version, serial FROM model_pointers WHERE name = ?", (name,))
        except psycopg.errors.UndefinedTable:  # a new database the store has not migrated yet: no set
            return []

    def has(self, version: str) -> bool:
        return bool(self._reads._read("SELECT 1 FROM model_sets WHERE version = ?", (version,)))

    def manifest(self, version: str) -> dict | None:
        rows = self._reads._read("SELECT manifest FROM model_sets WHERE version = ?", (version,))
        try:
            return json.loads(rows[0][0]) if rows else None
        except ValueError:
            return None

    def where(self, name: str) -> str:
        return f"{self._db._redacted()} ({name})"

    def _write_pointer(self, name: str, version: str | None) -> None:
        with self._db._write() as cur:
            cur.execute(self._db._q(_MOVE_POINTER), (name, version))

    def fetch(self, version: str, keyring: Keyring | None = None) -> Path:
        """This host's copy of `version`, downloaded and verified first if it has none yet."""
        if not is_safe_name(version):
            raise ModelSetError("bad_manifest", f"version {version!r} is not a safe folder name")
        final = self.models_dir / version
        if (final / MANIFEST_NAME).exists():
            return final  # copied earlier, and only after it passed; the loader checks it again anyway
        self.models_dir.mkdir(parents=True, exist_ok=True)
        staging = self.models_dir / f".fetch-{version}-{secrets.token_hex(4)}"
        try:
            self._download(version, staging / version)
            from .loader import verify_model_set

            verify_model_set(staging / version, keyring)
            try:
                (staging / version).rename(final)
            except OSError:
                if not (final / MANIFEST_NAME).exists():  # not another process's copy of the same set
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return final

    def _download(self, version: str, folder: Path) -> None:
        """Write the manifest as stored and each artifact whose bytes hash to what the manifest names."""
        rows = self._reads._read("SELECT manifest FROM model_sets WHERE version = ?", (version,))
        if not rows:
            raise ModelSetError("missing_manifest", f"{self.where(version)} does not exist")
        raw = rows[0][0]
        try:
            manifest = json.loads(raw)
        except ValueError as exc:
            raise ModelSetError("bad_manifest", f"{self.where(version)}: not JSON: {exc}") from None
        validate_manifest(manifest, where=self.where(version))  # safe file names before any is written
        entries = list(manifest["artifacts"].values())
        found = dict(self._reads._read("SELECT sha256, data FROM model_artifacts WHERE sha256 = ANY(?)",
                                    ([e["sha256"] for e in entries],)))
        folder.mkdir(parents=True)
        for entry in entries:
            data = found.get(entry["sha256"])
            if data is None:
                raise ModelSetError("missing_artifact", f"{self.where(version)}: artifact {entry['file']} "
                                                        "is not in model_artifacts")
            if sha256_bytes(bytes(data)) != entry["sha256"]:
                raise ModelSetError("checksum_mismatch", f"{self.where(version)}: {entry['file']} differs "
                                                         "from the signed manifest; refusing to load")
            (folder / entry["file"]).write_bytes(bytes(data))
        (folder / MANIFEST_NAME).write_text(raw, encoding="utf-8")

    def close(self) -> None:
        self._db.close()
        self._reads.close()
