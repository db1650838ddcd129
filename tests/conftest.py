"""Shared fixtures live in each suite's own conftest; this one holds project paths and the signing key."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Every model set a test writes is signed, and every sidecar a test starts verifies: one key for the
# whole run, set before anything reads the environment, inherited by the servers tests start.
TEST_SIGNING_KEY = "test-signing-key-0123456789abcdef0123456789"
os.environ["PERTINENT_SIGNING_KEY"] = TEST_SIGNING_KEY
os.environ.pop("PERTINENT_SIGNING_KEY_FILE", None)
os.environ.pop("PERTINENT_SIGNING_KEYS_PREVIOUS", None)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shipped_set(tmp_path_factory) -> Path:
    """A copy of the committed demo set (models/), signed with the test key as an install signs it."""
    from pertinent.modelset.writer import live_version, sign_model_set

    version = live_version(REPO_ROOT / "models")
    copy = tmp_path_factory.mktemp("shipped") / version
    shutil.copytree(REPO_ROOT / "models" / version, copy)
    sign_model_set(copy)
    return copy
