"""Experiment definitions: validated on create, arm order fixed, JSON round trip."""
from __future__ import annotations

import pytest
from pertinent.errors import ValidationError
from pertinent.experiments.definition import Experiment, new_experiment


def test_new_experiment_fixes_arm_order_and_round_trips():
    e = new_experiment({"name": "hero", "arms": {"model": 0.6, "control": 0.4}, "slots": ["hero"]})
    assert list(e.arms) == ["control", "model"]
    assert Experiment.from_doc(e.to_doc()) == e


@pytest.mark.parametrize("body,field", [
    ({"arms": {"control": 0.5, "model": 0.5}}, "name"),
    ({"name": "x", "arms": {"model": 1.0}}, "arms"),
    ({"name": "x", "arms": {"rules": 0.5, "model": 0.5}}, "arms"),
    ({"name": "x", "arms": {"control": 0.5, "model": 0.6}}, "arms"),
    ({"name": "x", "arms": {"control": 0.5, "bandit": 0.5}}, "arms"),
    ({"name": "x", "min_impressions": 0}, "min_impressions"),
])
def test_new_experiment_rejects_bad_definitions_naming_the_field(body, field):
    with pytest.raises(ValidationError) as err:
        new_experiment(body)
    assert err.value.field == field
