"""What an experiment is: a name, arms with traffic shares, a time window, and the sample it needs."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..domain import id_problem
from ..errors import ValidationError

# control: the editor's default content; rules: editor rules then default; model: the live model set.
# The canary (a candidate model set) is not an arm editors configure: it takes its share from "model".
EXPERIMENT_ARMS = ("control", "rules", "model")
RECORD_KIND = "experiment"


@dataclass
class Experiment:
    """One experiment; arms maps arm name -> share of traffic (shares sum to 1)."""

    id: str
    name: str
    arms: dict[str, float]
    created_at: datetime
    status: str = "running"  # running | stopped
    stopped_at: datetime | None = None
    # Slot names the experiment covers; empty means every slot of the page.
    slots: list[str] = field(default_factory=list)
    # Impressions each arm needs before the report says anything about a winner.
    min_impressions: int = 300

    @property
    def running(self) -> bool:
        return self.status == "running"

    def to_doc(self) -> dict:
        """The JSON form kept in the store and returned by the API."""
        return {
            "id": self.id, "name": self.name, "arms": dict(self.arms), "status": self.status,
            "created_at": _iso(self.created_at), "stopped_at": _iso(self.stopped_at),
            "slots": list(self.slots), "min_impressions": self.min_impressions,
        }

    @classmethod
    def from_doc(cls, doc: dict) -> Experiment:
        return cls(
            id=doc["id"], name=doc["name"], arms={k: float(v) for k, v in doc["arms"].items()},
            created_at=_parse_time(doc["created_at"]), status=doc.get("status", "running"),
            stopped_at=_parse_optional_time(doc.get("stopped_at")), slots=list(doc.get("slots") or []),
            min_impressions=int(doc.get("min_impressions", 300)),
        )


def new_experiment(body: dict, *, now: datetime | None = None, default_min: int = 300) -> Experiment:
    """Validate a create request (API or CLI) and build a running experiment from it."""
    if not isinstance(body, dict):
        raise ValidationError("invalid_body", "expected a JSON object")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise ValidationError("invalid_field", "name: a non-empty string of at most 200 characters",
                              field="name")
    arms = _parse_arms(body.get("arms", {"control": 0.5, "model": 0.5}))
    slots = body.get("slots", [])
    if not isinstance(slots, list) or not all(isinstance(s, str) and s for s in slots):
        raise ValidationError("invalid_field", "slots: a list of slot names", field="slots")
    min_impressions = body.get("min_impressions", default_min)
    if not isinstance(min_impressions, int) or isinstance(min_impressions, bool) or min_impressions < 1:
        raise ValidationError("invalid_field", "min_impressions: a positive integer", field="min_impressions")
    return Experiment(id=_experiment_id(body.get("id")), name=name.strip(), arms=arms,
                      created_at=now or datetime.now(timezone.utc), slots=slots,
                      min_impressions=min_impressions)


def _experiment_id(raw) -> str:
    """A caller's id under the one id rule, strings only (it names the stop URL); else a fresh one."""
    if raw is None:
        return uuid.uuid4().hex[:12]
    if not isinstance(raw, str):
        raise ValidationError("invalid_type", "id: expected a string", field="id")
    problem = id_problem(raw)
    if problem is not None:
        raise ValidationError("invalid_id", f"id: {problem}", field="id")
    return raw


def _parse_arms(raw) -> dict[str, float]:
    """Arms as {"control": 0.5, "model": 0.5}; a control arm is required, shares must sum to 1."""
    if not isinstance(raw, dict) or len(raw) < 2:
        raise ValidationError("invalid_field", "arms: an object of at least two arms -> share", field="arms")
    arms = {}
    for arm, share in raw.items():
        if arm not in EXPERIMENT_ARMS:
            raise ValidationError("invalid_field", f"arms: unknown arm {arm!r}; expected one of "
                                  f"{', '.join(EXPERIMENT_ARMS)}", field="arms")
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise ValidationError("invalid_field", f"arms.{arm}: a share between 0 and 1", field="arms")
        arms[arm] = float(share)
    if "control" not in arms:
        raise ValidationError("invalid_field", "arms: a control arm (default content) is required",
                              field="arms")
    if abs(sum(arms.values()) - 1.0) > 1e-6:
        raise ValidationError("invalid_field", f"arms: shares sum to {sum(arms.values()):.3f}, not 1",
                              field="arms")
    # A fixed order keeps assignment identical on every replica whatever the JSON key order was.
    return {arm: arms[arm] for arm in EXPERIMENT_ARMS if arm in arms}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat() if value else None


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _parse_optional_time(value: str | None) -> datetime | None:
    return _parse_time(value) if value else None
