"""Rare outcomes: class weighting is kept where it wins on the time-series folds, refused where it loses."""
from __future__ import annotations

import numpy as np
import pytest
from pertinent.training.classify import fit_classifier
from pertinent.training.weighting import (
    MIN_GAIN,
    applicable,
    calibration_error,
    choose,
    compare_weightings,
    fit_variant,
    undersample,
)
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits


def pocket_case(seed: int, n: int = 20_000):
    """~0.6% positives, nearly all in a small pocket of two features, graded by a third."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6))
    pocket = (x[:, 0] > 1.6) & (x[:, 1] > 1.0)
    logit = np.where(pocket, -0.5 + x[:, 2], -6.0)
    return x, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)


def tail_case(seed: int, n: int = 20_000):
    """~1.6% positives whose bulk and tail pull a linear model in opposite directions."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    logit = np.where(x[:, 0] > 1.5, -4 + 3 * (x[:, 0] - 1.5) + 2 * x[:, 1], -6.5 - 1.5 * x[:, 1])
    return x, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)


# Short, heavily regularised boosting (the halving search's first rung): on rare positives the l2 penalty
# swamps the tiny hessians of unweighted leaves, and weighting the positives gives them back their say.
SHORT_BOOSTING = HistGradientBoostingClassifier(learning_rate=0.02, max_iter=17, l2_regularization=10.0,
                                                max_leaf_nodes=8, min_samples_leaf=20, early_stopping=False,
                                                random_state=0)


@pytest.mark.parametrize("seed", [1, 2])
def test_weighting_is_chosen_where_it_clearly_lowers_calibrated_log_loss(seed):
    x, y = pocket_case(seed)
    with threadpool_limits(1):
        comparison = compare_weightings(SHORT_BOOSTING, x, y, seed=seed)
    means = comparison["variants"]
    assert comparison["folds"] == 3 and comparison["base_rate"] < 0.01
    assert comparison["chosen"] != "none"
    best = min(means, key=lambda v: means[v]["log_loss"])
    assert comparison["chosen"] == best
    assert means[best]["log_loss"] < means["none"]["log_loss"] * (1 - 0.01)


@pytest.mark.parametrize("seed", [2, 3])
def test_unweighted_model_is_kept_where_weighting_loses(seed):
    x, y = tail_case(seed)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    comparison = compare_weightings(model, x, y, seed=seed)
    means = comparison["variants"]
    assert comparison["chosen"] == "none"
    assert means["balanced"]["log_loss"] > 1.05 * means["none"]["log_loss"]
    assert means["balanced"]["pr_auc"] < means["none"]["pr_auc"]


def test_common_outcomes_are_not_reweighted_and_say_why():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3000, 2))
    y = (rng.random(3000) < 0.3).astype(int)
    comparison = compare_weightings(LogisticRegression(max_iter=1000), x, y, seed=4)
    assert comparison["chosen"] == "none" and comparison["variants"] == {}
    assert "not a rare outcome" in comparison["reason"]


def test_a_variant_within_fold_noise_of_unweighted_does_not_replace_it():
    close = {"none": {"log_loss": 0.1000}, "balanced": {"log_loss": 0.1000 * (1 - MIN_GAIN / 2)}}
    assert choose(close) == "none"
    clear = {"none": {"log_loss": 0.1000}, "balanced": {"log_loss": 0.1000 * (1 - 3 * MIN_GAIN)}}
    assert choose(clear) == "balanced"


def test_class_weight_reaches_the_classifier_inside_a_pipeline():
    x, y = tail_case(1, n=4000)
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    plain = fit_variant(pipeline, "none", x, y, seed=1)
    weighted = fit_variant(pipeline, "balanced", x, y, seed=1)
    assert weighted[-1].class_weight == "balanced" and plain[-1].class_weight is None
    # Balanced weights raise every score: the mean prediction moves far above the base rate.
    assert weighted.predict_proba(x)[:, 1].mean() > 5 * plain.predict_proba(x)[:, 1].mean()


def test_undersampling_keeps_every_rare_example_and_nine_of_the_other_per_rare_one():
    x, y = pocket_case(1, n=5000)
    xs, ys = undersample(x, y, seed=1)
    assert ys.sum() == y.sum() and (ys == 0).sum() == 9 * y.sum()
    rows = {tuple(r) for r in x.round(9)}
    assert all(tuple(r) in rows for r in xs.round(9))
    assert "undersample" in applicable(y)
    assert "undersample" not in applicable(np.array([0, 1] * 50))


def test_calibration_error_is_zero_for_rates_and_large_for_inflated_scores():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 0.2, 50_000)
    y = (rng.random(len(p)) < p).astype(int)
    assert calibration_error(y, p) < 0.005
    assert calibration_error(y, np.clip(p * 4, 0, 1)) > 0.2


def test_fit_classifier_records_the_comparison_and_serves_a_calibrated_winner():
    x, y = pocket_case(2)
    with threadpool_limits(1):
        model, info = fit_classifier(x, y, seed=2, n_candidates=4)
    assert set(info["weighting"]["variants"]) >= {"none", "balanced", "sqrt_balanced"}
    assert info["class_weight"] == info["weighting"]["chosen"]
    assert "sigmoid" in info["calibration"]
    # Calibrated after weighting: the mean probability stays near the base rate, not inflated.
    assert model.predict_proba(x)[:, 1].mean() == pytest.approx(y.mean(), rel=0.5)


def test_weighting_is_refused_when_nothing_later_is_left_to_calibrate_on():
    x, y = pocket_case(3, n=6000)
    _, info = fit_classifier(x, y, seed=3, n_candidates=2, calibration_share=0.0)
    assert info["class_weight"] == "none" and "calibrate" in info["weighting"]["reason"]
