"""analyse_services: fixed table shapes, hand-computed statistics, disclosure control, errors, incidence."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from services_builders import analyse_demo, small_population, small_usage

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.errors import UsageError
from gcdb.services import TABLES, analyse_services, parse_reference
from gcdb.services import names as S
from gcdb.services.indicators import INDICATOR_TABLE_COLUMNS

PERSON_ID = re.compile(r"P\d{5,7}")


def _katz(u1, n1, u0, n0, z=1.96):
    rr = (u1 / n1) / (u0 / n0)
    se = math.sqrt(1 / u1 - 1 / n1 + 1 / u0 - 1 / n0)
    return rr, rr * math.exp(-z * se), rr * math.exp(z * se)


def _wilson(u, n, z=1.96):
    p = u / n
    centre = (2 * u + z * z) / (2 * (n + z * z))
    half = z * math.sqrt(z * z + 4 * u * (1 - p)) / (2 * (n + z * z))
    return centre - half, centre + half


def _row(impact, **where):
    mask = np.ones(len(impact), dtype=bool)
    for col, value in where.items():
        mask &= (impact[col] == value).to_numpy()
    rows = impact[mask]
    assert len(rows) == 1, where
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------------------------
def test_every_table_has_its_fixed_columns(small, demo_analysis):
    for analysis in (small["analysis"], demo_analysis):
        tables = analysis.tables()
        assert list(tables) == list(TABLES)
        for name, frame in tables.items():
            layout = TABLES[name]
            if name == "indicators":
                layout = INDICATOR_TABLE_COLUMNS
            if layout is not None:
                assert list(frame.columns) == list(layout), name


def test_analysis_without_budget_or_indicators_has_empty_tables_with_columns(small):
    analysis = small["analysis"]
    assert not analysis.has_incidence
    for name in ("incidence_actions", "incidence_services", "incidence_groups", "incidence_by_service"):
        assert getattr(analysis, name).empty
    assert analysis.indicators.empty and list(analysis.indicators.columns) == list(INDICATOR_TABLE_COLUMNS)


def test_no_table_holds_a_person_id(small, demo_analysis):
    for analysis in (small["analysis"], demo_analysis):
        for name, frame in analysis.tables().items():
            assert C.PERSON_ID not in frame.columns
            for col in frame.columns:
                if pd.api.types.is_string_dtype(frame[col]) or frame[col].dtype == object:
                    values = frame[col].dropna().astype("str")
                    assert not values.str.fullmatch(PERSON_ID.pattern).any(), (name, col)


# ---------------------------------------------------------------------------------------------------------------
# Hand-computed statistics on the small municipality
# ---------------------------------------------------------------------------------------------------------------
def test_rate_ratio_and_intervals_match_the_formulas(small):
    impact = small["analysis"].impact
    women = _row(impact, service_code="A", dimension=C.SEX, strata="", group=C.FEMALE)
    men = _row(impact, service_code="A", dimension=C.SEX, strata="", group=C.MALE)
    # 10 women and 20 men in each of 4 cells of 1,000 residents
    assert int(women[N.USERS]) == 40 and women[N.POPULATION] == 4000
    assert women[N.RATE] == pytest.approx(10.0)
    low, high = _wilson(40, 4000)
    assert (women[N.RATE_CI_LOW], women[N.RATE_CI_HIGH]) == pytest.approx((low * 1000, high * 1000))
    rr, rr_low, rr_high = _katz(40, 4000, 80, 4000)
    assert women[N.RATE_RATIO] == pytest.approx(rr) == pytest.approx(0.5)
    assert (women[N.RATIO_CI_LOW], women[N.RATIO_CI_HIGH]) == pytest.approx((rr_low, rr_high))
    assert women[N.FLAG] == N.UNDER and bool(women[N.CI_EXCLUDES_ONE])
    assert women[N.REPRESENTATION_INDEX] == pytest.approx(10 / 15)
    assert men[N.RATE_RATIO] == 1.0 and men[N.REASON] == N.Reason.IS_REFERENCE
    # within a stratum: women vs men aged 45-64 in Beykoz — 10 vs 20 of 1,000 each
    cell = _row(
        impact, service_code="A", dimension=C.SEX, strata="age_band|district", group=C.FEMALE,
        age_band="45-64", district="Beykoz",
    )  # fmt: skip
    rr, rr_low, rr_high = _katz(10, 1000, 20, 1000)
    assert (cell[N.RATE_RATIO], cell[N.RATIO_CI_LOW], cell[N.RATIO_CI_HIGH]) == pytest.approx(
        (rr, rr_low, rr_high)
    )


def test_headline_counts_shares_and_rates(small):
    head = small["analysis"].headline.set_index(C.SERVICE_CODE)
    assert int(head.loc["A", N.USERS]) == 120 and int(head.loc["A", N.USES]) == 120
    assert int(head.loc["A", S.FEMALE_USERS]) == 40
    assert head.loc["A", S.SHARE_WOMEN] == pytest.approx(40 / 120)
    assert head.loc["A", N.RATE] == pytest.approx(120 / 8000 * 1000)
    assert head.loc["A", C.SERVICE_NAME] == "Hizmet A"


def test_small_counts_are_primary_and_their_cover_secondary(small):
    impact = small["analysis"].impact
    cell = _row(
        impact, service_code="B", dimension=C.SEX, strata="district", group=C.FEMALE, district="Adalar"
    )
    assert cell[N.SUPPRESSED] and cell[N.SUPPRESSION] == S.PRIMARY
    assert pd.isna(cell[N.USERS]) and pd.isna(cell[N.USES]) and pd.isna(cell[N.RATE])
    assert pd.isna(cell[N.RATE_RATIO]) and pd.isna(cell[N.FLAG])
    assert N.Reason.SUPPRESSED in cell[N.REASON]
    # the men of the same district would give the 3 women away (43 − 40): hidden too, as secondary
    cover = _row(
        impact, service_code="B", dimension=C.SEX, strata="district", group=C.MALE, district="Adalar"
    )
    assert cover[N.SUPPRESSED] and cover[N.SUPPRESSION] == S.SECONDARY
    # no published count is a small count, and no hidden count shows
    published = impact[~impact[N.SUPPRESSED].to_numpy(dtype=bool)]
    users = published[N.USERS].to_numpy(dtype=np.float64, na_value=np.nan)
    assert not np.any((users > 0) & (users < 5))
    hidden = impact[impact[N.SUPPRESSED].to_numpy(dtype=bool)]
    assert hidden[N.USERS].isna().all() and hidden[N.USES].isna().all() and hidden[N.QUANTITY].isna().all()
    assert set(hidden[N.SUPPRESSION]) <= {S.PRIMARY, S.SECONDARY}
    counts = small["analysis"].suppression.set_index(S.TABLE)
    assert int(counts.loc["impact", S.HIDDEN]) == len(hidden)
    assert int(counts.loc["impact", S.PRIMARY]) == int((hidden[N.SUPPRESSION] == S.PRIMARY).sum())


def test_status_comparisons_use_records_with_a_known_status(demo_analysis):
    disability = demo_analysis.view("disability")
    assert set(disability[N.GROUP]) == {C.YES, C.NO}
    migrant = demo_analysis.view("migrant_status")
    assert set(migrant[N.GROUP]) == {C.CITIZEN, C.MIGRANT}
    unknown = demo_analysis.unknown_status
    share = unknown[(unknown[N.DIMENSION] == C.DISABILITY).to_numpy()][S.UNKNOWN_SHARE]
    assert share.between(0.005, 0.02).all()  # the demo leaves ~1 % unrecorded
    # users by disability add up to the service's users less those with an unknown status
    head = demo_analysis.headline.set_index([S.FISCAL_YEAR, C.SERVICE_CODE])
    status = unknown.set_index([S.FISCAL_YEAR, C.SERVICE_CODE, N.DIMENSION])
    for (year, code), frame in disability.groupby([S.FISCAL_YEAR, C.SERVICE_CODE]):
        if frame[N.USERS].isna().any():
            continue
        total = int(head.loc[(year, code), N.USERS])
        assert int(frame[N.USERS].sum()) == total - int(
            status.loc[(year, code, C.DISABILITY), S.UNKNOWN_USERS]
        )


def test_gaps_are_the_under_served_groups_ranked_by_people_missing(demo_analysis):
    gaps, rule = demo_analysis.gaps, demo_analysis.rule
    assert (gaps[N.STATUS] == N.Status.UNDER_SERVED).all() and (gaps[N.FLAG] == N.UNDER).all()
    # enough people, and the ratio's interval entirely below the four-fifths threshold
    assert (gaps[N.POPULATION] >= rule.min_population).all() and (
        gaps[N.EXPECTED_USERS] >= rule.min_expected
    ).all()
    assert (gaps[N.RATIO_CI_HIGH] < rule.threshold).all()
    assert list(gaps[S.RANK]) == list(range(1, len(gaps) + 1))
    missing = gaps[N.USERS_MISSING].to_numpy(dtype=np.float64)
    assert np.allclose(
        missing, gaps[N.EXPECTED_USERS].to_numpy(dtype=np.float64) - gaps[N.USERS].to_numpy(dtype=np.float64)
    )
    assert (np.diff(missing) <= 1e-9).all()  # most people missing first
    # the same definition in the impact table, and the count every output prints
    assert demo_analysis.under_served_count() == int(
        (demo_analysis.impact[N.STATUS] == N.Status.UNDER_SERVED).sum()
    )
    assert demo_analysis.under_served is demo_analysis.gaps


def test_heat_measures_cover_districts_neighbourhoods_and_age_bands(demo_analysis):
    heat = demo_analysis.heat
    city = heat[(heat[N.STRATA] == "").to_numpy()]
    assert set(city[N.DIMENSION]) == {C.DISTRICT, C.NEIGHBOURHOOD, C.AGE_BAND}
    sii = city[(city[N.MEASURE] == "SII").to_numpy()]
    assert set(sii[N.DIMENSION]) == {C.AGE_BAND}  # ordered dimensions only
    d = city[(city[N.MEASURE] == "D").to_numpy() & (city[N.DIMENSION] == C.DISTRICT).to_numpy()]
    assert len(d) == len(demo_analysis.years) * len(demo_analysis.services)
    assert (d[N.N_GROUPS] <= 39).all() and (d[N.VALUE] > 0).all()


# ---------------------------------------------------------------------------------------------------------------
# Benefit incidence and indicators on the demo
# ---------------------------------------------------------------------------------------------------------------
def test_incidence_is_exact_to_the_kurus(demo_analysis, demo_frames):
    a = demo_analysis
    actions, services = a.incidence_actions, a.incidence_services
    budget, groups = demo_frames["budget"], a.incidence_groups
    for year in a.years:
        act = actions[(actions[S.FISCAL_YEAR] == year).to_numpy()]
        svc = services[(services[S.FISCAL_YEAR] == year).to_numpy()]
        allocated = int(act.loc[act[S.ALLOCATED].to_numpy(dtype=bool), S.SPENDING].sum())
        assert int(svc[S.SPENDING].sum()) == allocated
        for by in (C.SEX, C.DISTRICT):
            total = groups[
                (groups[S.FISCAL_YEAR] == year).to_numpy() & (groups[S.BY] == by).to_numpy()
                & (groups[N.GROUP] == N.TOTAL).to_numpy()
            ]  # fmt: skip
            assert int(total[N.BENEFIT].iloc[0]) == allocated
        # an action's spending never exceeds the expenditure of the whole budget of its year
        assert act[S.SPENDING].sum() <= budget.loc[budget[C.FISCAL_YEAR] == year, C.EXPENDITURE].sum()
    krs = actions[(actions[C.ACTION_CODE] == "A7H1E1").to_numpy()]
    assert set(krs[S.SERVICES]) == {"KRS"} and krs[S.ALLOCATED].all()
    # legal counselling serves its action for women only (rule hukuki-danismanlik-kadin)
    huk = a.incidence_by_service[
        (a.incidence_by_service[C.SERVICE_CODE] == "HUK").to_numpy()
        & (a.incidence_by_service[S.BY] == C.SEX).to_numpy()
    ]
    men = huk[(huk[N.GROUP] == C.MALE).to_numpy()]
    assert (men[N.BENEFIT].fillna(0) == 0).all()
    assert a.caveat["tr"].startswith("Fayda dağılımı") and "unit cost" in a.caveat["en"]


def test_indicators_first_and_alone_equal_indicators_beside_the_passes(
    demo_frames, demo_analysis, monkeypatch
):
    # the demo's indicators are computed beside the impact passes; past _BESIDE_ROWS rows they are computed
    # first, alone: every table the same
    from gcdb.services import analysis

    assert len(demo_frames["usage"]) <= analysis._BESIDE_ROWS  # the fixture's analysis: beside the passes
    monkeypatch.setattr(analysis, "_BESIDE_ROWS", 0)
    alone = analyse_demo(demo_frames)
    for name in ("indicators", "impact", "heat", "headline", "standardised"):
        pd.testing.assert_frame_equal(getattr(alone, name), getattr(demo_analysis, name), check_exact=True)


def test_indicator_small_counts_are_hidden(demo_analysis):
    table = demo_analysis.indicators
    assert set(table[C.FISCAL_YEAR]) == set(demo_analysis.years)
    counted = table["measure"].isin(["users", "uses"]).to_numpy()
    numerator = table["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
    assert not np.any(counted & (numerator > 0) & (numerator < 5))
    hidden = table[N.SUPPRESSED].to_numpy(dtype=bool)
    assert hidden.any()
    assert table.loc[hidden, "value"].isna().all() and table.loc[hidden, "change"].isna().all()
    assert set(table.loc[hidden, N.SUPPRESSION]) <= {S.PRIMARY, S.SECONDARY}
    assert table[S.TITLE_EN].notna().all()


# ---------------------------------------------------------------------------------------------------------------
# Options and errors
# ---------------------------------------------------------------------------------------------------------------
def test_reference_override_changes_the_comparison(small):
    analysis = analyse_services(
        small["usage"], small["population"], dimensions=[C.SEX], crosses=(), reference={C.SEX: C.FEMALE}
    )
    men = _row(analysis.impact, service_code="A", dimension=C.SEX, strata="", group=C.MALE)
    assert men[N.RATE_RATIO] == pytest.approx(2.0) and men[N.FLAG] == N.OVER
    assert analysis.reference[C.SEX] == C.FEMALE


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reference": {C.SEX: "woman"}}, "'woman' is not a group of 'sex'"),
        ({"reference": {C.DISTRICT: "Atlantis"}}, "'Atlantis' is not a group of 'district'"),
        ({"reference": {"colour": "red"}}, "unknown dimension"),
        ({"years": [2030]}, "no usage records for fiscal year(s) 2030"),
        ({"dimensions": ["height"]}, "unknown dimension 'height'"),
        ({"k": 0}, "k must be"),
        ({"budget_tags": pd.DataFrame()}, "needs service_tags"),
    ],
)
def test_user_errors_name_the_problem(english, small, kwargs, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        analyse_services(small["usage"], small["population"], **kwargs)


def test_missing_columns_are_named():
    population = small_population()
    usage = small_usage({("A", "Adalar", C.FEMALE, "25-44"): 10}).drop(columns=[C.PERSON_ID])
    with pytest.raises(UsageError, match="person_id"):
        analyse_services(usage, population)


def test_parse_reference():
    assert parse_reference(["sex=female", "district=rest"]) == {C.SEX: C.FEMALE, C.DISTRICT: N.REST}
    for bad in (["sex"], ["=male"], ["sex="], ["sex=male", "sex=female"]):
        with pytest.raises(UsageError):
            parse_reference(bad)


def test_population_year_falls_back_to_the_latest_earlier_year():
    population = small_population().assign(**{C.FISCAL_YEAR: np.int64(2023)})
    usage = small_usage(
        {("A", "Adalar", C.FEMALE, "25-44"): 10, ("A", "Beykoz", C.MALE, "45-64"): 12}, year=2025
    )
    analysis = analyse_services(usage, population, dimensions=[C.SEX], crosses=())
    assert analysis.population_years == {2025: 2023}
    assert "population_year.2025" in set(analysis.parameters[S.NAME])


def test_identical_inputs_give_identical_tables(small):
    again = analyse_services(small["usage"], small["population"])
    for name, frame in small["analysis"].tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name], obj=name)


def test_to_tidy_writes_csv_and_parquet(small, tmp_path):
    written = small["analysis"].to_tidy(tmp_path)
    assert len(written) == 2 * len(TABLES)
    impact = pd.read_parquet(tmp_path / "impact.parquet")
    assert len(impact) == len(small["analysis"].impact)
    text = (tmp_path / "gaps.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == list(S.GAPS_COLUMNS)


def test_users_outside_eligibility_are_listed_in_the_groups_natural_order():
    """Age bands 0-4, 5-14, 15-24 (not as text sorts: 0-4, 15-24, 5-14), per service and criterion."""
    from gcdb.services.findings import ineligible_table

    bands = ["15-24", "5-14", "0-4", "65+", "15-24"]
    records = pd.DataFrame(
        {
            C.SERVICE_CODE: ["B", "A", "A", "A", "A"],
            C.PERSON_ID: ["p1", "p2", "p3", "p4", "p5"],
            C.AGE_BAND: bands,
            C.SEX: ["female", "female", "male", "male", "male"],
        }
    )
    broken = np.array(["age", "age", "age", "sex", "age"], dtype=object)
    out = ineligible_table(records, broken, 2024, k=1)
    got = list(zip(out[C.SERVICE_CODE], out["criterion"], out["group"], strict=True))
    assert got == [
        ("A", "age", "0-4"),
        ("A", "age", "5-14"),
        ("A", "age", "15-24"),
        ("A", "sex", "male"),
        ("B", "age", "15-24"),
    ]
