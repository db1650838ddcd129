"""The writer: folder + manifest written atomically, LIVE moved atomically."""
from __future__ import annotations

import json

import pytest
from pertinent.errors import ModelSetError
from pertinent.modelset.keys import default_keyring
from pertinent.modelset.manifest import sha256_file
from pertinent.modelset.writer import live_version, promote

from tests.decision.fixtures_models import FailingRecommender

from .helpers import write


def test_write_model_set_records_checksums_libraries_and_data_range(tmp_path):
    folder = write(tmp_path, version="v1")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == 2 and manifest["version"] == "v1" and folder.name == "v1"
    entry = manifest["artifacts"]["recommender"]
    assert entry["sha256"] == sha256_file(folder / entry["file"])
    assert entry["type"] == "pertinent.recsys.baseline:PopularityRecommender"
    assert manifest["signature"]["key_id"] == default_keyring().current_id
    expected = {"python", "scikit-learn", "numpy", "scipy", "pandas", "joblib", "pertinent"}
    assert expected <= set(manifest["libraries"])
    assert manifest["rows"]["events"] == 4 and manifest["data_range"]["start"].startswith("2026-01-01")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp")]


def test_write_refuses_an_existing_version_and_unsafe_names(tmp_path):
    write(tmp_path, version="v1")
    with pytest.raises(ModelSetError) as exc:
        write(tmp_path, version="v1")
    assert exc.value.code == "version_exists"
    with pytest.raises(ModelSetError):
        write(tmp_path, version="../escape")


def test_write_refuses_a_recommender_without_the_protocol(tmp_path):
    with pytest.raises(ModelSetError) as exc:
        write(tmp_path, artifacts={"recommender": object()})
    assert exc.value.code == "bad_artifact"
    assert not list(tmp_path.iterdir())
    write(tmp_path, artifacts={"recommender": FailingRecommender()})  # protocol only checks methods


def test_promote_writes_live_and_verifies_first(tmp_path):
    assert live_version(tmp_path) is None
    folder = write(tmp_path, version="v1")
    promote(tmp_path, "v1")
    assert live_version(tmp_path) == "v1"
    (folder / "recommender.joblib").write_bytes(b"tampered")
    write(tmp_path, version="v2")
    with pytest.raises(ModelSetError) as exc:
        promote(tmp_path, "v1")
    assert exc.value.code == "checksum_mismatch"
    promote(tmp_path, "v2")
    assert live_version(tmp_path) == "v2"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
