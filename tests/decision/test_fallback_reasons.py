"""Why a fallback served a slot, as the API, Prometheus and the dashboards see it: a broken model
(model_error) is not a new visitor (cold_start), latest content is not popular content, and the
control arm's default content is the experiment working, not a fallback."""
from __future__ import annotations

from pertinent import metrics
from pertinent.decision import core
from pertinent.domain import DecideRequest, PageContext, SlotRequest
from prometheus_client import REGISTRY

from .conftest import make_item, ship, view
from .fixtures_models import FailingRecommender, FixedRecommender


def fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("pertinent_fallbacks_total", {"reason": reason}) or 0.0


def ask(runtime, count=2):
    request = DecideRequest(visitor_id="v1", context=PageContext(),
                            slots=[SlotRequest(name="related", kind="recommendations", count=count)])
    decision = core.decide(request, runtime)
    metrics.observe_decision(decision)
    return decision.slots[0]


def test_a_failing_model_is_counted_as_model_error_not_as_cold_start(runtime):
    runtime.store.upsert_content([make_item(i) for i in range(1, 5)])
    ship(runtime, {"recommender": FailingRecommender()})
    before = fallbacks("model_error"), fallbacks("cold_start")
    slot = ask(runtime)
    assert slot.fallback == "model_error" and slot.to_dict()["fallback"] == "model_error"
    assert (fallbacks("model_error"), fallbacks("cold_start")) == (before[0] + 1, before[1])


def test_a_model_with_nothing_for_the_visitor_is_a_cold_start_served_as_latest(runtime):
    runtime.store.upsert_content([make_item(i) for i in range(1, 5)])
    ship(runtime, {"recommender": FixedRecommender([])})
    before = fallbacks("cold_start")
    slot = ask(runtime)
    assert (slot.source, slot.fallback) == ("latest", "cold_start")
    assert fallbacks("cold_start") == before + 1


def test_popular_content_is_named_popular_and_latest_only_what_popularity_could_not_fill(runtime):
    runtime.store.upsert_content([make_item(i) for i in range(1, 5)])
    runtime.store.add_events([view("x", 3)])
    slot = ask(runtime, count=2)
    assert slot.source == "popular" and [i.id for i in slot.items][0] == "3"
    assert slot.fallback == "no_model" and "then latest content" in slot.reason


def test_the_control_arm_keeps_the_default_content_without_counting_a_fallback(runtime, monkeypatch):
    runtime.store.upsert_content([make_item(i) for i in range(1, 5)])
    monkeypatch.setattr(core.experiments, "assign_arm", lambda request, rt: "control")
    before = sum(fallbacks(r) for r in ("default_content", "no_model", "cold_start", "model_error"))
    slot = ask(runtime)
    assert slot.source == "default" and slot.fallback is None
    assert sum(fallbacks(r) for r in ("default_content", "no_model", "cold_start", "model_error")) == before


def test_a_failing_model_with_nothing_else_to_show_is_still_a_model_error(runtime):
    runtime.store.upsert_content([make_item(1)])
    ship(runtime, {"recommender": FailingRecommender()})
    request = DecideRequest(visitor_id="v1", context=PageContext(content_id="1"),  # the only item is the page
                            slots=[SlotRequest(name="related", kind="recommendations", count=2)])
    slot = core.decide(request, runtime).slots[0]
    assert (slot.source, slot.fallback) == ("default", "model_error")


def test_the_rules_only_arm_and_an_empty_request_are_not_fallbacks(runtime, monkeypatch):
    runtime.store.upsert_content([make_item(i) for i in range(1, 5)])
    monkeypatch.setattr(core.experiments, "assign_arm", lambda request, rt: "rules")
    assert ask(runtime).fallback is None
    monkeypatch.setattr(core.experiments, "assign_arm", lambda request, rt: "model")
    assert ask(runtime, count=0).fallback is None
