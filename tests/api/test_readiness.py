"""/readyz tells the truth about the model set: degraded while LIVE names a refused set, ok again as
soon as LIVE points back at the set that kept serving (no stale error)."""
from __future__ import annotations

from pertinent.modelset.writer import LIVE_FILE, promote

from .conftest import promote_popularity_set


def test_readyz_recovers_when_live_points_back_at_the_serving_set(client, config):
    good = promote_popularity_set(config.models_dir)
    assert client.get("/readyz").json == {"status": "ok", "reasons": [], "model_version": good}

    bad = promote_popularity_set(config.models_dir)
    (config.models_dir / bad / "recommender.joblib").write_bytes(b"not the artifact the manifest names")
    (config.models_dir / LIVE_FILE).write_text(bad + "\n", encoding="utf-8")
    degraded = client.get("/readyz").json
    assert degraded["status"] == "degraded" and degraded["model_version"] == good
    assert any(bad in reason and "sha256" in reason for reason in degraded["reasons"]), degraded

    promote(config.models_dir, good)
    assert client.get("/readyz").json == {"status": "ok", "reasons": [], "model_version": good}


def test_readyz_names_an_unsigned_set_and_recovers_when_live_points_back(client, config):
    import json

    good = promote_popularity_set(config.models_dir)
    unsigned = promote_popularity_set(config.models_dir)
    manifest_path = config.models_dir / unsigned / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest.pop("signature")
    manifest_path.write_text(json.dumps(manifest))
    (config.models_dir / LIVE_FILE).write_text(good + "\n", encoding="utf-8")
    assert client.get("/readyz").json["status"] == "ok"

    (config.models_dir / LIVE_FILE).write_text(unsigned + "\n", encoding="utf-8")
    degraded = client.get("/readyz").json
    assert degraded["status"] == "degraded" and degraded["model_version"] == good
    assert any(unsigned in reason and "not signed" in reason for reason in degraded["reasons"]), degraded

    (config.models_dir / LIVE_FILE).write_text(good + "\n", encoding="utf-8")
    assert client.get("/readyz").json == {"status": "ok", "reasons": [], "model_version": good}
