"""A synthetic site for benchmarks: N posts with tags and categories, banner variants, visitor histories."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

WORDS = [f"w{i}" for i in range(600)]
TAGS = [f"tag{i}" for i in range(240)]
CATEGORIES = [f"cat{i}" for i in range(24)]
N_VARIANTS = 20


def content_items(n: int, seed: int = 1) -> list[dict]:
    """Posts c0..c{n-1} (tags and categories follow the post's category, so similarity means something)."""
    rng = np.random.default_rng(seed)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    items = []
    for i in range(n):
        cat = i % len(CATEGORIES)
        tags = [TAGS[(cat * 10 + int(t)) % len(TAGS)] for t in rng.integers(0, 12, 3)]
        title = " ".join(WORDS[int(w)] for w in rng.integers(0, len(WORDS), 6))
        items.append({"id": f"c{i}", "title": title, "url": f"https://bench.example/p/{i}/", "type": "post",
                      "excerpt": " ".join(WORDS[int(w)] for w in rng.integers(0, len(WORDS), 20)),
                      "tags": tags, "categories": [CATEGORIES[cat]],
                      "meta": {"topics": [CATEGORIES[cat]], "funnel_stage": ["awareness"]},
                      "published_at": (start + timedelta(hours=i % 5000)).isoformat()})
    for v in range(N_VARIANTS):
        items.append({"id": f"b{v}", "title": f"Offer {v}", "url": f"https://bench.example/offer/{v}/",
                      "type": "variant", "tags": [TAGS[v]], "categories": ["Offers"]})
    return items


def events(n_items: int, n_visitors: int, per_visitor: int, seed: int = 2) -> list[dict]:
    """Each visitor reads mostly within one category: views, some clicks, rare conversions, over 4 weeks."""
    rng = np.random.default_rng(seed)
    end = datetime.now(timezone.utc) - timedelta(hours=1)
    out = []
    for v in range(n_visitors):
        home = int(rng.integers(0, len(CATEGORIES)))
        picks = rng.integers(0, max(n_items // len(CATEGORIES), 1), per_visitor) * len(CATEGORIES) + home
        strays = rng.integers(0, n_items, per_visitor)  # a fifth of reads wander off-topic
        picks = np.where(rng.random(per_visitor) < 0.2, strays, picks) % n_items
        ages = np.sort(rng.random(per_visitor))[::-1] * 28 * 86400
        kinds = rng.choice(["view", "click", "conversion"], per_visitor, p=[0.8, 0.18, 0.02])
        for j in range(per_visitor):
            out.append({"type": str(kinds[j]), "visitor_id": f"v{v}", "session_id": f"s{v}-{j // 5}",
                        "content_id": f"c{int(picks[j])}",
                        "timestamp": (end - timedelta(seconds=float(ages[j]))).isoformat()})
    return out


def events_frame(rows: list[dict]) -> pd.DataFrame:
    """The training frame HybridRecommender.fit reads: visitor_id, session_id, ts, event_type, content_id."""
    df = pd.DataFrame(rows).rename(columns={"type": "event_type"})
    df["ts"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601").astype("int64") / 1e9
    return df
