"""The model-set store interface: where signed sets and the LIVE / CANARY pointers live.

Two backends, chosen by PERTINENT_MODELS_URL: the local folder (default; models/<version>/ and the
pointer files, as always) and PostgreSQL (sets and pointers in tables, so hosts that share only the
database serve the same sets). Either way a host loads a set from its own models folder, and the
loader checks the signature and every checksum there before anything is unpickled.
"""
from __future__ import annotations

import abc
from pathlib import Path

from ..errors import ConfigError, ModelSetError
from .manifest import is_safe_name
from .signing import Keyring

LIVE = "LIVE"
CANARY = "CANARY"
POINTERS = (LIVE, CANARY)


class ModelSets(abc.ABC):
    """Publish sets, move pointers, and hand a host the local folder of a version."""

    models_dir: Path  # this host's folder: the sets themselves (folder) or its verified copies (PostgreSQL)

    # --- what a backend supplies ----------------------------------------------------------------
    @abc.abstractmethod
    def publish(self, folder: Path, keyring: Keyring | None = None) -> None:
        """Make a set written into models_dir available to every host (verified first, nothing unpickled)."""

    @abc.abstractmethod
    def pointer(self, name: str) -> str | None:
        """The version a pointer names, or None when it names none."""

    @abc.abstractmethod
    def pointer_token(self, name: str) -> object:
        """Something that changes whenever the pointer is written: pollers compare it, nothing else."""

    @abc.abstractmethod
    def fetch(self, version: str, keyring: Keyring | None = None) -> Path:
        """The local folder of `version` (a PostgreSQL host copies it in once, verified before it lands)."""

    @abc.abstractmethod
    def has(self, version: str) -> bool:
        """Whether the set was published (nothing checked)."""

    @abc.abstractmethod
    def manifest(self, version: str) -> dict | None:
        """A set's manifest for display (NOT verified: never trust it to load anything), or None."""

    @abc.abstractmethod
    def where(self, name: str) -> str:
        """Where a pointer or a set lives, for messages."""

    @abc.abstractmethod
    def _write_pointer(self, name: str, version: str | None) -> None:
        """Name `version` (None: clear it); readers see the old or the new name, never half of one."""

    def close(self) -> None:
        """Release connections (tests and shutdown)."""

    # --- shared by both backends ------------------------------------------------------------------
    def live_version(self) -> str | None:
        return self.pointer(LIVE)

    def canary_version(self) -> str | None:
        return self.pointer(CANARY)

    def promote(self, version: str, *, verify: bool = True, keyring: Keyring | None = None) -> None:
        """Make a version live; with verify (default) its signature, files and checksums are checked first."""
        self._checked(version, verify, keyring)
        self._write_pointer(LIVE, version)

    def set_canary(self, version: str | None, keyring: Keyring | None = None) -> None:
        """Name a canary version (served to a share of traffic), verified first; None clears it."""
        if version is not None:
            self._checked(version, True, keyring)
        self._write_pointer(CANARY, version)

    def _checked(self, version: str, verify: bool, keyring: Keyring | None) -> None:
        if not is_safe_name(version):
            raise ModelSetError("bad_manifest", f"version {version!r} is not a safe folder name")
        if verify:
            from .loader import verify_model_set

            verify_model_set(self.fetch(version, keyring), keyring)
        elif not self.has(version):
            raise ModelSetError("missing_manifest", f"{self.where(version)} does not exist")


def open_model_sets(config) -> ModelSets:
    """The configured backend: PERTINENT_MODELS_URL=postgresql://... or, by default, models_dir itself."""
    url = getattr(config, "models_url", "")
    if not url:
        from .folder_sets import FolderModelSets

        return FolderModelSets(config.models_dir)
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres_sets import PostgresModelSets

        return PostgresModelSets(url, config.models_dir)
    raise ConfigError(f"PERTINENT_MODELS_URL={url!r}: expected postgresql://USER@HOST:PORT/DB (or unset)")


def as_model_sets(where) -> ModelSets:
    """A ModelSets as is; a folder path as the folder backend (callers and tests that name a folder)."""
    if isinstance(where, ModelSets):
        return where
    from .folder_sets import FolderModelSets

    return FolderModelSets(where)
