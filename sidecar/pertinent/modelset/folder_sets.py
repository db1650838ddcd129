"""The default model-set store: models/<version>/ folders and the LIVE / CANARY pointer files in them.

No setup, and the layout every release has used; hosts share sets only by sharing the folder.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..errors import ModelSetError
from .manifest import is_safe_name, read_manifest
from .sets import ModelSets
from .signing import Keyring


class FolderModelSets(ModelSets):
    """Sets and pointers in one local folder; publishing is a no-op (the writer already put the set here)."""

    def __init__(self, models_dir):
        self.models_dir = Path(models_dir)

    def publish(self, folder: Path, keyring: Keyring | None = None) -> None:
        """Nothing to do: hosts that share this folder already see the set (promotion verifies it)."""

    def pointer(self, name: str) -> str | None:
        try:
            value = (self.models_dir / name).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return value or None

    def pointer_token(self, name: str) -> object:
        """(mtime_ns, size, inode) of the pointer file: one stat, no read, when nothing changed."""
        try:
            st = os.stat(self.models_dir / name)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def fetch(self, version: str, keyring: Keyring | None = None) -> Path:
        if not is_safe_name(version):
            raise ModelSetError("bad_manifest", f"version {version!r} is not a safe folder name")
        return self.models_dir / version

    def has(self, version: str) -> bool:
        return is_safe_name(version) and (self.models_dir / version).is_dir()

    def manifest(self, version: str) -> dict | None:
        if not is_safe_name(version):
            return None
        try:
            return read_manifest(self.models_dir / version)
        except ModelSetError:
            return None

    def where(self, name: str) -> str:
        return str(self.models_dir / name)

    def _write_pointer(self, name: str, version: str | None) -> None:
        """Through a temp file and a rename, so a reader never sees half a name; None removes the file."""
        if version is None:
            (self.models_dir / name).unlink(missing_ok=True)
            return
        tmp = self.models_dir / f".{name}.{secrets.token_hex(4)}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(version + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.models_dir / name)
