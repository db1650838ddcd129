"""The model set manifest: what a set vouches for (artifacts with their sha256 and declared type,
libraries, data range). Its signature (signing.py) is checked before anything in it is trusted."""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from ..errors import ModelSetError

# 2: every artifact declares its type and the manifest is signed. Format 1 sets are refused: retrain.
FORMAT = 2
MANIFEST_NAME = "manifest.json"
# Version names and roles become folder and file names: keep them to a safe alphabet.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
REQUIRED_KEYS = ("format", "version", "created", "artifacts", "libraries")
TRACKED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "pandas", "joblib", "pertinent")
_DIST_MODULES = {"scikit-learn": "sklearn"}


def is_safe_name(name: object) -> bool:
    """True when a version or role name can be used as a single path component."""
    return isinstance(name, str) and bool(NAME_RE.match(name)) and ".." not in name


def library_versions() -> dict[str, str]:
    """The versions of the running interpreter and of the libraries a pickle depends on."""
    from importlib import metadata

    versions = {"python": ".".join(str(p) for p in sys.version_info[:3])}
    for dist in TRACKED_LIBRARIES:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            module = __import__(_DIST_MODULES.get(dist, dist))
            versions[dist] = getattr(module, "__version__", "unknown")
    return versions


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks so large artifacts do not double memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict:
    """Parse a folder's manifest.json into a JSON object, NOT yet validated or verified."""
    path = Path(folder) / MANIFEST_NAME
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelSetError("missing_manifest", f"{path} does not exist") from None
    except OSError as exc:
        raise ModelSetError("missing_manifest", f"{path} cannot be read: {exc}") from None
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise ModelSetError("bad_manifest", f"{path} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict):
        raise ModelSetError("bad_manifest", f"{path}: expected a JSON object")
    return manifest


def validate_manifest(manifest: object, where: str = "manifest") -> None:
    """Check the manifest's shape: format, version, artifacts with safe file names and hex digests."""
    if not isinstance(manifest, dict):
        raise ModelSetError("bad_manifest", f"{where}: expected a JSON object")
    missing = [key for key in REQUIRED_KEYS if key not in manifest]
    if missing:
        raise ModelSetError("bad_manifest", f"{where}: missing keys {missing}")
    if manifest["format"] != FORMAT:
        raise ModelSetError("bad_manifest", f"{where}: format {manifest['format']!r} is not {FORMAT} "
                                            "(sets written before signing declare no types: retrain)")
    if not is_safe_name(manifest["version"]):
        raise ModelSetError("bad_manifest", f"{where}: version {manifest['version']!r} is not a safe name")
    artifacts = manifest["artifacts"]
    if not isinstance(artifacts, dict):
        raise ModelSetError("bad_manifest", f"{where}: artifacts must be an object")
    for role, entry in artifacts.items():
        if not is_safe_name(role) or not isinstance(entry, dict):
            raise ModelSetError("bad_manifest", f"{where}: artifact {role!r} is malformed")
        if not is_safe_name(entry.get("file")):
            raise ModelSetError("bad_manifest", f"{where}: artifact {role!r} has an unsafe file name")
        digest = entry.get("sha256")
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ModelSetError("bad_manifest", f"{where}: artifact {role!r} has no valid sha256")
        if not isinstance(entry.get("type"), str) or ":" not in entry["type"]:
            raise ModelSetError("bad_manifest", f"{where}: artifact {role!r} declares no type (module:Class)")
    if not isinstance(manifest["libraries"], dict):
        raise ModelSetError("bad_manifest", f"{where}: libraries must be an object")
