"""Plan vs money: funded and unfunded actions, department gaps, diversion signals.

Fiscal year 2024; every part is EU CPR "01" with share 1, so counted = attributed = the line.

===  ====================================  =====  =====  =====  =======  =========================================
row  unit_name (budget)                    ini    rev    exp    action   expected signal
===  ====================================  =====  =====  =====  =======  =========================================
0    KADIN VE AİLE HİZMETLERİ DAİRESİ BŞK*  1000    800    800  A1H1E1   none: down exactly 20 %, not more
1    Kadın ve Aile Hizmetleri Dairesi B.    1000    799    799  A1H1E1   revised_down (0.201)
2    Kadın ve Aile Hizmetleri Dairesi B.    1000      0      0  A2H1E1   revised_to_zero (no not_executed: rev 0)
3    Sağlık Daire Başkanlığı               1000   1000    500  —        untagged
4    Kadın ve Aile Hizmetleri Dairesi B.    1000   1000    500  A1H1E1   none: executed exactly 50 %
5    Kadın ve Aile Hizmetleri Dairesi B.    1000   1000    499  A1H1E1   not_executed (0.499)
6    GENÇLİK VE SPOR HİZMETLERİ DB          2000   2000   2000  A4H1E1   none
7    Kadın ve Aile Hizmetleri Dairesi B.     300    300    300  A5H1E1   outside_plan_years (plan 2021–2023)
8    Kadın ve Aile Hizmetleri Dairesi B.     400    400    400  A9H9E9   action_not_in_plan
9    Kadın ve Aile Hizmetleri Dairesi B.       0      0      0  A6H1E1   none (tagged, but no money)
===  ====================================  =====  =====  =====  =======  =========================================

(*) spelled ``KADIN VE AİLE HİZMETLERİ DAİRESİ BAŞKANLIĞI``; "Dairesi B." rows are ``Kadın ve Aile Hizmetleri
Dairesi Başkanlığı``.

Plan (responsible unit as the plan writes it): A1H1E1 2021–2024 "Kadın ve Aile Hizmetleri Daire Başkanlığı";
A2H1E1 2024 "Sağlık DB"; A3H1E1 2024 "İklim Değişikliği Müdürlüğü"; A4H1E1 2024 "Spor İşleri Müdürlüğü";
A5H1E1 2021–2023 (no unit); A6H1E1 2024 "Kadın ve Aile Hizmetleri D.B.".

Money per active action (2024): A1H1E1 rows 0, 1, 4, 5 → ini 4000, rev 800 + 799 + 1000 + 1000 = 3599,
exp 800 + 799 + 500 + 499 = 2598 (4 lines); A2H1E1 1000 / 0 / 0 (appropriated, then cut to zero and never spent:
funded in the initial phase only, so not funded in the year); A3H1E1 nothing; A4H1E1 2000 / 2000 / 2000; A6H1E1 one
line of zeros → unfunded. A5H1E1 is not active in 2024.
"""

from __future__ import annotations

import pandas as pd
import pytest
from budget_builders import make_budget, make_plan, make_tags, money, row

from gcdb import columns as C
from gcdb.budget import DiversionThresholds, analyse_budget, department_key, names
from gcdb.errors import DataValidationError, UsageError

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

