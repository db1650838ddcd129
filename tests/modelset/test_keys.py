"""Where the signing key comes from, and rotation: previous keys verify, dropped keys do not."""
from __future__ import annotations

import stat

import pytest
from pertinent.config import load_config
from pertinent.errors import ConfigError, ModelSetError
from pertinent.modelset.keys import keyring_from_config
from pertinent.modelset.loader import load_model_set

from .helpers import write

OLD = "old-signing-key-0123456789abcdef0123456789"
NEW = "new-signing-key-0123456789abcdef0123456789"


def _keyring(tmp_path, **env):
    return keyring_from_config(load_config(env={"PERTINENT_DATA_DIR": str(tmp_path / "data"), **env}))


def test_without_configuration_each_install_gets_its_own_private_key_file(tmp_path):
    first = _keyring(tmp_path / "site-a")
    key_file = tmp_path / "site-a" / "data" / "signing.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 64  # 32 random bytes, hex
    assert _keyring(tmp_path / "site-a") == first  # reused, not regenerated
    assert _keyring(tmp_path / "site-b").current != first.current


def test_a_key_file_named_in_configuration_is_used(tmp_path):
    path = tmp_path / "shared.key"
    path.write_text(NEW + "\n")
    assert _keyring(tmp_path, PERTINENT_SIGNING_KEY_FILE=str(path)).current == NEW.encode()


@pytest.mark.parametrize("env,names", [
    ({"PERTINENT_SIGNING_KEY": "short"}, "PERTINENT_SIGNING_KEY must be 32"),
    ({"PERTINENT_SIGNING_KEY": "k" * 2000}, "PERTINENT_SIGNING_KEY must be 32 to 1024"),
    ({"PERTINENT_SIGNING_KEY": NEW, "PERTINENT_SIGNING_KEY_FILE": "/x"}, "both set"),
    ({"PERTINENT_SIGNING_KEY": NEW, "PERTINENT_SIGNING_KEYS_PREVIOUS": f"{OLD},tiny"},
     "PERTINENT_SIGNING_KEYS_PREVIOUS[1]"),
])
def test_bad_signing_settings_are_named(env, names):
    with pytest.raises(ConfigError) as exc:
        load_config(env=env)
    assert names in str(exc.value)


def test_a_short_key_file_is_refused_by_name(tmp_path):
    path = tmp_path / "weak.key"
    path.write_text("abc\n")
    with pytest.raises(ConfigError) as exc:
        _keyring(tmp_path, PERTINENT_SIGNING_KEY_FILE=str(path))
    assert str(path) in str(exc.value) and "at least 32" in str(exc.value)


def test_rotation_accepts_the_previous_key_and_refuses_a_dropped_one(tmp_path):
    old_set = write(tmp_path / "models", version="old", keyring=_keyring(tmp_path, PERTINENT_SIGNING_KEY=OLD))
    rotating = _keyring(tmp_path, PERTINENT_SIGNING_KEY=NEW, PERTINENT_SIGNING_KEYS_PREVIOUS=OLD)
    assert load_model_set(old_set, rotating).version == "old"
    new_set = write(tmp_path / "models", version="new", keyring=rotating)
    assert load_model_set(new_set, rotating).manifest["signature"]["key_id"] == rotating.current_id

    rotated = _keyring(tmp_path, PERTINENT_SIGNING_KEY=NEW)  # the old key dropped
    assert load_model_set(new_set, rotated).version == "new"
    with pytest.raises(ModelSetError) as exc:
        load_model_set(old_set, rotated)
    assert exc.value.code == "unknown_signing_key"
