"""gcdb's HEAT measures agree with WHO's healthequal on healthequal's own test values.

Expected values: healthequal 1.0.1, ``tests/testthat/test-*.R`` (github.com/WHOequity/healthequal, commit 3e7e040).
Inputs: those tests build them with R's random numbers,

    set.seed(123); pop <- round(rnorm(25, 1000, 300)); est <- rbinom(25, 1000, .065)
    se <- rbinom(25, 100, .045); ref <- rep(0, 25); ref[sample(25, 1)] <- 1        # non-ordered, scale 100
    set.seed(123); pop <- round(rnorm(5, 100, 40)); est <- c(20, 30, 40, 50, 60)    # ordered, scale 100
    se <- c(5, 7, 10, 12, 14)

— the numbers below are what R 4.2 draws for them (the reference subgroup is the 14th).

Where the methods or units differ (``gcdb.equality.heat`` docstring, methods.md §3) the test says so:

* healthequal's test file keeps older TI and MLD values (5.0359201, 5.0524006), 1.2·10⁻⁵ and 9·10⁻⁶ away from
  what healthequal 1.0.1 itself returns for these inputs (5.035980303, 5.052355207; within its test tolerance of
  10⁻⁴ and 10⁻³); gcdb agrees with the returned values to 10⁻⁹ and with the test values to their tolerance;
* likewise its ACI and RCI standard errors (9·10⁻⁷ and 5·10⁻⁷ from what its regression gives in R today) and the
  intervals of RCI and of the ordered PAR (not est ± 1.96·se of the file's own est and se); gcdb agrees with the
  regression's values to 10⁻¹⁰, with the file's standard errors to 10⁻⁶ and with its intervals to its tolerance;
* healthequal returns the standard error of TI and MLD unscaled beside the ×1000 estimate, of PAF on the
  proportion scale beside the percent estimate and of SII unscaled beside the scaled estimate: gcdb's are 1000,
  100 and 100 times larger (in the estimate's unit), and its intervals accordingly wider.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from gcdb.equality import names as N
from gcdb.equality import summary_measures

Z = norm.ppf(0.975)
REL = 1e-6

POP = [832, 931, 1468, 1021, 1039, 1515, 1138, 620, 794, 866, 1367, 1108, 1120, 1033, 833, 1536, 1149, 410, 1210,
       858, 680, 935, 692, 781, 812]  # fmt: skip
EST = [61, 74, 58, 59, 72, 75, 74, 68, 75, 67, 73, 63, 66, 62, 60, 66, 71, 73, 71, 61, 74, 84, 55, 69, 60]
SE = [5, 3, 3, 3, 4, 9, 2, 2, 2, 5, 5, 7, 5, 6, 4, 5, 6, 6, 9, 4, 3, 4, 1, 3, 7]
REF = 13  # R's ref[sample(25, 1)] <- 1 after the draws above marks the 14th subgroup

ORD_POP = [78, 91, 162, 103, 105]
ORD_EST = [20, 30, 40, 50, 60]
ORD_SE = [5, 7, 10, 12, 14]


def _table(**kwargs):
    kwargs.setdefault("z", Z)  # healthequal's intervals use qnorm(0.975)
    frame = summary_measures(scale=100, **kwargs)
    return frame.set_index(N.MEASURE)


@pytest.fixture(scope="module")
def unordered():
    groups = [f"g{i}" for i in range(25)]
    return _table(rate=EST, population=POP, groups=groups, se=SE, reference=groups[REF])


@pytest.fixture(scope="module")
def best_as_reference():
    """healthequal's paf() and parisk() of a non-ordered dimension take the best subgroup as the reference."""
    return _table(rate=EST, population=POP, se=SE)


@pytest.fixture(scope="module")
def ordered():
    return _table(rate=ORD_EST, population=ORD_POP, se=ORD_SE, ordered=True)


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("BGV", 46.198326),  # test-bgv.R
        ("BGSD", 6.7969351),  # test-bgsd.R
        ("IDISU", 8.7018175),  # test-idisu.R
        ("IDISW", 8.6178417),  # test-idisw.R
        ("MDBU", 16.360001),  # test-mdbu.R
        ("MDBW", 16.293156),  # test-mdbw.R
        ("MDMU", 5.891726),  # test-mdmu.R
        ("MDMW", 5.8348689),  # test-mdmw.R
        ("MDRU", 7.2399998),  # test-mdru.R
        ("MDRW", 7.2228465),  # test-mdrw.R
    ],
)
def test_unordered_estimates(unordered, measure, expected):
    assert unordered.loc[measure, N.VALUE] == pytest.approx(expected, rel=REL)


