"""Load a model set: signature, manifest, library check, every sha256 and declared type verified BEFORE
anything is unpickled, and then unpickled only through the allow-list (unpickler.py)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelSetError
from .compat import check_compatible
from .keys import default_keyring
from .manifest import MANIFEST_NAME, read_manifest, sha256_bytes, validate_manifest
from .roles import check_loaded_type, check_role, required_class
from .signing import Keyring, verify_signature
from .unpickler import restricted_load

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSet:
    """One verified, loaded model set; immutable so a reference to it is always one whole set."""

    version: str
    path: Path
    manifest: dict
    artifacts: dict = field(default_factory=dict)

    @property
    def recommender(self):
        return self.artifacts.get("recommender")

    @property
    def variant_scorer(self):
        return self.artifacts.get("variant_scorer")

    @property
    def risk(self):
        return self.artifacts.get("risk")


def _verified_bytes(folder: Path, manifest: dict) -> dict[str, tuple[bytes, type]]:
    """Read each artifact once, check its digest and declared type; the bytes checked are those unpickled."""
    blobs = {}
    for role, entry in manifest["artifacts"].items():
        cls = required_class(role, entry["type"])
        path = folder / entry["file"]
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ModelSetError("missing_artifact", f"{path} (role {role!r}) does not exist") from None
        except OSError as exc:
            raise ModelSetError("missing_artifact", f"{path} cannot be read: {exc}") from None
        if sha256_bytes(data) != entry["sha256"]:
            raise ModelSetError("checksum_mismatch",
                                f"{path}: sha256 differs from the signed manifest; refusing to load")
        blobs[role] = (data, cls)
    return blobs


def _accept_contents(folder: Path, manifest: dict) -> dict:
    """Shape, version name and library versions: checked after the signature (or, to sign, instead)."""
    where = str(folder / MANIFEST_NAME)
    validate_manifest(manifest, where=where)
    if manifest["version"] != folder.name:
        raise ModelSetError("bad_manifest", f"{folder}: manifest names version {manifest['version']!r}")
    check_compatible(manifest["libraries"])
    return manifest


def checked_manifest(folder: Path, keyring: Keyring | None = None) -> dict:
    """The manifest once its signature (checked first: nothing in it is trusted before) and contents pass."""
    manifest = read_manifest(folder)
    verify_signature(manifest, keyring or default_keyring(), where=str(folder / MANIFEST_NAME))
    return _accept_contents(folder, manifest)


def verified_unsigned(folder: Path) -> dict:
    """What signing checks before vouching for a set: everything but the signature; nothing unpickled."""
    manifest = _accept_contents(folder, read_manifest(folder))
    _verified_bytes(folder, manifest)
    return manifest


def verify_model_set(path, keyring: Keyring | None = None) -> dict:
    """Every check the loader makes short of unpickling; returns the manifest."""
    folder = Path(path)
    manifest = checked_manifest(folder, keyring)
    _verified_bytes(folder, manifest)
    return manifest


def load_model_set(path, keyring: Keyring | None = None) -> ModelSet:
    """Verify, then unpickle each artifact through the allow-list and check it is what was declared."""
    folder = Path(path)
    manifest = checked_manifest(folder, keyring)
    blobs = _verified_bytes(folder, manifest)
    artifacts = {}
    for role, (data, cls) in blobs.items():
        try:
            obj = restricted_load(data)
        except ModelSetError:
            raise
        except Exception as exc:  # a verified file that still fails to load: a broken training run
            raise ModelSetError("bad_artifact",
                                f"{role!r} cannot be loaded: {type(exc).__name__}: {exc}") from None
        check_loaded_type(role, obj, cls)
        check_role(role, obj)
        artifacts[role] = obj
    log.info("loaded model set %s (%s)", manifest["version"], ", ".join(sorted(artifacts)) or "no artifacts")
    return ModelSet(version=manifest["version"], path=folder, manifest=manifest, artifacts=artifacts)
