"""The catalog snapshot: refreshed on revision changes and schedule boundaries, cheap to ask."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pertinent.decision import core
from pertinent.decision.catalog import CatalogView
from pertinent.domain import DecideRequest, PageContext, SlotRequest

from .conftest import make_item, ship
from .fixtures_models import ContentSimilarityRecommender, ObservingVariantScorer


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def test_revision_is_checked_at_most_once_per_interval(runtime):
    runtime.store.upsert_content([make_item(1)])
    calls = []
    real = runtime.store.catalog_revision
    runtime.store.catalog_revision = lambda: calls.append(1) or real()
    clock = Clock(100.0)
    view = CatalogView(runtime.store, runtime.models, check_interval=1.0, clock=clock)
    for _ in range(50):
        view.snapshot()
    assert len(calls) == 1
    runtime.store.upsert_content([make_item(2)])
    assert set(view.snapshot().items) == {"1"}  # not due yet
    clock.now += 1.5
    assert set(view.snapshot().items) == {"1", "2"} and len(calls) == 2


def test_scheduled_items_start_and_end_without_a_catalog_write(runtime):
    start = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
    scheduled = make_item(2, starts_at=start, ends_at=start + timedelta(hours=1))
    runtime.store.upsert_content([make_item(1), scheduled])
    wall = Clock(start.timestamp() - 60)
    view = CatalogView(runtime.store, runtime.models, check_interval=0.0, wall=wall)
    before = view.snapshot()
    assert set(before.items) == {"1"}
    wall.now = start.timestamp() + 1
    during = view.snapshot()
    assert set(during.items) == {"1", "2"} and during.key != before.key
    wall.now = start.timestamp() + 3601
    assert set(view.snapshot().items) == {"1"}


def test_a_store_outage_keeps_the_previous_snapshot(runtime):
    runtime.store.upsert_content([make_item(1)])
    view = CatalogView(runtime.store, runtime.models, check_interval=0.0)
    assert set(view.snapshot().items) == {"1"}

    def down():
        raise ConnectionError("store down")
    runtime.store.catalog_revision = down
    assert set(view.snapshot().items) == {"1"}


def test_the_recommender_hears_about_the_whole_catalog_once_then_only_changes(runtime):
    items = [make_item(i, tags=["x"]) for i in (1, 2, 3)]
    runtime.store.upsert_content(items)
    ship(runtime, {"recommender": ContentSimilarityRecommender().fit(items)})
    runtime.catalog.snapshot()
    recommender = runtime.models.current().recommender
    assert sorted(recommender.observed_) == ["1", "2", "3"]
    runtime.store.upsert_content([make_item(4), make_item(2, title="changed")])
    runtime.catalog.snapshot()
    assert sorted(recommender.observed_) == ["2", "4"]


def test_the_variant_scorer_hears_about_new_variants_too(runtime):
    items = [make_item(i, type="variant") for i in (1, 2)]
    runtime.store.upsert_content(items)
    ship(runtime, {"recommender": ContentSimilarityRecommender().fit(items),
                   "variant_scorer": ObservingVariantScorer({"1": 0.5})})
    runtime.catalog.snapshot()
    scorer = runtime.models.current().variant_scorer
    assert sorted(scorer.observed_) == ["1", "2"]
    runtime.store.upsert_content([make_item(3, type="variant")])
    runtime.catalog.snapshot()
    assert scorer.observed_ == ["3"]


def test_latest_order_and_indexes(runtime):
    runtime.store.upsert_content([make_item(3, tags=["A"]), make_item(1, tags=["a", "b"]), make_item(2)])
    snap = runtime.catalog.snapshot()
    assert snap.latest == ("1", "2", "3")
    assert snap.by_tag["a"] == frozenset({"1", "3"})
    assert snap.latest_of(frozenset({"2", "3"}), frozenset({"2"}), 5) == ["3"]
    assert snap.filtered({"tags": ["b"]}, "content") is snap.filtered({"tags": "B"}, "content")  # memoised


def test_a_bug_in_one_slot_costs_only_that_slot(runtime, monkeypatch):
    runtime.store.upsert_content([make_item(1), make_item(2)])
    real = core._eligible

    def flaky(page, slot, kind):
        if slot.name == "broken":
            raise KeyError("bug")
        return real(page, slot, kind)
    monkeypatch.setattr(core, "_eligible", flaky)
    slots = [SlotRequest(name="broken", count=1), SlotRequest(name="fine", count=1)]
    decision = core.decide(DecideRequest(visitor_id=None, context=PageContext(), slots=slots), runtime)
    broken, fine = decision.slots
    assert broken.source == "default" and broken.reason.startswith("internal error")
    assert broken.fallback == "internal_error"
    assert fine.source == "latest" and [i.id for i in fine.items] == ["1"] and fine.fallback == "no_model"


def test_warm_builds_the_snapshot_and_the_popular_ranking(runtime):
    from .conftest import view

    runtime.store.upsert_content([make_item(1), make_item(2)])
    runtime.store.add_events([view("x", 2)])
    calls = []
    real = runtime.store.popular_content
    runtime.store.popular_content = lambda *a, **kw: calls.append(a) or real(*a, **kw)
    assert set(runtime.catalog.warm().items) == {"1", "2"}
    decision = core.decide(DecideRequest(visitor_id=None, context=PageContext(),
                                         slots=[SlotRequest(name="s", count=1)]), runtime)
    assert [i.id for i in decision.slots[0].items] == ["2"] and len(calls) == 1  # cached for 60 s
