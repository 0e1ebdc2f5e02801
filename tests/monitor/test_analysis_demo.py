"""The monitoring analysis on the demo: status, money × implementation, attainment, trends, tidy output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gcdb import columns as C
from gcdb.monitor import ANALYSIS_TABLES, analyse_monitoring, combine
from gcdb.monitor import names as N
from gcdb.monitor.attainment import _score
from gcdb.monitor.money import CATEGORY, PHASE


def test_status_is_the_responsible_units_report(analysis, collected):
    status = analysis.action_status
    rows = pd.concat([collected[y].actions for y in (2023, 2024)])
    lead = rows[rows["filled"] & (rows[N.ROLE] == N.RESPONSIBLE)].set_index([C.FISCAL_YEAR, "action_code"])
    for rec in status.sample(40, random_state=1).to_dict("records"):
        key = (rec[C.FISCAL_YEAR], rec["action_code"])
        if key in lead.index and lead.loc[key, N.UNIT_ID] == rec["responsible_unit"]:
            assert rec[N.STATUS] == lead.loc[key, N.STATUS]
        else:
            assert rec[N.STATUS] == N.NOT_REPORTED
    # actions of the two units that sent no usable 2024 return are not reported
    late = status[(status[C.FISCAL_YEAR] == 2024) & status["responsible_unit"].isin(["ulasim", "kultur"])]
    assert len(late) > 0 and (late[N.STATUS] == N.NOT_REPORTED).all()
    # a quarantined row (progress 120 %) leaves its action not reported
    q = collected[2024].quarantine["actions"]
    bad = q.loc[q["issue_codes"].str.contains("out_of_range"), "action_code"].iloc[0]
    assert status.set_index([C.FISCAL_YEAR, "action_code"]).loc[(2024, bad), N.STATUS] == N.NOT_REPORTED
    # only the actions of the units asked for a return
    assert set(status["responsible_unit"]) <= {
        "sosyal_hizmetler",
        "saglik",
        "insan_kaynaklari_ve_egitim",
        "ulasim",
        "kultur",
    }


def test_money_against_implementation_independently(analysis, budget_analysis):
    status = analysis.action_status
    money = budget_analysis.plan_money.drop_duplicates(["fiscal_year", "action_code"]).set_index(
        ["fiscal_year", "action_code"]
    )
    summary = analysis.money_summary.set_index([C.FISCAL_YEAR, PHASE, CATEGORY])["actions"]
    for year in (2023, 2024):
        for phase in C.PHASES:
            expected = dict.fromkeys(N.MONEY_CATEGORIES, 0)
            for rec in status[status[C.FISCAL_YEAR] == year].to_dict("records"):
                key = (year, rec["action_code"])
                amount = int(money.loc[key, C.attributed(phase)]) if key in money.index else 0
                done = rec[N.STATUS] == N.DONE
                if amount > 0:
                    expected[N.FUNDED_DONE if done else N.FUNDED_NOT_DONE] += 1
                else:
                    expected[N.DONE_UNFUNDED if done else N.UNFUNDED_NOT_DONE] += 1
            got = {cat: int(summary[(year, phase, cat)]) for cat in N.MONEY_CATEGORIES}
            assert got == expected, (year, phase)
    table = analysis.money_implementation
    assert len(table) == 3 * len(status)
    assert table["attributed"].dtype == "int64" and table["spent_total"].dtype == "int64"


def test_demo_money_counts(analysis):
    """The joined money/implementation table on the demo (revised appropriation phase)."""
    m = analysis.money_summary
    revised = m[m[PHASE] == C.REVISED_APPROPRIATION].set_index([C.FISCAL_YEAR, CATEGORY])["actions"]
    counts = {(y, c): int(revised[(y, c)]) for y in (2023, 2024) for c in N.MONEY_CATEGORIES}
    assert counts[(2023, N.FUNDED_DONE)] + counts[(2023, N.FUNDED_NOT_DONE)] > 0
    assert counts[(2024, N.FUNDED_DONE)] > 0 and counts[(2024, N.DONE_UNFUNDED)] > 0
    assert sum(counts[(2024, c)] for c in N.MONEY_CATEGORIES) == int(
        (analysis.action_status[C.FISCAL_YEAR] == 2024).sum()
    )


def test_planted_overspending_named_by_cell(analysis, manifest):
    planted = next(p for p in manifest["planted"] if p["code"] == "spent_exceeds_appropriation")
    issues = analysis.issues
    hit = issues[(issues[C.ISSUE_CODE] == planted["code"]) & (issues["cell"] == planted["cell"])]
    assert len(hit) == 1 and hit[C.ISSUE_FILE].iloc[0] == planted["file"]
    assert "revize ödeneğini" in hit[C.ISSUE_MESSAGE].iloc[0]
    flagged = analysis.money_implementation
    assert flagged.loc[flagged["spent_above_revised"], C.FISCAL_YEAR].eq(2024).all()


def test_attainment_formula_hand_computed():
    frame = pd.DataFrame(
        {
            N.ACTUAL: [80.0, 80.0, 30.0, 120.0, 1.0, 0.0, 50.0, np.nan, 50.0, 10.0],
            N.TARGET_VALUE: [100.0, 100.0, 20.0, 100.0, np.nan, np.nan, np.nan, 10.0, 40.0, 20.0],
            N.BASELINE: [60.0, np.nan, 50.0, np.nan, np.nan, np.nan, np.nan, np.nan, 50.0, 20.0],
            N.DIRECTION: [
                N.HIGHER_IS_BETTER,
                N.HIGHER_IS_BETTER,
                N.LOWER_IS_BETTER,
                N.HIGHER_IS_BETTER,
                N.HIGHER_IS_BETTER,
                N.HIGHER_IS_BETTER,
                N.HIGHER_IS_BETTER,
                N.HIGHER_IS_BETTER,
                N.LOWER_IS_BETTER,
                N.HIGHER_IS_BETTER,
            ],
            N.VALUE_KIND: [
                "integer",
                "integer",
                "decimal",
                "percent",
                "yes_no",
                "yes_no",
                "integer",
                "integer",
                "integer",
                "integer",
            ],
            N.VALUE_SOURCE: [N.SOURCE_RETURNS] * 10,
        }
    )
    score, status = _score(frame)
    expected = [
        (80 - 60) / (100 - 60),
        0.8,
        (50 - 30) / (50 - 20),
        1.2,
        1.0,
        0.0,
        np.nan,
        np.nan,
        (50 - 50) / (50 - 40),
        10 / 20,
    ]  # last: baseline = target → actual ÷ target
    np.testing.assert_allclose(score, expected, equal_nan=True)
    assert status.tolist() == [
        N.PARTLY,
        N.PARTLY,
        N.PARTLY,
        N.ACHIEVED,
        N.ACHIEVED,
        N.NOT_PROGRESSED,
        N.NO_TARGET,
        N.NOT_MEASURED,
        N.NOT_PROGRESSED,
        N.PARTLY,
    ]


def test_indicator_attainment_on_the_demo(analysis):
    att = analysis.indicator_attainment
    assert len(att) == 2 * 604 and att.groupby(C.FISCAL_YEAR).size().tolist() == [604, 604]
    assert set(att["attainment_status"]) <= set(N.ATTAINMENTS)
    achieved = att[att["attainment_status"] == N.ACHIEVED]
    assert (achieved["attainment"] >= 1).all() and len(achieved) > 0
    not_measurable = att[att[N.VALUE_SOURCE] == N.SOURCE_NONE]
    assert (not_measurable["attainment_status"] == N.NOT_MEASURABLE).all()
    # staff indicators come from the workforce table: A6-G6 is the share of women managers against 40 %
    a6g6 = att[(att["indicator_id"] == "A6-G6")].set_index(C.FISCAL_YEAR)
    assert (a6g6[N.VALUE_SOURCE] == N.SOURCE_WORKFORCE).all() and (a6g6[N.TARGET_VALUE] == 40).all()
    wf = analysis.workforce
    total = wf[(wf["indicator_id"] == "A6-G6") & wf["unit_id"].isna()].set_index(C.FISCAL_YEAR)["value"]
    assert a6g6.loc[2024, N.ACTUAL] == pytest.approx(total[2024])
    assert 5 < total[2024] < 40  # women are a minority of the demo's managers


def test_trends_across_years(analysis):
    trends = analysis.action_trends
    assert set(trends[C.FISCAL_YEAR]) == {2024}
    both = trends.dropna(subset=["advanced"])
    rank = {N.NOT_STARTED: 0, N.IN_PROGRESS: 1, N.DONE: 2}
    for rec in both.to_dict("records"):
        moved = rank[rec[N.STATUS]] > rank[rec["previous_status"]] or (
            rec[N.STATUS] == rec["previous_status"] and (rec["progress_change"] or 0) > 0
        )
        assert bool(rec["advanced"]) == moved


def test_status_summary_adds_up(analysis):
    s = analysis.status_summary
    assert (s[list(N.STATUS_CODES)].sum(axis=1) == s["actions"]).all()
    total = s[s["level"] == "all"].set_index(C.FISCAL_YEAR)["actions"]
    for level in ("area", "target_code", "responsible_unit"):
        assert s[s["level"] == level].groupby(C.FISCAL_YEAR)["actions"].sum().equals(total)


def test_key_numbers_and_notes(analysis):
    k = analysis.key_numbers().set_index(["key", C.FISCAL_YEAR])["value"]
    assert k[("units_expected", 2024)] == 5 and k[("units_not_returned", 2024)] == 2
    assert k[("units_complete", 2023)] == 5
    assert k[("indicators_computable", 2024)] >= 150
    assert k[("actions_active", 2024)] == sum(k[(f"actions_{s}", 2024)] for s in N.STATUS_CODES)
    assert sum(k[(c, 2024)] for c in N.MONEY_CATEGORIES) == k[("actions_active", 2024)]
    tr, en = analysis.notes("tr"), analysis.notes("en")
    assert (
        len(tr) == len(en) == 6 and tr[0].startswith("Bir eylemin durumu") and en[0].startswith("An action")
    )


def test_tidy_tables(analysis, tmp_path):
    written = analysis.to_tidy(tmp_path)
    names = {p.stem for p in written}
    assert names == {*ANALYSIS_TABLES, "key_numbers", "parameters"}
    money = pd.read_parquet(tmp_path / "money_summary.parquet")
    assert list(money.columns) == [
        "fiscal_year",
        "phase",
        "category",
        "actions",
        "attributed",
        "spent_reported",
    ]
    assert money["attributed"].dtype == "int64"
    head = (tmp_path / "action_status.csv").read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("fiscal_year,action_code,area,target_code,title,responsible_unit,status,progress")


def test_without_budget_or_workforce(collected, catalogue):
    bare = analyse_monitoring(combine(collected.values()), catalogue)
    assert bare.money_implementation.empty and bare.workforce.empty
    assert (bare.money_summary["actions"] == 0).all() or bare.money_summary.empty
    assert "No budget" in " ".join(bare.notes("en"))


def test_indicator_kinds_when_no_indicator_comes_from_the_workforce_table(collected, catalogue, monkeypatch):
    """A plan without workforce-computed indicators: the crosstab of sources has no ``workforce`` column and
    ``from_workforce`` is 0 for every kind (it used to raise AttributeError)."""
    from gcdb.monitor import analysis as A

    def returns_only(cat):
        plan = real(cat)
        return plan[plan[N.VALUE_SOURCE] != N.SOURCE_WORKFORCE].reset_index(drop=True)

    real = A.indicator_plan
    monkeypatch.setattr(A, "indicator_plan", returns_only)
    kinds = analyse_monitoring(combine(collected.values()), catalogue).indicator_kinds
    assert (kinds["from_workforce"] == 0).all()
    assert kinds["from_returns"].sum() > 0
