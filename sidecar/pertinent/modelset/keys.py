"""Where the signing keys come from: configuration, or a per-install key file created on first use.

There is no built-in key: an install that configures none gets DATA_DIR/signing.key, 32 random bytes
written 0600, so a default install works and no two installs accept each other's model sets. The
trainer and the sidecar must read the same key: same DATA_DIR, or the same PERTINENT_SIGNING_KEY(_FILE).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..config import Config, load_config
from ..errors import ConfigError
from .signing import MIN_KEY_BYTES, Keyring

KEY_FILE_NAME = "signing.key"


def key_file_path(config: Config) -> Path:
    """The file holding the current key when none is configured inline."""
    return Path(config.signing_key_file) if config.signing_key_file else config.data_dir / KEY_FILE_NAME


def _create_key_file(path: Path) -> None:
    """Write a fresh random key without ever exposing a half-written or world-readable file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # never replaces: a process that raced us keeps the key it wrote
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def read_key_file(path: Path, create: bool = True) -> bytes:
    """The key in a file (surrounding whitespace ignored), creating the file first when allowed."""
    if create and not path.exists():
        try:
            _create_key_file(path)
        except OSError as exc:
            raise ConfigError(f"cannot create the signing key file {path}: {exc}") from None
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"PERTINENT_SIGNING_KEY_FILE {path} cannot be read: {exc}") from None
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(f"the signing key in {path} is {len(key)} bytes; "
                          f"at least {MIN_KEY_BYTES} are needed")
    return key


def keyring_from_config(config: Config) -> Keyring:
    """The keyring the configuration names: inline key or key file, plus the previous keys."""
    current = config.signing_key.encode() if config.signing_key else read_key_file(key_file_path(config))
    return Keyring(current=current, previous=tuple(key.encode() for key in config.signing_keys_previous))


def default_keyring() -> Keyring:
    """The keyring of this process's environment: what the trainer and CLI use unless given one."""
    return keyring_from_config(load_config())


def signing_env(config: Config) -> dict[str, str]:
    """Environment entries that make a child process use exactly this configuration's keys."""
    env = {"PERTINENT_SIGNING_KEYS_PREVIOUS": ",".join(config.signing_keys_previous)}
    if config.signing_key:
        env.update(PERTINENT_SIGNING_KEY=config.signing_key, PERTINENT_SIGNING_KEY_FILE="")
    else:
        env.update(PERTINENT_SIGNING_KEY="", PERTINENT_SIGNING_KEY_FILE=str(key_file_path(config).resolve()))
    return env
