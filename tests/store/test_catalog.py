"""Catalog items: written, replaced, read, listed and deleted the same way on every backend."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pertinent.domain import ContentItem


def _item(id_: str, **fields) -> ContentItem:
    return ContentItem(id=id_, title=f"Post {id_}", url=f"https://example.com/{id_}", **fields)


def test_upsert_then_get_round_trips_every_field(store):
    published = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)
    item = ContentItem(
        id="42", title="Café déjà vu — 日本語 🎉", url="https://example.com/café", type="banner",
        excerpt="Short", text="Long body", tags=["ünï", "b"], categories=["news"],
        meta={"topics": ["ml"], "audience": ["dev"], "funnel_stage": ["awareness"], "intent": ["learn"],
              "free": {"nested": [1, 2.5, None, True]}},
        status="draft", published_at=published, modified_at=published + timedelta(days=1),
        targeting=[{"action": "pin", "when": {"utm_source": "newsletter", "hours": [9, 17]},
                    "slots": ["hero"]}],
        starts_at=published, ends_at=published + timedelta(days=30))
    assert store.upsert_content([item]) == 1
    assert store.get_content("42") == item


def test_naive_item_times_are_taken_as_utc(store):
    store.upsert_content([_item("1", published_at=datetime(2026, 1, 1, 8, 0))])
    got = store.get_content("1").published_at
    assert got == datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)
    assert got.utcoffset() == timedelta(0)


def test_upsert_replaces_an_existing_item_whole(store):
    store.upsert_content([_item("1", tags=["a", "b"], meta={"topics": ["x"]})])
    store.upsert_content([_item("1", tags=["c"], status="trash")])
    got = store.get_content("1")
    assert got.tags == ["c"] and got.meta == {} and got.status == "trash"
    assert len(store.list_content()) == 1


def test_get_content_of_an_unknown_id_is_none(store):
    assert store.get_content("nope") is None


def test_delete_content_says_whether_the_item_was_there(store):
    store.upsert_content([_item("1"), _item("2")])
    assert store.delete_content("1") is True
    assert store.delete_content("1") is False
    assert [i.id for i in store.list_content()] == ["2"]


def test_list_content_filters_by_status_and_orders_by_id(store):
    store.upsert_content([_item("b"), _item("a", status="draft"), _item("c"), _item("d", status="trash")])
    assert [i.id for i in store.list_content()] == ["a", "b", "c", "d"]
    assert [i.id for i in store.list_content(("publish",))] == ["b", "c"]
    assert [i.id for i in store.list_content(("publish", "draft"))] == ["a", "b", "c"]
    assert store.list_content(()) == []


def test_catalog_revision_grows_on_every_write_and_only_on_writes(store):
    start = store.catalog_revision()
    store.upsert_content([_item("1"), _item("2")])
    after_upsert = store.catalog_revision()
    assert after_upsert > start
    store.get_content("1")
    store.list_content()
    assert store.catalog_revision() == after_upsert
    store.delete_content("1")
    after_delete = store.catalog_revision()
    assert after_delete > after_upsert
    store.delete_content("1")  # nothing there: the snapshot is not stale
    store.upsert_content([])
    assert store.catalog_revision() == after_delete


def test_a_big_bulk_upsert_lands_whole(store):
    assert store.upsert_content(_item(str(i)) for i in range(1500)) == 1500
    assert len(store.list_content()) == 1500
