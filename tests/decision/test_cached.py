"""decide_cached: hits keep the decision id; new events, a new model set or new content miss."""
from __future__ import annotations

from pertinent.decision import cached
from pertinent.decision.cached import decide_cached
from pertinent.domain import DecideRequest, PageContext, SlotRequest

from .conftest import make_item, ship, view
from .fixtures_models import FailingRecommender, FixedRecommender


def request(visitor="v1", **context):
    slots = [SlotRequest(name="a", count=2), SlotRequest(name="hero", kind="banner", count=1)]
    return DecideRequest(visitor_id=visitor, context=PageContext(**context), slots=slots)


def setup(runtime):
    runtime.store.upsert_content([make_item(i) for i in range(1, 6)] + [make_item(9, type="variant")])
    ship(runtime, {"recommender": FixedRecommender(["1", "2", "3", "4", "9"])}, version="v1")


def test_a_hit_returns_the_same_decision_id_marked_cached(runtime):
    setup(runtime)
    before = cached.stats.snapshot()
    first = decide_cached(request(), runtime)
    second = decide_cached(request(), runtime)
    assert not first.cached and second.cached and second.id == first.id
    assert second.to_dict()["slots"] == first.to_dict()["slots"]
    assert [s.name for s in second.slots] == ["a", "hero"] and second.model_version == "v1"
    after = cached.stats.snapshot()
    assert after["hits"] - before["hits"] == 1 and after["misses"] - before["misses"] == 1


def test_new_events_for_the_visitor_miss(runtime):
    setup(runtime)
    first = decide_cached(request(), runtime)
    runtime.store.add_events([view("v1", 1)])
    runtime.cache.bump_generation(["v1"])  # what the events route does
    second = decide_cached(request(), runtime)
    assert not second.cached and second.id != first.id
    assert "1" not in [i.id for i in second.slots[0].items]  # the seen post is gone


def test_a_new_model_version_misses(runtime):
    setup(runtime)
    first = decide_cached(request(), runtime)
    ship(runtime, {"recommender": FixedRecommender(["5", "4"])}, version="v2")
    second = decide_cached(request(), runtime)
    assert not second.cached and second.model_version == "v2" and second.id != first.id


def test_a_catalog_change_misses(runtime):
    setup(runtime)
    decide_cached(request(), runtime)
    runtime.store.upsert_content([make_item(1, status="trash")])
    second = decide_cached(request(), runtime)
    assert not second.cached and "1" not in [i.id for i in second.slots[0].items]


def test_context_that_rules_or_models_read_is_part_of_the_key(runtime):
    setup(runtime)
    decide_cached(request(utm={"campaign": "spring"}), runtime)
    assert not decide_cached(request(utm={"campaign": "autumn"}), runtime).cached
    assert not decide_cached(request(utm={"campaign": "spring"}, device="mobile"), runtime).cached
    assert decide_cached(request(utm={"campaign": "spring"}, url="https://other.test/x"), runtime).cached


def test_anonymous_and_no_consent_requests_share_a_segment_answer(runtime):
    setup(runtime)
    first = decide_cached(request(visitor=None), runtime)
    assert first.ttl == runtime.config.segment_ttl
    other = decide_cached(request(visitor="v2", consent=False), runtime)
    assert other.cached and other.id == first.id
    personal = decide_cached(request(visitor="v2"), runtime)
    assert not personal.cached and personal.ttl == runtime.config.decision_ttl


def test_degraded_answers_are_not_cached(runtime):
    runtime.store.upsert_content([make_item(i) for i in range(1, 4)])
    ship(runtime, {"recommender": FailingRecommender()})
    first = decide_cached(request(), runtime)
    assert first.slots[0].source == "latest" and first.slots[0].fallback == "model_error"
    assert not decide_cached(request(), runtime).cached
