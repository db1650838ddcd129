"""The decision core without HTTP: rules, model, popular, latest, default; filtering and fallbacks."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pertinent.decision.core import decide, recommend
from pertinent.domain import DecideRequest, PageContext, SlotRequest
from pertinent.recsys.baseline import PopularityRecommender

from .conftest import make_item, ship, view
from .fixtures_models import (
    ContentSimilarityRecommender,
    FailingRecommender,
    FixedRecommender,
    FixedVariantScorer,
)


def ask(runtime, *slots, visitor="v1", **context):
    slots = slots or (SlotRequest(name="related", kind="recommendations", count=3),)
    request = DecideRequest(visitor_id=visitor, context=PageContext(**context), slots=list(slots))
    return decide(request, runtime)


def ids(slot):
    return [item.id for item in slot.items]


def catalog(runtime, n=10, **extra):
    runtime.store.upsert_content([make_item(i) for i in range(1, n + 1)] + list(extra.values()))


def test_no_model_set_serves_popular_and_says_so(runtime):
    catalog(runtime)
    pairs = [("x", 5), ("y", 5), ("z", 5), ("x", 8), ("y", 8), ("x", 2)]
    runtime.store.add_events([view(v, c) for v, c in pairs])
    decision = ask(runtime, visitor=None)
    slot = decision.slots[0]
    assert decision.model_version is None and slot.source == "popular"
    assert ids(slot) == ["5", "8", "2"]
    assert slot.reason == "no model set loaded: popular content"
    assert decision.id.startswith("d_") and decision.arm == "model"
    assert decision.ttl == runtime.config.decision_ttl
    assert slot.items[0].title == "Post 5" and slot.items[0].url == "https://site.test/5"


def test_no_events_and_no_model_serves_latest(runtime):
    catalog(runtime)
    slot = ask(runtime).slots[0]
    assert slot.source == "latest" and ids(slot) == ["1", "2", "3"]
    assert slot.reason == "no model set loaded: latest content" and slot.fallback == "no_model"


def test_unpublished_trashed_and_out_of_schedule_items_are_never_returned(runtime):
    now = datetime.now(timezone.utc)
    day = timedelta(days=1)
    hidden = [make_item(20, status="draft"), make_item(21, status="trash"), make_item(22, status="private"),
              make_item(23, starts_at=now + day), make_item(24, ends_at=now - day)]
    shown = [make_item(1), make_item(2), make_item(25, starts_at=now - day, ends_at=now + day)]
    runtime.store.upsert_content(shown + hidden)
    runtime.store.add_events([view("x", c) for c in (20, 21, 22, 23, 24) for _ in range(3)])
    ship(runtime, {"recommender": FixedRecommender(["20", "21", "22", "23", "24", "2"])})
    slot = ask(runtime, SlotRequest(name="related", count=5), visitor=None).slots[0]
    assert set(ids(slot)) == {"2", "1", "25"}
    assert slot.source == "model" and ids(slot)[0] == "2"


def test_seen_items_are_excluded_for_recommendations(runtime):
    catalog(runtime)
    runtime.store.add_events([view("v1", 1), view("v1", 2)])
    ship(runtime, {"recommender": FixedRecommender(["1", "2", "3", "4"])})
    slot = ask(runtime).slots[0]
    assert ids(slot) == ["3", "4", "5"]  # 5: latest after the model ran out (1 and 2 seen)


def test_no_duplicates_across_three_slots_and_the_page_itself(runtime):
    catalog(runtime)
    ship(runtime, {"recommender": FixedRecommender([str(i) for i in range(1, 11)])})
    decision = ask(runtime, SlotRequest(name="a", count=3), SlotRequest(name="b", count=3),
                   SlotRequest(name="c", kind="read_next", count=3), content_id="1")
    chosen = [cid for slot in decision.slots for cid in ids(slot)]
    assert len(chosen) == 9 and len(set(chosen)) == 9 and "1" not in chosen
    assert [s.name for s in decision.slots] == ["a", "b", "c"]


def test_no_consent_means_no_history_read(runtime):
    catalog(runtime)
    ship(runtime, {"recommender": FixedRecommender(["1", "2", "3"])})
    calls = []
    real = runtime.store.visitor_history
    runtime.store.visitor_history = lambda *a, **kw: calls.append(a) or real(*a, **kw)
    slot = ask(runtime, consent=False).slots[0]
    assert calls == [] and slot.source == "model"
    ask(runtime, consent=True)
    assert calls == [("v1",)]


def test_a_model_exception_falls_back_for_that_slot(runtime):
    catalog(runtime)
    runtime.store.add_events([view("x", 4)])
    ship(runtime, {"recommender": FailingRecommender()})
    decision = ask(runtime, SlotRequest(name="a", count=2), SlotRequest(name="b", count=1))
    a, b = decision.slots
    # "4" is popular, "1" the latest after it: the first stage names the slot; the model failed.
    assert a.source == "popular" and ids(a) == ["4", "1"] and a.reason.startswith("model error")
    assert a.fallback == "model_error"
    assert b.source == "latest" and ids(b) == ["2"] and b.fallback == "model_error"
    assert decision.model_version is not None


def test_candidates_restrict_the_slot_and_must_be_live(runtime):
    catalog(runtime)
    runtime.store.upsert_content([make_item(30, status="draft")])
    ship(runtime, {"recommender": FixedRecommender(["1", "2", "7", "9"])})
    slot = ask(runtime, SlotRequest(name="s", count=3, candidates=["9", "7", "30", "404"])).slots[0]
    assert ids(slot) == ["7", "9"]
    slot = ask(runtime, SlotRequest(name="s", count=1, candidates=["30", "404"])).slots[0]
    assert slot.source == "default" and slot.items == [] and "candidates" in slot.reason


def test_filters_by_type_tag_and_category(runtime):
    runtime.store.upsert_content([
        make_item(1, tags=["Python"], categories=["dev"]), make_item(2, tags=["python"]),
        make_item(3, tags=["marketing"], categories=["dev"]), make_item(4, type="page", tags=["python"]),
        make_item(5, type="variant", tags=["python"])])
    slot = ask(runtime, SlotRequest(name="s", count=5, filters={"tags": ["python"]})).slots[0]
    assert ids(slot) == ["1", "2", "4"]  # variants never appear in recommendations by default
    both = {"tags": "python", "categories": ["DEV"]}
    slot = ask(runtime, SlotRequest(name="s", count=5, filters=both)).slots[0]
    assert ids(slot) == ["1"]
    slot = ask(runtime, SlotRequest(name="s", count=5, filters={"type": ["page"]})).slots[0]
    assert ids(slot) == ["4"]
    banner = ask(runtime, SlotRequest(name="hero", kind="banner", count=1)).slots[0]
    assert ids(banner) == ["5"]


def test_pins_come_first_and_fill_the_slot_as_rules(runtime):
    pin = [{"action": "pin", "when": {"utm_campaign": "spring"}, "slots": ["hero"]}]
    runtime.store.upsert_content([make_item(1, type="variant"), make_item(2, type="variant", targeting=pin),
                                  make_item(3, type="variant", targeting=[{"action": "exclude",
                                                                           "when": {"device": "mobile"}}])])
    ship(runtime, {"recommender": FixedRecommender(["3", "1", "2"])})
    hero = SlotRequest(name="hero", kind="banner", count=1)
    slot = ask(runtime, hero, utm={"campaign": "spring"}).slots[0]
    assert ids(slot) == ["2"] and slot.source == "rules"
    assert slot.reason == "pinned by rule on utm_campaign=spring"
    slot = ask(runtime, hero).slots[0]
    assert ids(slot) == ["3"] and slot.source == "model"
    slot = ask(runtime, hero, device="mobile").slots[0]
    assert ids(slot) == ["1"]
    two = ask(runtime, SlotRequest(name="hero", kind="banner", count=2), utm={"campaign": "spring"}).slots[0]
    assert ids(two) == ["2", "3"] and two.source == "model" and two.reason.startswith("pinned by rule")


def test_banner_uses_the_variant_scorer_when_the_set_has_one(runtime):
    runtime.store.upsert_content([make_item(i, type="variant") for i in (1, 2, 3)])
    ship(runtime, {"recommender": FixedRecommender(["1"]),
                   "variant_scorer": FixedVariantScorer({"1": 0.1, "2": 0.7, "3": 0.3})})
    slot = ask(runtime, SlotRequest(name="hero", kind="cta", count=2, candidates=["1", "2", "3"])).slots[0]
    assert ids(slot) == ["2", "3"] and slot.source == "model"
    assert [round(i.score, 2) for i in slot.items] == [0.7, 0.3]


def test_content_similarity_explains_itself(runtime):
    items = [make_item(1, title="python testing", tags=["python"]), make_item(2, title="python packaging",
                                                                              tags=["python"]),
             make_item(3, title="email marketing", tags=["marketing"]), make_item(4, title="python typing",
                                                                                 tags=["python"])]
    runtime.store.upsert_content(items)
    runtime.store.add_events([view("v1", 1), view("v1", 2, minutes_ago=1)])
    ship(runtime, {"recommender": ContentSimilarityRecommender().fit(items)})
    slot = ask(runtime, SlotRequest(name="s", count=1)).slots[0]
    assert ids(slot) == ["4"] and slot.source == "model" and slot.reason == "similar to 2 posts you read"


def test_a_new_item_reaches_the_recommender_at_once(runtime):
    catalog(runtime, n=3)
    ship(runtime, {"recommender": PopularityRecommender().fit(
        __import__("pandas").DataFrame({"content_id": [], "event_type": []}), None)})
    ask(runtime)
    runtime.store.upsert_content([make_item(99)])
    slot = ask(runtime, SlotRequest(name="s", count=1, candidates=["99"])).slots[0]
    recommender = runtime.models.current().recommender
    assert "99" in recommender.scores_ and ids(slot) == ["99"] and slot.source == "model"


def test_nothing_eligible_gives_default(runtime):
    slot = ask(runtime).slots[0]
    assert slot.source == "default" and slot.items == []


def test_recommend_for_a_page_is_read_next(runtime):
    catalog(runtime)
    ship(runtime, {"recommender": FixedRecommender(["5", "6", "7"])})
    slot = recommend("v1", "5", 2, runtime)
    assert slot.kind == "read_next" and ids(slot) == ["6", "7"] and slot.reason == "related to this page"
    assert recommend(None, None, 1, runtime).kind == "recommendations"
