"""Eligible populations: pro-rata age bands, restricted denominators, records and groups outside eligibility,
the exact four-fifths flag and the one definition of under-served — worked by hand."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from equality_builders import expand, population

from gcdb import columns as C
from gcdb.equality import impact_table
from gcdb.equality import names as N
from gcdb.equality.eligibility import (
    Eligibility,
    band_fraction,
    eligible_cells,
    eligible_population,
    eligible_rows,
)
from gcdb.equality.flags import UnderServedRule, classify, compare_ratio, four_fifths
from gcdb.errors import UsageError


# ---------------------------------------------------------------------------------------------------------------
# Age bands pro rata by single years
# ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("band", "low", "high", "share"),
    [
        ("0-4", 3, 6, 2 / 5),  # ages 3 and 4 of 0..4
        ("5-14", 3, 6, 2 / 10),  # ages 5 and 6 of 5..14
        ("15-24", 18, None, 7 / 10),
        ("15-24", 16, None, 9 / 10),
        ("25-44", 45, None, 0.0),
        ("45-64", 45, None, 1.0),
        ("65+", 65, None, 1.0),  # the open band wholly inside
        ("65+", 70, None, 20 / 25),  # 70..89 of the 25 years assumed in 65+
        ("65+", None, 64, 0.0),
        ("0-4", None, None, 1.0),
    ],
)
def test_band_fraction(band, low, high, share):
    assert band_fraction(band, low, high) == pytest.approx(share)


def test_band_labels_must_be_ranges():
    with pytest.raises(UsageError, match="'a-b' or 'a\\+'"):
        band_fraction("children", 3, 6)


def test_eligibility_checks_its_arguments():
    with pytest.raises(UsageError, match="above age_max"):
        Eligibility(age_min=7, age_max=3)
    with pytest.raises(UsageError, match="nobody"):
        Eligibility(sexes=frozenset())
    assert Eligibility().everyone and Eligibility(age_min=3, age_max=6).describe() == "age 3-6"
    assert Eligibility(age_min=65, sexes={C.FEMALE}).describe() == "age 65+; sex female"


# ---------------------------------------------------------------------------------------------------------------
# Eligible populations
# ---------------------------------------------------------------------------------------------------------------
def _baseline() -> pd.DataFrame:
    pop = population(
        districts=("A", "B"), sexes=(C.FEMALE, C.MALE), bands=("0-4", "5-14", "25-44"), value=1000
    )
    pop[C.DISABLED_POPULATION] = 100
    pop[C.MIGRANT_POPULATION] = 200
    return pop


def test_eligible_population_restricts_each_service():
    pop = _baseline()
    rules = {
        "KRS": Eligibility(age_min=3, age_max=6),
        "SIG": Eligibility(age_min=18, sexes={C.FEMALE}),
        "ENU": Eligibility(disability={C.YES}),
        "CIT": Eligibility(migrant={C.CITIZEN}),
    }
    out = eligible_population(pop, rules, ["KRS", "SIG", "ENU", "CIT", "ALL"])
    total = out.groupby(C.SERVICE_CODE)[C.POPULATION].sum()
    # crèche: 2/5 of every 0-4 cell and 2/10 of every 5-14 cell (2 districts × 2 sexes × 1,000)
    assert total["KRS"] == pytest.approx(4 * 1000 * (0.4 + 0.2))
    # shelter: women of 25-44 only (18+; 0-4 and 5-14 are out)
    assert total["SIG"] == pytest.approx(2 * 1000)
    assert (
        total["ENU"] == pytest.approx(12 * 100)
        and out.loc[out[C.SERVICE_CODE] == "ENU", C.MIGRANT_POPULATION].isna().all()
    )
    assert (
        total["CIT"] == pytest.approx(12 * 800)
        and out.loc[out[C.SERVICE_CODE] == "CIT", C.DISABLED_POPULATION].isna().all()
    )
    assert total["ALL"] == pytest.approx(12 * 1000)  # a service without eligibility: everyone
    # rows outside stay, with 0 residents: their groups are not eligible, not missing
    assert len(out) == 5 * len(pop)


def test_records_outside_eligibility_and_the_criterion_they_break():
    usage = pd.DataFrame(
        {
            C.SERVICE_CODE: ["YAS", "YAS", "YAS", "SIG", "SIG", "ENU", "ENU", "KRS"],
            C.AGE: [70, 30, np.nan, 30, 30, 40, 40, 2],
            C.SEX: [C.FEMALE, C.MALE, C.MALE, C.MALE, C.FEMALE, C.MALE, C.MALE, C.FEMALE],
            C.DISABILITY: [C.NO, C.NO, C.NO, C.NO, C.NO, C.NO, C.UNKNOWN, C.NO],
        }
    )
    rules = {
        "YAS": Eligibility(age_min=65),
        "SIG": Eligibility(age_min=18, sexes={C.FEMALE}),
        "ENU": Eligibility(disability={C.YES}),
        "KRS": Eligibility(age_min=3, age_max=6),
    }
    inside, broken = eligible_rows(usage, rules)
    assert inside.tolist() == [True, False, True, False, True, False, True, False]
    # a 30-year-old at the elderly centre breaks age; an unknown age or status never puts a record outside
    assert broken.tolist() == ["", C.AGE, "", C.SEX, "", C.DISABILITY, "", C.AGE]


def test_cells_outside_eligibility():
    table = pd.DataFrame(
        {
            C.SERVICE_CODE: ["SIG", "SIG", "SIG", "KRS", "KRS", "KRS"],
            C.SEX: [C.FEMALE, C.MALE, N.TOTAL, N.TOTAL, N.TOTAL, N.TOTAL],
            C.AGE_BAND: ["25-44", "25-44", "5-14", "0-4", "5-14", "25-44"],
        }
    )
    rules = {"SIG": Eligibility(age_min=18, sexes={C.FEMALE}), "KRS": Eligibility(age_min=3, age_max=6)}
    assert eligible_cells(table, rules).tolist() == [True, False, False, True, True, False]


# ---------------------------------------------------------------------------------------------------------------
# Ratio tables within the eligible population
# ---------------------------------------------------------------------------------------------------------------
def test_impact_table_within_the_eligible_population():
    """A crèche for ages 3–6. Children 0-4: 1,000 per district and sex (400 eligible), 5-14 likewise (200
    eligible). District A: 40 users aged 3–4 and 10 aged 5–6; B: 20 and 10. A 2-year-old user is outside."""
    pop = population(districts=("A", "B"), sexes=(C.FEMALE,), bands=("0-4", "5-14", "25-44"), value=1000)
    u = expand(
        {("A", "0-4"): 40, ("A", "5-14"): 10, ("B", "0-4"): 20, ("B", "5-14"): 10}, [C.DISTRICT, C.AGE_BAND]
    )
    u[C.SERVICE_CODE] = "KRS"
    u[C.SEX] = C.FEMALE
    u[C.AGE] = np.where(u[C.AGE_BAND] == "0-4", 3, 6)
    stray = u.iloc[:1].assign(**{C.PERSON_ID: "P9999999", C.AGE: 2})
    u = pd.concat([u, stray], ignore_index=True)
    rules = {"KRS": Eligibility(age_min=3, age_max=6)}
    t = impact_table(u, pop, [C.DISTRICT, C.AGE_BAND], service=C.SERVICE_CODE, k=1, eligibility=rules)
    a = t[(t[N.DIMENSION] == C.DISTRICT).to_numpy() & (t[N.GROUP] == "A").to_numpy()].iloc[0]
    # A: 50 users (the 2-year-old is not counted) over 400 + 200 eligible children
    assert a[N.USERS] == 50 and a[N.POPULATION] == pytest.approx(600)
    assert a[N.RATE] == pytest.approx(50 / 600 * 1000)
    # against the rest of the city (B: 30 of 600)
    assert a[N.RATE_RATIO] == pytest.approx(50 / 30)
    assert a[N.EXPECTED_USERS] == pytest.approx(30.0) and a[N.USERS_MISSING] == pytest.approx(-20.0)
    bands = t[(t[N.DIMENSION] == C.AGE_BAND).to_numpy()].set_index(N.GROUP)
    # 25-44 is outside the eligibility: flagged not_eligible, never under-served; the default reference (25-44)
    # is replaced by the other eligible bands pooled
    assert (
        bands.loc["25-44", N.FLAG] == N.NOT_ELIGIBLE and bands.loc["25-44", N.REASON] == N.Reason.NOT_ELIGIBLE
    )
    assert np.isnan(bands.loc["25-44", N.RATE]) and bands.loc["25-44", N.POPULATION] == 0
    assert bands.loc["0-4", N.REFERENCE_GROUP] == N.REST
    assert bands.loc["0-4", N.RATE_RATIO] == pytest.approx((60 / 800) / (20 / 400))


def test_single_sex_service_has_no_sex_comparison():
    pop = population(districts=("A",), sexes=(C.FEMALE, C.MALE), bands=("25-44",), value=1000)
    u = expand({(C.FEMALE, "A"): 30}, [C.SEX, C.DISTRICT]).assign(**{C.SERVICE_CODE: "SIG", C.AGE: 30})
    t = impact_table(
        u, pop, [C.SEX], service=C.SERVICE_CODE, k=1, eligibility={"SIG": Eligibility(sexes={C.FEMALE})}
    ).set_index(N.GROUP)
    assert t.loc[C.MALE, N.FLAG] == N.NOT_ELIGIBLE
    assert pd.isna(t.loc[C.FEMALE, N.FLAG]) and N.Reason.NO_REFERENCE_RATE in t.loc[C.FEMALE, N.REASON]


# ---------------------------------------------------------------------------------------------------------------
# Four-fifths, exactly
# ---------------------------------------------------------------------------------------------------------------
def test_four_fifths_is_exact_at_the_boundary():
    assert (80 / 1000) / (100 / 1000) < 0.8  # what floating point says: 0.7999999999999999
    flags = four_fifths([80, 79, 125, 126, 100], [1000] * 5, [100] * 5, [1000] * 5)
    assert flags.tolist() == [N.WITHIN, N.UNDER, N.WITHIN, N.OVER, N.WITHIN]
    # pro-rata populations are fractions of residents: 2/5 of 1,000 children against 2/10 of 2,000
    assert compare_ratio([16], [1000 * 2 / 5], [20], [2000 * 2 / 10], Fraction(4, 5)) == 0
    assert compare_ratio([16], [1000 * 3 / 7], [20], [500 * 6 / 7], Fraction(4, 5)) == 0  # 0.8 with sevenths


def test_four_fifths_in_the_ratio_table():
    pop = population(districts=("A", "B"), sexes=(C.FEMALE, C.MALE), bands=("25-44",), value=1000)
    u = expand({(C.FEMALE, "A"): 80, (C.MALE, "A"): 100}, [C.SEX, C.DISTRICT])
    t = impact_table(u, pop[pop[C.DISTRICT] == "A"], [C.SEX], k=1).set_index(N.GROUP)
    assert t.loc[C.FEMALE, N.RATE_RATIO] == pytest.approx(0.8) and t.loc[C.FEMALE, N.FLAG] == N.WITHIN


# ---------------------------------------------------------------------------------------------------------------
# The one definition of under-served
# ---------------------------------------------------------------------------------------------------------------
def test_classify_by_hand():
    table = pd.DataFrame(
        {
            N.FLAG: [N.UNDER, N.UNDER, N.UNDER, N.NOT_ELIGIBLE, N.UNDER, N.WITHIN, N.OVER, None, N.WITHIN],
            N.SUPPRESSED: [False, False, False, False, True, False, False, False, False],
            N.POPULATION: [5000, 5000, 500, 0, 5000, 5000, 5000, 5000, 5000],
            N.EXPECTED_USERS: [100, 100, 40, np.nan, 100, 100, 100, np.nan, 100],
            N.RATE_RATIO: [0.5, 0.7, 0.5, np.nan, np.nan, 1.0, 1.6, np.nan, 1.0],
            N.RATIO_CI_LOW: [0.4, 0.55, 0.3, np.nan, np.nan, 0.8, 1.3, np.nan, np.nan],
            N.RATIO_CI_HIGH: [0.62, 0.85, 0.8, np.nan, np.nan, 1.2, 2.0, np.nan, np.nan],
            N.REASON: ["", "", "", "not_eligible", "suppressed", "", "", "no_reference_rate", "is_reference"],
        }
    )
    assert classify(table).tolist() == [
        N.Status.UNDER_SERVED,  # interval wholly below 0.8, enough people
        N.Status.NO_CLEAR_GAP,  # RR 0.7 but the interval reaches 0.85
        N.Status.TOO_FEW,  # 500 eligible residents
        N.Status.NOT_ELIGIBLE,
        N.Status.SUPPRESSED,
        N.Status.NO_CLEAR_GAP,
        N.Status.OVER_SERVED,  # interval above 1 / 0.8
        N.Status.UNDEFINED,
        N.Status.REFERENCE,
    ]
    relaxed = UnderServedRule(min_population=100)
    assert classify(table, relaxed)[2] == N.Status.NO_CLEAR_GAP  # 0.8 is not below 0.8
    with pytest.raises(UsageError):
        UnderServedRule(threshold=1.2)
