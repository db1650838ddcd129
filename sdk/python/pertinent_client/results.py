"""Typed requests and answers: what a slot asks for, what the sidecar chose, what it stored."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    """One place on a page to fill (the `slots` of a decide request)."""

    name: str
    kind: str = "recommendations"
    count: int = 1
    candidates: tuple[str, ...] = ()
    filters: dict | None = None

    def to_json(self) -> dict:
        out = {"name": self.name, "kind": self.kind, "count": self.count}
        if self.candidates:
            out["candidates"] = [str(c) for c in self.candidates]
        if self.filters:
            out["filters"] = self.filters
        return out


@dataclass(frozen=True)
class Item:
    """A chosen item with what a page needs to link to it."""

    id: str
    title: str = ""
    url: str = ""
    score: float | None = None


@dataclass(frozen=True)
class SlotResult:
    """What one slot shows. `source == "default"` means: keep the page's default content."""

    name: str
    kind: str
    items: tuple[Item, ...]
    source: str
    reason: str = ""

    @property
    def is_default(self) -> bool:
        return self.source == "default" or not self.items

    @property
    def content_ids(self) -> list[str]:
        return [i.id for i in self.items]

    @classmethod
    def from_json(cls, name: str, body: dict) -> SlotResult:
        ids = [str(i) for i in body.get("content_ids") or []]
        scores = list(body.get("scores") or [])
        by_id = {str(i.get("id")): i for i in body.get("items") or [] if isinstance(i, dict)}
        items = tuple(
            Item(id=cid, title=by_id.get(cid, {}).get("title") or "", url=by_id.get(cid, {}).get("url") or "",
                 score=scores[n] if n < len(scores) else None)
            for n, cid in enumerate(ids))
        return cls(name=name, kind=body.get("kind", ""), items=items, source=body.get("source", "default"),
                   reason=body.get("reason", ""))


@dataclass(frozen=True)
class Decision:
    """The answer for a page: a result per slot, and the ids to send back with events."""

    decision_id: str
    model_version: str | None
    arm: str
    slots: dict[str, SlotResult]
    ttl: int = 0
    cached: bool = False

    def slot(self, name: str) -> SlotResult | None:
        return self.slots.get(name)

    @classmethod
    def from_json(cls, body: dict) -> Decision:
        slots = {name: SlotResult.from_json(name, s) for name, s in (body.get("slots") or {}).items()}
        return cls(decision_id=body.get("decision_id", ""), model_version=body.get("model_version"),
                   arm=body.get("arm", ""), slots=slots, ttl=int(body.get("ttl") or 0),
                   cached=bool(body.get("cached")))


@dataclass(frozen=True)
class TrackResult:
    """How many events the sidecar stored, and which it rejected (index in the batch, field, reason)."""

    accepted: int = 0
    rejected: tuple[dict, ...] = ()

    def __add__(self, other: TrackResult) -> TrackResult:
        return TrackResult(self.accepted + other.accepted, self.rejected + other.rejected)


@dataclass(frozen=True)
class VisitorExport:
    """Everything the sidecar stores about one visitor (for a privacy export)."""

    visitor_id: str
    events: list[dict] = field(default_factory=list)
