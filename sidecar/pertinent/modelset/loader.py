"""Load a model set: manifest, library check and every sha256 verified BEFORE anything is unpickled."""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

import joblib

from ..errors import ModelSetError
from .compat import check_compatible
from .manifest import read_manifest, sha256_bytes
from .roles import check_role

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


def _verified_bytes(folder: Path, manifest: dict) -> dict[str, bytes]:
    """Read each artifact once and check its digest; the bytes checked are the bytes later unpickled."""
    blobs = {}
    for role, entry in manifest["artifacts"].items():
        path = folder / entry["file"]
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ModelSetError("missing_artifact", f"{path} (role {role!r}) does not exist") from None
        except OSError as exc:
            raise ModelSetError("missing_artifact", f"{path} cannot be read: {exc}") from None
        if sha256_bytes(data) != entry["sha256"]:
            raise ModelSetError("checksum_mismatch",
                                f"{path}: sha256 differs from the manifest; refusing to load")
        blobs[role] = data
    return blobs


def _checked_manifest(folder: Path) -> dict:
    manifest = read_manifest(folder)
    if manifest["version"] != folder.name:
        raise ModelSetError("bad_manifest", f"{folder}: manifest names version {manifest['version']!r}")
    check_compatible(manifest["libraries"])
    return manifest


def verify_model_set(path) -> dict:
    """Every check the loader makes short of unpickling; returns the manifest."""
    folder = Path(path)
    manifest = _checked_manifest(folder)
    _verified_bytes(folder, manifest)
    return manifest


def load_model_set(path) -> ModelSet:
    """Verify, then unpickle each artifact and check known roles implement their protocol."""
    folder = Path(path)
    manifest = _checked_manifest(folder)
    blobs = _verified_bytes(folder, manifest)
    artifacts = {}
    for role, data in blobs.items():
        try:
            obj = joblib.load(io.BytesIO(data))
        except Exception as exc:  # a verified file that still fails to load: a broken training run
            raise ModelSetError("bad_artifact",
                                f"{role!r} cannot be loaded: {type(exc).__name__}: {exc}") from None
        check_role(role, obj)
        artifacts[role] = obj
    log.info("loaded model set %s (%s)", manifest["version"], ", ".join(sorted(artifacts)) or "no artifacts")
    return ModelSet(version=manifest["version"], path=folder, manifest=manifest, artifacts=artifacts)
