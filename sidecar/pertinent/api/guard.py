"""What a parsed JSON body may hold, checked once before any field is read.

Python's parser accepts what no store can keep or no client can read back: duplicate keys (the last
silently wins), `1e999` and `NaN` (stored as Infinity, then served as invalid JSON), NUL characters
(PostgreSQL refuses them), lone UTF-16 surrogates (nobody can encode them) and nesting deep enough
to exhaust the recursion of every later reader. Each is refused with the path of the field at fault.
"""
from __future__ import annotations

import json
import math

from ..domain import text_problem
from ..errors import ValidationError

# A body deeper than this is not one of ours: the deepest documented field is 4 levels down.
MAX_BODY_DEPTH = 16


class _DuplicateKeys(dict):
    """An object whose source text named a key twice; the guard reports it with its path."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, object]]) -> dict:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    marked = _DuplicateKeys(out)
    seen: set[str] = set()
    marked.duplicates = []
    for key, _ in pairs:
        if key in seen:
            marked.duplicates.append(key)
        seen.add(key)
    return marked


def loads(raw: bytes | str):
    """Parse JSON, keeping what the guard must see: duplicate keys marked, non-finite numbers as floats."""
    return json.loads(raw, object_pairs_hook=_object, parse_constant=float)


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def problem(value, path: str = "", *, depth: int = 0, max_depth: int = MAX_BODY_DEPTH,
            skip: str | None = None) -> ValidationError | None:
    """The first thing in `value` no store may keep, as a 422 naming its field; None when all is fine.

    `skip` names a top-level list whose items the caller checks one by one (a batch's events, so one
    bad event is rejected by index instead of costing the whole batch).
    """
    if depth > max_depth:
        return _error(path or "body", f"nested more than {max_depth} levels deep", "too_deep")
    if isinstance(value, str):
        reason = text_problem(value)
        return None if reason is None else _error(path or "body", reason, "unstorable_text")
    if isinstance(value, float):
        return None if math.isfinite(value) else _error(path or "body", "must be a finite number",
                                                        "non_finite_number")
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = problem(item, f"{path}[{i}]", depth=depth + 1, max_depth=max_depth)
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        if isinstance(value, _DuplicateKeys):
            return _error(_at(path, value.duplicates[0]), "this key appears more than once", "duplicate_key")
        for key, item in value.items():
            reason = text_problem(key)
            if reason is not None:
                return _error(_at(path, repr(key)[1:-1]), f"the key {reason}", "unstorable_text")
            if skip is not None and depth == 0 and key == skip and isinstance(item, list):
                continue
            found = problem(item, _at(path, key), depth=depth + 1, max_depth=max_depth)
            if found is not None:
                return found
    return None


def depth_of(value, limit: int) -> int:
    """How deeply `value` nests (0 for a scalar), counting no further than limit + 1."""
    if limit < 0 or not isinstance(value, (dict, list)):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((depth_of(v, limit - 1) for v in items), default=0)


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError(code, message, field=field)
