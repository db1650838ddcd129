"""Reading one JSON object field by field, so every schema error names its path (`slots[2].kind`)."""
from __future__ import annotations

import math
from datetime import datetime, timezone

from ..domain import MAX_ID_LENGTH, id_problem, text_problem
from ..errors import ValidationError

MAX_ID = MAX_ID_LENGTH
MAX_TEXT = 1_000_000


def path_of(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def invalid(field: str, message: str, code: str = "invalid_value") -> ValidationError:
    return ValidationError(code, message, field=field)


class Fields:
    """A JSON object with its path; typed getters raise ValidationError naming the field."""

    def __init__(self, value, path: str = ""):
        if not isinstance(value, dict):
            raise invalid(path or "body", "expected a JSON object", "invalid_type")
        self.value = value
        self.path = path

    def at(self, name: str) -> str:
        return path_of(self.path, name)

    def has(self, name: str) -> bool:
        return self.value.get(name) is not None

    def str(self, name: str, *, required=False, default="", max_len=2000, choices=None) -> str:
        """A string (length-capped, optionally one of `choices`)."""
        raw = self.value.get(name)
        if raw is None:
            if required:
                raise invalid(self.at(name), "is required", "required")
            return default
        if not isinstance(raw, str):
            raise invalid(self.at(name), "expected a string", "invalid_type")
        if len(raw) > max_len:
            raise invalid(self.at(name), f"longer than {max_len} characters", "too_long")
        check_text(raw, self.at(name))
        if choices is not None and raw not in choices:
            raise invalid(self.at(name), f"expected one of {', '.join(choices)}")
        return raw

    def id(self, name: str, *, required=False) -> str | None:
        """An identifier: a non-empty string, or an integer (WordPress post ids), returned as a string."""
        return check_id(self.value.get(name), self.at(name), required=required)

    def int(self, name: str, *, default=None, lo=None, hi=None):
        raw = self.value.get(name)
        if raw is None:
            return default
        if (isinstance(raw, bool) or not isinstance(raw, (int, float))
                or (isinstance(raw, float) and not (math.isfinite(raw) and raw.is_integer()))):
            raise invalid(self.at(name), "expected an integer", "invalid_type")
        if (lo is not None and raw < lo) or (hi is not None and raw > hi):
            raise invalid(self.at(name), f"must be between {lo} and {hi}", "out_of_range")
        return int(raw)

    def number(self, name: str):
        raw = self.value.get(name)
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise invalid(self.at(name), "expected a finite number", "invalid_type")
        return float(raw)

    def bool(self, name: str, default: bool) -> bool:
        raw = self.value.get(name)
        if raw is None:
            return default
        if not isinstance(raw, bool):
            raise invalid(self.at(name), "expected true or false", "invalid_type")
        return raw

    def strs(self, name: str, *, max_items=200, max_len=200, ids=False) -> list[str]:
        """A list of strings (or ids); a single string is taken as a one-item list."""
        raw = self.value.get(name)
        if raw is None:
            return []
        if isinstance(raw, str) and not ids:
            raw = [raw]
        if not isinstance(raw, list):
            raise invalid(self.at(name), "expected a list", "invalid_type")
        if len(raw) > max_items:
            raise invalid(self.at(name), f"more than {max_items} items", "too_many")
        out = []
        for i, item in enumerate(raw):
            where = f"{self.at(name)}[{i}]"
            if ids:
                out.append(check_id(item, where, required=True))
            elif not isinstance(item, str):
                raise invalid(where, "expected a string", "invalid_type")
            elif len(item) > max_len:
                raise invalid(where, f"longer than {max_len} characters", "too_long")
            else:
                out.append(check_text(item, where))
        return out

    def list(self, name: str, *, required=False) -> list:
        raw = self.value.get(name)
        if raw is None:
            if required:
                raise invalid(self.at(name), "is required", "required")
            return []
        if not isinstance(raw, list):
            raise invalid(self.at(name), "expected a list", "invalid_type")
        return raw

    def obj(self, name: str) -> Fields:
        """A nested object (an empty one when absent)."""
        raw = self.value.get(name)
        return Fields({} if raw is None else raw, self.at(name))

    def time(self, name: str) -> datetime | None:
        """An ISO 8601 string or epoch seconds, as an aware UTC datetime (naive ISO is taken as UTC)."""
        raw = self.value.get(name)
        if raw is None:
            return None
        return parse_time(raw, self.at(name))


def check_id(raw, where: str, *, required: bool) -> str | None:
    """The id as a string under the one id rule (domain.id_problem), or 422 naming `where`."""
    if raw is None or raw == "":
        if required:
            raise invalid(where, "is required", "required")
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise invalid(where, "expected a string or integer id", "invalid_type")
    text = str(raw)
    problem = id_problem(text)
    if problem is not None:
        # The same codes as the body guard's, so a client sees one code per problem wherever the id sat.
        code = ("too_long" if len(text) > MAX_ID else
                "unstorable_text" if text_problem(text) else "invalid_id")
        raise invalid(where, problem, code)
    return text


def check_text(text: str, where: str) -> str:
    """The string itself, or 422 naming `where` when no store can keep it (NUL, lone surrogate)."""
    problem = text_problem(text)
    if problem is not None:
        raise invalid(where, problem, "unstorable_text")
    return text


def parse_time(raw, where: str) -> datetime:
    if isinstance(raw, bool):
        raise invalid(where, "expected an ISO 8601 time or epoch seconds", "invalid_type")
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw) or raw < 0:
            raise invalid(where, "expected epoch seconds")
        # Browsers' Date.now() is in milliseconds; seconds this large would be thousands of years away.
        seconds = raw / 1000 if raw > 1e11 else raw
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise invalid(where, "epoch seconds out of range") from None
    if not isinstance(raw, str) or len(raw) > 64:
        raise invalid(where, "expected an ISO 8601 time or epoch seconds", "invalid_type")
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise invalid(where, f"{raw!r} is not an ISO 8601 time") from None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