KADIN = "Kadın ve Aile Hizmetleri Dairesi Başkanlığı"
BUDGET = make_budget(
    [
        {"ini": 1000, "rev": 800, "exp": 800, "unit": "KADIN VE AİLE HİZMETLERİ DAİRESİ BAŞKANLIĞI"},
        {"ini": 1000, "rev": 799, "exp": 799, "unit": KADIN},
        {"ini": 1000, "rev": 0, "exp": 0, "unit": KADIN},
        {"ini": 1000, "rev": 1000, "exp": 500, "unit": "Sağlık Daire Başkanlığı"},
        {"ini": 1000, "rev": 1000, "exp": 500, "unit": KADIN},
        {"ini": 1000, "rev": 1000, "exp": 499, "unit": KADIN},
        {"ini": 2000, "rev": 2000, "exp": 2000, "unit": "GENÇLİK VE SPOR HİZMETLERİ DB"},
        {"ini": 300, "rev": 300, "exp": 300, "unit": KADIN},
        {"ini": 400, "rev": 400, "exp": 400, "unit": KADIN},
        {"ini": 0, "rev": 0, "exp": 0, "unit": KADIN},
    ]
)
_ACTIONS = {0: "A1H1E1", 1: "A1H1E1", 2: "A2H1E1", 4: "A1H1E1", 5: "A1H1E1", 6: "A4H1E1", 7: "A5H1E1"}
_ACTIONS |= {8: "A9H9E9", 9: "A6H1E1"}
TAGS = make_tags(
    [
        {
            "row": r,
            "share": 1.0,
            "action": a,
            "eu_cpr": "01",
            "attributed": tuple(int(BUDGET.loc[r, p]) for p in C.PHASES),
        }
        for r, a in _ACTIONS.items()
    ]
)
PLAN = make_plan(
    [
        {"code": "A1H1E1", "from": 2021, "to": 2024, "unit": "Kadın ve Aile Hizmetleri Daire Başkanlığı"},
        {"code": "A2H1E1", "from": 2024, "to": 2024, "unit": "Sağlık DB"},
        {"code": "A3H1E1", "from": 2024, "to": 2024, "unit": "İklim Değişikliği Müdürlüğü"},
        {"code": "A4H1E1", "from": 2024, "to": 2024, "unit": "Spor İşleri Müdürlüğü"},
        {"code": "A5H1E1", "from": 2021, "to": 2023, "unit": ""},
        {"code": "A6H1E1", "from": 2024, "to": 2024, "unit": "Kadın ve Aile Hizmetleri D.B."},
    ]
)


@pytest.fixture(scope="module")
def result():
    return analyse_budget(BUDGET, TAGS, plan_actions=PLAN, schemes=["eu_cpr"])


def test_money_per_active_action(result):
    pm = result.plan_money[result.plan_money[names.READING] == names.DEFAULT_READING]
    assert pm[C.ACTION_CODE].tolist() == ["A1H1E1", "A2H1E1", "A3H1E1", "A4H1E1", "A6H1E1"]  # A5 not active
    assert money(pm, "attributed", action_code="A1H1E1") == [4000, 3599, 2598]
    assert money(pm, "counted", action_code="A1H1E1") == [4000, 3599, 2598]
    assert row(pm, action_code="A1H1E1")[names.TAGGED_LINES] == 4
    assert money(pm, "counted", action_code="A2H1E1") == [1000, 0, 0]
    assert pm.set_index(C.ACTION_CODE)[names.FUNDED].to_dict() == {
        "A1H1E1": True,
        "A2H1E1": False,  # revised to 0 and never spent: not funded, although the council appropriated it
        "A3H1E1": False,
        "A4H1E1": True,
        "A6H1E1": False,
    }
    assert set(result.plan_money[names.READING]) == {"default", "review"}


def test_funded_is_judged_per_phase(result):
    pm = result.plan_money[result.plan_money[names.READING] == names.DEFAULT_READING].set_index(C.ACTION_CODE)
    phases = [names.funded(p) for p in C.PHASES]
    assert pm.loc["A2H1E1", phases].tolist() == [True, False, False]
    assert pm.loc["A1H1E1", phases].tolist() == [True, True, True]
    assert pm.loc["A3H1E1", phases].tolist() == [False, False, False]
    assert pm[names.FUNDING_STATUS].to_dict() == {
        "A1H1E1": "funded",
        "A2H1E1": "cut_to_zero",
        "A3H1E1": "unfunded",
        "A4H1E1": "funded",
        "A6H1E1": "unfunded",
    }


