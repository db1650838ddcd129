"""The alert rules and the Grafana dashboard parse, and use only metrics the sidecar really exports."""
from __future__ import annotations

import json
import re

import pytest
from pertinent import metrics
from prometheus_client.metrics import MetricWrapperBase

yaml = pytest.importorskip("yaml")
METRIC = re.compile(r"\bpertinent_[a-z_]+")


def exported_names() -> set[str]:
    """Every sample name the sidecar's collectors can produce (counters' _total, histograms' _bucket...)."""
    names = set()
    for value in vars(metrics).values():
        if not isinstance(value, MetricWrapperBase):
            continue
        for family in value.describe():
            base = family.name
            names |= {base + suffix for suffix in ("", "_total", "_bucket", "_sum", "_count", "_created")}
    return names


def test_alert_rules_are_complete_and_use_exported_metrics(repo_root):
    doc = yaml.safe_load((repo_root / "deploy/prometheus/alerts.yml").read_text())
    rules = [rule for group in doc["groups"] for rule in group["rules"]]
    assert len(rules) >= 8
    known = exported_names()
    for rule in rules:
        assert rule["alert"].startswith("Pertinent") and rule["expr"] and rule["for"]
        assert rule["labels"]["severity"] in ("critical", "warning", "info")
        assert rule["annotations"]["summary"]
        unknown = set(METRIC.findall(rule["expr"])) - known
        assert not unknown, f"{rule['alert']} uses metrics the sidecar does not export: {unknown}"
    names = {r["alert"] for r in rules}
    assert {"PertinentDriftDetected", "PertinentModelStale", "PertinentDecideSlow"} <= names


def test_grafana_dashboard_panels_query_exported_metrics(repo_root):
    dash = json.loads((repo_root / "deploy/grafana/dashboard.json").read_text())
    known = exported_names()
    used = set()
    for panel in dash["panels"]:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            used |= set(METRIC.findall(target["expr"]))
    assert not used - known, f"unknown metrics: {used - known}"
    # Everything the issue asks an operator to watch has a panel.
    for name in ("pertinent_request_duration_seconds_bucket", "pertinent_decide_duration_seconds_bucket",
                 "pertinent_fallbacks_total",
                 "pertinent_decision_cache_total", "pertinent_events_total", "pertinent_model_age_seconds",
                 "pertinent_experiment_arm_ctr", "pertinent_drift_psi"):
        assert name in used
