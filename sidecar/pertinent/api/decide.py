"""Decisions for a page's slots, and related content: thin routes over the decision core.

The page must keep its default content whatever happens here: if the core fails, every slot
answers source "default" with reason "internal error" (counted in metrics), never a 500.
"""
from __future__ import annotations

import logging
import time
import uuid

from flask import Blueprint, request

from .. import metrics
from ..auth import PUBLIC, access
from ..domain import Decision, SlotDecision
from . import runtime
from .body import read_json
from .contract.decide import parse_decide, parse_recommendations_query

bp = Blueprint("decide", __name__)
log = logging.getLogger("pertinent.api")


def _live_version(rt) -> str | None:
    try:
        model_set = rt.models.current()
    except Exception:
        return None
    return model_set.version if model_set is not None else None


def default_decision(decide_request, version: str | None) -> Decision:
    """Every slot keeps the page's default content."""
    slots = [SlotDecision(name=s.name, kind=s.kind, items=[], source="default", reason="internal error",
                          fallback="internal_error") for s in decide_request.slots]
    return Decision(id="d_" + uuid.uuid4().hex, slots=slots, model_version=version, arm="default", ttl=0)


@bp.post("/v1/decide")
@access(PUBLIC)
def decide():
    """One call per page: a slot decision for every requested slot."""
    decide_request = parse_decide(read_json(allow_text_plain=True))
    rt = runtime()
    started = time.perf_counter()
    try:
        from ..decision.cached import decide_cached
        decision = decide_cached(decide_request, rt)
        metrics.observe_decision(decision, seconds=time.perf_counter() - started)
    except Exception:
        log.exception("decide failed; answering with the default content")
        decision = default_decision(decide_request, _live_version(rt))
        metrics.observe_decision(decision, internal_error=True, seconds=time.perf_counter() - started)
    return decision.to_dict()


@bp.get("/v1/recommendations")
@access(PUBLIC)
def recommendations():
    """Related / next-best content for a visitor on a page."""
    query = parse_recommendations_query({k: v for k, v in request.args.items() if v != ""})
    visitor_id, content_id, k = query.visitor_id, query.content_id, query.k
    rt = runtime()
    version = _live_version(rt)
    try:
        from ..decision.core import recommend
        slot = recommend(visitor_id, content_id, k, rt)
        metrics.observe_decision(Decision(id="", slots=[slot], model_version=version))
    except Exception:
        log.exception("recommend failed; answering with no recommendations")
        slot = SlotDecision(name="recommendations", kind="recommendations", items=[], source="default",
                            reason="internal error", fallback="internal_error")
        metrics.observe_decision(Decision(id="", slots=[slot], model_version=version), internal_error=True)
    return {"visitor_id": visitor_id, "content_id": content_id, "k": k, "model_version": version,
            **slot.to_dict()}
