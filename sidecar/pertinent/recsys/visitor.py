"""A visitor's state built from their past events only: the same code at training time and at serve time.

Training replays the event log in time order and asks for features *before* applying each event, so a
feature for time t can only see events before t; serving builds the state from the visitor's history.
"""
from __future__ import annotations

import math
from collections import deque

SEARCH = ("google", "bing", "duckduckgo", "yahoo", "baidu", "yandex", "ecosia")
SOCIAL = ("facebook", "t.co", "twitter", "x.com", "linkedin", "instagram", "reddit", "pinterest", "tiktok")
EMAIL = ("newsletter", "mail", "email")
REFERRER_CLASSES = ("direct", "search", "social", "email", "other")


def referrer_class(referrer: str | None) -> str:
    """Referrer host -> direct / search / social / email / other."""
    ref = (referrer or "").lower()
    if not ref:
        return "direct"
    for name, hosts in (("search", SEARCH), ("social", SOCIAL), ("email", EMAIL)):
        if any(h in ref for h in hosts):
            return name
    return "other"


class VisitorState:
    """Counts, recency, dwell, a label (taste) profile and the most recent items of one visitor."""

    __slots__ = ("n_events", "n_views", "n_clicks", "n_conversions", "n_impressions", "sessions",
                 "first_ts", "last_ts", "dwell_sum", "dwell_n", "profile", "profile_total", "recent",
                 "version")

    def __init__(self, recent_size: int = 50):
        self.n_events = self.n_views = self.n_clicks = self.n_conversions = self.n_impressions = 0
        self.sessions: set = set()
        self.first_ts = self.last_ts = None
        self.dwell_sum = 0.0
        self.dwell_n = 0
        self.profile: dict[str, float] = {}
        self.profile_total = 0.0
        self.recent: deque = deque(maxlen=recent_size)  # (item row, weight), oldest first
        self.version = 0

    def update(self, kind: str, ts: float, row: int | None, session, value, labels, weight: float) -> None:
        """Apply one event (row: the item's index row or None; labels: the item's labels)."""
        self.version += 1
        if kind == "impression":
            self.n_impressions += 1
            return
        self.n_events += 1
        self.first_ts = ts if self.first_ts is None else self.first_ts
        self.last_ts = ts
        if session is not None:
            self.sessions.add(session)
        if kind == "view":
            self.n_views += 1
        elif kind == "click":
            self.n_clicks += 1
        elif kind == "conversion":
            self.n_conversions += 1
        elif kind == "dwell" and value is not None and value == value:
            self.dwell_sum += float(value)
            self.dwell_n += 1
        if weight > 0 and row is not None:
            self.recent.append((row, weight))
            for label in labels or ():
                self.profile[label] = self.profile.get(label, 0.0) + weight
            self.profile_total += weight * max(len(labels or ()), 1)

    def visitor_features(self, ts: float) -> list[float]:
        """Recency, frequency, engagement and tenure: the visitor half of every classifier's features."""
        hours = (ts - self.last_ts) / 3600.0 if self.last_ts is not None else 24.0 * 90
        tenure = (ts - self.first_ts) / 86400.0 if self.first_ts is not None else 0.0
        return [
            math.log1p(self.n_events), math.log1p(len(self.sessions)), math.log1p(max(hours, 0.0)),
            (self.n_clicks + 3.0 * self.n_conversions) / (self.n_impressions + 1.0),
            math.log1p(self.dwell_sum / self.dwell_n) if self.dwell_n else 0.0,
            float(len(self.sessions) <= 1), math.log1p(max(tenure, 0.0)),
            # Untagged items count towards the total but add no label: the profile can be empty.
            max(self.profile.values(), default=0.0) / self.profile_total if self.profile_total else 0.0,
        ]

    def label_match(self, labels) -> tuple[float, float]:
        """(share, best single share) of the visitor's taste profile covered by an item's labels."""
        if not self.profile_total or not labels:
            return 0.0, 0.0
        shares = [self.profile.get(label, 0.0) / self.profile_total for label in labels]
        return float(sum(shares)), float(max(shares))


VISITOR_FEATURES = ["log_events", "log_sessions", "log_hours_since_last", "engagement", "log_mean_dwell",
                    "is_new", "log_tenure_days", "taste_concentration"]


def state_from_history(history, index, weights: dict) -> VisitorState:
    """Replay a newest-first list of domain events into a visitor state (serving side)."""
    state = VisitorState()
    row_of, labels = index.row_, index.labels_
    for e in reversed(history):
        row = row_of.get(e.content_id) if e.content_id else None
        state.update(e.type, e.timestamp.timestamp(), row, e.session_id, e.value,
                     labels[row] if row is not None else (), weights.get(e.type, 0.0))
    return state
