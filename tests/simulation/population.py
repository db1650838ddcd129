"""A small simulated site for the experiment, canary and drift tests: posts and visitors with known tastes.

Every visitor has one favourite topic; a post of that topic is clicked far more often than any other.
That is the ground truth a working model must find, and a "least relevant" model must miss.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from pertinent.domain import ContentItem, Event

TOPICS = ("travel", "food", "tech", "finance", "health", "sport")
POSTS_PER_TOPIC = 10
P_CLICK_MATCH, P_CLICK_OTHER = 0.30, 0.03
# The editor's default "read next" content: the same three posts for everyone (one topic each).
DEFAULT_IDS = ["travel-0", "food-0", "tech-0"]


@dataclass(frozen=True)
class Visitor:
    id: str
    topic: str
    device: str
    country: str
    referrer: str | None


def catalog() -> list[ContentItem]:
    """Posts named '<topic>-<n>', each tagged and categorised with its topic."""
    return [ContentItem(id=f"{t}-{i}", title=f"{t.title()} post {i}", url=f"https://demo.local/{t}/{i}",
                        tags=[t], categories=[t], meta={"topics": [t]})
            for t in TOPICS for i in range(POSTS_PER_TOPIC)]


def topic_of(content_id: str) -> str:
    return content_id.rsplit("-", 1)[0]


def population(n: int, seed: int, shifted: bool = False) -> list[Visitor]:
    """Visitors; `shifted` is a different audience: mostly mobile, other countries, campaign traffic."""
    rng = random.Random(seed)
    devices = (["mobile"] * 8 + ["desktop"] * 2) if shifted else (["desktop"] * 7 + ["mobile"] * 3)
    countries = ["BR", "IN", "MX"] if shifted else ["FR", "DE", "GB", "US"]
    referrers = ["ads.example.com", "t.co"] if shifted else [None, None, "www.google.com"]
    topics = TOPICS[3:] if shifted else TOPICS
    prefix = "s" if shifted else "v"
    return [Visitor(f"{prefix}{seed}-{i}", rng.choice(topics), rng.choice(devices), rng.choice(countries),
                    rng.choice(referrers)) for i in range(n)]


def clicks(visitor: Visitor, shown: list[str], rng: random.Random) -> str | None:
    """The post this visitor clicks among those shown (at most one), by their known preference."""
    for content_id in shown:
        p = P_CLICK_MATCH if topic_of(content_id) == visitor.topic else P_CLICK_OTHER
        if rng.random() < p:
            return content_id
    return None


def browsing_events(visitors: list[Visitor], start: datetime, hours: float, views_each: int,
                    seed: int) -> list[Event]:
    """Plain page views (no personalization involved) spread over a window: the drift test's traffic."""
    rng = random.Random(seed)
    events = []
    for v in visitors:
        for _ in range(views_each):
            ts = start + timedelta(seconds=rng.uniform(0, hours * 3600))
            topic = v.topic if rng.random() < 0.8 else rng.choice(TOPICS)
            events.append(Event(type="view", visitor_id=v.id, timestamp=ts,
                                content_id=f"{topic}-{rng.randrange(POSTS_PER_TOPIC)}", device=v.device,
                                country=v.country, referrer=v.referrer))
    return sorted(events, key=lambda e: e.timestamp)
