"""Every numeric setting has a range, checked at start with a message naming the variable."""
from __future__ import annotations

from dataclasses import fields

import pytest
from pertinent.cli import main
from pertinent.config import RANGES, Config, ConfigError, load_config


def test_every_numeric_setting_has_a_range_that_admits_its_default():
    numeric = {f.name for f in fields(Config) if f.type in ("int", "float")}
    assert numeric == set(RANGES)
    defaults = Config()
    assert all(low <= getattr(defaults, name) <= high for name, (low, high) in RANGES.items())


@pytest.mark.parametrize("variable, raw", [
    ("PERTINENT_CANARY_SHARE", "2"),
    ("PERTINENT_MAX_BODY_BYTES", "0"),
    ("PERTINENT_CANARY_MAX_ERROR_RATE", "1.5"),
    ("PERTINENT_RETENTION_DAYS", "0"),
    ("PERTINENT_DRIFT_THRESHOLD", "nan"),
])
def test_a_value_out_of_range_names_the_variable_and_the_range(variable, raw):
    with pytest.raises(ConfigError, match=rf"{variable}=.* out of range: expected \d"):
        load_config({variable: raw})


def test_event_weights_must_be_name_number_pairs_within_range():
    with pytest.raises(ConfigError, match="PERTINENT_EVENT_WEIGHTS: click=inf"):
        load_config({"PERTINENT_EVENT_WEIGHTS": "view=1,click=inf"})
    with pytest.raises(ConfigError, match="PERTINENT_EVENT_WEIGHTS='view' .*name=number"):
        load_config({"PERTINENT_EVENT_WEIGHTS": "view"})
    weights = load_config({"PERTINENT_EVENT_WEIGHTS": "view=1,click=3"}).event_weights
    assert weights == {"view": 1.0, "click": 3.0}


def test_serve_refuses_an_out_of_range_setting_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("PERTINENT_CANARY_SHARE", "2")
    assert main(["serve", "--insecure-dev-key"]) == 2
    err = capsys.readouterr().err
    assert "PERTINENT_CANARY_SHARE=2.0 is out of range: expected 0 to 1" in err and "Traceback" not in err
