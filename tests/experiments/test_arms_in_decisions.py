"""Arms inside real decisions: control keeps the default content, rules-only stops after the editor's pins,
slots outside the experiment are served by the model, and the arm is part of every decision."""
from __future__ import annotations

from dataclasses import asdict

import pytest
from pertinent import create_app
from pertinent.config import load_config
from pertinent.experiments.assignment import experiment_arm
from pertinent.experiments.book import ExperimentBook
from pertinent.modelset.writer import promote, write_model_set
from pertinent.runtime import Runtime

from tests.conftest import TEST_SIGNING_KEY
from tests.simulation.models import TopicRecommender
from tests.simulation.population import catalog

API_KEY = "arms-server-key-0123456789"
SERVER = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture
def sidecar(tmp_path):
    models_dir = tmp_path / "models"
    live = write_model_set(models_dir, {"recommender": TopicRecommender()}, rows={},
                           data_range={"start": "2026-10-01T00:00:00Z", "end": "2026-10-31T00:00:00Z"})
    promote(models_dir, live.name)
    config = load_config(env={}, overrides={"data_dir": tmp_path / "data", "models_dir": models_dir,
                                            "api_key": API_KEY, "cache_url": "memory://",
                                            "reload_interval": 0.0, "signing_key": TEST_SIGNING_KEY})
    runtime = Runtime.from_config(config)
    client = create_app(config, runtime, test_config={"TESTING": True}).test_client()
    items = [{k: v for k, v in asdict(item).items() if v not in (None, [], {})} for item in catalog()]
    # An editor rule pins food-0 into the read_next slot for everyone.
    items[10]["targeting"] = [{"action": "pin", "when": {}, "slots": ["read_next"]}]
    assert items[10]["id"] == "food-0"
    assert client.post("/v1/content/bulk", headers=SERVER, json={"items": items}).status_code == 200
    runtime.catalog.refresh()  # the snapshot was warmed empty at start; see the new catalog now
    yield client, runtime
    runtime.close()


def _visitor_in(arm: str, experiment) -> str:
    return next(f"visitor-{i}" for i in range(10_000) if experiment_arm(f"visitor-{i}", experiment) == arm)


def _decide(client, visitor_id: str) -> dict:
    return client.post("/v1/decide", headers=SERVER, json={
        "visitor_id": visitor_id, "context": {"content_id": "tech-1"},
        "slots": [{"name": "read_next", "kind": "read_next", "count": 3},
                  {"name": "sidebar", "kind": "recommendations", "count": 2}]}).get_json()


def test_each_arm_serves_what_it_promises(sidecar):
    client, runtime = sidecar
    created = client.post("/v1/experiments", headers=SERVER, json={
        "name": "three arms", "arms": {"control": 0.34, "rules": 0.33, "model": 0.33},
        "slots": ["read_next"]})
    experiment = ExperimentBook(runtime.store).get(created.get_json()["id"])

    control = _decide(client, _visitor_in("control", experiment))
    assert control["arm"] == "control"
    assert control["slots"]["read_next"] == {**control["slots"]["read_next"], "source": "default",
                                             "content_ids": [], "reason": "control arm: default content"}
    # The sidebar is not in the experiment: the model serves it even for a control visitor.
    assert control["slots"]["sidebar"]["source"] == "model"

    rules = _decide(client, _visitor_in("rules", experiment))
    assert rules["arm"] == "rules"
    assert rules["slots"]["read_next"]["source"] == "rules"
    assert rules["slots"]["read_next"]["content_ids"] == ["food-0"]  # the pin only, nothing after it

    model = _decide(client, _visitor_in("model", experiment))
    assert model["arm"] == "model" and model["slots"]["read_next"]["source"] in ("rules", "model")
    assert len(model["slots"]["read_next"]["content_ids"]) == 3

    # Sticky: the same visitor keeps the arm on the next page; after the stop the model serves everyone.
    again = _decide(client, _visitor_in("control", experiment))
    assert again["arm"] == "control"
    client.post(f"/v1/experiments/{experiment.id}/stop", headers=SERVER)
    from pertinent.experiments.serving import serving

    serving(runtime).book._forget()  # replicas notice within a few seconds; here at once
    after = _decide(client, _visitor_in("control", experiment))
    assert after["arm"] == "model" and after["slots"]["read_next"]["source"] != "default"
