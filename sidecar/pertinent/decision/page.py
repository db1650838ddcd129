"""Per-request state shared by the slots of one page: snapshot, model set, rule outcome, history."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..domain import DecideRequest, Event, without_duplicates
from .catalog import CatalogSnapshot
from .rules import RuleContext, RuleOutcome

log = logging.getLogger(__name__)


def is_personalised(request: DecideRequest) -> bool:
    """History is read (and used, and cached per visitor) only for an identified visitor who consented."""
    return bool(request.visitor_id) and request.context.consent is not False


@dataclass
class Page:
    """Everything one decide computes once and every slot reads; `chosen` grows as slots are filled."""

    request: DecideRequest
    runtime: object
    snapshot: CatalogSnapshot
    model_set: object
    rules: RuleOutcome
    chosen: set = field(default_factory=set)
    # Something went wrong (model or store error): the answer is still valid but must not be cached.
    degraded: bool = False
    _history: list[Event] | None = None
    _seen: frozenset | None = None

    @classmethod
    def start(cls, request: DecideRequest, runtime) -> Page:
        snapshot = runtime.catalog.snapshot()
        rule_context = RuleContext.from_page(request.context)
        return cls(request=request, runtime=runtime, snapshot=snapshot, model_set=runtime.models.current(),
                   rules=snapshot.rules.evaluate(rule_context))

    @property
    def personalised(self) -> bool:
        return is_personalised(self.request)

    def history(self) -> list[Event]:
        """The visitor's recent events, read from the store at most once per page and only with consent."""
        if self._history is None:
            self._history = []
            if self.personalised:
                try:
                    limit = self.runtime.config.history_limit
                    self._history = without_duplicates(
                        self.runtime.store.visitor_history(self.request.visitor_id, limit=limit))
                except Exception:
                    log.exception("visitor history unavailable; deciding without it")
                    self.degraded = True
        return self._history

    def seen(self) -> frozenset:
        """Content ids the visitor has already viewed, clicked or converted on."""
        if self._seen is None:
            self._seen = frozenset(e.content_id for e in self.history() if e.content_id)
        return self._seen
