"""Intervals agree with independent references: statsmodels (Wilson, Katz log, Newcombe) and scipy (χ² Poisson)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2, norm
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from gcdb.equality import intervals as I

Z_VALUES = (1.0, 1.6448536269514722, 1.96, 2.5758293035489004)


def alpha(z: float) -> float:
    return 2 * norm.sf(z)


@st.composite
def two_groups(draw):
    n1 = draw(st.integers(1, 5000))
    n2 = draw(st.integers(1, 5000))
    x1 = draw(st.integers(1, n1))
    x2 = draw(st.integers(1, n2))
    return x1, n1, x2, n2


@given(
    st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from(Z_VALUES),
)
@settings(max_examples=150, deadline=None)
def test_wilson_matches_statsmodels(case, z):
    x, n = case
    low, high = I.wilson(x, n, z)
    ref_low, ref_high = proportion_confint(x, n, alpha=alpha(z), method="wilson")
    assert low == pytest.approx(ref_low, abs=1e-12)
    assert high == pytest.approx(ref_high, abs=1e-12)


def test_wilson_formula_by_hand():
    # x = 30, n = 1000, z = 1.96: (60 + 3.8416 ∓ 1.96·√(3.8416 + 120·0.97)) / (2·1003.8416)
    root = 1.96 * np.sqrt(1.96**2 + 4 * 30 * (1 - 30 / 1000))
    low, high = I.wilson(30, 1000)
    assert low == pytest.approx((60 + 1.96**2 - root) / (2 * (1000 + 1.96**2)))
    assert high == pytest.approx((60 + 1.96**2 + root) / (2 * (1000 + 1.96**2)))


def test_wilson_undefined_cases_are_nan():
    low, high = I.wilson([5, 5, -1], [0, 4, 10])
    assert np.isnan(low).all() and np.isnan(high).all()
    low, high = I.wilson([0, 10], [10, 10])
    assert low[0] == 0.0 and high[1] == 1.0


@given(two_groups(), st.sampled_from(Z_VALUES))
@settings(max_examples=150, deadline=None)
def test_katz_ratio_matches_statsmodels_log(case, z):
    x1, n1, x2, n2 = case
    rr, low, high = I.katz_ratio(x1, n1, x2, n2, z)
    ref_low, ref_high = confint_proportions_2indep(
        x1, n1, x2, n2, compare="ratio", method="log", alpha=alpha(z)
    )
    assert rr == pytest.approx((x1 / n1) / (x2 / n2))
    if x1 == n1 and x2 == n2:  # SE = 0: a degenerate point interval
        assert low == pytest.approx(rr) and high == pytest.approx(rr)
        return
    assert low == pytest.approx(ref_low, rel=1e-10)
    assert high == pytest.approx(ref_high, rel=1e-10)


@given(two_groups(), st.sampled_from(Z_VALUES))
@settings(max_examples=150, deadline=None)
def test_newcombe_matches_statsmodels(case, z):
    x1, n1, x2, n2 = case
    d, low, high = I.newcombe_difference(x1, n1, x2, n2, z)
    ref_low, ref_high = confint_proportions_2indep(
        x1, n1, x2, n2, compare="diff", method="newcomb", alpha=alpha(z)
    )
    assert d == pytest.approx(x1 / n1 - x2 / n2, abs=1e-15)
    assert low == pytest.approx(ref_low, abs=1e-12)
    assert high == pytest.approx(ref_high, abs=1e-12)


def test_newcombe_with_zero_counts_matches_statsmodels():
    for x1, n1, x2, n2 in ((0, 50, 7, 60), (5, 50, 0, 60), (0, 10, 0, 10)):
        _, low, high = I.newcombe_difference(x1, n1, x2, n2)
        ref = confint_proportions_2indep(x1, n1, x2, n2, compare="diff", method="newcomb", alpha=alpha(1.96))
        assert (low, high) == pytest.approx(ref, abs=1e-12)


def test_katz_zero_counts():
    rr, low, high = I.katz_ratio([0, 5, 5], [100, 100, 0], [5, 0, 5], [100, 100, 100])
    assert rr[0] == 0.0 and np.isnan(low[0]) and np.isnan(high[0])  # zero users: ratio 0, no log interval
    assert np.isnan(rr[1])  # zero reference
    assert np.isnan(rr[2])  # zero population


@pytest.mark.parametrize("z", Z_VALUES)
def test_poisson_exact_matches_chi2(z):
    x = np.arange(0, 40)
    low, high = I.poisson_exact(x, z)
    a = alpha(z)
    expected_low = np.where(x > 0, chi2.ppf(a / 2, np.maximum(2 * x, 1)) / 2, 0.0)
    expected_high = chi2.ppf(1 - a / 2, 2 * x + 2) / 2
    np.testing.assert_allclose(low, expected_low, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(high, expected_high, rtol=1e-9)


def test_poisson_byar_hand_formula_and_switch_at_ten():
    x = np.array([10.0, 25.0, 400.0])
    low, high = I.poisson_byar(x)
    z = 1.96
    np.testing.assert_allclose(low, x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3)
    np.testing.assert_allclose(high, (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3)
    # Byar is close to the exact interval from 10 on
    exact_low, exact_high = I.poisson_exact(x)
    np.testing.assert_allclose(low, exact_low, rtol=0.01)
    np.testing.assert_allclose(high, exact_high, rtol=0.01)
    # the combined interval: exact below 10, Byar from 10
    both_low, both_high = I.poisson_interval(np.array([9.0, 10.0]))
    e_low, e_high = I.poisson_exact(np.array([9.0]))
    b_low, b_high = I.poisson_byar(np.array([10.0]))
    assert both_low[0] == pytest.approx(e_low[0]) and both_high[0] == pytest.approx(e_high[0])
    assert both_low[1] == pytest.approx(b_low[0]) and both_high[1] == pytest.approx(b_high[0])


def test_poisson_ratio_and_difference_by_hand():
    # 40 uses over 1,000 residents vs 20 over 2,000: ratio 4, SE(ln) = √(1/40 + 1/20)
    rr, low, high = I.poisson_ratio(40, 1000, 20, 2000)
    se = np.sqrt(1 / 40 + 1 / 20)
    assert rr == pytest.approx(4.0)
    assert low == pytest.approx(4.0 * np.exp(-1.96 * se))
    assert high == pytest.approx(4.0 * np.exp(1.96 * se))
    # MOVER: d ∓ √((r1 − l1)² + (u2 − r2)²) with Byar limits (both counts ≥ 10)
    d, dl, dh = I.poisson_difference(40, 1000, 20, 2000)
    l1, u1 = I.poisson_byar(40.0)
    l2, u2 = I.poisson_byar(20.0)
    r1, r2 = 0.04, 0.01
    assert d == pytest.approx(0.03)
    assert dl == pytest.approx(0.03 - np.sqrt((r1 - l1 / 1000) ** 2 + (u2 / 2000 - r2) ** 2))
    assert dh == pytest.approx(0.03 + np.sqrt((u1 / 1000 - r1) ** 2 + (r2 - l2 / 2000) ** 2))


def test_alpha_from_z():
    assert I.alpha_from_z(1.96) == pytest.approx(alpha(1.96))
