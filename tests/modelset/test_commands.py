"""`pertinent models sign|verify`: an operator vouches for a set it trusts, and checks one."""
from __future__ import annotations

import json

from pertinent.cli import main

from .attacks import payload, plant, read, save, unsigned
from .helpers import write


def test_sign_makes_an_unsigned_set_servable_and_verify_says_so(tmp_path, capsys):
    folder = write(tmp_path, version="shipped")
    save(folder, unsigned(read(folder)))
    assert main(["models", "verify", str(folder)]) == 1
    refused = json.loads(capsys.readouterr().err)
    assert refused["code"] == "unsigned" and refused["refused"] == str(folder)

    assert main(["models", "sign", str(folder)]) == 0
    assert main(["models", "verify", str(folder)]) == 0
    verified = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert verified["artifacts"] == ["recommender"]
    assert verified["key_id"] == read(folder)["signature"]["key_id"]


def test_sign_refuses_a_set_whose_files_do_not_match_its_manifest(tmp_path, capsys):
    folder = write(tmp_path, version="v1")
    (folder / "recommender.joblib").write_bytes(b"swapped after training")
    assert main(["models", "sign", str(folder)]) == 1
    assert json.loads(capsys.readouterr().err)["code"] == "checksum_mismatch"


def test_verify_never_runs_a_planted_payload_even_after_signing(tmp_path, capsys):
    """Signing vouches for bytes; the restricted unpickler still refuses what they would import."""
    marker = tmp_path / "marker"
    folder = write(tmp_path / "models", version="v1")
    save(folder, plant(folder, payload(marker)))
    main(["models", "sign", str(folder)])
    assert main(["models", "verify", str(tmp_path / "models" / "v1")]) == 1
    assert json.loads(capsys.readouterr().err.splitlines()[-1])["code"] == "forbidden_global"
    assert not marker.exists()
