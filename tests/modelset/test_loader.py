"""The loader refuses anything its manifest does not vouch for, before unpickling a byte."""
from __future__ import annotations

import io
import json

import joblib
import pytest
from pertinent.domain import PageContext
from pertinent.errors import ModelSetError
from pertinent.modelset.keys import default_keyring
from pertinent.modelset.loader import load_model_set
from pertinent.modelset.protocols import RecommendQuery
from pertinent.modelset.signing import sign_manifest

from tests.decision.fixtures_models import MarkerOnUnpickle

from .helpers import write


def _code(path) -> str:
    with pytest.raises(ModelSetError) as exc:
        load_model_set(path)
    return exc.value.code


def _edit_manifest(folder, change) -> None:
    """Change the manifest and re-sign it with the install's key: these tests pin the checks after it."""
    manifest = json.loads((folder / "manifest.json").read_text())
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(sign_manifest(manifest, default_keyring())))


def test_a_valid_set_loads_with_its_roles(tmp_path):
    folder = write(tmp_path, version="v1")
    model_set = load_model_set(folder)
    assert model_set.version == "v1" and model_set.variant_scorer is None and model_set.risk is None
    top = model_set.recommender.recommend(RecommendQuery(history=[], context=PageContext(), k=1))
    assert top[0][0] == "2"


def test_checksum_mismatch_when_one_byte_changes(tmp_path):
    folder = write(tmp_path)
    artifact = folder / "recommender.joblib"
    data = bytearray(artifact.read_bytes())
    data[len(data) // 2] ^= 0x01
    artifact.write_bytes(bytes(data))
    assert _code(folder) == "checksum_mismatch"


def test_missing_artifact_file(tmp_path):
    folder = write(tmp_path)
    (folder / "recommender.joblib").unlink()
    assert _code(folder) == "missing_artifact"


def test_missing_and_bad_manifest(tmp_path):
    folder = write(tmp_path, version="v1")
    (folder / "manifest.json").write_text("{not json")
    assert _code(folder) == "bad_manifest"
    _code_missing = tmp_path / "empty"
    _code_missing.mkdir()
    assert _code(_code_missing) == "missing_manifest"


@pytest.mark.parametrize("change", [
    lambda m: m.pop("artifacts"),
    lambda m: m.update(format=1),
    lambda m: m["artifacts"]["recommender"].pop("type"),
    lambda m: m["artifacts"]["recommender"].update(file="../../etc/passwd"),
    lambda m: m["artifacts"]["recommender"].update(sha256="nope"),
    lambda m: m.update(version="other"),
])
def test_malformed_manifests_are_refused(tmp_path, change):
    folder = write(tmp_path, version="v1")
    _edit_manifest(folder, change)
    assert _code(folder) == "bad_manifest"


@pytest.mark.parametrize("library,version", [("scikit-learn", "0.24.2"), ("numpy", "1.0.0"),
                                              ("python", "2.7.18")])
def test_incompatible_library_versions_are_refused(tmp_path, library, version):
    folder = write(tmp_path)
    _edit_manifest(folder, lambda m: m["libraries"].update({library: version}))
    assert _code(folder) == "incompatible_library"


def test_same_sklearn_minor_with_another_patch_loads(tmp_path):
    import sklearn

    major, minor = sklearn.__version__.split(".")[:2]
    folder = write(tmp_path)
    _edit_manifest(folder, lambda m: m["libraries"].update({"scikit-learn": f"{major}.{minor}.99"}))
    assert load_model_set(folder).recommender is not None


def test_a_tampered_pickle_is_never_unpickled(tmp_path):
    marker = tmp_path / "marker"
    evil = io.BytesIO()
    joblib.dump(MarkerOnUnpickle(marker), evil)
    # Sanity: unpickling these bytes really would create the marker.
    joblib.load(io.BytesIO(evil.getvalue()))
    assert marker.exists()
    marker.unlink()

    folder = write(tmp_path / "models")
    (folder / "recommender.joblib").write_bytes(evil.getvalue())
    assert _code(folder) == "checksum_mismatch"
    assert not marker.exists()


def test_an_artifact_of_another_type_than_declared_is_refused(tmp_path):
    from pertinent.modelset.manifest import sha256_file

    folder = write(tmp_path, version="v1")
    joblib.dump({"not": "a recommender"}, folder / "recommender.joblib")
    digest = sha256_file(folder / "recommender.joblib")
    _edit_manifest(folder, lambda m: m["artifacts"]["recommender"].update(sha256=digest))
    assert _code(folder) == "wrong_type"
