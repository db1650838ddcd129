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
    if response.status_code != 422 or "field" not in error:
        return False
    value = _at(case.body, error.get("field", ""))
    return isinstance(value, float) and value.is_integer()


def duplicate_in_list(case, response) -> bool:
    """Slot names are unique within a request: JSON Schema's uniqueItems compares whole items, it cannot
    say 'unique by name', so a schema-valid request with a repeated slot name is refused by design."""
    error = _error(response)
    return response.status_code == 422 and error.get("code") == "duplicate"


def arm_shares_not_one(case, response) -> bool:
    """An experiment's arm shares sum to 1: JSON Schema cannot express a sum over an object's values."""
    error = _error(response)
    return (response.status_code == 422 and error.get("field") == "arms"
            and "shares sum to" in error.get("message", ""))


def events_rejected_by_index(case, response) -> bool:
    """A batch answers 202 and rejects each bad event by index (so one bad event does not cost the
    good ones, issue 10): schema-violating events are refused, inside a 2xx the check does not read."""
    if response.status_code != 202:
        return False
    try:
        rejected = response.json().get("rejected")
    except Exception:  # noqa: BLE001 - a body that is not JSON is no by-index refusal
        return False
    return bool(rejected)


def body_too_large(case, response) -> bool:
    """The body size limit is checked before the schema, so an oversized invalid body is refused 413,
    a status the negative check does not list (it is a refusal, as the check wants)."""
    return response.status_code == 413 and _error(response).get("code") == "body_too_large"


# check -> the predicates under which that check is wrong for the case at hand
EXCLUSIONS = {
    st_checks.positive_data_acceptance: (whole_float_for_integer, duplicate_in_list, arm_shares_not_one),
    st_checks.negative_data_rejection: (events_rejected_by_index, body_too_large),
}


def checks_wrong_for(case, response) -> list:
    """The checks that must not judge this case, by the rules above."""
    return [check for check, rules in EXCLUSIONS.items() if any(rule(case, response) for rule in rules)]