def test_funding_status_codes():
    from gcdb.budget.plan import funding_status

    money = pd.DataFrame(
        {
            names.attributed(C.INITIAL_APPROPRIATION): [5, 5, 5, 0, 0, 0],
            names.attributed(C.REVISED_APPROPRIATION): [5, 5, 0, 7, 0, 0],
            names.attributed(C.EXPENDITURE): [5, 0, 0, 7, 3, 0],
        }
    )
    out = funding_status(money)
    assert out[names.FUNDING_STATUS].tolist() == [
        "funded",
        "not_spent",
        "cut_to_zero",
        "funded",  # added during the year and spent
        "spent_without_appropriation",
        "unfunded",
    ]
    assert out[names.FUNDED].tolist() == [True, True, False, True, False, False]


def test_unfunded_actions(result):
    unfunded = result.unfunded_actions
    assert unfunded[C.ACTION_CODE].tolist() == ["A2H1E1", "A3H1E1", "A6H1E1"]
    assert unfunded[names.TAGGED_LINES].tolist() == [1, 0, 1]  # A6 has a tagged line, but of zero kuruş
    assert unfunded[names.FUNDING_STATUS].tolist() == ["cut_to_zero", "unfunded", "unfunded"]
    assert money(unfunded, "attributed", action_code="A2H1E1") == [1000, 0, 0]
    assert row(unfunded, action_code="A3H1E1")[names.RESPONSIBLE_UNIT] == "İklim Değişikliği Müdürlüğü"


def test_department_gaps_match_names_despite_suffixes(result):
    """A1 and A6 match KADIN … DAİRESİ BAŞKANLIĞI and have tagged lines → no gap. A2: Sağlık DB = "Sağlık Daire
    Başkanlığı" in the budget, which has no line tagged to A2 (its only A2 line is in the Kadın budget) → gap,
    one tagged line elsewhere. A3 and A4: no such department in the budget."""
    gaps = result.department_gaps
    assert gaps[C.ACTION_CODE].tolist() == ["A2H1E1", "A3H1E1", "A4H1E1"]
    a2 = row(gaps, action_code="A2H1E1")
    assert a2[names.REASON] == names.Reason.NO_TAGGED_LINE_IN_DEPARTMENT
    assert a2[names.BUDGET_UNIT] == "Sağlık Daire Başkanlığı"
    assert a2[names.TAGGED_LINES_ELSEWHERE] == 1
    assert row(gaps, action_code="A3H1E1")[names.REASON] == names.Reason.DEPARTMENT_NOT_IN_BUDGET
    assert pd.isna(row(gaps, action_code="A3H1E1")[names.BUDGET_UNIT])


def test_unit_map_links_departments_that_names_cannot():
    unit_map = pd.DataFrame(
        {"plan_unit": ["SPOR İŞLERİ MÜDÜRLÜĞÜ"], "budget_unit": ["Gençlik ve Spor Hizmetleri DB"]}
    )
    mapped = analyse_budget(BUDGET, TAGS, plan_actions=PLAN, schemes=["eu_cpr"], unit_map=unit_map)
    assert mapped.department_gaps[C.ACTION_CODE].tolist() == ["A2H1E1", "A3H1E1"]
    with pytest.raises(DataValidationError, match="budget_unit"):
        analyse_budget(BUDGET, TAGS, plan_actions=PLAN, unit_map=unit_map.drop(columns="budget_unit"))


@pytest.mark.parametrize(
    "name",
    [
        "Kadın ve Aile Hizmetleri Dairesi Başkanlığı",
        "KADIN VE AİLE HİZMETLERİ DAİRE BAŞKANLIĞI",
        "Kadın ve Aile Hizmetleri DB",
        "Kadın ve Aile Hizmetleri D.B.",
        "kadin ve aile hizmetleri daire bsk.",
        "Kadın ve Aile Hizmetleri Müdürlüğü",
        "Kadın ve  Aile Hizmetleri Şube Müdürlüğü",
    ],
)
def test_department_key_is_tolerant_of_suffixes(name):
    assert department_key(name) == "kadin ve aile hizmetleri"


