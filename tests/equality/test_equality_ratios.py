"""The fixed ratio table: rates, ratios, differences, representation, reasons, suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from equality_builders import expand, population, random_usage
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2, norm
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from gcdb import columns as C
from gcdb.equality import REST, impact_table
from gcdb.equality import names as N
from gcdb.errors import UsageError

ALPHA = 2 * norm.sf(1.96)


def row(table, **where):
    mask = np.ones(len(table), dtype=bool)
    for col, value in where.items():
        mask &= (table[col] == value).to_numpy()
    assert mask.sum() == 1, where
    return table.loc[mask].iloc[0]


@pytest.fixture
def sex_case():
    # 30 women and 20 men used the service; 1,000 residents of each sex
    u = expand({(C.FEMALE, "A"): 30, (C.MALE, "A"): 20}, [C.SEX, C.DISTRICT])
    return u, population(districts=("A",), bands=("25-44",), value=1000)


def test_sex_hand_example(sex_case):
    t = impact_table(*sex_case, [C.SEX])
    assert list(t.columns) == [N.SERVICE, N.DIMENSION, N.STRATA, N.GROUP, C.SEX, *N.IMPACT_STATS]
    assert t[N.GROUP].tolist() == list(C.SEX_CODES)
    f, m = row(t, group=C.FEMALE), row(t, group=C.MALE)
    assert (f[N.USERS], f[N.POPULATION], f[N.RATE]) == (30, 1000.0, pytest.approx(30.0))
    low, high = proportion_confint(30, 1000, alpha=ALPHA, method="wilson")
    assert (f[N.RATE_CI_LOW], f[N.RATE_CI_HIGH]) == pytest.approx((1000 * low, 1000 * high))
    assert f[N.REFERENCE_GROUP] == C.MALE
    assert f[N.RATE_RATIO] == pytest.approx(1.5)
    low, high = confint_proportions_2indep(30, 1000, 20, 1000, compare="ratio", method="log", alpha=ALPHA)
    assert (f[N.RATIO_CI_LOW], f[N.RATIO_CI_HIGH]) == pytest.approx((low, high))
    assert f[N.CI_EXCLUDES_ONE] == (low > 1 or high < 1)
    assert f[N.RATE_DIFFERENCE] == pytest.approx(10.0)
    low, high = confint_proportions_2indep(30, 1000, 20, 1000, compare="diff", method="newcomb", alpha=ALPHA)
    assert (f[N.RD_CI_LOW], f[N.RD_CI_HIGH]) == pytest.approx((1000 * low, 1000 * high))
    # representation: shares 30/50 over 1000/2000 = 1.2 = 30‰ / 25‰
    assert f[N.REPRESENTATION_INDEX] == pytest.approx(1.2)
    assert m[N.REPRESENTATION_INDEX] == pytest.approx(0.8)
    assert f[N.FLAG] == N.OVER and f[N.REASON] == "" and not f[N.SUPPRESSED]
    # the reference row: 1 and 0, no interval of a group against itself
    assert m[N.RATE_RATIO] == 1.0 and m[N.RATE_DIFFERENCE] == 0.0 and np.isnan(m[N.RATIO_CI_LOW])
    assert m[N.FLAG] == N.WITHIN and m[N.REASON] == N.Reason.IS_REFERENCE
    # no baseline for other/unknown: NaN with a reason, never 0
    o = row(t, group=C.OTHER)
    assert o[N.USERS] == 0 and np.isnan(o[N.POPULATION]) and np.isnan(o[N.RATE]) and np.isnan(o[N.RATE_RATIO])
    assert o[N.REASON] == "no_baseline:sex" and pd.isna(o[N.FLAG])


def test_reference_override_and_signed_ratio(sex_case):
    t = impact_table(*sex_case, [C.SEX], reference={C.SEX: C.FEMALE})
    m = row(t, group=C.MALE)
    assert m[N.REFERENCE_GROUP] == C.FEMALE
    assert m[N.RATE_RATIO] == pytest.approx(2 / 3)  # signed: not folded to ≥ 1
    assert m[N.FLAG] == N.UNDER
    with pytest.raises(UsageError, match="reference group 'x'"):
        impact_table(*sex_case, [C.SEX], reference={C.SEX: "x"})
    with pytest.raises(UsageError, match="unknown dimensions"):
        impact_table(*sex_case, [C.SEX], reference={"colour": "red"})
    with pytest.raises(UsageError, match="unknown dimension"):
        impact_table(*sex_case, ["colour"])


def test_district_against_the_rest_of_the_city():
    u = expand({(C.FEMALE, "A"): 40, (C.FEMALE, "B"): 10}, [C.SEX, C.DISTRICT])
    pop = population(districts=("A", "B", "C"), sexes=(C.FEMALE,), bands=("25-44",), value=1000)
    t = impact_table(u, pop, [C.DISTRICT])
    a, c = row(t, group="A"), row(t, group="C")
    assert a[N.REFERENCE_GROUP] == REST
    # A (40/1000) against B + C pooled (10/2000)
    assert a[N.RATE_RATIO] == pytest.approx(0.04 / 0.005)
    low, high = confint_proportions_2indep(40, 1000, 10, 2000, compare="ratio", method="log", alpha=ALPHA)
    assert (a[N.RATIO_CI_LOW], a[N.RATIO_CI_HIGH]) == pytest.approx((low, high))
    low, high = confint_proportions_2indep(40, 1000, 10, 2000, compare="diff", method="newcomb", alpha=ALPHA)
    assert (a[N.RD_CI_LOW], a[N.RD_CI_HIGH]) == pytest.approx((1000 * low, 1000 * high))
    # the city average is the representation index: 40‰ / (50/3000)
    assert a[N.REPRESENTATION_INDEX] == pytest.approx(0.04 / (50 / 3000))
    # a district nobody used: ratio 0 (defined), no log interval: 0 … exact Poisson upper limit of a zero count
    # (−ln 0.025 = 3.689) over the users expected at the rest's rate (1000 × 50/2000 = 25), flagged
    assert c[N.USERS] == 0 and c[N.RATE_RATIO] == 0.0 and c[N.RATIO_CI_LOW] == 0.0
    assert c[N.EXPECTED_USERS] == pytest.approx(25.0) and c[N.USERS_MISSING] == pytest.approx(25.0)
    assert c[N.RATIO_CI_HIGH] == pytest.approx(-np.log(ALPHA / 2) / 25.0, rel=1e-9)
    assert c[N.FLAG] == N.UNDER and c[N.REASON] == N.Reason.ZERO_USERS


def test_zero_population_and_zero_reference_rate():
    u = expand({(C.FEMALE, "A"): 12, (C.FEMALE, "B"): 7}, [C.SEX, C.DISTRICT])
    pop = population(districts=("A", "B"), sexes=(C.FEMALE, C.MALE), bands=("25-44",), value=1000)
    pop.loc[(pop[C.DISTRICT] == "B") & (pop[C.SEX] == C.FEMALE), C.POPULATION] = 0
    t = impact_table(u, pop, [(C.SEX, C.DISTRICT)], k=1)
    fa, fb = row(t, group=C.FEMALE, district="A"), row(t, group=C.FEMALE, district="B")
    assert np.isnan(fb[N.RATE]) and fb[N.REASON] == N.Reason.ZERO_POPULATION
    # men in A: zero users, so women's ratio is undefined (reference rate 0) but the difference is not
    assert np.isnan(fa[N.RATE_RATIO]) and fa[N.RATE_DIFFERENCE] == pytest.approx(12.0)
    assert fa[N.REASON] == N.Reason.ZERO_REFERENCE_RATE
    ma = row(t, group=C.MALE, district="A")
    assert np.isnan(ma[N.RATE_RATIO]) and N.Reason.ZERO_REFERENCE_RATE in ma[N.REASON]


def test_stratified_equals_separate_tables():
    rng = np.random.default_rng(3)
    u = random_usage(rng, 4000, 3000, districts=("A", "B"))
    pop = population(districts=("A", "B"), value=700)
    t = impact_table(u, pop, [(C.SEX, C.DISTRICT)], k=1)
    assert set(t[N.STRATA]) == {C.DISTRICT}
    for district in ("A", "B"):
        alone = impact_table(
            u[u[C.DISTRICT] == district], pop[pop[C.DISTRICT] == district], [C.SEX], k=1
        ).set_index(N.GROUP)
        part = t[t[C.DISTRICT] == district].set_index(N.GROUP)
        for col in (N.USERS, N.RATE, N.RATE_RATIO, N.RATIO_CI_LOW, N.RD_CI_HIGH, N.REPRESENTATION_INDEX):
            pd.testing.assert_series_equal(part[col], alone[col], check_names=False)


def test_disability_denominators_and_missing_baseline():
    u = expand({(C.YES, "A"): 30, (C.NO, "A"): 90, (C.UNKNOWN, "A"): 6}, [C.DISABILITY, C.DISTRICT])
    pop = population(districts=("A",), sexes=(C.FEMALE, C.MALE), bands=("25-44",), value=1000)
    # no disabled_population column: no denominator is invented
    t = impact_table(u, pop, [C.DISABILITY])
    assert t[N.POPULATION].isna().all()
    assert (t[N.REASON] == "no_baseline:disability").all()
    t = impact_table(u, pop.assign(**{C.DISABLED_POPULATION: 100}), [C.DISABILITY])
    y, n, unk = row(t, group=C.YES), row(t, group=C.NO), row(t, group=C.UNKNOWN)
    assert y[N.POPULATION] == 200 and n[N.POPULATION] == 1800  # yes = disabled, no = population − disabled
    assert y[N.RATE] == pytest.approx(150.0) and n[N.RATE] == pytest.approx(50.0)
    assert y[N.REFERENCE_GROUP] == C.NO and y[N.RATE_RATIO] == pytest.approx(3.0)
    assert unk[N.REASON] == "no_baseline:disability"


def test_migrant_status_is_pooled_to_match_the_baseline():
    u = expand(
        {(C.CITIZEN, "A"): 90, (C.MIGRANT, "A"): 5, (C.REFUGEE, "A"): 5, (C.TEMPORARY_PROTECTION, "A"): 5},
        [C.MIGRANT_STATUS, C.DISTRICT],
    )
    pop = population(districts=("A",), bands=("25-44",), value=1000, **{C.MIGRANT_POPULATION: 100})
    t = impact_table(u, pop, [C.MIGRANT_STATUS])
    assert t[N.GROUP].tolist() == [C.CITIZEN, C.MIGRANT, C.UNKNOWN]
    mig = row(t, group=C.MIGRANT)
    assert mig[N.USERS] == 15 and mig[N.POPULATION] == 200 and mig[N.RATE] == pytest.approx(75.0)
    assert row(t, group=C.CITIZEN)[N.POPULATION] == 1800
    unpooled = impact_table(u, pop, [C.MIGRANT_STATUS], pool_migrants=False, k=1)
    for code in (C.MIGRANT, C.REFUGEE, C.TEMPORARY_PROTECTION):
        assert row(unpooled, group=code)[N.REASON] == "no_baseline:migrant_status"
    assert row(unpooled, group=C.CITIZEN)[N.POPULATION] == 1800


def test_neighbourhood_needs_its_baseline():
    u = expand(
        {("A", "Merkez"): 20, ("A", "Cumhuriyet"): 10, ("B", "Cumhuriyet"): 8}, [C.DISTRICT, C.NEIGHBOURHOOD]
    )
    pop = population(districts=("A", "B"), sexes=(C.FEMALE,), bands=("25-44",), value=1000)
    t = impact_table(u, pop, [C.NEIGHBOURHOOD])
    assert (t[N.REASON] == "no_baseline:neighbourhood").all()
    pop_n = pd.DataFrame(
        {
            C.DISTRICT: ["A", "A", "B"],
            C.NEIGHBOURHOOD: ["Merkez", "Cumhuriyet", "Cumhuriyet"],
            C.SEX: C.FEMALE,
            C.AGE_BAND: "25-44",
            C.POPULATION: [400, 600, 500],
        }
    )
    t = impact_table(u, pop_n, [C.NEIGHBOURHOOD])
    assert list(zip(t[C.DISTRICT], t[N.GROUP], strict=True)) == [
        ("A", "Cumhuriyet"),
        ("A", "Merkez"),
        ("B", "Cumhuriyet"),
    ]
    assert t[N.RATE].tolist() == pytest.approx([10 / 600 * 1000, 50.0, 16.0])
    # Merkez against every other neighbourhood of the city
    merkez = row(t, group="Merkez")
    assert merkez[N.RATE_RATIO] == pytest.approx(0.05 / (18 / 1100))


def test_small_count_is_hidden_with_everything_built_on_it():
    u = expand({(C.FEMALE, "A"): 30, (C.FEMALE, "B"): 3, (C.FEMALE, "C"): 20}, [C.SEX, C.DISTRICT])
    pop = population(districts=("A", "B", "C"), sexes=(C.FEMALE,), bands=("25-44",), value=1000)
    t = impact_table(u, pop, [C.DISTRICT])
    b, c, a = row(t, group="B"), row(t, group="C"), row(t, group="A")
    assert b[N.SUPPRESSED] and pd.isna(b[N.USERS]) and b[N.REASON] == N.Reason.SUPPRESSED
    for col in (N.RATE, N.RATE_CI_LOW, N.RATE_RATIO, N.RD_CI_HIGH, N.REPRESENTATION_INDEX):
        assert np.isnan(b[col])
    assert pd.isna(b[N.FLAG])
    # C is hidden too: otherwise B = (A + B + C, revealed by the representation index) − A − C
    assert c[N.SUPPRESSED] and pd.isna(c[N.USERS])
    assert not a[N.SUPPRESSED] and a[N.USERS] == 30 and np.isfinite(a[N.RATE_RATIO])
    assert t[N.USERS].dtype == "Int64"
    # k = 1 turns disclosure control off
    assert not impact_table(u, pop, [C.DISTRICT], k=1)[N.SUPPRESSED].any()


def test_hidden_reference_hides_the_comparisons():
    counts = {("0-4",): 30, ("5-14",): 40, ("25-44",): 3, ("65+",): 60}
    u = expand(counts, [C.AGE_BAND])
    u[C.DISTRICT] = "A"
    pop = population(districts=("A",), sexes=(C.FEMALE,), value=1000)
    t = impact_table(u, pop, [C.AGE_BAND])
    ref = row(t, group="25-44")
    assert ref[N.SUPPRESSED]
    published = t[~t[N.SUPPRESSED]]
    assert len(published) >= 3
    for _, r in published.iterrows():
        assert np.isfinite(r[N.RATE]) and np.isnan(r[N.RATE_RATIO])
        assert r[N.REASON] == N.Reason.REFERENCE_SUPPRESSED


@st.composite
def band_counts(draw):
    pops = draw(st.lists(st.integers(50, 5000), min_size=6, max_size=6))
    users = [draw(st.integers(1, p)) for p in pops]
    return users, pops


@given(band_counts())
@settings(max_examples=30, deadline=None)
def test_every_row_agrees_with_statsmodels(case):
    users, pops = case
    bands = list(C.DEFAULT_AGE_BANDS.labels)
    u = expand({(b,): n for b, n in zip(bands, users, strict=True)}, [C.AGE_BAND]).assign(**{C.DISTRICT: "A"})
    pop = pd.DataFrame({C.DISTRICT: "A", C.SEX: C.FEMALE, C.AGE_BAND: bands, C.POPULATION: pops})
    t = impact_table(u, pop, [C.AGE_BAND], k=1).set_index(N.GROUP)
    ref_x, ref_n = users[bands.index("25-44")], pops[bands.index("25-44")]
    for band, x, n in zip(bands, users, pops, strict=True):
        r = t.loc[band]
        assert r[N.RATE] == pytest.approx(1000 * x / n)
        low, high = proportion_confint(x, n, alpha=ALPHA, method="wilson")
        assert (r[N.RATE_CI_LOW], r[N.RATE_CI_HIGH]) == pytest.approx((1000 * low, 1000 * high))
        if band == "25-44":
            continue
        low, high = confint_proportions_2indep(x, n, ref_x, ref_n, compare="ratio", method="log", alpha=ALPHA)
        if np.isfinite(low):
            assert (r[N.RATIO_CI_LOW], r[N.RATIO_CI_HIGH]) == pytest.approx((low, high))
        low, high = confint_proportions_2indep(
            x, n, ref_x, ref_n, compare="diff", method="newcomb", alpha=ALPHA
        )
        assert (r[N.RD_CI_LOW], r[N.RD_CI_HIGH]) == pytest.approx((1000 * low, 1000 * high))
        assert r[N.REPRESENTATION_INDEX] == pytest.approx((x / sum(users)) / (n / sum(pops)))


def test_uses_are_poisson_rates():
    # 4 uses by 2 women (exact interval), 30 uses by 10 men (Byar), 1,000 residents each
    rows = [(f"w{i % 2}", C.FEMALE, "A") for i in range(4)] + [(f"m{i % 10}", C.MALE, "A") for i in range(30)]
    u = pd.DataFrame(rows, columns=[C.PERSON_ID, C.SEX, C.DISTRICT]).assign(**{C.SERVICE_CODE: "S1"})
    pop = population(districts=("A",), bands=("25-44",), value=1000)
    t = impact_table(u, pop, [C.SEX], measure="uses", k=2)
    f = row(t, group=C.FEMALE)
    assert f[N.NUMERATOR] == "uses" and f[N.USERS] == 4 and f[N.RATE] == pytest.approx(4.0)
    assert f[N.RATE_CI_LOW] == pytest.approx(chi2.ppf(ALPHA / 2, 8) / 2)  # per 1,000 = count interval here
    assert f[N.RATE_CI_HIGH] == pytest.approx(chi2.ppf(1 - ALPHA / 2, 10) / 2)
    se = np.sqrt(1 / 4 + 1 / 30)
    assert f[N.RATE_RATIO] == pytest.approx(4 / 30)
    assert f[N.RATIO_CI_LOW] == pytest.approx(4 / 30 * np.exp(-1.96 * se))
    # persons decide primary suppression: 2 women < k = 5 hides the row even with 4 uses
    assert impact_table(u, pop, [C.SEX], measure="uses")[N.SUPPRESSED].any()


def test_quantity_has_point_values_only():
    u = expand({(C.FEMALE, "A"): 10, (C.MALE, "A"): 10}, [C.SEX, C.DISTRICT])
    u[C.QUANTITY] = np.where(u[C.SEX] == C.FEMALE, 3.0, 1.5)
    pop = population(districts=("A",), bands=("25-44",), value=1000)
    t = impact_table(u, pop, [C.SEX], measure="quantity")
    f = row(t, group=C.FEMALE)
    assert f[N.USERS] == pytest.approx(30.0) and f[N.RATE_RATIO] == pytest.approx(2.0)
    assert np.isnan(f[N.RATE_CI_LOW]) and f[N.REASON] == N.Reason.NO_INTERVAL


def test_users_above_population_have_no_binomial_interval():
    u = expand({(C.FEMALE, "A"): 30, (C.MALE, "A"): 20}, [C.SEX, C.DISTRICT])
    pop = population(districts=("A",), bands=("25-44",), value=25)
    f = row(impact_table(u, pop, [C.SEX]), group=C.FEMALE)
    assert f[N.RATE] == pytest.approx(1200.0) and np.isnan(f[N.RATE_CI_LOW])
    assert N.Reason.USERS_EXCEED_POPULATION in f[N.REASON]


def test_fiscal_year_selection(sex_case):
    u, pop = sex_case
    two_years = pd.concat(
        [pop.assign(**{C.FISCAL_YEAR: 2023}), pop.assign(**{C.FISCAL_YEAR: 2024}, population=10)]
    )
    with pytest.raises(UsageError, match="fiscal_year="):
        impact_table(u, two_years, [C.SEX])
    t = impact_table(u.assign(**{C.FISCAL_YEAR: 2024}), two_years, [C.SEX], k=1)
    assert row(t, group=C.FEMALE)[N.POPULATION] == 10
    t = impact_table(u, two_years, [C.SEX], fiscal_year=2023)
    assert row(t, group=C.FEMALE)[N.POPULATION] == 1000


def test_services_and_several_dimensions_in_one_table():
    rng = np.random.default_rng(11)
    u = random_usage(rng, 3000, 2000)
    pop = population(districts=("A", "B", "C"), value=500, **{C.DISABLED_POPULATION: 50})
    t = impact_table(u, pop, [C.SEX, C.AGE_BAND, C.DISABILITY, (C.SEX, C.DISTRICT)], service=C.SERVICE_CODE)
    assert set(t[N.SERVICE]) == {"S1", "S2"}
    assert list(pd.unique(t[N.DIMENSION])) == [C.SEX, C.AGE_BAND, C.DISABILITY]
    assert len(t) == 2 * (4 + 6 + 3 + 4 * 3)
    # groups without a count never show a number in the rate columns; every NaN rate has a reason
    assert (t.loc[t[N.RATE].isna(), N.REASON] != "").all()
    assert (t.loc[t[N.RATE_RATIO].isna(), N.REASON] != "").all()


def test_mismatched_age_bands_in_the_baseline_are_an_error(sex_case):
    from gcdb.errors import DataValidationError

    u, pop = sex_case
    u = u.assign(**{C.AGE_BAND: "25-44"})
    with pytest.raises(DataValidationError, match="'25-29'"):
        impact_table(u, pop.assign(**{C.AGE_BAND: "25-29"}), [C.AGE_BAND])
