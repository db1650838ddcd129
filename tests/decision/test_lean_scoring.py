"""The lean numpy scoring path gives the probabilities scikit-learn's predict_proba gives, for every
model family training can serve (recsys/lean.py), and is used by the variant scorer."""
from __future__ import annotations

import numpy as np
import pytest
from pertinent.domain import PageContext
from pertinent.modelset.loader import load_model_set
from pertinent.modelset.protocols import RecommendQuery
from pertinent.recsys.classifiers import ConstantModel, positive_proba
from pertinent.recsys.lean import compile_positive_proba
from pertinent.training.classify import fit_classifier
from pertinent.training.weighting import fit_variant
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def examples(n=3000, seed=0, missing=0.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype(np.float32)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1.5 + x[:, 0] - 0.7 * x[:, 1] * x[:, 2])))).astype(int)
    if missing:
        x[rng.random(x.shape) < missing] = np.nan
    return x, y


def boosting(x, y, **params):
    return HistGradientBoostingClassifier(random_state=0, early_stopping=False, **params).fit(x, y)


def logistic(x, y):
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=0.1)).fit(x, y)


def calibrated(model, x, y):
    return CalibratedClassifierCV(FrozenEstimator(model), method="sigmoid").fit(x, y)


@pytest.mark.parametrize("family", ["boosting", "boosting with missing values", "deep boosting",
                                    "logistic", "boosting uncalibrated", "logistic uncalibrated",
                                    "balanced logistic", "undersampled boosting"])
def test_the_lean_path_equals_predict_proba(family):
    x, y = examples(missing=0.1 if "missing" in family else 0.0)
    fit, cal = x[:2400], x[2400:]
    base = {"boosting": lambda: boosting(fit, y[:2400], max_iter=60),
            "boosting with missing values": lambda: boosting(fit, y[:2400], max_iter=60),
            "deep boosting": lambda: boosting(fit, y[:2400], max_iter=40, max_leaf_nodes=63),
            "logistic": lambda: logistic(fit, y[:2400]),
            "boosting uncalibrated": lambda: boosting(fit, y[:2400], max_iter=30),
            "logistic uncalibrated": lambda: logistic(fit, y[:2400]),
            "balanced logistic": lambda: fit_variant(logistic(fit, y[:2400]), "balanced", fit, y[:2400], 0),
            "undersampled boosting": lambda: fit_variant(boosting(fit, y[:2400], max_iter=30), "undersample",
                                                         fit, y[:2400], 0)}[family]()
    model = base if "uncalibrated" in family else calibrated(base, cal, y[2400:])
    lean = compile_positive_proba(model)
    assert lean is not None, f"{family} must have a lean path"
    probe, _ = examples(n=500, seed=1, missing=0.2 if "missing" in family else 0.0)
    np.testing.assert_allclose(lean(probe), positive_proba(model, probe), rtol=1e-9, atol=1e-12)


def test_what_training_chooses_compiles_and_agrees():
    x, y = examples(n=4000, seed=3)
    model, info = fit_classifier(x, y, seed=7, n_candidates=4)
    lean = compile_positive_proba(model)
    assert lean is not None, info["model"]
    np.testing.assert_allclose(lean(x[:300]), positive_proba(model, x[:300]), rtol=1e-9, atol=1e-12)


def test_a_model_it_does_not_know_is_left_to_scikit_learn():
    assert compile_positive_proba(ConstantModel(0.2)) is None


def test_the_shipped_variant_scorer_scores_with_the_lean_path_and_the_same_numbers(shipped_set):
    scorer = load_model_set(shipped_set).variant_scorer
    query = RecommendQuery(history=[], context=PageContext(device="mobile"), k=1)
    ids = [str(9000 + i) for i in range(12)]
    x = scorer.feature_rows(query, ids)
    click, convert = positive_proba(scorer.click_model, x), positive_proba(scorer.conversion_model, x)
    expected = 1 - (1 - click) * (1 - convert)
    got = scorer.score_variants(query, ids)
    np.testing.assert_allclose([got[i] for i in ids], expected, rtol=1e-9, atol=1e-12)
    assert all(compile_positive_proba(m) is not None for m in (scorer.click_model, scorer.conversion_model))


def test_the_lean_path_refuses_what_scikit_learn_refuses():
    x, y = examples()
    model = calibrated(logistic(x[:2400], y[:2400]), x[2400:], y[2400:])
    lean = compile_positive_proba(model)
    with pytest.raises(ValueError):
        lean(np.full((1, 6), np.nan, dtype=np.float32))
    with pytest.raises(ValueError):
        lean(np.zeros((1, 7), dtype=np.float32))
