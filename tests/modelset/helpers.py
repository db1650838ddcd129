"""Model sets for loader and registry tests, written through the real writer."""
from __future__ import annotations

import pandas as pd
from pertinent.modelset.writer import write_model_set
from pertinent.recsys.baseline import PopularityRecommender

EVENTS = pd.DataFrame({
    "visitor_id": ["a", "b", "c", "a"],
    "timestamp": ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-02T00:00:00Z",
                  "2026-01-03T00:00:00Z"],
    "event_type": ["view", "click", "view", "view"],
    "content_id": ["1", "2", "2", "3"],
})


def popularity() -> PopularityRecommender:
    return PopularityRecommender().fit(EVENTS, pd.DataFrame({"content_id": ["1", "2", "3", "4"]}))


def write(models_dir, artifacts=None, version=None, keyring=None):
    """A valid model set (a popularity recommender unless told otherwise), signed with `keyring` or the
    test run's key; returns its folder."""
    return write_model_set(models_dir, artifacts if artifacts is not None else {"recommender": popularity()},
                           data_range={"start": "2026-01-01T00:00:00Z", "end": "2026-01-03T00:00:00Z"},
                           rows={"events": 4, "content": 4, "visitors": 3}, version=version, keyring=keyring)