def test_unordered_standard_errors(unordered, best_as_reference):
    assert unordered.loc["BGV", N.SE] == pytest.approx(17.134647, rel=REL)  # test-bgv.R
    paf, par = best_as_reference.loc["PAF"], best_as_reference.loc["PAR"]
    assert paf[N.VALUE] == pytest.approx(24.06426, rel=REL)  # test-paf-nonordered.R
    assert par[N.VALUE] == pytest.approx(16.293152, rel=REL)  # test-par-nonordered.R
    assert par[N.SE] == pytest.approx(1.1994447, rel=REL)
    # test-paf-nonordered.R: .01771526 on the proportion scale; gcdb's is in percent points
    assert paf[N.SE] / 100 == pytest.approx(0.01771526, rel=REL)
    assert par[N.CI_LOW] == pytest.approx(par[N.VALUE] - Z * par[N.SE], rel=1e-12)
    # the file's interval (13.94224, 18.644063) was computed with an earlier standard error: its own tolerance
    assert [par[N.CI_LOW], par[N.CI_HIGH]] == pytest.approx([13.94224, 18.644063], rel=1e-4)


def test_theil_and_mean_log_deviation(unordered):
    ti, mld = unordered.loc["TI_x1000"], unordered.loc["MLD_x1000"]
    # what healthequal 1.0.1's ti() and mld() return for these inputs …
    assert ti[N.VALUE] == pytest.approx(5.035980303, rel=1e-9)
    assert mld[N.VALUE] == pytest.approx(5.052355207, rel=1e-9)
    # … and its test file's older values, to that file's tolerance (test-ti.R 1e-4, test-mld.R 1e-3)
    assert ti[N.VALUE] == pytest.approx(5.0359201, rel=1e-4)
    assert mld[N.VALUE] == pytest.approx(5.0524006, rel=1e-3)
    # standard errors: healthequal's are of the unscaled index (test-ti.R .0014201, test-mld.R .0014242)
    assert unordered.loc["TI", N.SE] == pytest.approx(0.001420099436, rel=REL)
    assert unordered.loc["TI", N.SE] == pytest.approx(0.0014201, rel=1e-4)
    assert unordered.loc["MLD", N.SE] == pytest.approx(0.001424203027, rel=REL)
    assert ti[N.SE] == pytest.approx(1000 * unordered.loc["TI", N.SE], rel=1e-12)


def test_ordered_concentration_indices(ordered):
    aci, rci = ordered.loc["ACI"], ordered.loc["RCI"]
    assert aci[N.VALUE] == pytest.approx(7.3284202, rel=REL)  # test-aci.R
    assert aci[N.SE] == pytest.approx(0.29368517, rel=REL)
    assert rci[N.VALUE] == pytest.approx(0.17776859, rel=REL)  # test-rci.R
    assert rci[N.SE] == pytest.approx(0.0071240491, rel=REL)
    # healthequal's regression (glm(lhs1 ~ 0 + rhs + intercept)) run in R 4.2 on these inputs gives standard
    # errors 0.293685441202 and 0.00712405278164: the test file's values are 9e-7 and 5e-7 older
    assert aci[N.SE] == pytest.approx(0.293685441202, rel=1e-10)
    assert rci[N.SE] == pytest.approx(0.00712405278164, rel=1e-10)
    for row in (aci, rci):
        assert [row[N.CI_LOW], row[N.CI_HIGH]] == pytest.approx(
            [row[N.VALUE] - Z * row[N.SE], row[N.VALUE] + Z * row[N.SE]], rel=1e-12
        )
    # the file's intervals, from its older standard errors, to the file's own tolerance (1e-3)
    assert [rci[N.CI_LOW], rci[N.CI_HIGH]] == pytest.approx([0.16380545, 0.19173172], rel=1e-5)


def test_ordered_slope_and_relative_index_with_heat_weighting(ordered):
    sii, rii = ordered.loc["SII_HEAT"], ordered.loc["RII_HEAT"]
    assert sii[N.VALUE] == pytest.approx(44.44502, rel=REL)  # test-sii.R
    # healthequal's standard error is of the unscaled SII (0.02190822); gcdb's is in rate units (× 100)
    assert sii[N.SE] / 100 == pytest.approx(0.02190822, rel=REL)
    assert [sii[N.CI_LOW], sii[N.CI_HIGH]] == pytest.approx([40.15109, 48.73895], rel=REL)
    assert rii[N.VALUE] == pytest.approx(3.159506, rel=REL)  # test-rii.R
    assert rii[N.SE] == pytest.approx(0.07644001, rel=REL)  # of ln RII, as healthequal's
    assert [rii[N.CI_LOW], rii[N.CI_HIGH]] == pytest.approx([2.719902, 3.67016], rel=REL)


