"""The field types every request model is built from: ids (the one id rule), times, bounded strings.

One choice holds for every optional field: `null` and, for strings, ids and times, `""` mean "absent"
(WordPress and PHP send both), and the schema says so (`null` in its type, no minLength). Required
names (a slot's name, an event's visitor_id) say minLength 1.
"""
from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainValidator, StrictInt, StringConstraints, WithJsonSchema
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from ...domain import DOT_SEGMENTS, ID_PATTERN, MAX_ID_LENGTH, STORABLE_TEXT_PATTERN, id_problem, text_problem
from ...errors import ValidationError

# Where a model's schema points at another's: the OpenAPI document's components (schemas.py).
REF_TEMPLATE = "#/components/schemas/{model}"
ID_RULE = (f"1 to {MAX_ID_LENGTH} characters; no control characters, '/', '\\', NUL or lone surrogates; "
           "not '.' or '..'")


def id_error(text: str) -> tuple[str, str] | None:
    """(code, message) when `text` breaks the one id rule (domain.id_problem), else None."""
    problem = id_problem(text)
    if problem is None:
        return None
    # The same codes as the body guard's, so a client sees one code per problem wherever the id sat.
    code = ("too_long" if len(text) > MAX_ID_LENGTH else
            "unstorable_text" if text_problem(text) else "invalid_id")
    return code, problem


def _id(raw) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise PydanticCustomError("invalid_type", "expected a string or integer id")
    text = str(raw)
    error = id_error(text)
    if error is not None:
        raise PydanticCustomError(*error)
    return text


def _optional_id(raw) -> str | None:
    return None if raw is None or raw == "" else _id(raw)


def check_id(raw, where: str) -> str:
    """A required id from outside a body (a URL path segment), or 422 naming `where`."""
    if raw is None or raw == "":
        raise ValidationError("required", "is required", field=where)
    try:
        return _id(raw)
    except PydanticCustomError as exc:
        raise ValidationError(exc.type, exc.message(), field=where) from None


_ID_SCHEMA = {"type": ["string", "integer"], "maxLength": MAX_ID_LENGTH, "pattern": ID_PATTERN,
              "not": {"enum": list(DOT_SEGMENTS)},
              "description": f"an id ({ID_RULE}); integers (WordPress post ids) read as strings"}
Id = Annotated[str, PlainValidator(_id), WithJsonSchema({**_ID_SCHEMA, "minLength": 1})]
OptionalId = Annotated[str | None, PlainValidator(_optional_id),
                       WithJsonSchema({**_ID_SCHEMA, "type": ["string", "integer", "null"],
                                       "description": f"{_ID_SCHEMA['description']}; null or '' is absent"})]
PATH_ID = {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH, "pattern": ID_PATTERN,
           "not": {"enum": list(DOT_SEGMENTS)},
           "description": f"an id: {ID_RULE}"}


# Epoch numbers above 1e11 are milliseconds; this many is in the year 9892, near datetime's end.
MAX_EPOCH = 250_000_000_000_000


def _time(raw) -> datetime | None:
    """An ISO 8601 string or epoch seconds (milliseconds too), as an aware UTC datetime; naive ISO is UTC."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise PydanticCustomError("invalid_type", "expected an ISO 8601 time or epoch seconds")
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw) or not 0 <= raw <= MAX_EPOCH:
            raise PydanticCustomError("out_of_range", f"expected epoch seconds (or ms) from 0 to {MAX_EPOCH}")
        # Browsers' Date.now() is in milliseconds; seconds this large would be thousands of years away.
        seconds = raw / 1000 if raw > 1e11 else raw
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise PydanticCustomError("invalid_value", "epoch seconds out of range") from None
    if not isinstance(raw, str) or len(raw) > 64:
        raise PydanticCustomError("invalid_type", "expected an ISO 8601 time or epoch seconds")
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise PydanticCustomError("invalid_value", "{raw!r} is not an ISO 8601 time", {"raw": raw}) from None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


Time = Annotated[datetime | None, PlainValidator(_time), WithJsonSchema({
    "anyOf": [{"type": "string", "format": "date-time", "maxLength": 64}, {"const": ""},
              {"type": "number", "minimum": 0, "maximum": MAX_EPOCH}, {"type": "null"}],
    "description": "ISO 8601 time (RFC 3339; UTC when no offset; a date alone is midnight UTC), or epoch "
                   "seconds (milliseconds above 1e11); null or '' when absent"})]


# An optional string (null when absent), bounded where it is used: `Annotated[Text, Field(max_length=200)]`
# (a type checker reads Annotated; a call such as Text(200) in an annotation it cannot).
# The pattern is documentation: the body guard has already refused NUL and lone surrogates.
Text = Annotated[str | None, StringConstraints(strict=True),
                 Field(json_schema_extra={"pattern": STORABLE_TEXT_PATTERN})]


# Object keys hold no NUL or lone surrogate either (the guard refuses them too).
STORABLE_TEXT_SCHEMA: JsonDict = {"type": "string", "pattern": STORABLE_TEXT_PATTERN}
STORABLE_KEYS: JsonDict = {"propertyNames": STORABLE_TEXT_SCHEMA}


def _one_or_many(raw):
    # WordPress sends a single tag as a string; it means a one-item list.
    return [raw] if isinstance(raw, str) else raw


_LABEL = {"type": "string", "maxLength": 200, "pattern": STORABLE_TEXT_PATTERN}
Labels = Annotated[Annotated[list[Annotated[str, StringConstraints(strict=True, max_length=200)]],
                             Field(max_length=200)] | None,
                   BeforeValidator(_one_or_many),
                   WithJsonSchema({"anyOf": [{"type": "array", "items": _LABEL, "maxItems": 200}, _LABEL,
                                             {"type": "null"}],
                                   "description": "strings; a single string is a one-item list"})]

# An optional integer, bounded where it is used (`Annotated[OptionalInt, Field(ge=1, le=50)]`); booleans
# and numeric strings are not integers.
OptionalInt = StrictInt | None