def test_department_key_keeps_distinct_departments_apart():
    assert department_key("Sağlık Daire Başkanlığı") != department_key("Sosyal Hizmetler Daire Başkanlığı")
    assert department_key("İklim Değişikliği Müdürlüğü") == "iklim degisikligi"


def test_diversion_signals(result):
    div = result.diversion
    got = list(zip(div[names.SIGNAL], div[C.ROW_ID], div[C.ACTION_CODE], strict=True))
    assert got == [
        ("revised_to_zero", 2, "A2H1E1"),
        ("revised_down", 1, "A1H1E1"),
        ("not_executed", 5, "A1H1E1"),
        ("outside_plan_years", 7, "A5H1E1"),
        ("action_not_in_plan", 8, "A9H9E9"),
    ]
    down = row(div, signal="revised_down")
    assert down[names.VALUE] == pytest.approx(0.201) and down[names.THRESHOLD] == 0.2
    assert money(div, "attributed", signal="revised_down") == [1000, 799, 799]
    assert row(div, signal="not_executed")[names.VALUE] == pytest.approx(0.499)
    outside = row(div, signal="outside_plan_years")
    assert (outside[names.YEAR_FROM], outside[names.YEAR_TO], outside[C.LINE_ID]) == (2021, 2023, "L7")
    assert row(div, signal="revised_to_zero")[C.UNIT_NAME] == KADIN


def test_diversion_thresholds_are_configurable():
    """With revised_down 0.19, row 0 (down 20 %) is flagged too; with execution 0.5005, row 4 (50 %) is."""
    loose = analyse_budget(
        BUDGET, TAGS, schemes=["eu_cpr"], diversion=DiversionThresholds(revised_down=0.19, execution=0.5005)
    )
    div = loose.diversion
    assert sorted(div.loc[div[names.SIGNAL] == "revised_down", C.ROW_ID]) == [0, 1]
    assert sorted(div.loc[div[names.SIGNAL] == "not_executed", C.ROW_ID]) == [4, 5]
    # without a plan, no plan-year signals
    assert not div[names.SIGNAL].isin(["outside_plan_years", "action_not_in_plan"]).any()
    with pytest.raises(UsageError, match="execution"):
        DiversionThresholds(execution=50)


def test_split_line_gives_one_signal_per_action():
    budget = make_budget([{"ini": 1001, "rev": 0, "exp": 0}])
    tags = make_tags(
        [
            {"row": 0, "share": 0.5, "action": "A1H1E1", "eu_cpr": "01", "attributed": (501, 0, 0)},
            {"row": 0, "share": 0.5, "action": "A1H1E2", "eu_cpr": "02", "attributed": (500, 0, 0)},
        ]
    )
    div = analyse_budget(budget, tags, schemes=["eu_cpr"]).diversion
    assert div[C.ACTION_CODE].tolist() == ["A1H1E1", "A1H1E2"]
    assert div[names.attributed(C.INITIAL_APPROPRIATION)].tolist() == [501, 500]
    assert set(div[names.SIGNAL]) == {"revised_to_zero"}


def test_plan_is_checked():
    bad = pd.concat([PLAN, PLAN.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataValidationError, match="plan_actions"):
        analyse_budget(BUDGET, TAGS, plan_actions=bad, schemes=["eu_cpr"])
    backwards = PLAN.assign(year_from=[2025, 2024, 2024, 2024, 2021, 2024])
    with pytest.raises(DataValidationError) as info:
        analyse_budget(BUDGET, TAGS, plan_actions=backwards, schemes=["eu_cpr"])
    assert "year_from is after year_to" in info.value.issues[C.ISSUE_MESSAGE].tolist()