def test_ordered_attributable_risk(ordered):
    paf, par = ordered.loc["PAF"], ordered.loc["PAR"]
    assert paf[N.VALUE] == pytest.approx(45.544548, rel=REL)  # test-paf.R
    assert paf[N.SE] / 100 == pytest.approx(0.10689361, rel=REL)
    assert par[N.VALUE] == pytest.approx(18.775509, rel=REL)  # test-parisk.R
    assert par[N.SE] == pytest.approx(4.4066348, rel=REL)
    assert par[N.CI_LOW] == pytest.approx(par[N.VALUE] - Z * par[N.SE], rel=1e-12)
    # the file's interval (10.138505, 27.412513) is not est ± 1.96·se of its own est and se (10.138663 …): it
    # passes at the file's tolerance, 1e-2
    assert [par[N.CI_LOW], par[N.CI_HIGH]] == pytest.approx([10.138505, 27.412513], rel=1e-4)


def test_difference_and_ratio_with_their_standard_errors():
    """By hand (healthequal's d.R and r.R formulas): rates 10, 20, 40 with standard errors 1, 2, 4, reference 20.

    D = 40 − 10 = 30, SE √(4² + 1²) = √17; R = 4, SE(ln R) = √((4² + 4²·1²)/10²)/4 = √0.32 / 4.
    Against the reference 20 the lowest other group is 10: D_ref = 10, SE √(2² + 1²); R_ref = 2,
    SE(ln R_ref) = √((2² + 2²·1²)/10²)/2.
    """
    m = _table(
        rate=[10, 20, 40], population=[100, 100, 100], groups=["a", "b", "c"], se=[1, 2, 4], reference="b"
    )
    assert m.loc["D", N.VALUE] == 30 and m.loc["D", N.SE] == pytest.approx(math.sqrt(17))
    assert m.loc["D", N.CI_LOW] == pytest.approx(30 - Z * math.sqrt(17))
    assert m.loc["R", N.VALUE] == 4 and m.loc["R", N.SE] == pytest.approx(math.sqrt(0.32) / 4)
    assert m.loc["R", N.CI_HIGH] == pytest.approx(4 * math.exp(Z * math.sqrt(0.32) / 4))
    assert m.loc["D_ref", N.VALUE] == 10 and m.loc["D_ref", N.SE] == pytest.approx(math.sqrt(5))
    assert m.loc["R_ref", N.VALUE] == 2 and m.loc["R_ref", N.SE] == pytest.approx(math.sqrt(0.08) / 2)
    assert m.loc["D_ref", N.REFERENCE_GROUP] == "a"


def test_bootstrap_intervals_are_seeded_and_contain_the_estimate(unordered):
    again = _table(rate=EST, population=POP, groups=[f"g{i}" for i in range(25)], se=SE, reference=f"g{REF}")
    for measure in ("BGSD", "COV", "MDMW", "MDMU", "MDBW", "MDBU", "MDRW", "MDRU", "IDISU", "IDISW"):
        row = unordered.loc[measure]
        assert row[N.SE] > 0 and row[N.CI_LOW] < row[N.CI_HIGH], measure
        assert again.loc[measure, N.CI_LOW] == row[N.CI_LOW]  # same seed, same draws
    bgsd = unordered.loc["BGSD"]
    assert bgsd[N.CI_LOW] < bgsd[N.VALUE] * 1.2 and bgsd[N.CI_HIGH] > bgsd[N.VALUE] * 0.8
    other = _table(rate=EST, population=POP, se=SE, seed=1)
    assert other.loc["BGSD", N.CI_LOW] != bgsd[N.CI_LOW]


def test_individual_sii_standard_error_matches_statsmodels():
    import statsmodels.api as sm

    rate = np.array([50.0, 80.0, 120.0, 150.0])  # per 1,000
    pop = np.array([4000.0, 3000.0, 2000.0, 1000.0])
    m = summary_measures(rate, pop, ordered=True).set_index(N.MEASURE)
    p = pop / pop.sum()
    x = np.cumsum(p) - p / 2
    fit = sm.GLM(rate / 1000, sm.add_constant(x), family=sm.families.Binomial(), var_weights=pop).fit()
    b0, b1 = fit.params
    f0, f1 = 1 / (1 + math.exp(-b0)), 1 / (1 + math.exp(-(b0 + b1)))
    grad = np.array([f1 * (1 - f1) - f0 * (1 - f0), f1 * (1 - f1)])
    se = math.sqrt(grad @ fit.cov_params() @ grad)
    assert m.loc["SII", N.VALUE] == pytest.approx(1000 * (f1 - f0), rel=1e-8)
    assert m.loc["SII", N.SE] == pytest.approx(1000 * se, rel=1e-6)
    log_grad = np.array([(1 - f1) - (1 - f0), 1 - f1])
    assert m.loc["RII", N.SE] == pytest.approx(math.sqrt(log_grad @ fit.cov_params() @ log_grad), rel=1e-6)
