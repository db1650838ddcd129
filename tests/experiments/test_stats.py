"""Confidence intervals against published values, and verdicts that only speak when the data allows."""
from __future__ import annotations

import pytest
from pertinent.experiments.stats import uplift, verdict, wilson


@pytest.mark.parametrize("successes,n,low,high", [
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0),
])
def test_wilson_interval_matches_published_values(successes, n, low, high):
    got = wilson(successes, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_of_no_trials_is_empty():
    assert wilson(0, 0) == (0.0, 0.0)


@pytest.mark.parametrize("s1,n1,s0,n0,low,high", [
    # Newcombe (1998), "Interval estimation for the difference between independent proportions", method 10.
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
])
def test_uplift_interval_matches_newcombe_hybrid_score(s1, n1, s0, n0, low, high):
    result = uplift(s1, n1, s0, n0)
    assert result.diff == pytest.approx(s1 / n1 - s0 / n0)
    assert (result.low, result.high) == pytest.approx((low, high), abs=5e-5)


def test_uplift_is_none_when_an_arm_has_no_impressions():
    assert uplift(3, 10, 0, 0) is None


def test_verdict_names_the_winner_with_its_interval_when_the_sample_is_large_enough():
    result = uplift(600, 5000, 400, 5000)
    text = verdict("model", 5000, 5000, result, min_impressions=1000)
    assert text.startswith("model beats default on click-through by 4.0 points, 95% CI ")
    assert f"{result.low * 100:.1f} to {result.high * 100:.1f}" in text


def test_verdict_says_nothing_about_a_winner_below_the_minimum_sample():
    # The same rates, clearly different, but the control arm is below its minimum: no conclusion yet.
    result = uplift(600, 5000, 40, 500)
    text = verdict("model", 5000, 500, result, min_impressions=1000)
    assert "not enough data yet" in text and "beats" not in text and "worse" not in text


def test_verdict_reports_no_clear_difference_when_the_interval_spans_zero():
    result = uplift(505, 5000, 500, 5000)
    text = verdict("rules", 5000, 5000, result, min_impressions=1000)
    assert text.startswith("no clear difference between rules only and default")


def test_verdict_says_worse_when_the_arm_loses():
    result = uplift(300, 5000, 500, 5000)
    assert verdict("canary", 5000, 5000, result, 1000).startswith("canary is worse than default")
