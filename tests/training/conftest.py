"""Shared fixtures: one small generated demo site and one model set trained on it, per test session."""
from __future__ import annotations

import json

import pytest
from pertinent.demo.generator import generate
from pertinent.training.pipeline import train_from_files

# Small enough to train in seconds, big enough for honest test-window metrics.
SITE = dict(seed=11, n_posts=120, n_variants=8, n_visitors=1000, days=21)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-site")
    summary = generate(out, **SITE)
    summary["dir"] = out
    summary["truth"] = json.loads((out / "truth.json").read_text())
    return summary


@pytest.fixture(scope="session")
def trained(demo_site, tmp_path_factory):
    """(TrainResult, models dir) of a first, forced training run."""
    models = tmp_path_factory.mktemp("models")
    lines: list[str] = []
    result = train_from_files(demo_site["events_path"], demo_site["content_path"], models, force=True,
                              progress=lines.append)
    result.progress_lines = lines
    return result, models
