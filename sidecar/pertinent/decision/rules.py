"""Editor rules: pin or exclude an item in slots when the page context matches ("when" conditions).

Rules are compiled once per catalog snapshot into small closures; a request builds one RuleContext
and evaluates only the items that carry rules, never the whole catalog.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from ..domain import PageContext

log = logging.getLogger(__name__)

ACTIONS = ("pin", "exclude")
TEXT_CONDITIONS = ("utm_source", "utm_medium", "utm_campaign", "device", "segment", "role")
CONDITIONS = TEXT_CONDITIONS + ("referrer_contains", "visit_count_min", "visit_count_max", "hours", "days")


@dataclass(frozen=True, slots=True)
class RuleContext:
    """The request facts rules look at, normalised once (lower case, UTC hour and weekday)."""

    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer: str = ""
    device: str = ""
    segment: str = ""
    role: str = ""
    visit_count: int | None = None
    hour: int = 0
    weekday: int = 0

    @classmethod
    def from_page(cls, ctx: PageContext, now: datetime | None = None) -> RuleContext:
        now = ctx.now or now or datetime.now(timezone.utc)
        if now.tzinfo is not None:
            now = now.astimezone(timezone.utc)
        utm = ctx.utm or {}

        def utm_value(name: str) -> str:
            return str(utm.get(name) or utm.get("utm_" + name) or "").strip().lower()

        return cls(utm_source=utm_value("source"), utm_medium=utm_value("medium"),
                   utm_campaign=utm_value("campaign"), referrer=(ctx.referrer or "").lower(),
                   device=(ctx.device or "").strip().lower(), segment=(ctx.segment or "").strip().lower(),
                   role=(ctx.logged_in_role or "").strip().lower(), visit_count=ctx.visit_count,
                   hour=now.hour, weekday=now.weekday())


def _text_set(value) -> frozenset[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values or not all(isinstance(v, (str, int)) and str(v).strip() for v in values):
        raise ValueError("expected a non-empty string or list of strings")
    return frozenset(str(v).strip().lower() for v in values)


def _int(value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"expected an integer from {low} to {high}")
    return value


def _condition(name: str, value):
    """One compiled condition: (check(RuleContext) -> bool, description)."""
    if name in TEXT_CONDITIONS:
        allowed = _text_set(value)
        attr = name
        if name == "role" and "anonymous" in allowed:
            # "anonymous" targets visitors who are not logged in (no role sent).
            allowed = allowed | {""}
        return (lambda rc: getattr(rc, attr) in allowed), f"{name}={'|'.join(sorted(allowed - {''}) or [''])}"
    if name == "referrer_contains":
        needles = _text_set(value)
        return (lambda rc: any(n in rc.referrer for n in needles)), f"referrer~{'|'.join(sorted(needles))}"
    if name == "visit_count_min":
        low = _int(value, 0, 10**9)
        return (lambda rc: rc.visit_count is not None and rc.visit_count >= low), f"visits>={low}"
    if name == "visit_count_max":
        high = _int(value, 0, 10**9)
        return (lambda rc: rc.visit_count is not None and rc.visit_count <= high), f"visits<={high}"
    if name == "hours":
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise ValueError("expected [start, end] hours")
        start, end = _int(value[0], 0, 23), _int(value[1], 0, 24)
        if start == end:
            raise ValueError("start and end hours must differ")
        if start < end:
            return (lambda rc: start <= rc.hour < end), f"hours {start}-{end} UTC"
        return (lambda rc: rc.hour >= start or rc.hour < end), f"hours {start}-{end} UTC"
    if name == "days":
        if not isinstance(value, (list, tuple)) or not value:
            raise ValueError("expected a list of weekdays 0 (Monday) to 6")
        days = frozenset(_int(d, 0, 6) for d in value)
        return (lambda rc: rc.weekday in days), "days " + ",".join(str(d) for d in sorted(days))
    raise ValueError(f"unknown condition; expected one of {', '.join(CONDITIONS)}")


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule: action, the slots it applies to (None = all), its checks, a short description."""

    action: str
    slots: frozenset | None
    checks: tuple
    description: str
    index: int = 0  # position in the item's targeting list: stable across processes, for cache keys

    def matches(self, rc: RuleContext) -> bool:
        return all(check(rc) for check in self.checks)

    def applies_to(self, slot: str) -> bool:
        return self.slots is None or slot in self.slots


def compile_rule(raw: dict, index: int = 0) -> Rule:
    """Compile one rule dict; ValueError naming the problem when it is malformed."""
    if not isinstance(raw, dict):
        raise ValueError("a rule must be an object")
    action = raw.get("action")
    if action not in ACTIONS:
        raise ValueError("action: expected pin or exclude")
    when = raw.get("when") or {}
    if not isinstance(when, dict):
        raise ValueError("when: expected an object")
    checks, parts = [], []
    for name, value in when.items():
        try:
            check, text = _condition(name, value)
        except ValueError as exc:
            raise ValueError(f"when.{name}: {exc}") from None
        checks.append(check)
        parts.append(text)
    slots = raw.get("slots")
    if slots is not None and (not isinstance(slots, (list, tuple))
                              or not all(isinstance(s, str) for s in slots)):
        raise ValueError("slots: expected a list of slot names")
    return Rule(action=action, slots=frozenset(slots) if slots else None, checks=tuple(checks),
                description=", ".join(parts) or "always", index=index)


def compile_targeting(item_id: str, targeting) -> tuple[Rule, ...]:
    """An item's valid rules; malformed ones are logged and skipped so one typo cannot break decide.

    The API refuses such rules (decision/rule_schema.py); this guards rows stored before it did.
    """
    rules = []
    for index, raw in enumerate(targeting or ()):
        try:
            rules.append(compile_rule(raw, index))
        except ValueError as exc:
            log.warning("content %s: ignoring targeting rule %r: %s", item_id, raw, exc)
    return tuple(rules)


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """Which rules fired for one request: (item id, rule) pairs for pins and for excludes."""

    pins: tuple
    excludes: tuple

    def pins_for(self, slot: str) -> list[tuple[str, Rule]]:
        excluded = self.excluded_for(slot)
        seen, out = set(), []
        for item_id, rule in self.pins:
            if rule.applies_to(slot) and item_id not in excluded and item_id not in seen:
                seen.add(item_id)
                out.append((item_id, rule))
        return out

    def excluded_for(self, slot: str) -> set[str]:
        return {item_id for item_id, rule in self.excludes if rule.applies_to(slot)}

    def signature(self) -> tuple:
        """A hashable summary for cache keys: identical outcomes give identical decisions."""
        return tuple((item_id, rule.action, rule.index) for item_id, rule in self.pins + self.excludes)


class RuleBook:
    """The compiled rules of every live item that has any, in catalog order (newest first)."""

    def __init__(self, entries: list[tuple[str, tuple[Rule, ...]]]):
        self.entries = [(item_id, rules) for item_id, rules in entries if rules]

    def __len__(self) -> int:
        return len(self.entries)

    def evaluate(self, rc: RuleContext) -> RuleOutcome:
        pins, excludes = [], []
        for item_id, rules in self.entries:
            for rule in rules:
                if rule.matches(rc):
                    (pins if rule.action == "pin" else excludes).append((item_id, rule))
        return RuleOutcome(pins=tuple(pins), excludes=tuple(excludes))
