"""Aggregations, year-over-year change, floor check, input checks, reconciliation guard and export."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from budget_builders import make_budget, make_tags, money, row

from gcdb import columns as C
from gcdb.budget import TABLES, ReconciliationError, analyse_budget, names, year_over_year
from gcdb.errors import DataValidationError, GcdbError, UsageError
from gcdb.money import split_by_shares

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

# Four fiscal years; every tagged line is EU CPR "01" with share 1, so counted = the line.
#   2022: A untagged 1000/1000/800;   B tagged 0/0/0                 → counted 0 / 0 / 0
#   2023: C untagged 9500/9500/9000;  D tagged 500/400/300           → totals 10000 / 9900 / 9300
#   2024: E untagged 9501/9501/9000;  F tagged 500/500/250           → totals 10001 / 10001 / 9250
#   2026: G tagged 100/100/100                                       → totals 100 / 100 / 100 (2025 missing)
YEARS_BUDGET = make_budget(
    [
        {"year": 2022, "ini": 1000, "rev": 1000, "exp": 800, "unit": "Fen İşleri Dairesi Başkanlığı"},
        {"year": 2022, "ini": 0, "rev": 0, "exp": 0},
        {"year": 2023, "ini": 9500, "rev": 9500, "exp": 9000, "unit": "Fen İşleri Dairesi Başkanlığı"},
        {"year": 2023, "ini": 500, "rev": 400, "exp": 300},
        {"year": 2024, "ini": 9501, "rev": 9501, "exp": 9000, "unit": "Fen İşleri Dairesi Başkanlığı"},
        {"year": 2024, "ini": 500, "rev": 500, "exp": 250},
        {"year": 2026, "ini": 100, "rev": 100, "exp": 100},
    ]
)
YEARS_TAGS = make_tags(
    [
        {"row": 1, "share": 1.0, "action": "A1H1E1", "eu_cpr": "01", "attributed": (0, 0, 0)},
        {"row": 3, "share": 1.0, "action": "A1H1E1", "eu_cpr": "01", "attributed": (500, 400, 300)},
        {"row": 5, "share": 1.0, "action": "A1H1E1", "eu_cpr": "01", "attributed": (500, 500, 250)},
        {"row": 6, "share": 1.0, "action": "A1H1E1", "eu_cpr": "01", "attributed": (100, 100, 100)},
    ]
)


@pytest.fixture(scope="module")
def years_result():
    return analyse_budget(YEARS_BUDGET, YEARS_TAGS, schemes=["eu_cpr"])


def test_each_year_is_analysed_separately(years_result):
    assert years_result.years == (2022, 2023, 2024, 2026)
    s = years_result.summary[years_result.summary[names.READING] == names.DEFAULT_READING]
    assert s[C.FISCAL_YEAR].tolist() == [2022, 2023, 2024, 2026]
    assert money(s, "budget", fiscal_year=2023) == [10000, 9900, 9300]
    assert money(s, "counted", fiscal_year=2024) == [500, 500, 250]
    assert row(s, fiscal_year=2023)[names.EXECUTION_RATE] == pytest.approx(0.75)


def test_year_over_year_for_consecutive_years_only(years_result):
    """2023 vs 2022: 500 vs 0 → change +500, relative change undefined (reason). 2024 vs 2023: initial 500 vs 500
    → 0 (0 %); revised 500 vs 400 → +100 (+25 %); expenditure 250 vs 300 → −50 (−1/6). 2026 has no 2025."""
    yoy = years_result.year_over_year
    yoy = yoy[yoy[names.READING] == names.DEFAULT_READING]
    assert sorted(yoy[C.FISCAL_YEAR].unique().tolist()) == [2023, 2024]
    first = row(yoy, fiscal_year=2023, phase=C.INITIAL_APPROPRIATION)
    assert (first[names.CHANGE], first[names.PREVIOUS_YEAR]) == (500, 2022)
    assert math.isnan(first[names.RELATIVE_CHANGE])
    assert first[names.RELATIVE_CHANGE_REASON] == names.Reason.ZERO_PREVIOUS_YEAR
    changes = {
        p: (
            row(yoy, fiscal_year=2024, phase=p)[names.CHANGE],
            row(yoy, fiscal_year=2024, phase=p)[names.RELATIVE_CHANGE],
        )
        for p in C.PHASES
    }
    assert changes[C.INITIAL_APPROPRIATION] == (0, 0.0)
    assert changes[C.REVISED_APPROPRIATION] == (100, pytest.approx(0.25))
    assert changes[C.EXPENDITURE] == (-50, pytest.approx(-1 / 6))
    assert pd.isna(row(yoy, fiscal_year=2024, phase=C.EXPENDITURE)[names.RELATIVE_CHANGE_REASON])


def test_year_over_year_of_a_breakdown(years_result):
    by_action = year_over_year(years_result.by_action, extra_keys=[C.ACTION_CODE])
    assert list(by_action.columns[:5]) == [
        C.FISCAL_YEAR,
        names.PREVIOUS_YEAR,
        C.SCHEME,
        names.READING,
        C.ACTION_CODE,
    ]
    r = row(
        by_action, fiscal_year=2024, phase=C.REVISED_APPROPRIATION, reading="default", action_code="A1H1E1"
    )
    assert (r[names.COUNTED], r[names.COUNTED_PREVIOUS], r[names.CHANGE]) == (500, 400, 100)


def test_floor_check_exact_at_the_boundary(years_result):
    """5 % floor. 2023 initial: 500 of 10 000 = exactly 5 % → passed, gap 0. 2023 revised: required
    ceil(0.05 × 9 900) = 495 > 400 → failed, gap 95. 2024 initial: ceil(0.05 × 10 001) = ceil(500.05) = 501 > 500 →
    failed by one kuruş. 2026: 100 of 100 → passed."""
    fc = years_result.floor_check
    fc = fc[fc[names.READING] == names.DEFAULT_READING]

    def check(year, phase):
        r = row(fc, fiscal_year=year, phase=phase)
        return int(r[names.REQUIRED]), int(r[names.GAP]), bool(r[names.PASSED])

    assert check(2023, C.INITIAL_APPROPRIATION) == (500, 0, True)
    assert check(2023, C.REVISED_APPROPRIATION) == (495, 95, False)
    assert check(2024, C.INITIAL_APPROPRIATION) == (501, 1, False)
    assert check(2026, C.REVISED_APPROPRIATION) == (5, 0, True)
    assert set(fc[names.PHASE]) == {C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION}
    assert (fc[names.FLOOR] == 0.05).all()


def test_floor_per_scheme_or_from_the_scheme_data():
    own = analyse_budget(YEARS_BUDGET, YEARS_TAGS, schemes=["eu_cpr", "ph_hgdg"], floor=None)
    assert set(own.floor_check[C.SCHEME]) == {"ph_hgdg"}  # only HGDG defines a floor (5 %)
    custom = analyse_budget(YEARS_BUDGET, YEARS_TAGS, schemes=["eu_cpr"], floor={"eu_cpr": 0.049})
    r = row(custom.floor_check, fiscal_year=2024, phase=C.INITIAL_APPROPRIATION, reading="default")
    assert (r[names.REQUIRED], bool(r[names.PASSED])) == (491, True)  # ceil(490.049) = 491
    with pytest.raises(UsageError, match="fraction"):
        analyse_budget(YEARS_BUDGET, YEARS_TAGS, schemes=["eu_cpr"], floor=5)
    with pytest.raises(UsageError, match="ph_hgdg"):
        analyse_budget(YEARS_BUDGET, YEARS_TAGS, schemes=["eu_cpr"], floor={"ph_hgdg": 0.05})


def test_selected_years_only():
    result = analyse_budget(YEARS_BUDGET, YEARS_TAGS, schemes=["eu_cpr"], years=[2024, 2023])
    assert result.years == (2023, 2024)
    assert set(result.summary[C.FISCAL_YEAR]) == {2023, 2024}
    assert set(result.parts[C.FISCAL_YEAR]) == {2023, 2024}
    assert result.year_over_year[C.FISCAL_YEAR].unique().tolist() == [2024]
    with pytest.raises(UsageError, match="2030"):
        analyse_budget(YEARS_BUDGET, YEARS_TAGS, schemes=["eu_cpr"], years=2030)


# ---------------------------------------------------------------------------------------------------------------
# Breakdowns by budget-line dimension
# ---------------------------------------------------------------------------------------------------------------
LINES = make_budget(
    [
        {
            "ini": 1000,
            "rev": 1000,
            "exp": 500,
            "functional": "10.4.0.00",
            "economic": "03.5.1.08",
            "financing": "5",
        },
        {
            "ini": 2000,
            "rev": 2000,
            "exp": 2000,
            "functional": "10.4.1.00",
            "economic": "03.2.1.01",
            "financing": "7",
        },
        {
            "ini": 4000,
            "rev": 4000,
            "exp": 1000,
            "unit": "Fen İşleri Dairesi Başkanlığı",
            "functional": "06.2.0.00",
            "economic": "06.1.2.01",
            "financing": "5",
        },
    ]
)
LINES_TAGS = make_tags(
    [
        {"row": 0, "share": 1.0, "action": "A1H1E1", "eu_cpr": "01", "attributed": (1000, 1000, 500)},
        {"row": 1, "share": 0.5, "action": "A1H2E1", "eu_cpr": "02", "attributed": (1000, 1000, 1000)},
    ]
)


def test_breakdowns_by_budget_dimension():
    """Counted (EU CPR default): line 0 → 1000/1000/500; line 1 → 0.4 × 1000 = 400/400/400; line 2 untagged.
    Functional 10.4 (level 2) gathers lines 0 and 1: budget 3000/3000/2500, counted 1400/1400/900; 06.2 has its
    own budget 4000 and nothing counted. Economic level 1 "03" = lines 0 + 1; level 2 "03.5" = line 0 only.
    Financing "7" = line 1. Department "Kadın…" = lines 0 + 1, share of its own initial budget 1400/3000."""
    result = analyse_budget(LINES, LINES_TAGS, schemes=["eu_cpr"])
    sel = {k: v[v[names.READING] == "default"] for k, v in result.tables().items() if k.startswith("by_")}
    assert money(sel["by_functional"], "budget", functional_code="10.4") == [3000, 3000, 2500]
    assert money(sel["by_functional"], "counted", functional_code="10.4") == [1400, 1400, 900]
    assert money(sel["by_functional"], "counted", functional_code="06.2") == [0, 0, 0]
    assert money(sel["by_economic_1"], "counted", economic_code="03") == [1400, 1400, 900]
    assert money(sel["by_economic_2"], "counted", economic_code="03.5") == [1000, 1000, 500]
    assert money(sel["by_economic_2"], "counted", economic_code="03.2") == [400, 400, 400]
    assert money(sel["by_financing"], "counted", financing_type="7") == [400, 400, 400]
    dept = row(sel["by_department"], unit_name="Kadın ve Aile Hizmetleri Dairesi Başkanlığı")
    assert dept[names.share(C.INITIAL_APPROPRIATION)] == pytest.approx(1400 / 3000)
    assert dept[names.share_of_total(C.INITIAL_APPROPRIATION)] == pytest.approx(1400 / 7000)
    assert dept[names.EXECUTION_RATE] == pytest.approx(900 / 1400)
    assert money(sel["by_department"], "budget", unit_name="Fen İşleri Dairesi Başkanlığı") == [
        4000,
        4000,
        1000,
    ]
    assert money(sel["by_target"], "counted", target_code="A1H2") == [400, 400, 400]
    assert money(sel["by_area"], "counted", area=1) == [1400, 1400, 900]

    level1 = analyse_budget(LINES, LINES_TAGS, schemes=["eu_cpr"], functional_level=1).by_functional
    assert sorted(level1[C.FUNCTIONAL_CODE].unique().tolist()) == ["06", "10"]
    # every breakdown of the line dimensions sums to the summary
    total = money(result.summary, "counted", reading="default")
    for name in (
        "by_department",
        "by_functional",
        "by_economic_1",
        "by_economic_2",
        "by_financing",
        "by_action",
    ):
        assert sel[name][[names.counted(p) for p in C.PHASES]].sum().tolist() == total, name


def test_fixed_columns_and_dtypes_even_without_plan(tmp_path):
    result = analyse_budget(LINES, LINES_TAGS, schemes=["eu_cpr"])
    tables = result.tables()
    assert list(tables) == [*TABLES, "parameters"]
    for name, columns in TABLES.items():
        assert tuple(tables[name].columns) == columns, name
        for column in columns:
            if column in names.DTYPES and column != names.VALUE:
                assert str(tables[name][column].dtype) == names.DTYPES[column], (name, column)
    assert result.plan_money.empty and result.unfunded_actions.empty and result.department_gaps.empty

    written = result.to_tidy(tmp_path / "out")
    assert len(written) == 2 * len(tables)
    back = pd.read_parquet(tmp_path / "out" / "summary.parquet")
    pd.testing.assert_frame_equal(back, result.summary, check_dtype=False)
    csv = pd.read_csv(tmp_path / "out" / "reconciliation.csv")
    assert csv[names.BALANCED].all() and len(csv) == len(result.reconciliation)
    with pytest.raises(UsageError, match="xlsx"):
        result.to_tidy(tmp_path, formats=("xlsx",))


def test_accepts_a_tag_result_and_computes_missing_attributed_columns():
    bare = LINES_TAGS.drop(columns=[C.attributed(p) for p in C.PHASES])
    result = analyse_budget(LINES, SimpleNamespace(tags=bare), schemes=["eu_cpr"])
    expected = split_by_shares(LINES[C.INITIAL_APPROPRIATION], pd.Series([0, 1]), pd.Series([1.0, 0.5]))
    parts = result.parts[result.parts[names.READING] == "default"]
    assert parts[names.attributed(C.INITIAL_APPROPRIATION)].tolist() == expected.tolist() == [1000, 1000]


# ---------------------------------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------------------------------
def _bad(tags=None, budget=None, **kwargs):
    return analyse_budget(LINES if budget is None else budget, LINES_TAGS if tags is None else tags, **kwargs)


def test_shares_over_one_are_rejected():
    tags = pd.concat([LINES_TAGS, LINES_TAGS.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataValidationError, match="sum to 2 > 1"):
        _bad(tags)


def test_attributed_amounts_must_fit_the_budget():
    tags = LINES_TAGS.copy()
    tags.loc[1, C.attributed(C.EXPENDITURE)] = 999  # 0.5 × 2000 = 1000
    with pytest.raises(DataValidationError, match=r"tag part 1 \(row_id 1, rule 'r1'\).*not share") as info:
        _bad(tags)
    assert info.value.issues[C.ISSUE_COLUMN].tolist() == [C.attributed(C.EXPENDITURE)]


def test_categories_are_checked_against_the_scheme():
    tags = LINES_TAGS.copy()
    tags["category_eu_cpr"] = pd.Series(["04", "01"], dtype="str")
    tags["category_india_gbs"] = pd.Series(["B", None], dtype="str")
    with pytest.raises(DataValidationError) as info:
        _bad(tags)
    messages = " ".join(info.value.issues[C.ISSUE_MESSAGE])
    assert "unknown category '04' for scheme 'eu_cpr'" in messages
    assert "needs a declared share" in messages


def test_row_ids_must_point_into_the_budget():
    tags = LINES_TAGS.copy()
    tags[C.ROW_ID] = [0, 3]
    with pytest.raises(DataValidationError, match="budget row position 0..2"):
        _bad(tags)


def test_money_must_be_integer_kurus():
    budget = LINES.astype({C.EXPENDITURE: "float64"})
    with pytest.raises(DataValidationError, match="integer kuruş"):
        _bad(budget=budget)


def test_missing_columns_and_unknown_scheme():
    with pytest.raises(DataValidationError, match="category_ph_hgdg"):
        _bad(LINES_TAGS.drop(columns=["category_ph_hgdg"]))
    assert _bad(LINES_TAGS.drop(columns=["category_ph_hgdg"]), schemes=["eu_cpr"]).schemes == ("eu_cpr",)
    with pytest.raises(UsageError, match="unknown weighting scheme 'eige'"):
        _bad(schemes=["eige"])
    with pytest.raises(UsageError, match="functional_level"):
        _bad(functional_level=7)


@pytest.mark.parametrize("damage", ["lose a part", "one kuruş too many"])
def test_reconciliation_guard_raises(monkeypatch, damage):
    """If a part were lost between the tag table and the parts table, or a counted amount were off by one kuruş,
    the reconciliation must refuse to return a result."""
    import gcdb.budget.analysis as analysis

    real = analysis.count_parts

    def broken(*args):
        parts = real(*args)
        if damage == "lose a part":
            return parts.iloc[1:].reset_index(drop=True)
        column = names.counted(C.EXPENDITURE)
        return parts.assign(**{column: parts[column] + (parts.index == 0)})

    monkeypatch.setattr(analysis, "count_parts", broken)
    with pytest.raises(ReconciliationError, match="does not reconcile") as info:
        _bad(schemes=["eu_cpr"])
    assert isinstance(info.value, GcdbError)
    assert not info.value.table[names.BALANCED].all()


def test_summary_is_cross_checked_against_the_reconciliation(monkeypatch):
    """The breakdowns are summed along a second path (dense facts); a disagreement with the parts table raises."""
    import gcdb.budget.analysis as analysis
    from gcdb.budget.aggregate import Facts

    real = analysis._facts

    def broken(*args):
        facts = real(*args)
        money = facts.money.copy()
        money[0, 0, 3] += 1  # one kuruş more counted on the first part, default reading
        return Facts(money, facts.scheme, facts.reading_name)

    monkeypatch.setattr(analysis, "_facts", broken)
    with pytest.raises(ReconciliationError, match="summary counted_initial_appropriation disagrees"):
        _bad(schemes=["eu_cpr"])


def test_reconciliation_is_balanced_per_year_phase_and_reading(years_result):
    rec = years_result.reconciliation
    assert len(rec) == 4 * 3 * 2  # years × phases × readings (eu_cpr default + review)
    assert rec[names.BALANCED].all()
    r = row(rec, fiscal_year=2023, phase=C.REVISED_APPROPRIATION, reading="default")
    assert (r[names.BUDGET_TOTAL], r[names.ATTRIBUTED], r[names.UNTAGGED]) == (9900, 400, 9500)
    assert np.array_equal(
        rec[names.BUDGET_TOTAL], rec[names.COUNTED] + rec[names.NOT_COUNTED] + rec[names.UNTAGGED]
    )
