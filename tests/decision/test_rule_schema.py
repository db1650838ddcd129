"""The targeting-rule model is the one definition: the plugin's JSON file is its export, and whatever it
accepts, the decision core compiles (so no saved rule is silently dropped)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pertinent.decision.rule_schema import HAS_TEXT, TARGETING, TargetingRule, Text, json_schema
from pertinent.decision.rules import CONDITIONS, compile_rule
from pydantic import TypeAdapter, ValidationError

SCHEMA_FILE = Path(__file__).parents[2] / "wp-plugin/pertinent/schema/targeting-rules.json"


def accepts(rule) -> bool:
    try:
        TargetingRule.model_validate(rule)
    except ValidationError:
        return False
    return True


def compiles(rule) -> bool:
    try:
        compile_rule(rule)
    except ValueError:
        return False
    return True


def test_the_plugin_schema_file_is_the_models_export():
    committed = json.loads(SCHEMA_FILE.read_text())
    assert committed == json_schema(), (
        f"stale: run `python -m pertinent.decision.rule_schema > {SCHEMA_FILE}`")


def test_the_exported_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("when", [
    {"hours": [5, 5]}, {"hours": [24, 3]}, {"hours": [3]}, {"hours": [1, 2, 3]}, {"hours": [True, 3]},
    {"days": []}, {"days": [7]}, {"days": [1, 1]}, {"days": [False]},
    {"utm_source": ""}, {"utm_source": "   "}, {"utm_source": "x" * 201}, {"utm_source": ["a"]},
    {"visit_count_min": -1}, {"visit_count_max": 1_000_001}, {"visit_count_min": True}, {"colour": "red"},
])
def test_rules_outside_the_contract_are_refused(when):
    rule = {"action": "pin", "when": when}
    assert not accepts(rule)
    assert not jsonschema.Draft202012Validator(json_schema()).is_valid([rule])


def test_the_text_pattern_is_exactly_what_compile_rule_calls_a_non_space():
    # Python's re (the exported file, as jsonschema reads it) over every code point, and pydantic's
    # Rust regex (the API) over the BMP's first blocks: a one-character text is text iff not str.isspace.
    # (node and PHP agree as well: checked by hand when SPACE was written.)
    text = TypeAdapter(Text)
    for point in range(0x110000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        expected = not char.isspace() and char != "\x00"
        assert bool(re.search(HAS_TEXT, char)) == expected, hex(point)
        if point < 0x3100:
            try:
                text.validate_python(char)
            except ValidationError:
                assert not expected, hex(point)
            else:
                assert expected, hex(point)


def test_more_than_twenty_rules_or_duplicate_slots_are_refused():
    with pytest.raises(ValidationError):
        TARGETING.validate_python([{"action": "pin"}] * 21)
    assert not accepts({"action": "pin", "slots": ["hero", "hero"]})
    assert accepts({"action": "exclude", "slots": ["hero", "aside"],
                    "when": {"hours": [22, 6], "days": [5, 6]}})


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 30), st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
                    st.sampled_from(["", " ", "\x1c", "\u00a0", "mobile", "x" * 201, "hero", "pin"]),
                    st.text(max_size=5))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)
# Per condition, values around the contract's edges (hours 23/24, equal pairs, blank strings)...
TEXTS = st.one_of(st.sampled_from(["mobile", " ", "", "\x1c", "a\x00", " \x00 ", "x" * 200, "x" * 201, 7,
                                   ["a"]]), st.text(max_size=4))
COUNTS = st.one_of(st.integers(-1, 3), st.sampled_from([999_999, 1_000_000, 1_000_001, True, 2.5, "3"]))
NUMERIC = ("visit_count_min", "visit_count_max", "hours", "days")
EDGE = {**{name: TEXTS for name in CONDITIONS if name not in NUMERIC},
        "visit_count_min": COUNTS, "visit_count_max": COUNTS,
        "hours": st.lists(st.integers(-1, 25) | st.sampled_from([True, 3.5]), min_size=1, max_size=3),
        "days": st.lists(st.integers(-1, 7) | st.just(False), max_size=8)}
EDGE["colour"] = st.just("red")
WHEN = st.lists(st.sampled_from(sorted(EDGE)), max_size=3, unique=True).flatmap(
    lambda names: st.fixed_dictionaries({name: EDGE[name] for name in names}))
# ... and rules of any JSON shape.
RULE = st.one_of(JSON, *[st.fixed_dictionaries(
    {"action": st.sampled_from(["pin", "exclude", "pin", "exclude", "boost", None])},
    optional={"when": st.one_of(WHEN, WHEN, WHEN, JSON),
              "slots": st.lists(st.sampled_from(["hero", "aside", "", 1]), max_size=3)})] * 3)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RULE)
def test_whatever_the_model_accepts_compiles_and_the_file_agrees(rule):
    accepted = accepts(rule)
    if accepted:  # equivalently: a rule compile_rule refuses, the model refuses
        assert compiles(rule), rule
        assert compiles(TargetingRule.model_validate(rule).to_stored()), rule
    # The plugin validates against the exported file: it must draw the same line.
    # (Integral floats such as 5.0 are left out: JSON Schema calls them integers, the core does not.)
    assert jsonschema.Draft202012Validator(json_schema()).is_valid([rule]) == accepted, rule
