"""decide() behind the decision cache: per visitor (invalidated by their new events) or per segment.

The key names everything the answer depends on: visitor and cache generation (or, for anonymous and
no-consent requests, only the page context), model version, catalog snapshot, which editor rules
fired, the context fields models may read, and the slots. A hit keeps the original decision id, so
events still join back to the decision that produced the page.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from datetime import datetime, timezone
from urllib.parse import urlsplit

from ..cache.keys import decision_key
from ..domain import DecideRequest, Decision, ScoredItem, SlotDecision
from ..experiments import serving as experiments
from .core import decide_page
from .page import is_personalised
from .rules import RuleContext

log = logging.getLogger(__name__)


class CacheStats:
    """Hit / miss / error counts of this process, read by the metrics layer (module-level `stats`)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.hits = self.misses = self.errors = 0

    def count(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)

    def snapshot(self) -> dict:
        return {"hits": self.hits, "misses": self.misses, "errors": self.errors}


stats = CacheStats()


def _visit_bucket(count: int | None) -> str:
    """Models may tell new from returning visitors; exact counts would split the segment cache needlessly."""
    if count is None:
        return "?"
    for limit in (1, 2, 3, 5, 10, 20):
        if count <= limit:
            return str(limit)
    return "20+"


def cache_key(request: DecideRequest, runtime, personalised: bool, generation: int) -> str:
    """A stable hash of everything the decision depends on (the same in every worker process)."""
    ctx = request.context
    now = ctx.now or datetime.now(timezone.utc)
    snapshot = runtime.catalog.snapshot()
    current = runtime.models.current()
    rule_context = RuleContext.from_page(ctx, now)
    material = [
        ("v", generation) if personalised else ("s",),
        current.version if current is not None else None,
        snapshot.key,
        snapshot.rules.evaluate(rule_context).signature(),
        rule_context.utm_source, rule_context.utm_medium, rule_context.utm_campaign,
        (urlsplit(ctx.referrer).hostname or "") if ctx.referrer else "",
        rule_context.device, rule_context.segment, rule_context.role, _visit_bucket(ctx.visit_count),
        str(ctx.content_id or ""), (ctx.locale or "").lower(), (ctx.country or "").upper(),
        now.strftime("%Y-%m-%dT%H"),
        experiments.cache_material(request, runtime),  # arm, experiment and canary version
        [(s.name, s.kind, s.count, [str(c) for c in s.candidates], s.filters) for s in request.slots],
    ]
    raw = json.dumps(material, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()
    # The visitor is in the key's prefix (as a tag), so erasing them can find every decision of theirs.
    return decision_key(request.visitor_id if personalised else None, digest)


def decision_from_dict(body: dict, slot_order: list[str]) -> Decision:
    """Rebuild a Decision from its to_dict() form, slots in the order the page asked for them."""
    slots = []
    for name in slot_order:
        s = body["slots"][name]
        items = [ScoredItem(id=i["id"], score=score, title=i.get("title", ""), url=i.get("url", ""))
                 for i, score in zip(s["items"], s["scores"], strict=True)]
        slots.append(SlotDecision(name=name, kind=s["kind"], items=items, source=s["source"],
                                  reason=s["reason"], fallback=s.get("fallback")))
    return Decision(id=body["decision_id"], slots=slots, model_version=body["model_version"], arm=body["arm"],
                    ttl=body["ttl"], cached=True)


def decide_cached(request: DecideRequest, runtime) -> Decision:
    """A cached decision when one matches, otherwise decide() and remember the answer."""
    runtime.models.maybe_reload()
    personalised = is_personalised(request)
    config, cache = runtime.config, runtime.cache
    generation = cache.generation(request.visitor_id) if personalised else 0
    key = None
    # A failed generation read (-1) means we cannot tell whether the visitor has new events: no cache.
    if generation >= 0 and len({s.name for s in request.slots}) == len(request.slots):
        key = cache_key(request, runtime, personalised, generation)
        try:
            body = cache.get(key)
            if body is not None:
                decision = decision_from_dict(body, [s.name for s in request.slots])
                stats.count("hits")
                runtime.traffic.record(decision, cache)
                return decision
        except Exception:
            log.exception("decision cache read failed")
            stats.count("errors")
    stats.count("misses")
    decision, page = decide_page(request, runtime)
    ttl = config.decision_ttl if personalised else config.segment_ttl
    decision.ttl = ttl
    if key is not None and not page.degraded and ttl > 0:
        try:
            cache.set(key, decision.to_dict(), ttl)
        except Exception:
            log.exception("decision cache write failed")
            stats.count("errors")
    runtime.traffic.record(decision, cache)
    return decision
