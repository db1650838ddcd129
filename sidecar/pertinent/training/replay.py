"""Replay the event log in time order to build classifier examples from the past only.

For each impression inside a window, features are computed from the visitor's state *before* the
impression is applied; churn snapshots are taken from states just before each cutoff time. So a
feature for time t can only use events before t (tests/training/test_features.py proves it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..recsys.features import ClickFeatures
from ..recsys.visitor import VisitorState


@dataclass
class Examples:
    """Feature rows with what identifies them (for labels and slices)."""

    x: list = field(default_factory=list)
    meta: list = field(default_factory=list)  # (visitor, session, content, ts, device, country, is_new, kind)

    def frame(self) -> tuple[np.ndarray, pd.DataFrame]:
        cols = ["visitor_id", "session_id", "content_id", "ts", "device", "country", "is_new", "item_type"]
        x = np.vstack(self.x) if self.x else np.zeros((0, 0), dtype=np.float32)
        return x, pd.DataFrame(self.meta, columns=cols)


def sample_mask(events: pd.DataFrame, windows: dict, max_examples: int | None, seed: int) -> np.ndarray:
    """Which impressions become examples: all, or a seeded random sample of max_examples per window."""
    ts = events["ts"].to_numpy()
    impression = (events["event_type"] == "impression").to_numpy()
    keep = np.zeros(len(events), dtype=bool)
    rng = np.random.default_rng(seed)
    for start, end in windows.values():
        inside = impression & (ts >= start) & (ts < end)
        n = int(inside.sum())
        share = 1.0 if not max_examples or n <= max_examples else max_examples / n
        keep |= inside & (rng.random(len(events)) < share)
    return keep


def replay(events: pd.DataFrame, features: ClickFeatures, windows: dict[str, tuple[float, float]],
           churn_cutoffs: list[float] = (), churn_lookback_days: float = 14.0,
           max_examples: int | None = None, seed: int = 7):
    """Returns ({window: Examples of impressions}, {cutoff: (visitor ids, feature matrix)}).

    Every event updates the visitor states; only sampled impressions (max_examples per window) are
    featurised, which is what keeps 1M-event training within its time budget."""
    rec = features.recommender
    row_of, labels, types = rec.index_.row_, rec.index_.labels_, rec.index_.types_
    weights = rec.weights_
    states: dict[str, VisitorState] = {}
    affinity_cache: dict[str, tuple[int, tuple]] = {}
    out = {name: Examples() for name in windows}
    churn: dict[float, tuple[list, np.ndarray]] = {}
    cutoffs = sorted(churn_cutoffs)
    cols = [events[c].to_numpy() for c in ("visitor_id", "ts", "event_type", "content_id", "session_id",
                                           "value", "device", "referrer", "country")]
    sampled = sample_mask(events, windows, max_examples, seed)
    for vid, ts, kind, cid, sid, value, device, referrer, country, take in zip(*cols, sampled, strict=True):
        while cutoffs and ts >= cutoffs[0]:
            cutoff = cutoffs.pop(0)
            churn[cutoff] = _snapshot(states, cutoff, churn_lookback_days)
        state = states.get(vid)
        if state is None:
            state = states[vid] = VisitorState()
        row = row_of.get(cid)
        if take and row is not None:
            for name, (start, end) in windows.items():
                if start <= ts < end:
                    cached = affinity_cache.get(vid)
                    if cached is None or cached[0] != state.version:
                        cached = (state.version, features.affinity(state))
                        affinity_cache[vid] = cached
                    out[name].x.append(features.rows(state, [row], ts, device, referrer, cached[1]))
                    out[name].meta.append((vid, sid, cid, ts, device, country, len(state.sessions) <= 1,
                                           types[row]))
        item_labels = labels[row] if row is not None else ()
        state.update(kind, ts, row, sid, value, item_labels, weights.get(kind, 0.0))
    for cutoff in cutoffs:
        churn[cutoff] = _snapshot(states, cutoff, churn_lookback_days)
    return out, churn


def _snapshot(states: dict, cutoff: float, lookback_days: float) -> tuple[list, np.ndarray]:
    """Visitors active in the lookback before the cutoff, with their features at the cutoff."""
    since = cutoff - lookback_days * 86400.0
    ids = [vid for vid, s in states.items() if s.last_ts is not None and s.last_ts >= since]
    x = np.array([states[v].visitor_features(cutoff) for v in ids], dtype=np.float32)
    return ids, x


def label_responses(meta: pd.DataFrame, events: pd.DataFrame, kind: str, within_s: float) -> np.ndarray:
    """1 when the same visitor, in the same session, `kind`s the impressed item within the time limit."""
    if meta.empty:
        return np.zeros(0, dtype=np.int8)
    hits = events[events["event_type"] == kind][["visitor_id", "session_id", "content_id", "ts"]]
    imp = meta[["visitor_id", "session_id", "content_id", "ts"]].reset_index()
    joined = imp.merge(hits, on=["visitor_id", "session_id", "content_id"], suffixes=("", "_hit"))
    ok = (joined["ts_hit"] >= joined["ts"]) & (joined["ts_hit"] <= joined["ts"] + within_s)
    y = np.zeros(len(meta), dtype=np.int8)
    y[joined.loc[ok, "index"].unique()] = 1
    return y


def label_churn(ids: list, events: pd.DataFrame, cutoff: float, horizon_s: float) -> np.ndarray:
    """1 when the visitor has no (non-impression) event in (cutoff, cutoff + horizon]."""
    active = events[(events["ts"] > cutoff) & (events["ts"] <= cutoff + horizon_s)
                    & (events["event_type"] != "impression")]["visitor_id"]
    back = set(active.unique())
    return np.array([0 if v in back else 1 for v in ids], dtype=np.int8)
