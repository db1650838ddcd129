"""Visitors with latent interests browsing the demo site: sessions, read-next clicks, banners, conversions.

Everything a model should learn is caused here by the hidden interests: which posts a visitor opens,
which "read next" links and banners they click, how long they stay, whether they convert and return.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .catalog import DAY, DemoItem
from .vocabulary import COUNTRIES, DEVICES, FUNNEL_STAGES, REFERRERS, TOPICS

# Share of sessions starting in each hour of the day: quiet nights, busy working hours and evenings.
HOURLY = np.array([1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 7, 7, 7, 7, 6, 6, 6, 6, 7, 7, 5, 3, 2], dtype=float)
HOURLY /= HOURLY.sum()


@dataclass
class Visitor:
    id: str
    interests: np.ndarray
    stage: str
    device: str
    referrer: str
    country: str
    arrival: float


def visitor_id(i: int) -> str:
    """The i-th demo visitor's id: as long as the plugin's cookie rule needs (8-64 of [A-Za-z0-9_-])."""
    return f"visitor-{i + 1:05d}"


def make_visitors(rng: np.random.Generator, n: int, start: float, days: int) -> list[Visitor]:
    """Visitors with a few dominant topics, a funnel stage, a device, a first referrer and a country."""
    k = len(TOPICS)
    visitors = []
    for i in range(n):
        interests = 0.9 * rng.dirichlet(np.full(k, 0.2)) + 0.1 / k
        visitors.append(Visitor(
            id=visitor_id(i), interests=interests,
            stage=FUNNEL_STAGES[int(rng.choice(3, p=[0.5, 0.3, 0.2]))],
            device=DEVICES[0][int(rng.choice(3, p=DEVICES[1]))],
            referrer=REFERRERS[0][int(rng.choice(len(REFERRERS[0]), p=REFERRERS[1]))],
            country=COUNTRIES[0][int(rng.choice(len(COUNTRIES[0]), p=COUNTRIES[1]))],
            # A third of the audience already reads the site when the window opens; the rest arrive over it.
            arrival=start + (rng.uniform(0, 2) if rng.random() < 0.35 else rng.uniform(0, days)) * DAY))
    return visitors


class SiteSimulation:
    """Runs every visitor's sessions in the window and collects event rows."""

    def __init__(self, rng: np.random.Generator, posts: list[DemoItem], variants: list[DemoItem],
                 start: float, days: int, response_rate: float = 1.0):
        self.rng = rng
        # Scales every click probability (conversions follow clicks): real sites see far rarer responses.
        self.response_rate = response_rate
        self.posts = posts
        self.variants = variants
        self.start, self.end = start, start + days * DAY
        self.mix = np.stack([p.topic_mix for p in posts])
        self.quality = np.array([p.quality for p in posts])
        self.published = np.array([p.published_at for p in posts])
        self.variant_mix = np.stack([v.topic_mix for v in variants])
        self.rows: list[tuple] = []
        self.sessions = 0

    def run(self, visitors: list[Visitor]) -> list[tuple]:
        """Simulate all visitors; rows: (visitor, ts, type, content, value, session, device, ref, country)."""
        for visitor in visitors:
            self._visitor(visitor)
        self.rows.sort(key=lambda r: (r[1], r[0]))
        return self.rows

    def _visitor(self, v: Visitor) -> None:
        """Sessions until the visitor stops coming back; satisfied visitors return more (churn signal)."""
        affinity = self.mix @ v.interests
        match = affinity / affinity.max()
        day = np.floor((v.arrival - self.start) / DAY)
        t = self.start + day * DAY + self.rng.choice(24, p=HOURLY) * 3600 + self.rng.uniform(0, 3600)
        t = max(t, v.arrival)
        n = 0
        while t < self.end and n < 40:
            satisfaction, t_end = self._session(v, f"{v.id}-s{n + 1}", t, match, first=(n == 0))
            n += 1
            if self.rng.random() > 0.25 + 0.65 * satisfaction:
                break
            gap_days = self.rng.exponential(2.0)
            day = np.floor((t - self.start) / DAY + gap_days)
            t = self.start + day * DAY + self.rng.choice(24, p=HOURLY) * 3600 + self.rng.uniform(0, 3600)
            t = max(t, t_end + 1800.0)

    def _pick_post(self, match: np.ndarray, t: float, avoid: set[int]) -> int | None:
        """Search/navigation: a published post chosen by interest, quality and freshness."""
        age = (t - self.published) / DAY
        fresh = np.where(age >= 0, 1.0 + 2.0 * np.exp(-np.maximum(age, 0) / 7.0), 0.0)
        weights = self.quality * fresh * (0.02 + match) ** 3
        if avoid:
            weights[list(avoid)] = 0.0
        total = weights.sum()
        if total <= 0:
            return None
        return int(self.rng.choice(len(weights), p=weights / total))

    def _session(self, v: Visitor, sid: str, t: float, match: np.ndarray, first: bool) -> tuple[float, float]:
        """One visit: pages, dwell, read-next and banner clicks, conversions -> (mean match, end time)."""
        self.sessions += 1
        rng = self.rng
        device = v.device if rng.random() < 0.9 else DEVICES[0][int(rng.integers(3))]
        referrer = v.referrer if first else ("" if rng.random() < 0.6 else "newsletter")
        emit = self._emitter(v, sid, device, referrer)
        seen: set[int] = set()
        current = self._pick_post(match, t, seen)
        matches = []
        while current is not None and t < self.end and len(seen) < 8:
            seen.add(current)
            post = self.posts[current]
            m = float(match[current])
            matches.append(m)
            emit(t, "view", post.id, None)
            dwell = float(rng.lognormal(np.log(15 + 150 * m * m), 0.5))
            t_leave = t + dwell
            emit(t + min(dwell, 5.0), "dwell", post.id, round(dwell, 1))
            t = self._banner(v, emit, t + 2.0, match, device)
            nxt = self._read_next(emit, post, t + 1.0, match, seen)
            t = max(t, t_leave) + rng.uniform(2, 20)
            if nxt is not None:
                current = nxt
                continue
            # No link clicked: browse on (more likely when the page matched) or leave.
            current = self._pick_post(match, t, seen) if rng.random() < 0.05 + 0.35 * m else None
        return (float(np.mean(matches)) if matches else 0.0), t

    def _emitter(self, v: Visitor, sid: str, device: str, referrer: str):
        rows = self.rows

        def emit(ts: float, kind: str, content_id: str, value):
            rows.append((v.id, ts, kind, content_id, value, sid, device, referrer, v.country))
        return emit

    def _read_next(self, emit, post: DemoItem, t: float, match: np.ndarray, seen: set[int]) -> int | None:
        """The post's "read next" module: three impressions; a link is clicked by how well it matches."""
        links = [j for j in post.read_next if self.published[j] <= t]
        chosen = None
        for j in links:
            emit(t, "impression", self.posts[j].id, None)
        for j in self.rng.permutation(links) if links else []:
            if j in seen:
                continue
            if self.rng.random() < (0.02 + 0.35 * float(match[j]) ** 2) * self.response_rate:
                chosen = int(j)
                emit(t + self.rng.uniform(5, 60), "click", self.posts[chosen].id, None)
                break
        return chosen

    def _banner(self, v: Visitor, emit, t: float, match: np.ndarray, device: str) -> float:
        """A banner shown at random (the logging policy); click and conversion depend on topic and stage."""
        rng = self.rng
        j = int(rng.integers(len(self.variants)))
        variant = self.variants[j]
        emit(t, "impression", variant.id, None)
        topic_match = float(self.variant_mix[j] @ v.interests / v.interests.max())
        stage_fit = 1.0 if variant.funnel_stage[0] == v.stage else 0.4
        p_click = (0.005 + 0.25 * topic_match ** 2 * stage_fit) * (0.75 if device == "mobile" else 1.0)
        p_click *= self.response_rate
        if rng.random() < p_click:
            t += rng.uniform(3, 40)
            emit(t, "click", variant.id, None)
            p_convert = 0.05 + 0.5 * topic_match * (1.0 if v.stage == "decision" else 0.5)
            if rng.random() < p_convert:
                t += rng.uniform(20, 300)
                emit(t, "conversion", variant.id, round(float(rng.choice([1.0, 29.0, 49.0, 99.0])), 2))
        return t
