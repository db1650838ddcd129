"""The "Pertinent" admin page, rendered by the real WordPress in the real browser, from a real sidecar's
dashboard JSON; the screenshot is kept in test-artifacts/wordpress/admin-dashboard.png."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from pertinent.domain import Event
from pertinent.modelset import canary
from pertinent.modelset.writer import promote, write_model_set
from pertinent.recsys.baseline import PopularityRecommender
from pertinent.store import open_store

from tests.wordpress.harness import Sidecar

pytestmark = [pytest.mark.slow, pytest.mark.wordpress, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "wordpress"


def _prepare(own: Sidecar) -> None:
    """A live model set, a rolled-back canary and a drift result, written where the sidecar reads them."""
    models_dir = own.root / "models"
    frame = pd.DataFrame({"content_id": ["1", "2", "3"], "event_type": ["view", "click", "view"]})
    metrics = {"ranking": {"overall": {"ndcg@10": 0.412, "precision@10": 0.205}}, "click": {"auc": 0.71}}
    live = write_model_set(models_dir, {"recommender": PopularityRecommender().fit(frame)},
                           rows={"events": 3}, metrics=metrics,
                           data_range={"start": "2026-10-01T00:00:00Z", "end": "2026-11-01T00:00:00Z"})
    promote(models_dir, live.name)
    bad = write_model_set(models_dir, {"recommender": PopularityRecommender().fit(frame)}, rows={},
                          data_range={})
    store = open_store(f"sqlite:///{own.root / 'pertinent.db'}")
    now = datetime.now(timezone.utc)
    canary.start_canary(store, models_dir, bad.name, "retrained (schedule)", now - timedelta(hours=2))
    canary.apply_decision(store, models_dir, canary.CanaryDecision(
        "rollback", bad.name, f"canary {bad.name} is worse: canary CTR 3.8% vs live 9.9% (-6.1 points, "
                              "95% CI -8.1 to -3.7, 546 canary impressions)"), now - timedelta(hours=1))
    store.put_record("drift", "latest", {
        "status": "drift", "drifted": True, "max_psi": 0.34, "threshold": 0.2, "scores": 0.04,
        "features": {"device": 0.34, "country": 0.03, "referrer": 0.21, "event_type": 0.01},
        "drifted_features": ["device", "referrer"], "checked_at": now.isoformat()})
    store.close()


def _experiment_traffic(own: Sidecar) -> str:
    """An experiment created through the API, then slot views with clicks for its two arms."""
    created = own.request("POST", "/v1/experiments", json={
        "name": "Read next: model vs default", "arms": {"control": 0.5, "model": 0.5}, "slots": ["recs"],
        "min_impressions": 200})
    assert created.status_code == 201, created.text
    rng = random.Random(5)
    events = []
    start = datetime.now(timezone.utc) + timedelta(seconds=1)
    for arm, ctr in (("control", 0.06), ("model", 0.14)):
        for i in range(900):
            tag = {"content_id": "1", "slot": "recs", "arm": arm, "decision_id": f"{arm}-{i}"}
            events.append(Event("impression", f"{arm}{i}", start, **tag))
            if rng.random() < ctr:
                events.append(Event("click", f"{arm}{i}", start, **tag))
    store = open_store(f"sqlite:///{own.root / 'pertinent.db'}")
    store.add_events(events)
    store.close()
    return created.json()["id"]


def test_admin_page_shows_health_models_experiment_chart_and_drift(wordpress, sidecar):
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    own = Sidecar()
    own.root.mkdir(parents=True, exist_ok=True)
    _prepare(own)
    own.start()
    try:
        exp_id = _experiment_traffic(own)
        wordpress.configure(sidecar_url=own.url, api_key=own.api_key)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                wordpress.log_in(page)
                page.goto(wordpress.url + "/wp-admin/admin.php?page=pertinent-dashboard")
                page.wait_for_selector(".pertinent-dashboard h1")
                page.screenshot(path=str(ARTIFACTS / "admin-dashboard.png"), full_page=True)
                text = page.inner_text(".pertinent-dashboard")
                bars = page.locator(".pertinent-chart rect").count()
                css = page.locator("link#pertinent-dashboard-css").count()
            finally:
                browser.close()
        own.request("POST", f"/v1/experiments/{exp_id}/stop")
    finally:
        wordpress.configure(sidecar_url=sidecar.url, api_key=sidecar.api_key)
        own.remove()
    assert "Read next: model vs default" in text
    assert "model beats default on click-through by" in text, text
    assert bars == 2 and css == 1
    assert "rollback" in text and "is worse" in text
    assert "degraded" in text and "drift: PSI 0.34 above 0.20" in text
    assert "ranking NDCG@10 0.412" in text  # the headline metric first, beside its baseline
    assert (ARTIFACTS / "admin-dashboard.png").stat().st_size > 10_000
