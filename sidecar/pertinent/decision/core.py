"""The decision core: for each slot of a page, editor rules, then the live model, then popular/latest.

A plain function over a Runtime (no HTTP): routes wrap its Decision in JSON. Any model error in a
slot is logged and that slot falls back; a decide never raises for anything a page can send.
"""
from __future__ import annotations

import logging
import time
import uuid

from ..domain import (
    MAX_SLOT_COUNT,
    DecideRequest,
    Decision,
    PageContext,
    ScoredItem,
    SlotDecision,
    SlotRequest,
)
from ..experiments import serving as experiments
from ..modelset.protocols import RecommendQuery
from .fallback import pick_popular
from .page import Page

log = logging.getLogger(__name__)

RECOMMENDATION_KINDS = ("recommendations", "read_next")
VARIANT_KINDS = ("banner", "cta")


def decide(request: DecideRequest, runtime) -> Decision:
    """Decide every slot of one page."""
    return decide_page(request, runtime)[0]


def decide_page(request: DecideRequest, runtime) -> tuple[Decision, Page]:
    """decide(), also returning the page state (cached.py needs to know whether it degraded)."""
    runtime.models.maybe_reload()
    page = Page.start(request, runtime)
    arm = experiments.assign_arm(request, runtime)
    canary_set = experiments.canary_model_set(runtime) if arm == "canary" else None
    if arm == "canary" and canary_set is None:
        arm = "model"  # the canary vanished or failed to load in this process: the live set serves
    elif canary_set is not None:
        page.model_set = canary_set
    started = time.perf_counter()
    slots = [_safe_slot(page, slot, experiments.slot_arm(arm, slot.name, runtime))
             for slot in request.slots]
    experiments.record_decision(runtime, arm, page.model_set, (time.perf_counter() - started) * 1000,
                                page.degraded)
    model_set = page.model_set
    decision = Decision(id="d_" + uuid.uuid4().hex, slots=slots,
                        model_version=model_set.version if model_set is not None else None,
                        arm=arm, ttl=runtime.config.decision_ttl)
    return decision, page


def recommend(visitor_id: str | None, content_id: str | None, k: int, runtime) -> SlotDecision:
    """Related / next-best content for GET /v1/recommendations (read_next when a page is given)."""
    slot = SlotRequest(name="recommendations", kind="read_next" if content_id else "recommendations", count=k)
    request = DecideRequest(visitor_id=visitor_id, context=PageContext(content_id=content_id), slots=[slot])
    return decide(request, runtime).slots[0]


def _eligible(page: Page, slot: SlotRequest, kind: str):
    """The live ids this slot may show: its candidates, or the catalog through its filters."""
    snap = page.snapshot
    if slot.candidates:
        ids = [str(c) for c in slot.candidates if str(c) in snap.items]
        if slot.filters:
            allowed = snap.filtered(slot.filters, "all")
            ids = [c for c in ids if c in allowed]
        return frozenset(ids)
    default = "variants" if kind in VARIANT_KINDS else "content"
    return snap.filtered(slot.filters, default)


def _safe_slot(page: Page, slot: SlotRequest, arm: str) -> SlotDecision:
    """One slot's decision; a bug in any stage costs that slot its personalisation, never the page."""
    try:
        return _decide_slot(page, slot, arm)
    except Exception:
        log.exception("deciding slot %r failed; it keeps its default content", slot.name)
        page.degraded = True
        return _default(slot, slot.kind, "internal error: default content", fallback="internal_error")


def _default(slot: SlotRequest, kind: str, reason: str, fallback: str | None = "default_content"):
    """The editor's default content: a fallback, unless an experiment arm asked for it on purpose."""
    return SlotDecision(name=slot.name, kind=kind, items=[], source="default", reason=reason,
                        fallback=fallback)


def _decide_slot(page: Page, slot: SlotRequest, arm: str = "model") -> SlotDecision:
    """Rules, then model, then popular, then latest, until the slot has `count` items.

    Experiment arms: "control" keeps the default content; "rules" stops after the editor's pins.
    """
    kind = slot.kind if slot.kind in RECOMMENDATION_KINDS + VARIANT_KINDS else "recommendations"
    count = max(0, min(int(slot.count or 0), MAX_SLOT_COUNT))
    if count == 0:  # the page asked for nothing: nothing failed
        return _default(slot, kind, "no items requested", fallback=None)
    if arm == "control":
        return _default(slot, kind, experiments.CONTROL_REASON, fallback=None)
    eligible = _eligible(page, slot, kind)
    if not eligible:
        what = "none of the slot's candidates is live" if slot.candidates else "no live content fits the slot"
        return _default(slot, kind, what + ": default content")
    pins = [(cid, rule) for cid, rule in page.rules.pins_for(slot.name)
            if cid in eligible and cid not in page.chosen][:count]
    picked = [(cid, 1.0) for cid, _ in pins]
    reasons = ["pinned by rule on " + pins[0][1].description] if pins else []
    stages = [("rules", None)] if pins else []
    why = "default_content"  # what stood in when nothing else could: a failed model is still a model_error
    if len(picked) < count and arm != "rules":
        exclude = _exclusions(page, slot, kind, picked)
        for stage, items, reason, fallback in _fill(page, kind, eligible, exclude, count - len(picked)):
            if fallback in ("model_error", "no_model"):
                why = fallback
            if items:
                picked += items
                exclude = exclude | {cid for cid, _ in items}
                reasons.append(reason)
                stages.append((stage, fallback))
            if len(picked) >= count:
                break
    if not picked:
        if arm == "rules":
            return _default(slot, kind, experiments.RULES_ONLY_REASON, fallback=None)
        return _default(slot, kind, "nothing eligible left to show: default content", fallback=why)
    page.chosen.update(cid for cid, _ in picked)
    # Pins that fill the slot make it a rules decision; otherwise the first stage after the pins names it.
    source, fallback = ("rules", None) if len(pins) >= count else next(
        (st for st in stages if st[0] != "rules"), ("rules", None))
    return SlotDecision(name=slot.name, kind=kind, items=[_scored(page, c, v) for c, v in picked],
                        source=source, reason="; ".join(reasons), fallback=fallback)


