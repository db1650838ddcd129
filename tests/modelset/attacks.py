"""What an attacker who can write the models folder would drop into it: pickles that run a command."""
from __future__ import annotations

import io
import json
import os
import shlex

import joblib
from pertinent.modelset.manifest import sha256_bytes
from pertinent.modelset.signing import SIGNATURE_KEY, Keyring, sign_manifest
from pertinent.recsys.baseline import PopularityRecommender

from .helpers import popularity


class RunsCommand:
    """Unpickling this runs `touch MARKER` through os.system: the classic pickle payload."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {shlex.quote(self.marker)}",))


def payload(marker) -> bytes:
    """joblib bytes of the payload alone."""
    buffer = io.BytesIO()
    joblib.dump(RunsCommand(marker), buffer)
    return buffer.getvalue()


def disguised_payload(marker) -> bytes:
    """A real PopularityRecommender (the declared type) carrying the payload in one attribute."""
    model = popularity()
    model.extra_ = RunsCommand(marker)
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    assert isinstance(model, PopularityRecommender)
    return buffer.getvalue()


def read(folder) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def save(folder, manifest: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest))


def plant(folder, data: bytes, role: str = "recommender") -> dict:
    """Replace an artifact and update its digest, as anyone who can write models/ can: the new manifest."""
    manifest = read(folder)
    (folder / manifest["artifacts"][role]["file"]).write_bytes(data)
    manifest["artifacts"][role]["sha256"] = sha256_bytes(data)
    return manifest


def unsigned(manifest: dict) -> dict:
    return {k: v for k, v in manifest.items() if k != SIGNATURE_KEY}


def signed_with(manifest: dict, key: bytes) -> dict:
    return sign_manifest(manifest, Keyring(current=key))
