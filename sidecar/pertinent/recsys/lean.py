"""P(class 1) of a fitted calibrated classifier in a few numpy operations, for a dozen rows per request.

scikit-learn's `predict_proba` validates its input, dispatches through the pipeline and the calibration
wrapper and sets thread limits on every call: about 1.2 ms per classifier for 12 banner variants, most
of a banner slot's cost. The arithmetic is small. `compile_positive_proba` reads the fitted parameters
once (at the first scoring in each process) and returns a function computing the same probabilities;
for a model it does not know it returns None and the caller keeps scikit-learn's path.
tests/decision/test_lean_scoring.py checks equality with `predict_proba` for every family training serves.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import expit

Scorer = Callable[[np.ndarray], np.ndarray]


def compile_positive_proba(model) -> Scorer | None:
    """A numpy function x -> P(class 1) equal to the model's predict_proba, or None if not supported
    (or if reading the model fails: scikit-learn's own path then serves)."""
    try:
        scorer = _compile(model)
    except Exception:  # noqa: BLE001 - an unexpected model layout must cost speed, never answers
        return None
    width = getattr(model, "n_features_in_", None)
    if scorer is None or width is None:
        return scorer

    def checked(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != width:  # as scikit-learn refuses a row of the wrong width
            raise ValueError(f"X has {x.shape[-1]} features, the model expects {width}")
        return scorer(x)

    return checked


def _compile(model) -> Scorer | None:
    if list(getattr(model, "classes_", [])) != [0, 1]:
        return None
    calibrated = getattr(model, "calibrated_classifiers_", None)
    if calibrated is None:
        # Served uncalibrated (too few later examples): a binary log-loss model's P(1) is expit(f).
        decision = _decision_function(model)
        return None if decision is None else (lambda x: expit(decision(_floats(x))))
    parts = []
    for one in calibrated:
        if getattr(one, "method", None) != "sigmoid" or len(one.calibrators) != 1:
            return None
        decision = _decision_function(getattr(one.estimator, "estimator", one.estimator))
        if decision is None:
            return None
        # numpy float64 scalars, not Python floats: they lift a float32 decision to float64 as in sklearn.
        a, b = np.float64(one.calibrators[0].a_), np.float64(one.calibrators[0].b_)
        parts.append((decision, a, b))

    def positive(x: np.ndarray) -> np.ndarray:
        x = _floats(x)
        total = np.zeros(len(x))
        for decision, a, b in parts:
            total += expit(-(a * decision(x) + b))  # _SigmoidCalibration.predict
        return np.minimum(total / len(parts), 1.0)

    return positive


def _floats(x) -> np.ndarray:
    """float32 stays float32, as scikit-learn keeps it through a scaler (the last digits depend on it)."""
    x = np.asarray(x)
    return x if x.dtype in (np.float32, np.float64) else x.astype(np.float64)


def _decision_function(estimator) -> Scorer | None:
    steps = [s for _, s in estimator.steps] if hasattr(estimator, "steps") else [estimator]
    transforms, final = steps[:-1], steps[-1]
    prepare = _scalers(transforms)
    if prepare is None:
        return None
    name = type(final).__name__
    if name == "LogisticRegression" and final.coef_.shape[0] == 1:
        # Fitted dtypes as they are (a model fitted on float32 keeps float32 coefficients).
        coef, intercept = final.coef_.T, final.intercept_

        def linear(x: np.ndarray) -> np.ndarray:
            if np.isnan(x).any():  # scikit-learn refuses NaN here; a NaN score would sort anywhere
                raise ValueError("Input X contains NaN")
            return (prepare(x) @ coef + intercept).reshape(-1)

        return linear
    if name == "HistGradientBoostingClassifier" and not transforms:
        return _forest(final)
    return None


def _scalers(transforms) -> Scorer | None:
    """The pipeline's StandardScalers as one function; None if the pipeline holds anything else."""
    fitted = []
    for step in transforms:
        if type(step).__name__ != "StandardScaler":
            return None
        mean = step.mean_ if step.with_mean and step.mean_ is not None else 0.0
        scale = step.scale_ if step.with_std and step.scale_ is not None else 1.0
        fitted.append((mean, scale))

    def prepare(x: np.ndarray) -> np.ndarray:
        for mean, scale in fitted:
            # As StandardScaler.transform does it: the statistics cast to the input's dtype first.
            x = (x - np.asarray(mean, dtype=x.dtype)) / np.asarray(scale, dtype=x.dtype)
        return x

    return prepare


def _forest(model) -> Scorer | None:
    """Every tree walked level by level for all rows at once: node arrays of all trees concatenated."""
    if getattr(model, "_preprocessor", None) is not None or model.n_trees_per_iteration_ != 1:
        return None
    trees = [predictors[0] for predictors in model._predictors]
    if any(t.nodes["is_categorical"].any() for t in trees):
        return None
    offsets = np.cumsum([0] + [len(t.nodes) for t in trees[:-1]])
    nodes = np.concatenate([t.nodes for t in trees])
    left = nodes["left"].astype(np.int64)
    right = nodes["right"].astype(np.int64)
    shift = np.repeat(offsets, [len(t.nodes) for t in trees])
    left, right = left + shift, right + shift  # child indexes into the concatenated array
    feature = nodes["feature_idx"].astype(np.int64)
    threshold = nodes["num_threshold"].astype(np.float64)
    missing_left = nodes["missing_go_to_left"].astype(bool)
    leaf = nodes["is_leaf"].astype(bool)
    value = nodes["value"].astype(np.float64)
    depth = int(nodes["depth"].max()) if len(nodes) else 0
    baseline = float(np.ravel(model._baseline_prediction)[0])
    roots = offsets.astype(np.int64)

    def raw(x: np.ndarray) -> np.ndarray:
        x = x.astype(np.float64)  # scikit-learn's trees compare in float64
        at = np.broadcast_to(roots, (len(x), len(roots))).copy()
        rows = np.arange(len(x))[:, None]
        for _ in range(depth):
            inner = ~leaf[at]
            if not inner.any():
                break
            v = x[rows, feature[at]]
            go_left = np.where(np.isnan(v), missing_left[at], v <= threshold[at])
            at = np.where(inner, np.where(go_left, left[at], right[at]), at)
        return baseline + value[at].sum(axis=1)

    return raw
