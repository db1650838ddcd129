"""HMAC-SHA256 signatures over a model set's manifest: whoever can write models/ cannot vouch for a set.

The manifest holds each artifact's sha256, role and declared type, so one signature over its canonical
JSON covers every byte that is later unpickled. A signature names the key that made it (a key id
derived from the key), so a sidecar can accept the current key and the previous ones while a key is
rotated.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from ..errors import ModelSetError

SIGNATURE_KEY = "signature"
ALGORITHM = "hmac-sha256"
MIN_KEY_BYTES = 32  # 256 bits, the size of HMAC-SHA256's output; shorter keys are guessable sooner
_HEX64 = re.compile(r"[0-9a-f]{64}")


def key_id(key: bytes) -> str:
    """A public name for a key (16 hex digits of a hash of it): tells which key signed, reveals nothing."""
    return hashlib.sha256(b"pertinent model-set key id\0" + key).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    """The key that signs new sets, and the previous keys whose signatures are still accepted."""

    current: bytes
    previous: tuple[bytes, ...] = ()

    def __post_init__(self):
        for key in (self.current, *self.previous):
            if len(key) < MIN_KEY_BYTES:
                raise ValueError(f"a signing key must be at least {MIN_KEY_BYTES} bytes")

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def accepted_ids(self) -> list[str]:
        return [key_id(key) for key in (self.current, *self.previous)]

    def key_for(self, kid: str) -> bytes | None:
        """The accepted key with this id, or None (a dropped or foreign key)."""
        for key in (self.current, *self.previous):
            if hmac.compare_digest(key_id(key), kid):
                return key
        return None


def canonical_bytes(manifest: dict) -> bytes:
    """The bytes a signature covers: the manifest without its signature, keys sorted, no whitespace."""
    unsigned = {k: v for k, v in manifest.items() if k != SIGNATURE_KEY}
    # NaN stays "NaN" (a metric may be undefined): deterministic in Python's json, which both sides use.
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _mac(key: bytes, manifest: dict) -> str:
    return hmac.new(key, canonical_bytes(manifest), hashlib.sha256).hexdigest()


def sign_manifest(manifest: dict, keyring: Keyring) -> dict:
    """A copy of the manifest carrying a signature by the keyring's current key."""
    signed = {k: v for k, v in manifest.items() if k != SIGNATURE_KEY}
    signed[SIGNATURE_KEY] = {"algorithm": ALGORITHM, "key_id": keyring.current_id,
                             "hmac": _mac(keyring.current, signed)}
    return signed


def verify_signature(manifest: dict, keyring: Keyring, where: str = "manifest") -> str:
    """Raise ModelSetError unless an accepted key signed exactly this manifest; returns the key id."""
    signature = manifest.get(SIGNATURE_KEY)
    if signature is None:
        raise ModelSetError("unsigned", f"{where} is not signed; sign it with `pertinent models sign` "
                                        "if you trust its files, or retrain")
    if not isinstance(signature, dict) or signature.get("algorithm") != ALGORITHM \
            or not isinstance(signature.get("key_id"), str) or not isinstance(signature.get("hmac"), str) \
            or not _HEX64.fullmatch(signature["hmac"]):
        raise ModelSetError("bad_signature", f"{where}: the signature is malformed")
    key = keyring.key_for(signature["key_id"])
    if key is None:
        raise ModelSetError("unknown_signing_key",
                            f"{where} is signed with key {signature['key_id'][:16]!r}, which is not one of "
                            f"the accepted keys {keyring.accepted_ids()}")
    if not hmac.compare_digest(_mac(key, manifest), signature["hmac"]):
        raise ModelSetError("bad_signature", f"{where}: the signature does not match its contents "
                                             "(edited after signing, or signed with another key)")
    return signature["key_id"]
