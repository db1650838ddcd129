"""`pertinent evaluate`: measure an existing model set on events it may not have seen."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import load_config
from ..modelset.loader import load_model_set
from ..recsys.classifiers import positive_proba
from .liveset import _end
from .metrics import classification_metrics
from .ranking import evaluate_ranking, ranking_cases
from .replay import label_responses, replay
from .shape import unevaluable
from .steps import CLICK_WINDOW_S, popularity_baseline


def evaluate_model_set(path, events: pd.DataFrame, items, *, k: int = 10, test_share: float = 0.15,
                       max_cases: int = 3000, seed: int = 7) -> dict:
    """Ranking and click metrics of the set on the last `test_share` of the events, vs popularity."""
    problem = unevaluable(events)
    if problem:
        from .pipeline import TrainingDataError

        raise TrainingDataError(problem)
    ms = load_model_set(path)
    types = {i.id: i.type for i in items}
    if ms.recommender is not None and hasattr(ms.recommender, "observe_catalog"):
        ms.recommender.observe_catalog(items)
    ts = events["ts"].to_numpy()
    t_test = float(np.quantile(ts, 1 - test_share))
    history = load_config().history_limit  # as much history as decide reads, as training measured it
    cases = ranking_cases(events, t_test, float(ts.max()) + 1, types, max_cases=max_cases, seed=seed,
                          history=history)
    n_posts = sum(t != "variant" for t in types.values())
    weights = ms.manifest.get("hyperparameters", {}).get("event_weights") or None
    popular = popularity_baseline(events[events["ts"] < t_test], types, weights or {})
    out = {"version": ms.version, "window": {"start": t_test, "end": float(ts.max())}, "k": k,
           "metrics": {}, "baseline_metrics": {}}
    trained_until = _end(ms.manifest)
    if trained_until is not None and trained_until > t_test:
        out["warning"] = ("the set was trained on events inside this window: its metrics here are "
                          "optimistic; evaluate on events newer than its data_range.end")
    if ms.recommender is not None:
        out["metrics"]["ranking"] = evaluate_ranking(ms.recommender, cases, k, n_posts)
        out["baseline_metrics"]["ranking_popularity"] = evaluate_ranking(popular, cases, k, n_posts)
    scorer = ms.variant_scorer
    if scorer is not None and hasattr(scorer, "click_features"):
        examples, _ = replay(events, scorer.click_features, {"test": (t_test, float(ts.max()) + 1)})
        x, meta = examples["test"].frame()
        y = label_responses(meta, events, "click", CLICK_WINDOW_S)
        p = positive_proba(scorer.click_model, x) if len(x) else np.zeros(0)
        out["metrics"]["click"] = classification_metrics(y, p)
        out["baseline_metrics"]["click_constant"] = classification_metrics(
            y, np.full(len(y), y.mean() if len(y) else 0.0))
    return out
