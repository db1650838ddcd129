"""pydantic's validation errors in the API's own terms: one stable code and a field path (`slots[2].kind`)."""
from __future__ import annotations

from typing import TypeVar

import pydantic
from pydantic_core import ErrorDetails

from ...errors import ValidationError

# pydantic error type -> our code. Custom errors (PydanticCustomError) already use our codes.
CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_long": "too_long",
    "too_long": "too_many",
    "too_short": "required",
    "string_too_short": "required",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "greater_than": "out_of_range",
    "less_than": "out_of_range",
    "literal_error": "invalid_value",
    "enum": "invalid_value",
    "string_pattern_mismatch": "invalid_value",
}
OUR_CODES = {"invalid_value", "duplicate", "invalid_type", "required", "too_long", "too_many", "out_of_range",
             "unknown_field", "too_deep", "too_large", "unstorable_text", "invalid_id"}


def path_of(loc: tuple[int | str, ...], prefix: str = "") -> str:
    """A pydantic location as our field path: ('slots', 2, 'kind') -> 'slots[2].kind'."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "json-or-python")) or part in ("str", "int", "list", "tuple"):
            continue  # the branch of a union or a wrapped validator: not a field
        else:
            out = f"{out}.{part}" if out else part
    return out or "body"


def code_of(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in OUR_CODES:
        return kind
    if kind in CODES:
        return CODES[kind]
    return "invalid_type" if kind.endswith("_type") or kind.endswith("_parsing") else "invalid_value"


def as_validation_error(exc: pydantic.ValidationError, prefix: str = "") -> ValidationError:
    """The first problem pydantic found, as the 422 every client parses."""
    error = exc.errors(include_url=False, include_input=False)[0]
    loc, message = error["loc"], error["msg"]
    if error["type"] == "missing" and loc and isinstance(loc[-1], int):
        # A fixed-length list one short ([start] for [start, end]): the list is at fault, not a slot.
        loc, message = loc[:-1], f"item {loc[-1]} is missing"
    return ValidationError(code_of(error), message, field=path_of(loc, prefix))


T = TypeVar("T")


def validate(adapter: pydantic.TypeAdapter[T], value: object, prefix: str = "") -> T:
    """`adapter.validate_python(value)`, or our 422 naming the field under `prefix`."""
    try:
        return adapter.validate_python(value)
    except pydantic.ValidationError as exc:
        raise as_validation_error(exc, prefix) from None
