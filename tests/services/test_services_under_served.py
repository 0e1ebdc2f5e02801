"""On the demo: one definition of under-served everywhere, nothing outside eligibility flagged, users outside
eligibility reported, the headline record per service, age-standardised place rates."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.report.services import write_services_workbook
from gcdb.services import names as S


def test_no_group_outside_eligibility_is_flagged(demo_analysis):
    impact = demo_analysis.impact
    outside = (impact[N.FLAG] == N.NOT_ELIGIBLE).to_numpy()
    assert outside.sum() > 1000  # e.g. men at the women's shelter, children at health screening
    assert (impact.loc[outside, N.STATUS] == N.Status.NOT_ELIGIBLE).all()
    assert impact.loc[outside, N.RATE].isna().all() and impact.loc[outside, N.RATE_RATIO].isna().all()
    # the groups the issue named: shelter girls, screening under 45, the crèche beyond 6
    rows = impact[(impact[N.STRATA] == "").to_numpy() & (impact[N.DIMENSION] == C.AGE_BAND).to_numpy()]
    for code, bands in {
        "SIG": ["0-4", "5-14"],
        "SAG": ["0-4", "5-14", "15-24", "25-44"],
        "KRS": ["25-44", "65+"],
    }.items():
        part = rows[(rows[C.SERVICE_CODE] == code).to_numpy() & rows[N.GROUP].isin(bands).to_numpy()]
        assert len(part) == len(bands) * len(demo_analysis.years)
        assert (part[N.FLAG] == N.NOT_ELIGIBLE).all(), code
    men = impact[(impact[N.DIMENSION] == C.SEX).to_numpy() & (impact[N.GROUP] == C.MALE).to_numpy()]
    assert (
        men.loc[men[C.SERVICE_CODE].isin(["SIG", "DHT", "KOP"]).to_numpy(), N.FLAG] == N.NOT_ELIGIBLE
    ).all()
    # and nothing under- or over-served has zero eligible residents
    flagged = impact[N.STATUS].isin([N.Status.UNDER_SERVED, N.Status.OVER_SERVED]).to_numpy()
    assert (impact.loc[flagged, N.POPULATION] >= demo_analysis.rule.min_population).all()


def test_users_outside_eligibility_are_reported_not_dropped(demo_analysis):
    out = demo_analysis.ineligible
    found = set(zip(out[C.SERVICE_CODE], out[S.CRITERION], strict=True))
    # the generator plants a few: men at the shelter and the support line, 45-64-year-olds at the elderly day
    # centre, 2-year-olds at the crèche, residents without a disability on the disability transport
    for pair in [("SIG", C.SEX), ("DHT", C.SEX), ("YAS", C.AGE), ("KRS", C.AGE), ("ENU", C.DISABILITY)]:
        assert pair in found, pair
    yas = out[(out[C.SERVICE_CODE] == "YAS").to_numpy()]
    assert set(yas[N.GROUP]) <= {"45-64"}
    # small counts hidden, as every count of persons
    hidden = out[N.SUPPRESSED].to_numpy(dtype=bool)
    assert out.loc[hidden, N.USERS].isna().all() and (out.loc[~hidden, N.USERS] >= demo_analysis.k).all()
    head = demo_analysis.headline
    assert (head[S.INELIGIBLE_USERS].fillna(0) >= 0).all()


def test_under_served_count_is_the_same_in_console_workbook_and_tidy_tables(demo_analysis, tmp_path):
    from gcdb.pipeline_summary import _gap_lines

    a = demo_analysis
    total = a.under_served_count()
    assert total == len(a.gaps) == int((a.impact[N.STATUS] == N.Status.UNDER_SERVED).sum()) > 0
    # console (gcdb demo)
    lines = _gap_lines(SimpleNamespace(services=a), "en")
    match = re.search(r"([\d,]+) under-served groups in all", lines[-1])
    assert match and int(match.group(1).replace(",", "")) == total
    assert "2023: " in lines[-1] and "2024: " in lines[-1]
    tr = _gap_lines(SimpleNamespace(services=a), "tr")
    assert f"toplam {total:,}".replace(",", ".") in tr[-1]
    # tidy tables
    a.to_tidy(tmp_path / "tables", formats=("csv",))
    assert len(pd.read_csv(tmp_path / "tables" / "gaps.csv")) == total
    # workbook: the summary's count of under-served groups
    path = write_services_workbook(tmp_path / "book.xlsx", a, lang="en")
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    values = {
        row[0]: row[1]
        for row in sheet.iter_rows(min_row=1, max_row=12, max_col=2, values_only=True)
        if row[0]
    }
    assert values["Under-served groups"] == total


def test_console_lists_the_largest_gaps_by_people_missing(demo_analysis):
    from gcdb.pipeline_summary import _gap_lines

    lines = _gap_lines(SimpleNamespace(services=demo_analysis), "en")
    shown = [line for line in lines[1:-1]]
    assert 1 <= len(shown) <= 5 and all("people missing" in line for line in shown)
    missing = [
        float(re.search(r"([\d,.]+) people missing", line).group(1).replace(",", "")) for line in shown
    ]
    assert missing == sorted(missing, reverse=True)


def test_headline_record_per_service(demo_analysis):
    rl = demo_analysis.reached_least
    assert list(rl.columns) == list(S.REACHED_LEAST_COLUMNS)
    assert len(rl) == len(demo_analysis.services) * len(demo_analysis.years)
    gaps = demo_analysis.gaps
    for rec in rl.to_dict("records"):
        mine = gaps[
            (gaps[S.FISCAL_YEAR] == rec[S.FISCAL_YEAR]).to_numpy()
            & (gaps[C.SERVICE_CODE] == rec[C.SERVICE_CODE]).to_numpy()
        ]
        assert rec[S.N_UNDER_SERVED] == len(mine)
        if len(mine):
            top = mine.iloc[0]
            assert rec[N.STATUS] == N.Status.UNDER_SERVED and rec[N.GROUP] == top[N.GROUP]
            assert rec[N.USERS_MISSING] == pytest.approx(mine[N.USERS_MISSING].max())
            assert rec[N.RATIO_CI_HIGH] < demo_analysis.rule.threshold
        else:
            assert rec[N.STATUS] == N.Status.NO_CLEAR_GAP and pd.isna(rec[N.GROUP])
    assert set(rl[S.ELIGIBILITY]) >= {"age 3-6", "age 18+; sex female", "disability yes"}


def test_places_carry_their_age_standardised_rate(demo_analysis):
    std = demo_analysis.standardised
    assert set(std[S.VIEW]) == {C.DISTRICT, C.NEIGHBOURHOOD}
    d = std[(std[S.VIEW] == C.DISTRICT).to_numpy() & (std[C.SERVICE_CODE] == "SAG").to_numpy()]
    assert len(d) == 39 * len(demo_analysis.years)
    ok = d[S.DSR].notna().to_numpy()
    assert ok.mean() > 0.8
    assert (d.loc[ok, S.DSR_CI_LOW] <= d.loc[ok, S.DSR]).all() and (
        d.loc[ok, S.DSR] <= d.loc[ok, S.DSR_CI_HIGH]
    ).all()
    # with the municipality's own population as standard the city's DSR is its crude rate: the
    # population-weighted mean of the districts' DSRs is close to the mean crude rate
    for year in demo_analysis.years:
        y = d[(d[S.FISCAL_YEAR] == year).to_numpy() & ok]
        weights = y[N.POPULATION].to_numpy()
        assert np.average(y[S.DSR], weights=weights) == pytest.approx(
            np.average(y[N.RATE], weights=weights), rel=0.05
        )
    # no DSR from a band count of 1 … k − 1 or fewer than 10 users
    hidden = std[S.DSR].isna().to_numpy() & std[N.USERS].notna().to_numpy()
    assert set(std.loc[hidden, N.REASON]) <= {
        "band_suppressed",
        "count_below_10",
        "zero_population",
        "no_standard",
    }
    bd = demo_analysis.view("district", service="SAG", year=max(demo_analysis.years))
    assert bd[S.DSR].notna().mean() > 0.8 and bd[S.ISR].notna().all()
