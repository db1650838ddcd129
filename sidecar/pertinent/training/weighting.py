"""Rare outcomes on purpose: class weighting and resampling compared on the classifier's time-series folds.

Weighting the rare class (or dropping negatives) pushes every score up, so the raw outputs stop being
rates. Each variant is therefore sigmoid-calibrated on the later part of each fold's training slice and
judged on calibrated probabilities: log loss decides (a proper score: it rewards ranking and calibration
together), PR-AUC, Brier and calibration error are reported beside it.
"""
from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss
from sklearn.model_selection import TimeSeriesSplit

# "balanced" weighs positives by n_negative / n_positive; "sqrt_balanced" by its square root (milder);
# "undersample" keeps every example of the rarer class and a seeded draw of UNDERSAMPLE_RATIO of the other
# class per rare one (with "balanced", the usual answer to rare outcomes; oversampling only repeats rows).
VARIANTS = ("none", "balanced", "sqrt_balanced", "undersample")
UNDERSAMPLE_RATIO = 9
# A variant replaces "none" only when it lowers the mean fold log loss by more than this share: smaller
# differences are fold noise, and unweighted probabilities need the least correction.
MIN_GAIN = 0.002
CALIBRATION_SHARE = 0.25
# Compared only when the rarer class is under this share: at 14% (demo clicks) and 30% (churn) every variant
# came within 1% of unweighted on every metric (bench/classifiers.py), and the comparison's refits made
# the click step 2.5x slower (5.4 s -> 13.7 s on the demo site, ~50 s at 1M events).
RARE_SHARE = 0.10


def calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: |mean predicted - observed rate| per quantile bin, weighted by size."""
    order = np.argsort(p, kind="stable")
    parts = [part for part in np.array_split(order, min(bins, len(p))) if len(part)]
    return float(sum(len(part) * abs(p[part].mean() - y[part].mean()) for part in parts) / len(p))


def _class_weight_key(model) -> str:
    """The class_weight parameter of the model or of the classifier step in its pipeline."""
    return next(k for k in model.get_params() if k == "class_weight" or k.endswith("__class_weight"))


def fit_variant(model, variant: str, x: np.ndarray, y: np.ndarray, seed: int):
    """A fresh clone of model fitted with one weighting variant."""
    model = clone(model)
    n_pos = max(int(y.sum()), 1)
    n_neg = max(len(y) - n_pos, 1)
    if variant == "balanced":
        model.set_params(**{_class_weight_key(model): "balanced"})
    elif variant == "sqrt_balanced":
        model.set_params(**{_class_weight_key(model): {0: 1.0, 1: float(np.sqrt(n_neg / n_pos))}})
    elif variant == "undersample":
        x, y = undersample(x, y, seed)
    elif variant != "none":
        raise ValueError(f"unknown weighting variant {variant!r}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(x, y)


def undersample(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """All of the rarer class and UNDERSAMPLE_RATIO of the other per rare example, in time order."""
    rare = 0 if len(y) and y.mean() > 0.5 else 1
    common = np.flatnonzero(y != rare)
    keep_common = int((y == rare).sum()) * UNDERSAMPLE_RATIO
    if keep_common >= len(common):
        return x, y
    drawn = np.random.default_rng(seed).choice(common, size=keep_common, replace=False)
    keep = np.sort(np.concatenate([np.flatnonzero(y == rare), drawn]))
    return x[keep], y[keep]


def applicable(y: np.ndarray, variants=VARIANTS) -> tuple[str, ...]:
    """The variants that change something: with classes close in size, undersampling drops nothing."""
    rare = min(int(y.sum()), int(len(y) - y.sum()))
    return tuple(v for v in variants if v != "undersample" or rare * (UNDERSAMPLE_RATIO + 1) < len(y))


def _has_both(y: np.ndarray, minimum: int) -> bool:
    return min(int(y.sum()), int(len(y) - y.sum())) >= minimum


def _fold_scores(model, variant, x_fit, y_fit, x_cal, y_cal, x_test, y_test, seed) -> dict:
    fitted = fit_variant(model, variant, x_fit, y_fit, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class" from the frozen model's unused splits
        calibrated = CalibratedClassifierCV(FrozenEstimator(fitted), method="sigmoid").fit(x_cal, y_cal)
    p = np.clip(calibrated.predict_proba(x_test)[:, 1], 1e-6, 1 - 1e-6)
    return {"pr_auc": float(average_precision_score(y_test, p)), "log_loss": float(log_loss(y_test, p)),
            "brier": float(brier_score_loss(y_test, p)), "calibration_error": calibration_error(y_test, p)}


def compare_weightings(model, x: np.ndarray, y: np.ndarray, *, seed: int = 7, n_splits: int = 3,
                       variants=VARIANTS) -> dict:
    """Mean calibrated fold metrics per variant and the one chosen: {"chosen", "variants", ...}."""
    base = {"folds": 0, "base_rate": float(y.mean()) if len(y) else 0.0,
            "chosen_by": f"mean log loss, sigmoid-calibrated, over TimeSeriesSplit({n_splits})"}
    rare_share = min(base["base_rate"], 1 - base["base_rate"])
    if rare_share >= RARE_SHARE:
        return {**base, "chosen": "none", "variants": {},
                "reason": f"not a rare outcome (the rarer class is {rare_share:.0%} of examples; "
                          f"weighting is compared below {RARE_SHARE:.0%})"}
    variants = applicable(y, variants)
    scores: dict[str, list[dict]] = {v: [] for v in variants}
    for train_idx, test_idx in TimeSeriesSplit(n_splits=n_splits).split(x):
        cut = int(len(train_idx) * (1 - CALIBRATION_SHARE))
        fit_idx, cal_idx = train_idx[:cut], train_idx[cut:]
        if not (_has_both(y[fit_idx], 5) and _has_both(y[cal_idx], 2) and _has_both(y[test_idx], 1)):
            continue  # a fold without positives in each part cannot say anything about rare outcomes
        for variant in variants:
            scores[variant].append(_fold_scores(model, variant, x[fit_idx], y[fit_idx], x[cal_idx],
                                                y[cal_idx], x[test_idx], y[test_idx], seed))
    folds = base["folds"] = len(scores[variants[0]])
    if folds == 0:
        return {**base, "chosen": "none", "variants": {}, "reason": "no fold had positives in every part"}
    means = {v: {k: float(np.mean([s[k] for s in scores[v]])) for k in scores[v][0]} for v in variants}
    return {**base, "chosen": choose(means), "variants": means}


def choose(means: dict[str, dict]) -> str:
    """The variant with the lowest mean log loss, unless it beats "none" by no more than MIN_GAIN."""
    best = min(means, key=lambda v: means[v]["log_loss"])
    if "none" in means and means[best]["log_loss"] > means["none"]["log_loss"] * (1 - MIN_GAIN):
        return "none"
    return best
