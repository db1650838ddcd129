"""The experiments API and the dashboard: server key only, validation named, reports and drift visible."""
from __future__ import annotations

import pytest
from pertinent import create_app
from pertinent.config import load_config
from pertinent.runtime import Runtime

API_KEY = "experiments-server-key-0123"
PUBLIC_KEY = "experiments-public-key"


@pytest.fixture
def app(tmp_path):
    config = load_config(env={}, overrides={
        "data_dir": tmp_path / "data", "models_dir": tmp_path / "models", "api_key": API_KEY,
        "public_key": PUBLIC_KEY, "cache_url": "memory://", "reload_interval": 0.0})
    runtime = Runtime.from_config(config)
    yield create_app(config, runtime, test_config={"TESTING": True})
    runtime.close()


@pytest.fixture
def client(app):
    return app.test_client()


SERVER = {"Authorization": f"Bearer {API_KEY}"}


def test_create_list_report_and_stop_an_experiment(client):
    created = client.post("/v1/experiments", headers=SERVER,
                          json={"name": "read next vs default", "arms": {"control": 0.2, "model": 0.8}})
    assert created.status_code == 201
    exp = created.get_json()
    assert exp["status"] == "running" and exp["arms"] == {"control": 0.2, "model": 0.8}
    listed = client.get("/v1/experiments", headers=SERVER).get_json()["experiments"]
    assert [e["id"] for e in listed] == [exp["id"]]
    report = client.get(f"/v1/experiments/{exp['id']}/report", headers=SERVER).get_json()
    assert report["arms"]["control"]["impressions"] == 0
    assert report["verdict"].startswith("not enough data yet")
    stopped = client.post(f"/v1/experiments/{exp['id']}/stop", headers=SERVER).get_json()
    assert stopped["status"] == "stopped" and stopped["stopped_at"]


def test_bad_definitions_and_a_second_running_experiment_are_refused(client):
    bad = client.post("/v1/experiments", headers=SERVER, json={"name": "x", "arms": {"model": 1.0}})
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "arms"
    assert client.post("/v1/experiments", headers=SERVER, json={"name": "first"}).status_code == 201
    second = client.post("/v1/experiments", headers=SERVER, json={"name": "second"})
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "experiment_running"
    assert client.get("/v1/experiments/nope", headers=SERVER).status_code == 404


def test_experiments_and_dashboard_need_the_server_key(client):
    public = {"Authorization": f"Bearer {PUBLIC_KEY}"}
    assert client.get("/v1/experiments", headers=public).status_code == 403
    assert client.get("/v1/dashboard").status_code == 401
    assert client.post("/v1/experiments", headers=public, json={"name": "x"}).status_code == 403


def test_dashboard_and_readyz_flag_drift_the_worker_recorded(client, app):
    store = app.extensions["pertinent"].store
    store.put_record("drift", "latest", {"status": "drift", "drifted": True, "max_psi": 0.41,
                                         "threshold": 0.2, "drifted_features": ["device"],
                                         "features": {"device": 0.41}})
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "degraded"
    assert any(r.startswith("drift: PSI 0.41 above 0.20 (device)") for r in ready["reasons"])
    summary = client.get("/v1/dashboard", headers=SERVER).get_json()
    assert summary["drift"]["drifted"] is True
    assert summary["health"]["status"] == "degraded"
    assert set(summary) >= {"models", "experiments", "training", "generated_at"}


def test_openapi_documents_the_experiment_routes(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {"/v1/experiments", "/v1/experiments/{experiment_id}/report", "/v1/dashboard"} <= set(paths)


def test_metrics_show_arm_ctr_model_age_and_drift(client, app):
    store = app.extensions["pertinent"].store
    exp = client.post("/v1/experiments", headers=SERVER, json={"name": "m"}).get_json()
    from datetime import datetime, timezone

    from pertinent.domain import Event
    from pertinent.monitoring import gauges

    now = datetime.now(timezone.utc)
    store.add_events([Event("impression", "a", now, content_id="1", slot="s", arm="model"),
                      Event("click", "a", now, content_id="1", slot="s", arm="model"),
                      Event("impression", "b", now, content_id="1", slot="s", arm="control")])
    store.put_record("drift", "latest", {"drifted": False, "features": {"device": 0.05}, "scores": 0.01})
    gauges._last_report[0] = -1e9  # the per-arm figures are recomputed at most once a minute
    text = client.get("/metrics").get_data(as_text=True)
    assert exp["id"]
    assert 'pertinent_drift_psi{feature="device"} 0.05' in text
    assert 'pertinent_drift_psi{feature="predicted_score"} 0.01' in text
    assert "pertinent_drift_flagged 0.0" in text
    assert 'pertinent_experiment_arm_ctr{arm="model"} 1.0' in text
    assert 'pertinent_experiment_arm_ctr{arm="control"} 0.0' in text
    assert "pertinent_model_age_seconds" in text


def test_decide_latency_is_observed_by_source(client):
    answer = client.post("/v1/decide", headers=SERVER, json={"visitor_id": "v1", "slots": [{"name": "s"}]})
    assert answer.status_code == 200
    text = client.get("/metrics").get_data(as_text=True)
    source = answer.get_json()["slots"]["s"]["source"]
    assert f'pertinent_decide_duration_seconds_count{{source="{source}"}}' in text
