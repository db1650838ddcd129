"""The demo catalog: posts on ~10 topics with editor metadata, "read next" links, banner/CTA variants."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .vocabulary import AUDIENCES, FUNNEL_STAGES, INTENTS, TOPICS
from .writing import OFFERS, PostWriter

SITE = "https://demo.pertinent.local"
DAY = 86_400.0


@dataclass
class DemoItem:
    """One generated catalog row plus the hidden facts the simulation uses (topic mix, quality)."""

    id: str
    title: str
    text: str
    tags: list[str]
    categories: list[str]
    published_at: float
    type: str
    url: str
    topics: list[str]
    audience: list[str]
    funnel_stage: list[str]
    intent: list[str]
    topic_mix: np.ndarray
    quality: float
    read_next: list[int] = field(default_factory=list)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


# Until the copy was written by hand (writing.py), titles and bodies were drawn from word lists on the main
# stream: 15 words for "seo", 14 for every other topic, 30 generic words, 8 title templates. The same draws
# are still made and thrown away, so the visitors, their behaviour and the quality numbers measured on the
# demo stay exactly what they were; only the words changed.
_OLD_TOPIC_WORDS = {"seo": 15}
_OLD_WORDS, _OLD_GENERIC_WORDS, _OLD_TEMPLATES = 14, 30, 8


def _old_words(topic: str | None) -> int:
    return _OLD_WORDS if topic is None else _OLD_TOPIC_WORDS.get(topic, _OLD_WORDS)


def _spend_old_title_draws(rng: np.random.Generator, topic: str) -> None:
    rng.choice(_old_words(topic), size=2, replace=False)
    rng.integers(_OLD_TEMPLATES)
    rng.integers(3, 12)


def _spend_old_body_draws(rng: np.random.Generator, topic: str, second: str | None, n: int = 50) -> None:
    sizes = [_old_words(topic), _old_words(second or topic), _OLD_GENERIC_WORDS]
    for pool in rng.choice(3, size=n, p=[0.6, 0.15, 0.25]):
        rng.integers(sizes[pool])


def make_posts(rng: np.random.Generator, n_posts: int, start: float, days: int,
               writer: PostWriter) -> list[DemoItem]:
    """Posts, most published before the window and some during it (the cold-start items)."""
    names = list(TOPICS)
    posts: list[DemoItem] = []
    for i in range(n_posts):
        t = int(rng.integers(len(names)))
        t2 = int(rng.integers(len(names))) if rng.random() < 0.3 else None
        if t2 == t:
            t2 = None
        category, tags = TOPICS[names[t]]
        second = None if t2 is None else names[t2]
        _spend_old_title_draws(rng, names[t])
        mix = np.zeros(len(names))
        mix[t] = 1.0
        item_tags = list(rng.choice(tags, size=int(rng.integers(2, 4)), replace=False))
        categories = [category]
        topics = [names[t]]
        if t2 is not None:
            mix[t], mix[t2] = 0.75, 0.25
            c2, tags2 = TOPICS[names[t2]]
            item_tags.append(tags2[int(rng.integers(len(tags2)))])
            categories.append(c2)
            topics.append(names[t2])
        if rng.random() < 0.8:
            published = start - rng.uniform(1, 240) * DAY
        else:
            published = start + rng.uniform(0, days) * DAY
        stage = FUNNEL_STAGES[int(rng.choice(3, p=[0.5, 0.3, 0.2]))]
        _spend_old_body_draws(rng, names[t], second)
        cid = str(1000 + i)
        title, text = writer.write(names[t], second)
        posts.append(DemoItem(
            id=cid, title=title, text=text, tags=item_tags, categories=categories,
            published_at=published, type="post", url=f"{SITE}/{_slug(title)}-{cid}/", topics=topics,
            audience=[AUDIENCES[int(rng.integers(3))]], funnel_stage=[stage], intent=[INTENTS[stage]],
            topic_mix=mix, quality=float(rng.lognormal(0.0, 0.6))))
    _link_read_next(rng, posts)
    return posts


def _link_read_next(rng: np.random.Generator, posts: list[DemoItem]) -> None:
    """Each post links three others: two on its main topic (the editor's picks) and one at random."""
    mixes = np.stack([p.topic_mix for p in posts])
    main = mixes.argmax(axis=1)
    for i, post in enumerate(posts):
        same = np.flatnonzero((main == main[i]) & (np.arange(len(posts)) != i))
        if len(same) >= 2:
            weights = np.array([posts[j].quality for j in same])
            picks = list(rng.choice(same, size=2, replace=False, p=weights / weights.sum()))
        else:
            picks = list(same)
        other = int(rng.integers(len(posts)))
        if other != i and other not in picks:
            picks.append(other)
        post.read_next = [int(j) for j in picks]


def make_variants(rng: np.random.Generator, n_variants: int, start: float) -> list[DemoItem]:
    """Banner / call-to-action variants, each aimed at a topic and a funnel stage."""
    names = list(TOPICS)
    variants: list[DemoItem] = []
    for j in range(n_variants):
        title, topic, stage, copy = OFFERS[j % len(OFFERS)]
        tags = TOPICS[topic][1]
        _spend_old_body_draws(rng, topic, None, n=15)
        mix = np.zeros(len(names))
        mix[names.index(topic)] = 1.0
        cid = str(9000 + j)
        variants.append(DemoItem(
            id=cid, title=title, text=copy,
            tags=list(tags[:2]), categories=["Offers"], published_at=start - 30 * DAY, type="variant",
            url=f"{SITE}/offer/{_slug(title)}/", topics=[topic], audience=[AUDIENCES[j % 3]],
            funnel_stage=[stage], intent=[INTENTS[stage]], topic_mix=mix, quality=1.0))
    return variants
