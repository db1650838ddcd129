"""The served recommender: candidates/exclude honoured, read-next transitions, cold start at once."""
from __future__ import annotations

from datetime import datetime, timezone

from pertinent.domain import ContentItem, Event, PageContext
from pertinent.modelset.loader import load_model_set
from pertinent.modelset.protocols import Recommender, RecommendQuery

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _rec(trained):
    return load_model_set(trained[0].path).recommender


def _views(ids):
    return [Event(type="view", visitor_id="t", timestamp=NOW, content_id=c, session_id="s") for c in ids]


def _topic_posts(demo_site, topic):
    return sorted(cid for cid, c in demo_site["truth"]["content"].items() if c["topic"] == topic)


def test_it_is_a_recommender_and_follows_the_visitors_topic(trained, demo_site):
    rec = _rec(trained)
    assert isinstance(rec, Recommender)
    posts = _topic_posts(demo_site, "security")
    out = rec.recommend(RecommendQuery(history=_views(posts[:4]), context=PageContext(now=NOW), k=10,
                                       exclude=frozenset(posts[:4])))
    topics = [demo_site["truth"]["content"][cid]["topic"] for cid, _ in out]
    assert len(out) == 10 and topics.count("security") >= 6
    assert [s for _, s in out] == sorted((s for _, s in out), reverse=True)


def test_candidates_and_exclude_are_honoured(trained, demo_site):
    rec = _rec(trained)
    pool = _topic_posts(demo_site, "seo")[:6] + _topic_posts(demo_site, "email")[:2]
    out = rec.recommend(RecommendQuery(history=_views(pool[:2]), context=PageContext(), k=10,
                                       candidates=frozenset(pool), exclude=frozenset(pool[:3])))
    ids = [cid for cid, _ in out]
    assert set(ids) <= set(pool[3:]) and len(ids) == len(pool) - 3


def test_variants_only_come_back_when_they_are_the_candidates(trained, demo_site):
    rec = _rec(trained)
    variants = sorted(demo_site["truth"]["variants"])
    out = rec.recommend(RecommendQuery(history=[], context=PageContext(), k=200))
    assert not set(variants) & {cid for cid, _ in out}
    query = RecommendQuery(history=[], context=PageContext(), k=3, candidates=frozenset(variants))
    out = rec.recommend(query)
    assert len(out) == 3 and {cid for cid, _ in out} <= set(variants)


def test_read_next_favours_what_readers_open_after_this_post(trained, demo_site):
    rec = _rec(trained)
    truth = demo_site["truth"]["content"]
    hits = total = 0
    for cid, info in sorted(truth.items())[:40]:
        out = rec.recommend(RecommendQuery(history=[], context=PageContext(), k=5, current_content_id=cid,
                                           kind="read_next"))
        assert cid not in {c for c, _ in out}
        hits += len(set(info["read_next"]) & {c for c, _ in out})
        total += len(info["read_next"])
    # The site's own "read next" links drive most transitions; random picks would find ~5/120 of them.
    assert hits / total > 0.4


def test_new_content_is_servable_the_moment_it_is_in_the_catalog(trained, demo_site):
    rec = _rec(trained)
    posts = _topic_posts(demo_site, "performance")
    fresh = ContentItem(id="new-1", title="Lighthouse latency cache render vitals cdn",
                        text="latency cache render lighthouse vitals cdn compression preload paint " * 3,
                        tags=["performance", "caching", "cdn"], categories=["Performance"],
                        meta={"topics": ["performance"]}, published_at=NOW)
    rec.observe_catalog([fresh])
    out = rec.recommend(RecommendQuery(history=_views(posts[:3]), context=PageContext(now=NOW), k=10,
                                       exclude=frozenset(posts[:3])))
    assert "new-1" in {cid for cid, _ in out}
    similar = rec.recommend(RecommendQuery(history=[], context=PageContext(), k=5, current_content_id="new-1",
                                           kind="read_next"))
    assert sum(demo_site["truth"]["content"][c]["topic"] == "performance" for c, _ in similar) >= 3


def test_unpublished_items_stop_being_recommended(trained, demo_site):
    rec = _rec(trained)
    posts = _topic_posts(demo_site, "social")
    first = rec.recommend(RecommendQuery(history=_views(posts[:3]), context=PageContext(), k=3))
    gone = first[0][0]
    rec.observe_catalog([ContentItem(id=gone, title="x", status="draft")])
    again = rec.recommend(RecommendQuery(history=_views(posts[:3]), context=PageContext(), k=3))
    assert gone not in {cid for cid, _ in again}


def test_variant_scorer_prefers_variants_on_the_visitors_topic(trained, demo_site):
    ms = load_model_set(trained[0].path)
    variants = demo_site["truth"]["variants"]
    wins = trials = 0
    for topic in sorted({v["topic"] for v in variants.values()}):
        posts = _topic_posts(demo_site, topic)
        if len(posts) < 4:
            continue
        scores = ms.variant_scorer.score_variants(
            RecommendQuery(history=_views(posts[:6]), context=PageContext(now=NOW), k=1), sorted(variants))
        assert all(0.0 <= s <= 1.0 for s in scores.values())
        best = max(scores, key=scores.get)
        wins += variants[best]["topic"] == topic
        trials += 1
    assert trials >= 4 and wins / trials >= 0.5


def test_churn_risk_is_a_probability_lower_for_engaged_visitors(trained, demo_site):
    ms = load_model_set(trained[0].path)
    posts = _topic_posts(demo_site, "seo")
    engaged = [Event(type=t, visitor_id="e", timestamp=NOW, content_id=c, session_id=f"s{i}")
               for i, c in enumerate(posts[:10]) for t in ("view", "dwell")]
    low = ms.risk.churn_risk(engaged, PageContext(now=NOW))
    high = ms.risk.churn_risk(_views(posts[:1]), PageContext(now=datetime(2026, 12, 1, tzinfo=timezone.utc)))
    assert 0.0 <= low < high <= 1.0
