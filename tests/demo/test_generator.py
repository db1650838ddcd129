"""The demo generator: deterministic files in the design's input formats, behaviour driven by interests."""
from __future__ import annotations

import csv
import json

import pytest
from pertinent.demo.generator import CONTENT_COLUMNS, EVENT_COLUMNS, generate, to_domain
from pertinent.domain import EVENT_TYPES

SMALL = dict(n_posts=80, n_variants=6, n_visitors=300, days=14)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out, seed=3, **SMALL)


def test_same_seed_writes_identical_files(demo, tmp_path):
    out, _ = demo
    generate(tmp_path, seed=3, **SMALL)
    for name in ("content.csv", "events.csv", "truth.json"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_another_seed_writes_other_events(demo, tmp_path):
    out, _ = demo
    generate(tmp_path, seed=4, **SMALL)
    assert (tmp_path / "events.csv").read_bytes() != (out / "events.csv").read_bytes()


def test_files_follow_the_input_formats(demo):
    out, summary = demo
    with (out / "content.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == CONTENT_COLUMNS
    assert sum(r["type"] == "variant" for r in rows) == 6
    assert all(r["tags"] and r["categories"] and r["topics"] for r in rows if r["type"] == "variant")
    assert all(r["title"] and r["url"] for r in rows)
    with (out / "events.csv").open() as fh:
        events = list(csv.DictReader(fh))
    assert list(events[0]) == EVENT_COLUMNS
    assert len(events) == summary["events"]
    assert {e["event_type"] for e in events} <= set(EVENT_TYPES)
    assert {"view", "click", "impression", "conversion"} <= {e["event_type"] for e in events}
    ids = {r["content_id"] for r in rows}
    assert {e["content_id"] for e in events} <= ids


def test_views_follow_latent_interests(demo):
    out, _ = demo
    truth = json.loads((out / "truth.json").read_text())
    topic_of = {cid: c["topic"] for cid, c in truth["content"].items()}
    hits = total = 0
    with (out / "events.csv").open() as fh:
        for e in csv.DictReader(fh):
            if e["event_type"] != "view":
                continue
            interests = truth["visitors"][e["visitor_id"]]["interests"]
            top = sorted(interests, key=interests.get, reverse=True)[:2]
            hits += topic_of[e["content_id"]] in top
            total += 1
    # Ten topics: by chance a view lands in a visitor's top two topics ~20% of the time.
    assert hits / total > 0.6


def test_visitors_return_across_sessions(demo):
    out, _ = demo
    with (out / "events.csv").open() as fh:
        sessions = {}
        for e in csv.DictReader(fh):
            sessions.setdefault(e["visitor_id"], set()).add(e["session_id"])
    returning = sum(len(s) > 1 for s in sessions.values())
    assert returning / len(sessions) > 0.3


def test_to_domain_reads_items_and_events(demo):
    out, summary = demo
    items, events = to_domain(out)
    assert len(items) == summary["content"] and len(events) == summary["events"]
    post = next(i for i in items if i.type == "post" and i.tags)
    assert post.meta["topics"] and post.tags and post.published_at.tzinfo is not None
    assert min(e.timestamp for e in events).tzinfo is not None
