"""The closed loop, end to end through the real sidecar (Flask app, SQLite store, real model sets):

simulated visitors with known tastes browse while an experiment runs; the report must show the model
arm beating the default content with an interval that excludes zero. Then the worker trains a
deliberately bad model set, which goes out as a canary and must be rolled back, with the reason kept.
"""
from __future__ import annotations

import random
from dataclasses import asdict

import pytest
from pertinent import create_app
from pertinent.config import load_config
from pertinent.modelset import canary
from pertinent.modelset.writer import live_version, promote, write_model_set
from pertinent.runtime import Runtime
from pertinent.worker import Worker

from tests.conftest import TEST_SIGNING_KEY
from tests.simulation.models import TopicRecommender
from tests.simulation.population import DEFAULT_IDS, TOPICS, catalog, clicks, population

API_KEY = "simulation-server-key-0123"
SERVER = {"Authorization": f"Bearer {API_KEY}"}
DATA_RANGE = {"start": "2026-10-01T00:00:00Z", "end": "2026-10-31T00:00:00Z"}


@pytest.fixture
def sidecar(tmp_path):
    models_dir = tmp_path / "models"
    live = write_model_set(models_dir, {"recommender": TopicRecommender()}, data_range=DATA_RANGE,
                           rows={"events": 0}, metrics={"ndcg@5": 0.41})
    promote(models_dir, live.name)
    config = load_config(env={}, overrides={
        "data_dir": tmp_path / "data", "models_dir": models_dir, "api_key": API_KEY,
        "cache_url": "memory://", "reload_interval": 0.0, "canary_share": 0.3,
        "canary_min_impressions": 200, "experiment_min_impressions": 300, "signing_key": TEST_SIGNING_KEY})
    runtime = Runtime.from_config(config)
    app = create_app(config, runtime, test_config={"TESTING": True})
    client = app.test_client()
    items = [{k: v for k, v in asdict(item).items() if v not in (None, [], {})} for item in catalog()]
    assert client.post("/v1/content/bulk", headers=SERVER, json={"items": items}).status_code == 200
    runtime.catalog.refresh()  # the snapshot was warmed empty at start; see the new catalog now
    yield client, runtime
    runtime.close()


def browse(client, visitors, page_views: int, rng: random.Random) -> dict:
    """Visitors open pages one after another: decide the read-next slot, show it, maybe click, send events."""
    arms: dict[str, int] = {}
    versions: dict[str, set] = {}
    done = 0
    while done < page_views:
        for visitor in visitors:
            page = f"{visitor.topic if rng.random() < 0.7 else rng.choice(TOPICS)}-{rng.randrange(10)}"
            for _ in range(rng.randint(1, 3)):
                decision = client.post("/v1/decide", headers=SERVER, json={
                    "visitor_id": visitor.id, "context": {"content_id": page, "device": visitor.device},
                    "slots": [{"name": "read_next", "kind": "read_next", "count": 3}]}).get_json()
                slot = decision["slots"]["read_next"]
                shown = slot["content_ids"] if slot["source"] != "default" else [
                    c for c in DEFAULT_IDS if c != page]
                arms[decision["arm"]] = arms.get(decision["arm"], 0) + 1
                versions.setdefault(decision["arm"], set()).add(decision["model_version"])
                tag = {"visitor_id": visitor.id, "decision_id": decision["decision_id"], "slot": "read_next",
                       "arm": decision["arm"]}
                events = [{"type": "view", "visitor_id": visitor.id, "content_id": page}]
                events += [{"type": "impression", "content_id": c, **tag} for c in shown]
                clicked = clicks(visitor, shown, rng)
                if clicked:
                    events.append({"type": "click", "content_id": clicked, **tag})
                answer = client.post("/v1/events", headers=SERVER, json={"events": events})
                assert answer.status_code == 202 and not answer.get_json()["rejected"]
                done += 1
                if clicked is None or done >= page_views:
                    break
                page = clicked
            if done >= page_views:
                break
    return {"arms": arms, "versions": versions}


def test_model_beats_default_and_a_bad_canary_is_rolled_back(sidecar):
    client, runtime = sidecar
    rng = random.Random(42)
    visitors = population(300, seed=11)
    created = client.post("/v1/experiments", headers=SERVER, json={
        "id": "simulated-read-next", "name": "read next: model vs default",
        "arms": {"control": 0.5, "model": 0.5}, "slots": ["read_next"]})
    assert created.status_code == 201
    exp_id = created.get_json()["id"]

    seen = browse(client, visitors, 2500, rng)
    assert set(seen["arms"]) == {"control", "model"}

    report = client.get(f"/v1/experiments/{exp_id}/report", headers=SERVER).get_json()
    model, control = report["arms"]["model"], report["arms"]["control"]
    print(f"\nmodel CTR {model['ctr']:.3f} ({model['impressions']} impressions), "
          f"default CTR {control['ctr']:.3f} ({control['impressions']}); {report['verdict']}")
    assert model["vs_control"]["ctr"]["low"] > 0, report["verdict"]
    assert report["verdict"].startswith("model beats default on click-through by ")

    # The worker retrains on its schedule; this training produces a deliberately bad model set,
    # which passes its offline gate and therefore goes out as a canary.
    live_before = live_version(runtime.config.models_dir)
    bad = write_model_set(runtime.config.models_dir, {"recommender": TopicRecommender(invert=True)},
                          data_range=DATA_RANGE, rows={"events": 0}, gate={"passed": True, "reason": "test"},
                          version="20261101T000000Z-badbad")  # fixed: the canary's visitors follow its hash
    worker = Worker(runtime, train=lambda rt, reason: bad, owner="simulation-worker")
    assert "train:canary" in worker.run_once()
    assert canary.canary_version(runtime.config.models_dir) == bad.name

    seen = browse(client, visitors, 2000, rng)
    assert seen["versions"]["canary"] == {bad.name}, "canary decisions must come from the canary set"

    actions = worker.run_once()
    assert "canary:rollback" in actions
    assert canary.canary_version(runtime.config.models_dir) is None
    assert live_version(runtime.config.models_dir) == live_before
    history = canary.canary_history(runtime.store)
    assert history[0]["action"] == "rollback" and history[0]["version"] == bad.name
    assert "is worse" in history[0]["reason"]
    print("rollback:", history[0]["reason"])

    summary = client.get("/v1/dashboard", headers=SERVER).get_json()
    assert summary["models"]["canary"] is None
    assert summary["models"]["history"][0]["action"] == "rollback"
    # The training status tells the canary's fate, not "serving as canary" any more.
    assert summary["training"]["last_result"].startswith(f"{bad.name} rolled back after its canary: ")
    assert summary["experiments"][0]["verdict"].startswith("model beats default")
    after = browse(client, visitors[:20], 30, rng)
    assert "canary" not in after["arms"]
