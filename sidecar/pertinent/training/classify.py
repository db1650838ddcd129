"""Classifiers: successive-halving search over time-series folds, then calibration on later data.

Search space (documented; HistGradientBoostingClassifier):
  learning_rate   log-uniform 0.02 .. 0.3
  max_leaf_nodes  8, 15, 31, 63
  min_samples_leaf 10, 20, 50, 100
  l2_regularization log-uniform 1e-4 .. 10
  max_iter        the halving resource: grows 17 -> 150 for the surviving candidates
The search's best boosting model then competes with logistic regression (C in 0.1, 1, 10) on the same
time-series folds; the better one by AUC is kept. Class weighting and undersampling (weighting.py) are
then compared with the unweighted model on the same folds, by calibrated log loss; the winner is refit and
calibrated on the later examples. Baselines on the same examples: a constant (the training base rate) and
a standardised logistic regression.
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import loguniform
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401  (enables the import below)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import HalvingRandomSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..recsys.classifiers import ConstantModel
from .weighting import compare_weightings, fit_variant

SEARCH_SPACE = {
    "learning_rate": loguniform(0.02, 0.3),
    "max_leaf_nodes": [8, 15, 31, 63],
    "min_samples_leaf": [10, 20, 50, 100],
    "l2_regularization": loguniform(1e-4, 10.0),
}


def _enough(y: np.ndarray, minimum: int = 20) -> bool:
    return len(y) > 0 and min(int(y.sum()), int(len(y) - y.sum())) >= minimum


def logistic_baseline(x: np.ndarray, y: np.ndarray, seed: int):
    if not _enough(y, 2):
        return None
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=1.0, random_state=seed))
    return model.fit(x, y)


def fit_classifier(x: np.ndarray, y: np.ndarray, *, seed: int = 7, n_candidates: int = 8,
                   calibration_share: float = 0.2) -> tuple[object, dict]:
    """Tuned, calibrated gradient boosting on time-ordered examples; (model, report of the search)."""
    if not _enough(y):
        rate = float(y.mean()) if len(y) else 0.0
        return ConstantModel(rate), {"model": "constant", "reason": "too few positives"}
    cut = int(len(y) * (1 - calibration_share))
    if not (_enough(y[:cut]) and _enough(y[cut:], 5)):
        cut = len(y)
    base = HistGradientBoostingClassifier(random_state=seed, early_stopping=False)
    search = HalvingRandomSearchCV(base, SEARCH_SPACE, n_candidates=n_candidates, factor=3,
                                   resource="max_iter", min_resources=17, max_resources=150,
                                   cv=TimeSeriesSplit(n_splits=3), scoring="roc_auc", random_state=seed,
                                   refit=True, n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(x[:cut], y[:cut])
    info = {"model": "hist_gradient_boosting", "best_params": _plain(search.best_params_),
            "cv_auc": float(search.best_score_), "candidates": int(n_candidates),
            "folds": "TimeSeriesSplit(3)", "search": "HalvingRandomSearchCV(factor=3, resource=max_iter)"}
    best = search.best_estimator_
    lr_auc, lr = _best_logistic(x[:cut], y[:cut], seed)
    info["logistic_cv_auc"] = lr_auc
    if lr_auc > info["cv_auc"]:
        best, info["model"] = lr, "logistic_regression"
    if cut >= len(y):
        # A weighted model's scores are not rates; with nothing later to calibrate on, serve unweighted.
        info["weighting"] = {"chosen": "none", "variants": {}, "reason": "no later examples to calibrate on"}
        return best, {**info, "class_weight": "none", "calibration": "none (too few later examples)"}
    info["weighting"] = compare_weightings(best, x[:cut], y[:cut], seed=seed)
    info["class_weight"] = info["weighting"]["chosen"]
    if info["class_weight"] != "none":
        best = fit_variant(best, info["class_weight"], x[:cut], y[:cut], seed)
    calibrated = CalibratedClassifierCV(FrozenEstimator(best), method="sigmoid")
    calibrated.fit(x[cut:], y[cut:])
    return calibrated, {**info, "calibration": f"sigmoid on the last {calibration_share:.0%} by time"}


def _best_logistic(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, object]:
    """Logistic regression tuned on the same time-series folds: (cv AUC, model refit on all examples)."""
    best = (-1.0, 1.0)
    for c in (0.1, 1.0, 10.0):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=c, random_state=seed))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            auc = float(np.nanmean(cross_val_score(model, x, y, cv=TimeSeriesSplit(n_splits=3),
                                                   scoring="roc_auc")))
        best = max(best, (auc, c))
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=best[1], random_state=seed))
    return best[0], model.fit(x, y)


def _plain(params: dict) -> dict:
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in params.items()}
