"""WHO HEAT summary measures: a three-group example worked by hand, and the GLM against statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from equality_builders import expand, population
from hypothesis import given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.equality import heat_measures, impact_table, summary_measures
from gcdb.equality import names as N
from gcdb.equality.heat_fit import irls


def values(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame[N.MEASURE], frame[N.VALUE], strict=True))


def test_three_groups_by_hand():
    """Groups a, b, c with rates 100, 200, 300 per 1,000 and populations 1,000, 2,000, 1,000.

    p = (0.25, 0.5, 0.25); μ = 0.25·100 + 0.5·200 + 0.25·300 = 200; r = (0.5, 1, 1.5).
    D = 300 − 100 = 200; R = 300 / 100 = 3.
    BGV = 0.25·100² + 0.5·0² + 0.25·100² = 5000; BGSD = √5000 = 70.7107; COV = 100·70.7107/200 = 35.3553.
    MDMW = 0.25·100 + 0 + 0.25·100 = 50; MDMU = (100 + 0 + 100)/3 = 66.667.
    best = c (300): MDBW = 0.25·200 + 0.5·100 + 0 = 100; MDBU = (200 + 100 + 0)/3 = 100.
    reference a (100): MDRW = 0 + 0.5·100 + 0.25·200 = 100; MDRU = (0 + 100 + 200)/3 = 100.
    IDISU = 100·66.667/200 = 33.333; IDISW = 100·50/200 = 25.
    TI = 0.25·0.5·ln 0.5 + 0 + 0.25·1.5·ln 1.5 = −0.0866434 + 0.1520494 = 0.0654060 (×1000 = 65.406).
    MLD = 0.25·(−ln 0.5) + 0 + 0.25·(−ln 1.5) = 0.1732868 − 0.1013663 = 0.0719205.
    PAR with reference a: 100 − 200 = −100, unfavourable for coverage → 0; PAF = 0.
    Without a reference the best group is used: PAR = 300 − 200 = 100, PAF = 100·100/200 = 50.
    Against the reference a, the least favoured other group is b (200): D_ref = 100 − 200 = −100, R_ref = 0.5.
    """
    m = values(summary_measures([100, 200, 300], [1000, 2000, 1000], ["a", "b", "c"], reference="a"))
    expected = {
        "D": 200,
        "R": 3,
        "D_ref": -100,
        "R_ref": 0.5,
        "BGV": 5000,
        "BGSD": math.sqrt(5000),
        "COV": 100 * math.sqrt(5000) / 200,
        "MDMW": 50,
        "MDMU": 200 / 3,
        "MDBW": 100,
        "MDBU": 100,
        "MDRW": 100,
        "MDRU": 100,
        "IDISU": 100 * (200 / 3) / 200,
        "IDISW": 25,
        "TI": 0.25 * 0.5 * math.log(0.5) + 0.25 * 1.5 * math.log(1.5),
        "TI_x1000": 1000 * (0.25 * 0.5 * math.log(0.5) + 0.25 * 1.5 * math.log(1.5)),
        "MLD": 0.25 * -math.log(0.5) + 0.25 * -math.log(1.5),
        "MLD_x1000": 1000 * (0.25 * -math.log(0.5) + 0.25 * -math.log(1.5)),
        "PAR": 0,
        "PAF": 0,
    }
    assert set(m) == set(expected)  # SII/RII only for ordered dimensions
    for name, value in expected.items():
        assert m[name] == pytest.approx(value, rel=1e-12, abs=1e-12), name
    assert m["TI"] == pytest.approx(0.0654060, abs=1e-7) and m["MLD"] == pytest.approx(0.0719205, abs=1e-7)
    no_ref = values(summary_measures([100, 200, 300], [1000, 2000, 1000], ["a", "b", "c"]))
    assert no_ref["PAR"] == pytest.approx(100) and no_ref["PAF"] == pytest.approx(50)
    assert math.isnan(no_ref["MDRW"]) and math.isnan(no_ref["D_ref"]) and math.isnan(no_ref["R_ref"])


def test_reference_labels_and_adverse_direction():
    frame = summary_measures([100, 200, 300], [1000, 2000, 1000], ["a", "b", "c"], favourable="lower")
    by = frame.set_index(N.MEASURE)
    assert by.loc["MDBW", N.REFERENCE_GROUP] == "a"  # the lowest rate is best for an adverse indicator
    assert by.loc["MDBW", N.VALUE] == pytest.approx(0.5 * 100 + 0.25 * 200)
    assert by.loc["PAR", N.VALUE] == pytest.approx(-100) and by.loc["PAF", N.VALUE] == pytest.approx(-50)
    assert by.loc["D", N.REFERENCE_GROUP] == "a" and by.loc["MDRW", N.REASON] == N.Reason.NO_REFERENCE_GROUP
    assert (by[N.N_GROUPS] == 3).all()


def test_zero_rates_fewer_groups():
    m = summary_measures([0, 50, 100], [100, 100, 100])
    by = m.set_index(N.MEASURE)
    assert math.isnan(by.loc["MLD", N.VALUE]) and by.loc["MLD", N.REASON] == N.Reason.ZERO_RATE
    assert math.isnan(by.loc["R", N.VALUE]) and by.loc["R", N.REASON] == N.Reason.ZERO_RATE
    # the Theil term r·ln r tends to 0 at r = 0: (1/3)(0 + 1·0 + 2 ln 2)
    assert by.loc["TI", N.VALUE] == pytest.approx(2 * math.log(2) / 3)
    one = summary_measures([10], [100]).set_index(N.MEASURE)
    assert one[N.VALUE].isna().all() and (one[N.REASON] == N.Reason.FEWER_THAN_TWO_GROUPS).all()


def statsmodels_fit(x, prop, pop, family):
    fam = sm.families.Binomial() if family == "binomial" else sm.families.Poisson()
    res = sm.GLM(prop, sm.add_constant(x), family=fam, var_weights=pop).fit(tol=1e-14, maxiter=200)
    return res.params


def test_sii_rii_match_statsmodels_glm():
    rates = np.array([50.0, 80.0, 120.0, 150.0, 210.0, 260.0])
    pops = np.array([800.0, 1500.0, 2500.0, 2000.0, 1200.0, 600.0])
    m = values(summary_measures(rates, pops, ordered=True))
    p = pops / pops.sum()
    x = np.cumsum(p) - p / 2
    b0, b1 = statsmodels_fit(x, rates / 1000, pops, "binomial")
    f0, f1 = 1 / (1 + np.exp(-b0)), 1 / (1 + np.exp(-(b0 + b1)))
    assert m["SII"] == pytest.approx(1000 * (f1 - f0), rel=1e-8)
    assert m["RII"] == pytest.approx(f1 / f0, rel=1e-8)
    # uses (Poisson, log link): rates may exceed one per person
    m = values(summary_measures(rates * 10, pops, ordered=True, numerator="uses"))
    b0, b1 = statsmodels_fit(x, rates * 10 / 1000, pops, "poisson")
    assert m["SII"] == pytest.approx(1000 * (np.exp(b0 + b1) - np.exp(b0)), rel=1e-8)
    assert m["RII"] == pytest.approx(np.exp(b1), rel=1e-8)


def test_rii_undefined_when_an_ordered_group_has_no_users():
    """Home care by age band: no users under 45. The logit fit extrapolates ŷ(0) towards 0 (RII ~10⁸ before);
    RII is NaN with reason zero_rate, SII (bounded by the rate scale) still matches statsmodels."""
    rates = np.array([0.0, 0.0, 0.0, 0.0, 0.32, 4.86])
    pops = np.array([1_076_769.0, 2_326_991.0, 2_353_285.0, 5_175_759.0, 3_310_643.0, 1_411_558.0])
    by = summary_measures(rates, pops, ordered=True).set_index(N.MEASURE)
    assert math.isnan(by.loc["RII", N.VALUE]) and by.loc["RII", N.REASON] == N.Reason.ZERO_RATE
    p = pops / pops.sum()
    b0, b1 = statsmodels_fit(np.cumsum(p) - p / 2, rates / 1000, pops, "binomial")
    f0, f1 = 1 / (1 + np.exp(-b0)), 1 / (1 + np.exp(-(b0 + b1)))
    assert by.loc["SII", N.VALUE] == pytest.approx(1000 * (f1 - f0), rel=1e-6)
    assert by.loc["SII", N.REASON] == ""


@given(st.integers(0, 100_000), st.sampled_from(["binomial", "poisson"]))
@settings(max_examples=12, deadline=None)
def test_vectorised_irls_matches_statsmodels_per_set(seed, family):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 8, size=3)
    set_id = np.repeat(np.arange(3), sizes)
    x = rng.uniform(0, 1, size=len(set_id))
    pop = rng.integers(50, 5000, size=len(set_id)).astype(float)
    prop = rng.uniform(0.01, 0.6 if family == "binomial" else 3.0, size=len(set_id))
    b0, b1, ok = irls(x, prop, pop, set_id, family)
    assert ok.all()
    for s in range(3):
        rows = set_id == s
        ref = statsmodels_fit(x[rows], prop[rows], pop[rows], family)
        assert (b0[s], b1[s]) == pytest.approx(tuple(ref), rel=1e-7, abs=1e-9)


def test_heat_over_an_impact_table_skips_suppressed_groups():
    counts = {("A",): 40, ("B",): 25, ("C",): 3, ("D",): 60, ("E",): 12}
    u = expand(counts, [C.DISTRICT]).assign(**{C.SEX: C.FEMALE, C.AGE_BAND: "25-44"})
    pop = population(districts=("A", "B", "C", "D", "E"), sexes=(C.FEMALE,), bands=("25-44",), value=1000)
    table = impact_table(u, pop, [C.DISTRICT, C.AGE_BAND])
    heat = heat_measures(table)
    district = heat[heat[N.DIMENSION] == C.DISTRICT].set_index(N.MEASURE)
    published = table[(table[N.DIMENSION] == C.DISTRICT) & ~table[N.SUPPRESSED]]
    assert (district[N.N_GROUPS] == len(published)).all() and len(published) < 5
    y = published[N.RATE].to_numpy()
    assert district.loc["D", N.VALUE] == pytest.approx(y.max() - y.min())
    assert district.loc["MDRW", N.REASON] == N.Reason.NO_REFERENCE_GROUP  # districts compare with the rest
    assert "SII" not in district.index
    age = heat[heat[N.DIMENSION] == C.AGE_BAND]
    assert {"SII", "RII"} <= set(age[N.MEASURE])
    # only one age band has a population (25-44): fewer than two groups
    assert (age[N.REASON] == N.Reason.FEWER_THAN_TWO_GROUPS).all()
    assert list(heat.columns) == list(N.HEAT_COLUMNS)


def test_heat_needs_a_ratio_table():
    from gcdb.errors import UsageError

    with pytest.raises(UsageError, match="missing columns"):
        heat_measures(pd.DataFrame({"x": [1]}))
    with pytest.raises(UsageError, match="favourable"):
        summary_measures([1, 2], [1, 2], favourable="up")
