"""Cases where a schemathesis check is wrong by design, each named with the reason, matched exactly:
the harness drops the one check for the one case, never a whole check. Everything else is a failure."""
from __future__ import annotations

from typing import Any

from schemathesis import checks as st_checks


def _at(body: Any, field: str) -> Any:
    """The value at an error's field path (`targeting[0].when.visit_count_max`), or a sentinel."""
    value = body
    for part in field.replace("]", "").replace("[", ".").split("."):
        if part == "":
            continue
        try:
            value = value[int(part)] if isinstance(value, list) else value[part]
        except (KeyError, IndexError, ValueError, TypeError):
            return _MISSING
    return value


_MISSING = object()


def _error(response) -> dict:
    try:
        payload = response.json()
    except Exception:  # noqa: BLE001 - a body that is not JSON is no by-design refusal
        return {}
    return payload.get("error", {}) if isinstance(payload, dict) else {}


def whole_float_for_integer(case, response) -> bool:
    """JSON Schema's `integer` admits 5.0; the API refuses a float where it means a count or an hour
    (strict integers: 5.0 in a count is a client bug, not a value). Schema-valid, refused by design."""
    error = _error(response)
    if response.status_code != 422 or error.get("code") != "invalid_type":
        return False
    value = _at(case.body, error.get("field", ""))
    return isinstance(value, float) and value.is_integer()


# check -> the predicates under which that check is wrong for the case at hand
EXCLUSIONS = {
    st_checks.positive_data_acceptance: (whole_float_for_integer,),
}


def checks_wrong_for(case, response) -> list:
    """The checks that must not judge this case, by the rules above."""
    return [check for check, rules in EXCLUSIONS.items() if any(rule(case, response) for rule in rules)]
