"""Features for time t use only events before t; serving builds the same features from a history."""
from __future__ import annotations

import numpy as np
import pandas as pd
from pertinent.domain import PageContext
from pertinent.modelset.loader import load_model_set
from pertinent.modelset.protocols import RecommendQuery
from pertinent.training.io import read_events
from pertinent.training.ranking import _events
from pertinent.training.replay import replay


def _features(trained):
    result, _ = trained
    return load_model_set(result.path).variant_scorer.click_features


def test_features_at_t_do_not_change_when_future_events_are_added(trained, demo_site):
    features = _features(trained)
    events = read_events(demo_site["events_path"])
    ts = events["ts"].to_numpy()
    start, cutoff = np.quantile(ts, [0.5, 0.7])
    before = events[events["ts"] < cutoff]
    # The future: copies of later events for the same visitors, shifted to just after the cutoff,
    # plus conversions on everything; if any feature peeked ahead these would move it.
    future = events[events["ts"] >= cutoff].copy()
    extra = future.assign(event_type="conversion", ts=cutoff + 1.0)
    with_future = pd.concat([before, future, extra]).sort_values("ts", kind="stable").reset_index(drop=True)
    a, _ = replay(before, features, {"w": (start, cutoff)}, churn_cutoffs=[cutoff])
    b, _ = replay(with_future, features, {"w": (start, cutoff)}, churn_cutoffs=[cutoff])
    xa, ma = a["w"].frame()
    xb, mb = b["w"].frame()
    assert len(xa) > 1000
    assert np.array_equal(xa, xb)
    assert ma.equals(mb)


def test_churn_snapshot_at_cutoff_ignores_later_events(trained, demo_site):
    features = _features(trained)
    events = read_events(demo_site["events_path"])
    cutoff = float(np.quantile(events["ts"], 0.6))
    _, early = replay(events[events["ts"] < cutoff], features, {}, churn_cutoffs=[cutoff])
    _, full = replay(events, features, {}, churn_cutoffs=[cutoff])
    assert early[cutoff][0] == full[cutoff][0]
    assert np.array_equal(early[cutoff][1], full[cutoff][1])


def test_serving_features_equal_training_features(trained, demo_site):
    """The variant scorer rebuilds a visitor's state from history exactly as the training replay did."""
    ms = load_model_set(trained[0].path)
    features = ms.variant_scorer.click_features
    events = read_events(demo_site["events_path"])
    t = float(np.quantile(events["ts"], 0.8))
    imp = events[(events["ts"] >= t) & (events["event_type"] == "impression")].iloc[0]
    examples, _ = replay(events[events["ts"] <= imp["ts"]], features, {"w": (imp["ts"], imp["ts"] + 1)})
    x, meta = examples["w"].frame()
    same = (meta["content_id"] == imp["content_id"]) & (meta["visitor_id"] == imp["visitor_id"])
    first = meta.index[same][0]
    past = events[(events["visitor_id"] == imp["visitor_id"]) & (events["ts"] < imp["ts"])]
    query = RecommendQuery(history=_events(past), k=1, context=PageContext(
        device=imp["device"], referrer=imp["referrer"], now=imp["timestamp"].to_pydatetime()))
    served = ms.variant_scorer.feature_rows(query, [imp["content_id"]])
    assert np.allclose(served[0], x[first], atol=1e-5)