def _exclusions(page: Page, slot: SlotRequest, kind: str, picked) -> frozenset:
    """Never show: rule excludes, ids already on this page, the page itself, and seen posts."""
    exclude = set(page.rules.excluded_for(slot.name)) | page.chosen | {cid for cid, _ in picked}
    if page.request.context.content_id:
        exclude.add(str(page.request.context.content_id))
    if kind in RECOMMENDATION_KINDS:
        exclude |= page.seen()
    return frozenset(exclude)


def _fill(page: Page, kind: str, eligible, exclude, need: int):
    """Yield (source, items, reason, fallback) per stage, lazily: model, then popular, then latest.

    `fallback` says why popular or latest content stands in: the model failed (model_error), no model
    set is loaded (no_model), or the model ran and had nothing for this visitor (cold_start). Prometheus
    and the dashboards separate a broken model from a new visitor by it."""
    model_note, fallback = None, "cold_start"
    if page.model_set is not None:
        try:
            items, reason = _model_stage(page, kind, eligible, exclude, need)
            yield "model", items, reason, None
            exclude = exclude | {cid for cid, _ in items}
            need -= len(items)
        except Exception:
            log.exception("model set %s failed for a %s slot; falling back", page.model_set.version, kind)
            page.degraded = True
            model_note, fallback = "model error", "model_error"
    else:
        model_note, fallback = "no model set loaded", "no_model"
    popular = page.runtime.catalog.popular.ranking(page.runtime.config.event_weights)
    items = pick_popular(popular, eligible, exclude, need)
    yield "popular", items, _note(model_note, "popular content", "most read this fortnight"), fallback
    exclude = exclude | {cid for cid, _ in items}
    latest = page.snapshot.latest_of(eligible, exclude, need - len(items))
    reason = "then latest content" if items else _note(model_note, "latest content", "latest content")
    yield "latest", [(cid, 0.0) for cid in latest], reason, fallback


def _note(model_note: str | None, with_note: str, without: str) -> str:
    return f"{model_note}: {with_note}" if model_note else without


def _model_stage(page: Page, kind: str, eligible, exclude, need: int):
    """Ask the live model set; keep only live, allowed ids (a model may not know what was unpublished)."""
    model_set, ctx = page.model_set, page.request.context
    history = page.history()
    query = RecommendQuery(history=history, context=ctx, k=need, current_content_id=ctx.content_id,
                           candidates=eligible, exclude=exclude, kind=kind)
    scorer = model_set.variant_scorer if kind in VARIANT_KINDS else None
    if scorer is not None:
        variants = [cid for cid in eligible if cid not in exclude]
        scores = scorer.score_variants(query, variants) if variants else {}
        ranked = sorted(((str(c), float(v)) for c, v in scores.items()), key=lambda p: (-p[1], p[0]))
        reason = "highest predicted response for this visit"
    elif model_set.recommender is not None:
        ranked = [(str(c), float(v)) for c, v in model_set.recommender.recommend(query)]
        reason = _model_reason(kind, ctx, history, page.personalised)
    else:
        return [], ""
    out, taken = [], set()
    for cid, score in ranked:
        if cid in eligible and cid not in exclude and cid not in taken:
            out.append((cid, score))
            taken.add(cid)
            if len(out) >= need:
                break
    return out, reason


def _model_reason(kind: str, ctx: PageContext, history, personalised: bool) -> str:
    read = len({e.content_id for e in history if e.content_id})
    if read and kind == "read_next" and ctx.content_id:
        return f"read next after this page and {read} posts you read"
    if read:
        return f"similar to {read} post{'s' if read != 1 else ''} you read"
    if ctx.content_id:
        return "related to this page" + ("" if personalised else " (page context only)")
    return "model pick for a new visitor" if personalised else "model pick from page context only"


def _scored(page: Page, cid: str, score: float) -> ScoredItem:
    item = page.snapshot.items.get(cid)
    return ScoredItem(id=cid, score=score, title=item.title if item else "", url=item.url if item else "")
