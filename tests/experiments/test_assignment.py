"""Sticky assignment: same visitor and experiment give the same arm everywhere; shares are honoured."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone

import pytest
from pertinent.experiments.assignment import choose_arm, experiment_arm
from pertinent.experiments.definition import Experiment

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _experiment(arms, exp_id="exp-1"):
    return Experiment(id=exp_id, name="hero test", arms=arms, created_at=NOW)


def test_assignment_is_the_same_in_another_process(repo_root):
    experiment = _experiment({"control": 0.2, "rules": 0.3, "model": 0.5})
    ids = [f"visitor-{i}" for i in range(300)]
    here = [experiment_arm(v, experiment) for v in ids]
    script = (
        "import sys, json\n"
        "from datetime import datetime, timezone\n"
        "from pertinent.experiments.assignment import experiment_arm\n"
        "from pertinent.experiments.definition import Experiment\n"
        "e = Experiment(id='exp-1', name='x', arms={'control': 0.2, 'rules': 0.3, 'model': 0.5},\n"
        "               created_at=datetime.now(timezone.utc))\n"
        "print(json.dumps([experiment_arm(f'visitor-{i}', e) for i in range(300)]))\n"
    )
    # A fresh interpreter with a different hash seed: Python's hash() would differ, sha256 must not.
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=repo_root, env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"})
    import json

    assert json.loads(out.stdout) == here


def test_shares_are_honoured_over_100k_visitors():
    experiment = _experiment({"control": 0.1, "rules": 0.2, "model": 0.7})
    counts = Counter(experiment_arm(f"v{i}", experiment) for i in range(100_000))
    for arm, share in experiment.arms.items():
        assert counts[arm] / 100_000 == pytest.approx(share, abs=0.006)


def test_different_experiments_reshuffle_visitors():
    a, b = _experiment({"control": 0.5, "model": 0.5}, "a"), _experiment({"control": 0.5, "model": 0.5}, "b")
    same = sum(experiment_arm(f"v{i}", a) == experiment_arm(f"v{i}", b) for i in range(10_000))
    assert 4_700 < same < 5_300  # independent: about half agree by chance


def test_canary_takes_its_share_from_the_model_arm_only():
    experiment = _experiment({"control": 0.5, "model": 0.5})
    arms = Counter(choose_arm(f"v{i}", experiment, "2026-01-02", 0.2) for i in range(50_000))
    assert arms["control"] / 50_000 == pytest.approx(0.5, abs=0.01)
    assert arms["canary"] / 50_000 == pytest.approx(0.1, abs=0.01)
    assert arms["model"] / 50_000 == pytest.approx(0.4, abs=0.01)


def test_without_experiment_or_visitor_id_the_model_serves():
    assert choose_arm(None, _experiment({"control": 0.5, "model": 0.5}), None, 0.0) == "model"
    assert choose_arm("v1", None, None, 0.0) == "model"
    stopped = _experiment({"control": 0.99, "model": 0.01})
    stopped.status = "stopped"
    assert choose_arm("v1", stopped, None, 0.0) == "model"
