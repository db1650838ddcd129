"""Editor rules: every condition, pin/exclude, time windows, the slots restriction."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from pertinent.decision.rules import RuleBook, RuleContext, compile_targeting
from pertinent.domain import PageContext

MONDAY_10 = datetime(2026, 3, 2, 10, 30, tzinfo=timezone.utc)


def fires(when: dict, **page) -> bool:
    page.setdefault("now", MONDAY_10)
    book = RuleBook([("7", compile_targeting("7", [{"action": "pin", "when": when}]))])
    return bool(book.evaluate(RuleContext.from_page(PageContext(**page))).pins)


@pytest.mark.parametrize("when,page,expected", [
    ({"utm_source": "newsletter"}, {"utm": {"source": "Newsletter"}}, True),
    ({"utm_source": "newsletter"}, {"utm": {"source": "google"}}, False),
    ({"utm_medium": ["email", "social"]}, {"utm": {"medium": "social"}}, True),
    ({"utm_campaign": "spring"}, {"utm": {"utm_campaign": "SPRING"}}, True),
    ({"utm_campaign": "spring"}, {}, False),
    ({"referrer_contains": "google."}, {"referrer": "https://www.Google.com/search?q=x"}, True),
    ({"referrer_contains": ["bing", "duckduckgo"]}, {"referrer": "https://www.google.com/"}, False),
    ({"device": "mobile"}, {"device": "Mobile"}, True),
    ({"device": ["tablet", "desktop"]}, {"device": "mobile"}, False),
    ({"visit_count_min": 3}, {"visit_count": 3}, True),
    ({"visit_count_min": 3}, {"visit_count": 2}, False),
    ({"visit_count_max": 1}, {"visit_count": 1}, True),
    ({"visit_count_max": 1}, {"visit_count": 2}, False),
    ({"visit_count_max": 1}, {}, False),
    ({"segment": "developers"}, {"segment": "developers"}, True),
    ({"segment": "developers"}, {"segment": "marketers"}, False),
    ({"role": "subscriber"}, {"logged_in_role": "subscriber"}, True),
    ({"role": "anonymous"}, {}, True),
    ({"role": "anonymous"}, {"logged_in_role": "editor"}, False),
    ({"hours": [9, 17]}, {}, True),
    ({"hours": [11, 17]}, {}, False),
    ({"hours": [22, 11]}, {}, True),  # wraps midnight
    ({"hours": [10, 11]}, {"now": datetime(2026, 3, 2, 11, 0, tzinfo=timezone.utc)}, False),  # end excluded
    ({"days": [0]}, {}, True),
    ({"days": [5, 6]}, {}, False),
    ({"utm_source": "nl", "device": "mobile"}, {"utm": {"source": "nl"}, "device": "mobile"}, True),
    ({"utm_source": "nl", "device": "mobile"}, {"utm": {"source": "nl"}, "device": "desktop"}, False),
    ({}, {}, True),
])
def test_conditions(when, page, expected):
    assert fires(when, **page) is expected


def test_hours_use_utc_of_an_aware_time():
    paris_noon = datetime.fromisoformat("2026-03-02T12:00:00+02:00")  # 10:00 UTC
    assert fires({"hours": [10, 11]}, now=paris_noon)


def test_pin_exclude_and_slots_restriction():
    book = RuleBook([
        ("a", compile_targeting("a", [{"action": "pin", "when": {"device": "mobile"}, "slots": ["hero"]}])),
        ("b", compile_targeting("b", [{"action": "exclude", "when": {"device": "mobile"}}])),
        ("c", compile_targeting("c", [{"action": "pin", "when": {}},
                                      {"action": "exclude", "when": {}, "slots": ["sidebar"]}])),
    ])
    outcome = book.evaluate(RuleContext.from_page(PageContext(device="mobile")))
    assert [cid for cid, _ in outcome.pins_for("hero")] == ["a", "c"]
    assert [cid for cid, _ in outcome.pins_for("sidebar")] == []  # c is excluded there, a is hero only
    assert outcome.excluded_for("hero") == {"b"}
    assert outcome.excluded_for("sidebar") == {"b", "c"}


def test_malformed_stored_rules_are_skipped():
    targeting = [{"action": "pin", "when": {"hours": [25, 3]}}, {"action": "boost"},
                 {"action": "pin", "when": {"colour": "red"}}, {"action": "exclude", "when": {"days": [1]}}]
    rules = compile_targeting("x", targeting)
    assert [r.action for r in rules] == ["exclude"] and rules[0].index == 3


def test_description_names_the_conditions():
    (rule,) = compile_targeting("x", [{"action": "pin", "when": {"utm_campaign": "spring"}}])
    assert rule.description == "utm_campaign=spring"
