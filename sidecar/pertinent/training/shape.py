"""What a data set can train, said in the user's words: checked before fitting, reported after it.

Real exports come in odd shapes (only impressions, a catalog of banners only, one timestamp on every
row, no conversions at all). What cannot train anything stops with a message naming the problem;
a model that cannot be learnt from the data is replaced by its base rate and named as skipped.
"""
from __future__ import annotations

import pandas as pd

from .ranking import READ_EVENTS, is_post

CLASSIFIERS = ("click", "conversion", "churn")


def untrainable(events: pd.DataFrame, items) -> str | None:
    """Why these events and this catalog cannot train a model set, or None when they can be tried."""
    types = {i.id: i.type for i in items}
    if types and all(t == "variant" for t in types.values()):
        return (f"the catalog holds only banner/CTA variants ({len(types)} items): recommendations need "
                "posts or pages to rank")
    reads = events["event_type"].isin(READ_EVENTS).to_numpy() & (events["content_id"] != "").to_numpy()
    reads &= is_post(events["content_id"], types)
    if not reads.any():
        found = ", ".join(f"{n} {kind}" for kind, n in events["event_type"].value_counts().items())
        return (f"no view or click of a post or page among the events (found {found or 'none'}): "
                "there is nothing to learn a ranking from")
    if events["ts"].nunique() < 2:
        return ("every event has the same timestamp: the time split (train, validation, test) needs "
                "events spread over time")
    return None


def unevaluable(events: pd.DataFrame) -> str | None:
    """Why a model set cannot be measured on these events, or None."""
    if events.empty:
        return "no usable events to evaluate on"
    if events["ts"].nunique() < 2:
        return "every event has the same timestamp: there is no later window to evaluate on"
    return None


def skipped_models(hyperparameters: dict) -> list[str]:
    """'conversion: too few positives ...' for each classifier that fell back to its base rate."""
    out = []
    for name in CLASSIFIERS:
        info = (hyperparameters or {}).get(name) or {}
        if info.get("model") == "constant":
            out.append(f"{name}: {info.get('reason') or 'not learnable from this data'} in the validation "
                       "window it learns from; it predicts the base rate")
    return out
