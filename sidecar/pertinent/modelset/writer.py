"""Write a model set folder (artifacts + manifest) atomically; the folder's LIVE / CANARY pointers."""
from __future__ import annotations

import io
import json
import os
import secrets
import shutil
from datetime import datetime, timezone
from pathlib import Path

import joblib

from ..errors import ModelSetError
from .folder_sets import FolderModelSets
from .keys import default_keyring
from .manifest import FORMAT, MANIFEST_NAME, is_safe_name, library_versions, sha256_bytes
from .roles import check_role, declared_type
from .sets import CANARY as CANARY_FILE
from .sets import LIVE as LIVE_FILE
from .signing import Keyring, sign_manifest

__all__ = ["CANARY_FILE", "LIVE_FILE", "canary_version", "live_version", "new_version", "promote",
           "set_canary", "sign_model_set", "write_model_set"]


def _iso(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _json_default(value):
    """numpy scalars and arrays, datetimes and paths as plain JSON (metrics often arrive as numpy types)."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, datetime):
        return _iso(value)
    return str(value)


def new_version(now: datetime | None = None) -> str:
    """A sortable, unique version name: UTC time of creation plus a short random suffix."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def write_model_set(models_dir, artifacts: dict[str, object], *, data_range: dict, rows: dict,
                    feature_schema: dict | None = None, hyperparameters: dict | None = None,
                    metrics: dict | None = None, baseline_metrics: dict | None = None,
                    gate: dict | None = None, version: str | None = None,
                    provenance: dict | None = None, keyring: Keyring | None = None) -> Path:
    """Dump each artifact with joblib, record its sha256, type and the library versions, sign the
    manifest (the environment's keyring unless given one), then rename the folder into place."""
    models_dir = Path(models_dir)
    keyring = keyring or default_keyring()
    version = version or new_version()
    if not is_safe_name(version):
        raise ModelSetError("bad_manifest", f"version {version!r} is not a safe folder name")
    final = models_dir / version
    if final.exists():
        raise ModelSetError("version_exists", f"{final} already exists")
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = models_dir / f".tmp-{version}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        entries = {}
        for role, obj in artifacts.items():
            if not is_safe_name(role):
                raise ModelSetError("bad_manifest", f"artifact role {role!r} is not a safe file name")
            check_role(role, obj)
            buffer = io.BytesIO()
            joblib.dump(obj, buffer)
            data = buffer.getvalue()
            _write_durably(tmp / f"{role}.joblib", data)
            entries[role] = {"file": f"{role}.joblib", "sha256": sha256_bytes(data), "bytes": len(data),
                             "type": declared_type(obj)}
        manifest = {
            "format": FORMAT, "version": version, "created": _iso(datetime.now(timezone.utc)),
            "data_range": {k: _iso(v) for k, v in (data_range or {}).items()},
            "rows": dict(rows or {}), "artifacts": entries, "libraries": library_versions(),
            "feature_schema": feature_schema or {}, "hyperparameters": hyperparameters or {},
            "metrics": metrics or {}, "baseline_metrics": baseline_metrics or {},
            "gate": gate if gate is not None else {"passed": True, "reason": "no gate"},
            "provenance": provenance or {},  # where the training data came from, when known (demo data)
        }
        # Signed as JSON reads it back (numpy scalars become plain numbers), so the reader's bytes match.
        manifest = sign_manifest(json.loads(json.dumps(manifest, default=_json_default)), keyring)
        _write_durably(tmp / MANIFEST_NAME, _manifest_bytes(manifest))
        _fsync_dir(tmp)
        os.rename(tmp, final)
        _fsync_dir(models_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def sign_model_set(path, keyring: Keyring | None = None) -> dict:
    """(Re-)sign an existing set with the current key: its files must match the manifest, nothing is
    unpickled. Signing vouches for the set: do it only for sets you trust (the shipped demo set)."""
    from .loader import verified_unsigned

    folder = Path(path)
    manifest = sign_manifest(verified_unsigned(folder), keyring or default_keyring())
    tmp = folder / f".{MANIFEST_NAME}.{secrets.token_hex(4)}.tmp"
    _write_durably(tmp, _manifest_bytes(manifest))
    os.replace(tmp, folder / MANIFEST_NAME)
    return manifest


def _write_durably(path: Path, data: bytes) -> None:
    """Write and fsync, so the rename that publishes the folder never exposes half-written files."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a rename durable; some filesystems refuse to open directories, which is fine to ignore."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# The folder's pointers, for callers that name a folder (training, the demo, tests); hosts that share
# sets some other way go through modelset/sets.py.
def promote(models_dir, version: str, *, verify: bool = True, keyring: Keyring | None = None) -> None:
    """Make a version live; with verify (default) its manifest, files and checksums are checked first."""
    FolderModelSets(models_dir).promote(version, verify=verify, keyring=keyring)


def live_version(models_dir) -> str | None:
    """The version named in models/LIVE, or None when there is none."""
    return FolderModelSets(models_dir).live_version()


def set_canary(models_dir, version: str | None, keyring: Keyring | None = None) -> None:
    """Name a canary version (served to a share of traffic by experiments), or clear it with None."""
    FolderModelSets(models_dir).set_canary(version, keyring)


def canary_version(models_dir) -> str | None:
    """The version named in models/CANARY, or None."""
    return FolderModelSets(models_dir).canary_version()
