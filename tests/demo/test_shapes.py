"""Real-site shapes in the demo data, each counted in the files a training run reads."""
from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict

import pytest
from pertinent.demo.generator import generate
from pertinent.demo.shapes import RealSiteShapes

SMALL = dict(n_posts=120, n_variants=6, n_visitors=800, days=14)


def _read(out):
    with (out / "content.csv").open() as fh:
        content = list(csv.DictReader(fh))
    with (out / "events.csv").open() as fh:
        events = list(csv.DictReader(fh))
    return content, events


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("real")
    generate(out, seed=5, **SMALL)
    return out, *_read(out)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    generate(out, seed=5, shapes=RealSiteShapes.none(), **SMALL)
    return out, *_read(out)


def _by_visitor(events):
    kinds = defaultdict(list)
    for e in events:
        kinds[e["visitor_id"]].append(e["event_type"])
    return kinds


def _top_decile_view_share(events) -> float:
    views = Counter(e["content_id"] for e in events if e["event_type"] == "view")
    views = sorted(views.values(), reverse=True)
    return sum(views[: max(1, len(views) // 10)]) / sum(views)


def _late(events) -> int:
    latest, late = "", 0
    for e in events:
        late += e["timestamp"] < latest
        latest = max(latest, e["timestamp"])
    return late


def test_catalog_has_untagged_posts_and_posts_without_text(real):
    _, content, _ = real
    posts = [r for r in content if r["type"] == "post"]
    untagged = [r for r in posts if not (r["tags"] or r["categories"] or r["topics"])]
    textless = [r for r in posts if not r["text"]]
    assert 4 <= len(untagged) <= 20 and 2 <= len(textless) <= 15
    assert all(r["title"] and r["url"] for r in untagged + textless), "still a coherent site"


def test_log_has_click_only_and_one_event_visitors(real):
    _, _, events = real
    kinds = _by_visitor(events)
    click_only = [v for v, k in kinds.items() if set(k) == {"click"}]
    one_event = [v for v, k in kinds.items() if len(k) == 1]
    assert len(click_only) >= 5
    assert len(one_event) >= 0.08 * len(kinds)
    assert sum(len(set(k)) >= 3 for k in kinds.values()) > 0.5 * len(kinds), "most visitors still browse"


def test_log_has_duplicated_and_out_of_order_events(real):
    _, _, events = real
    rows = Counter(tuple(e.values()) for e in events)
    duplicated = sum(n - 1 for n in rows.values())
    assert 0.005 * len(events) <= duplicated <= 0.02 * len(events)
    assert _late(events) >= 0.005 * len(events)


def test_popularity_has_a_long_tail(real, clean):
    _, _, events = real
    _, _, clean_events = clean
    assert _top_decile_view_share(events) > 0.3
    assert _top_decile_view_share(events) > 1.3 * _top_decile_view_share(clean_events)


def test_the_clean_simulation_has_none_of_the_shapes(clean):
    _, content, events = clean
    assert all(r["tags"] and r["categories"] and r["text"] for r in content)
    assert _late(events) == 0
    assert len({tuple(e.values()) for e in events}) == len(events)
    assert not [v for v, k in _by_visitor(events).items() if set(k) == {"click"}]


def test_low_response_rate_makes_clicks_and_conversions_rare(tmp_path, clean):
    generate(tmp_path, seed=5, shapes=RealSiteShapes.none().with_response_rate(0.05), **SMALL)
    _, events = _read(tmp_path)
    kinds = Counter(e["event_type"] for e in events)
    _, _, clean_events = clean
    clean_kinds = Counter(e["event_type"] for e in clean_events)
    assert kinds["click"] / kinds["impression"] < 0.01
    assert kinds["click"] / kinds["impression"] < 0.1 * clean_kinds["click"] / clean_kinds["impression"]
    assert kinds["conversion"] < clean_kinds["conversion"]


def test_truth_and_provenance_name_the_shapes(real):
    out, content, events = real
    truth = json.loads((out / "truth.json").read_text())["shapes"]
    provenance = json.loads((out / "provenance.json").read_text())
    assert provenance["synthetic"] is True and provenance["seed"] == 5
    assert provenance["shapes"] == truth["settings"] == RealSiteShapes().as_dict()
    untagged = {r["content_id"] for r in content if not r["tags"] and r["type"] == "post"}
    assert set(truth["untagged_posts"]) == untagged
    kinds = _by_visitor(events)
    assert all(set(kinds[v]) == {"click"} for v in truth["click_only_visitors"])
