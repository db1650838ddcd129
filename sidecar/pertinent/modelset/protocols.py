"""What a model set's artifacts must be able to do for the decision core.

Training writes objects that follow these protocols (saved with joblib); the decision core calls
only these methods, so a better model replaces a simpler one without touching serving code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ..domain import ContentItem, Event, PageContext


@dataclass(slots=True)
class RecommendQuery:
    """Everything a model may use to rank content for one slot of one page."""

    history: list[Event]  # the visitor's recent events, newest first (empty for a new visitor)
    context: PageContext
    k: int
    current_content_id: str | None = None
    # Only these ids may be returned (a slot's candidates or its filtered catalog); None = any.
    candidates: frozenset[str] | None = None
    # Never return these (already seen, already on the page, excluded by rules).
    exclude: frozenset[str] = field(default_factory=frozenset)
    kind: str = "recommendations"  # slot kind; "read_next" favours next-item transitions


@runtime_checkable
class Recommender(Protocol):
    def recommend(self, query: RecommendQuery) -> list[tuple[str, float]]:
        """Up to query.k (content id, score) pairs, best first, honouring candidates and exclude."""
        ...

    def observe_catalog(self, items: list[ContentItem]) -> None:
        """Learn about catalog items added or changed since training, so new content is servable."""
        ...


@runtime_checkable
class VariantScorer(Protocol):
    def score_variants(self, query: RecommendQuery, variant_ids: list[str]) -> dict[str, float]:
        """P(click or convert) for each banner/CTA variant for this visitor and page."""
        ...


@runtime_checkable
class RiskScorer(Protocol):
    def churn_risk(self, history: list[Event], context: PageContext) -> float:
        """P(the visitor disengages): available to editor rules as a segment."""
        ...
