"""Population stability index: known values, symmetry of nothing-changed, numeric binning."""
from __future__ import annotations

import random
from collections import Counter

import pytest
from pertinent.monitoring.psi import psi_counts, psi_numeric


def test_psi_of_a_known_shift():
    reference = Counter({"a": 25_000, "b": 25_000, "c": 25_000, "d": 25_000})
    live = Counter({"a": 10_000, "b": 20_000, "c": 30_000, "d": 40_000})
    # sum((live - ref) * ln(live / ref)) over the four shares: 0.2282 by hand.
    assert psi_counts(reference, live) == pytest.approx(0.2282, abs=5e-4)


def test_psi_is_zero_for_the_same_distribution_and_finite_for_new_categories():
    same = Counter({"desktop": 700, "mobile": 300})
    assert psi_counts(same, Counter({"desktop": 350, "mobile": 150})) == pytest.approx(0.0, abs=1e-3)
    moved = psi_counts(same, Counter({"tablet": 500, "mobile": 500}))
    assert 1.0 < moved < 20.0


def test_numeric_psi_flags_a_shifted_score_distribution_only():
    rng = random.Random(1)
    reference = [rng.gauss(0.3, 0.1) for _ in range(5_000)]
    stable = [rng.gauss(0.3, 0.1) for _ in range(5_000)]
    shifted = [rng.gauss(0.45, 0.1) for _ in range(5_000)]
    assert psi_numeric(reference, stable) < 0.02
    assert psi_numeric(reference, shifted) > 0.25
