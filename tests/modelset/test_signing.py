"""A set whose manifest the install did not sign, or whose artifacts could run code, is never unpickled.

Each test plants a pickle that would `touch` a marker file the way an attacker who can write models/
would, and checks the marker never appears, the set is refused with a reason, and the previous set
keeps serving.
"""
from __future__ import annotations

import pytest
from pertinent.errors import ModelSetError
from pertinent.modelset.keys import default_keyring
from pertinent.modelset.loader import load_model_set
from pertinent.modelset.registry import ModelRegistry
from pertinent.modelset.writer import promote

from .attacks import disguised_payload, payload, plant, read, save, signed_with, unsigned
from .helpers import write

ATTACKER_KEY = b"an-attackers-own-key-0123456789abcdef"


def _install_key() -> bytes:
    return default_keyring().current


def _unsigned(folder, marker):
    save(folder, unsigned(plant(folder, payload(marker))))


def _digest_updated_not_resigned(folder, marker):
    save(folder, plant(folder, payload(marker)))


def _signed_with_another_key(folder, marker):
    save(folder, signed_with(plant(folder, payload(marker)), ATTACKER_KEY))


def _another_key_claiming_the_install_key_id(folder, marker):
    manifest = signed_with(plant(folder, payload(marker)), ATTACKER_KEY)
    manifest["signature"]["key_id"] = default_keyring().current_id
    save(folder, manifest)


def _signed_but_unknown_role(folder, marker):
    manifest = plant(folder, payload(marker))
    manifest["artifacts"]["shell"] = manifest["artifacts"].pop("recommender")
    save(folder, signed_with(manifest, _install_key()))


def _signed_declaring_os_system(folder, marker):
    manifest = plant(folder, payload(marker))
    manifest["artifacts"]["recommender"]["type"] = "os:system"
    save(folder, signed_with(manifest, _install_key()))


def _signed_declaring_a_type_that_is_no_recommender(folder, marker):
    manifest = plant(folder, payload(marker))
    manifest["artifacts"]["recommender"]["type"] = "builtins:dict"
    save(folder, signed_with(manifest, _install_key()))


def _signed_correct_type_forbidden_global(folder, marker):
    save(folder, signed_with(plant(folder, disguised_payload(marker)), _install_key()))


ATTACKS = {
    "unsigned manifest": (_unsigned, "unsigned", "not signed"),
    "digest updated, not re-signed": (_digest_updated_not_resigned, "bad_signature", "does not match"),
    "signed with another key": (_signed_with_another_key, "unknown_signing_key", "not one of the accepted"),
    "another key, forged key id": (_another_key_claiming_the_install_key_id, "bad_signature",
                                   "does not match"),
    "signed, unknown role": (_signed_but_unknown_role, "unknown_role", "'shell'"),
    "signed, declares os:system": (_signed_declaring_os_system, "forbidden_global", "'os'.'system'"),
    "signed, declares a non-recommender": (_signed_declaring_a_type_that_is_no_recommender, "wrong_type",
                                           "not a Recommender"),
    "signed, right type, forbidden global": (_signed_correct_type_forbidden_global, "forbidden_global",
                                             "'posix'.'system'"),
}


def test_the_payload_is_live_when_unpickled_without_the_loader(tmp_path):
    """Sanity: these bytes really run the command under joblib's own, unrestricted load."""
    import io

    import joblib

    marker = tmp_path / "marker"
    joblib.load(io.BytesIO(payload(marker)))
    assert marker.exists()
    marker.unlink()
    joblib.load(io.BytesIO(disguised_payload(marker)))
    assert marker.exists()


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_an_attack_is_refused_before_it_runs(tmp_path, attack):
    plant_attack, code, reason = ATTACKS[attack]
    marker = tmp_path / "marker"
    folder = write(tmp_path / "models", version="evil")
    plant_attack(folder, marker)
    with pytest.raises(ModelSetError) as exc:
        load_model_set(folder)
    assert (exc.value.code, marker.exists()) == (code, False)
    assert reason in exc.value.message, exc.value.message


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_the_previous_set_keeps_serving_and_the_reason_names_the_set(tmp_path, attack):
    plant_attack, code, reason = ATTACKS[attack]
    marker, models = tmp_path / "marker", tmp_path / "models"
    write(models, version="good")
    promote(models, "good")
    registry = ModelRegistry(models, reload_interval=0)
    assert registry.load()

    plant_attack(write(models, version="evil"), marker)
    promote(models, "evil", verify=False)
    ok, _ = registry.reload()

    status = registry.status()
    assert (ok, registry.current().version, status["last_error_code"]) == (False, "good", code)
    assert "evil" in status["last_error"] and reason in status["last_error"]
    assert "still serving good" in status["last_error"]
    assert not marker.exists()


def test_promote_refuses_an_unsigned_set(tmp_path):
    folder = write(tmp_path, version="v1")
    save(folder, unsigned(read(folder)))
    with pytest.raises(ModelSetError) as exc:
        promote(tmp_path, "v1")
    assert exc.value.code == "unsigned"
    assert not (tmp_path / "LIVE").exists()
