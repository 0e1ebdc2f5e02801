"""Hand-computed counted amounts for every weighting scheme.

The budget used by most cases (fiscal year 2024; kuruş; initial / revised / expenditure):

====  ==================  =====  =====  =====  ===========================================
line  role                 ini    rev    exp   tag parts (share)
====  ==================  =====  =====  =====  ===========================================
L0    split, 2 actions     1001    901    455  A1H1E1 (0.5) + A7H1E2 (0.5)
L1    one part             777    777    333   share 1.0, no action (category only)
L2    untagged            10000  10000   9000  —
L3    partly tagged        1000   1000    500  A1H1E1 (0.3)
====  ==================  =====  =====  =====  ===========================================

Attributed by share (``split_by_shares``, written by hand in the tag table):

* L0: 1001 × 0.5 = 500.5 each → floors 500 + 500, one kuruş left; tied remainders (.5, .5) → the earlier part:
  **501 / 500**. Revised 901 → **451 / 450**. Expenditure 455 → 227.5 each → **228 / 227**.
* L1: **777 / 777 / 333**.  L3: 0.3 × (1000, 1000, 500) = **300 / 300 / 150**, the rest untagged.

Budget totals: ini 12 778, rev 12 678, exp 10 288. Attributed: ini 501 + 500 + 777 + 300 = 2 078, rev 1 978,
exp 938. Untagged: ini 10 000 + 700 = 10 700 (rev 10 700, exp 9 350).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from budget_builders import make_budget, make_tags, money, row

from gcdb import columns as C
from gcdb.budget import analyse_budget, names, split_counted
from gcdb.money import split_by_shares

BUDGET = make_budget(
    [
        {"ini": 1001, "rev": 901, "exp": 455},
        {"ini": 777, "rev": 777, "exp": 333, "unit": "Sosyal Hizmetler Dairesi Başkanlığı"},
        {
            "ini": 10000,
            "rev": 10000,
            "exp": 9000,
            "unit": "Fen İşleri Dairesi Başkanlığı",
            "functional": "04.5.0.00",
        },
        {"ini": 1000, "rev": 1000, "exp": 500},
    ]
)
ATTRIBUTED = {
    "L0a": (501, 451, 228),
    "L0b": (500, 450, 227),
    "L1": (777, 777, 333),
    "L3": (300, 300, 150),
}


def _tags(l0a: dict, l0b: dict, l1: dict, l3: dict):
    return make_tags(
        [
            {"row": 0, "share": 0.5, "action": "A1H1E1", "attributed": ATTRIBUTED["L0a"], **l0a},
            {"row": 0, "share": 0.5, "action": "A7H1E2", "attributed": ATTRIBUTED["L0b"], **l0b},
            {"row": 1, "share": 1.0, "attributed": ATTRIBUTED["L1"], **l1},
            {"row": 3, "share": 0.3, "action": "A1H1E1", "attributed": ATTRIBUTED["L3"], **l3},
        ]
    )


def _parts(result, scheme: str, reading: str = names.DEFAULT_READING) -> list[list[int]]:
    p = result.parts
    sel = p[(p[C.SCHEME] == scheme) & (p[names.READING] == reading)].sort_values(names.PART_ID)
    return sel[[names.counted(ph) for ph in C.PHASES]].to_numpy().tolist()


def test_hand_written_attributed_amounts_are_what_split_by_shares_gives():
    for phase, column in zip(C.PHASES, range(3), strict=True):
        parts = split_by_shares(BUDGET[phase], pd.Series([0, 0, 1, 3]), pd.Series([0.5, 0.5, 1.0, 0.3]))
        assert parts.tolist() == [ATTRIBUTED[k][column] for k in ("L0a", "L0b", "L1", "L3")]


def test_eu_cpr_default_and_review_readings():
    """EU CPR: L0 part a "01" (100 %), part b "02" (40 %), L1 "03*", L3 "03" (0 %).

    * part a: counted = attributed = 501 / 451 / 228.
    * part b at 0.4: 500 → 200 | 300; 450 → 180 | 270; 227 → 90.8 | 136.2 → floors 90 + 136 = 226, one kuruş to the
      larger remainder (.8) → **200 / 180 / 91**.
    * L1 "03*": default 0 %; review 40 %: 777 → 310.8 | 466.2 → **311**; 333 → 133.2 | 199.8 → **133**.
    * L3 "03": 0.

    Default totals: ini 501 + 200 = **701**, rev 451 + 180 = **631**, exp 228 + 91 = **319**.
    Review totals: ini 701 + 311 = **1012**, rev 631 + 311 = **942**, exp 319 + 133 = **452**.
    Execution rate: default 319 / 631, review 452 / 942. Share of total (default, initial): 701 / 12 778.
    """
    tags = _tags({"eu_cpr": "01"}, {"eu_cpr": "02"}, {"eu_cpr": "03*"}, {"eu_cpr": "03"})
    result = analyse_budget(BUDGET, tags, schemes=["eu_cpr"])
    assert _parts(result, "eu_cpr") == [[501, 451, 228], [200, 180, 91], [0, 0, 0], [0, 0, 0]]
    assert _parts(result, "eu_cpr", "review") == [[501, 451, 228], [200, 180, 91], [311, 311, 133], [0, 0, 0]]

    s = result.summary
    assert money(s, "counted", scheme="eu_cpr", reading="default") == [701, 631, 319]
    assert money(s, "counted", scheme="eu_cpr", reading="review") == [1012, 942, 452]
    assert money(s, "budget", scheme="eu_cpr", reading="default") == [12778, 12678, 10288]
    assert money(s, "attributed", scheme="eu_cpr", reading="review") == [2078, 1978, 938]
    default = row(s, scheme="eu_cpr", reading="default")
    assert default[names.EXECUTION_RATE] == pytest.approx(319 / 631)
    assert row(s, scheme="eu_cpr", reading="review")[names.EXECUTION_RATE] == pytest.approx(452 / 942)
    assert default[names.share_of_total(C.INITIAL_APPROPRIATION)] == pytest.approx(701 / 12778)

    # not counted + counted = attributed, and the reconciliation shows the untagged 10 700
    rec = result.reconciliation
    ini = row(rec, scheme="eu_cpr", reading="review", phase=C.INITIAL_APPROPRIATION)
    assert (ini[names.COUNTED], ini[names.NOT_COUNTED], ini[names.UNTAGGED]) == (1012, 1066, 10700)
    assert rec[names.BALANCED].all()


def test_oecd_dac_full_amount_and_principal():
    """OECD DAC: part a "2" (principal), part b "1" (significant), L1 "0", L3 "1".

    Lines scored 1 or 2 count in full: ini 501 + 500 + 300 = **1301**, rev 451 + 450 + 300 = **1201**,
    exp 228 + 227 + 150 = **605**. Principal (2) only: **501 / 451 / 228**. L1 (0) counts nothing.
    """
    tags = _tags({"oecd_dac": "2"}, {"oecd_dac": "1"}, {"oecd_dac": "0"}, {"oecd_dac": "1"})
    result = analyse_budget(BUDGET, tags, schemes=["oecd_dac"])
    assert money(result.summary, "counted", scheme="oecd_dac") == [1301, 1201, 605]
    focused = result.gender_focused
    assert money(focused, "focused", scheme="oecd_dac", fiscal_year=2024) == [1301, 1201, 605]
    assert money(focused, "principal", scheme="oecd_dac", fiscal_year=2024) == [501, 451, 228]
    by_cat = result.by_category
    assert money(by_cat, "counted", scheme="oecd_dac", category="0") == [0, 0, 0]
    assert money(by_cat, "attributed", scheme="oecd_dac", category="0") == [777, 777, 333]


def test_india_gbs_parts_with_declared_shares():
    """India GBS: part a "A" (100 %), part b "B" declared 0.34, L1 "C" declared 0.10, L3 "B" declared 0.90.

    * part b at 0.34: 500 → 170; 450 → 153; 227 → 77.18 | 149.82 → floors 77 + 149, the kuruş to .82 → **77**.
    * L1 at 0.10: 777 → 77.7 | 699.3 → **78**; 333 → 33.3 | 299.7 → **33**.
    * L3 at 0.90: 300 → 270; 150 → 135.

    Totals: ini 501 + 170 + 78 + 270 = **1019**; rev 451 + 153 + 78 + 270 = **952**; exp 228 + 77 + 33 + 135 = **473**.
    """
    tags = _tags(
        {"india_gbs": "A"},
        {"india_gbs": "B", "dshare": 0.34},
        {"india_gbs": "C", "dshare": 0.10},
        {"india_gbs": "B", "dshare": 0.90},
    )
    result = analyse_budget(BUDGET, tags, schemes=["india_gbs"])
    assert _parts(result, "india_gbs") == [[501, 451, 228], [170, 153, 77], [78, 78, 33], [270, 270, 135]]
    assert money(result.summary, "counted", scheme="india_gbs") == [1019, 952, 473]
    assert money(result.by_category, "counted", scheme="india_gbs", category="B") == [440, 423, 212]


def test_ph_hgdg_score_bands_at_the_boundaries():
    """HGDG: nine lines of 1003 kuruş (all phases), each fully tagged with one checklist score.

    Weights: 0 → 0, 3.9 → 0, 4 → 25 %, 7.9 → 25 %, 8 → 50 %, 14.9 → 50 %, 15 → 75 %, 19.9 → 75 %, 20 → 100 %.
    * 25 %: 250.75 | 752.25 → floors 250 + 752, the kuruş to .75 → **251**.
    * 50 %: 501.5 | 501.5 → a tie; the earlier part (counted) takes it → **502** (0.5 is exact in binary).
    * 75 %: 752.25 | 250.75 → the kuruş goes to the not-counted part → **752**.
    Total counted: 2 × 251 + 2 × 502 + 2 × 752 + 1003 = **4013** of 9027.
    Floor check (5 %): required = ceil(0.05 × 9027) = ceil(451.35) = 452 → passed.
    """
    scores = ["0", "3.9", "4", "7.9", "8", "14.9", "15", "19.9", "20"]
    budget = make_budget([{"ini": 1003, "rev": 1003, "exp": 1003} for _ in scores])
    tags = make_tags(
        [
            {"row": i, "share": 1.0, "ph_hgdg": s, "attributed": (1003, 1003, 1003)}
            for i, s in enumerate(scores)
        ]
    )
    result = analyse_budget(budget, tags, schemes=["ph_hgdg"])
    counted = [c[0] for c in _parts(result, "ph_hgdg")]
    assert counted == [0, 0, 251, 251, 502, 502, 752, 752, 1003]
    assert money(result.summary, "counted", scheme="ph_hgdg") == [4013, 4013, 4013]
    check = row(result.floor_check, scheme="ph_hgdg", phase=C.INITIAL_APPROPRIATION)
    assert (check[names.REQUIRED], check[names.GAP], bool(check[names.PASSED])) == (452, 0, True)


def test_declared_share_scheme_counts_only_parts_that_name_it():
    """Declared: part a category "declared" with 0.123; part b declares 0.34 for India B but names no declared
    category → weight 0 (docs/contracts.md: missing category → 0).

    part a at 0.123: 501 → 61.623 | 439.377 → **62**; 451 → 55.473 | 395.527 → **55**; 228 → 28.044 | 199.956 →
    **28**. Totals: **62 / 55 / 28**.
    """
    tags = _tags({"declared": "declared", "dshare": 0.123}, {"india_gbs": "B", "dshare": 0.34}, {}, {})
    result = analyse_budget(BUDGET, tags, schemes=["declared", "india_gbs"])
    assert _parts(result, "declared") == [[62, 55, 28], [0, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert money(result.summary, "counted", scheme="declared") == [62, 55, 28]


def test_split_line_by_action_sums_back_to_the_line():
    """The split line L0 shows up under both actions; by_action adds A1H1E1 = L0a + L3 = 801 / 751 / 378 and
    A7H1E2 = 500 / 450 / 227 of attributed money; the parts of L0 add up to the whole line (1001 / 901 / 455)."""
    tags = _tags({"eu_cpr": "01"}, {"eu_cpr": "01"}, {}, {"eu_cpr": "01"})
    result = analyse_budget(BUDGET, tags, schemes=["eu_cpr"])
    by_action = result.by_action[result.by_action[names.READING] == names.DEFAULT_READING]
    assert money(by_action, "attributed", action_code="A1H1E1") == [801, 751, 378]
    assert money(by_action, "counted", action_code="A7H1E2") == [500, 450, 227]
    assert row(by_action, action_code="A7H1E2")[C.AREA] == 7
    assert row(by_action, action_code="A7H1E2")[C.TARGET_CODE] == "A7H1"
    assert by_action[C.ACTION_CODE].isna().sum() == 1  # L1 has no action: one NA row keeps totals whole
    l0 = result.parts[(result.parts[C.ROW_ID] == 0) & (result.parts[names.READING] == names.DEFAULT_READING)]
    assert l0[[names.attributed(p) for p in C.PHASES]].sum().tolist() == [1001, 901, 455]


@pytest.mark.parametrize(
    ("amount", "weight", "expected"),
    [
        (7, 0.4, 3),  # 2.8 | 4.2 → 3
        (1001, 0.4, 400),  # 400.4 | 600.6 → the kuruş to .6 → 400
        (3, 0.5, 2),  # 1.5 | 1.5 tie → counted
        (-7, 0.4, -3),  # sign restored
        (0, 0.4, 0),
        (5, 0.0, 0),
        (5, 1.0, 5),
    ],
)
def test_split_counted_is_exact(amount, weight, expected):
    counted, not_counted = split_counted(np.array([amount]), np.array([weight]))
    assert counted[0] == expected and counted[0] + not_counted[0] == amount


def test_shares_of_a_year_with_zero_revised_budget_are_nan_with_reason():
    budget = make_budget([{"ini": 100, "rev": 0, "exp": 0}])
    tags = make_tags([{"row": 0, "share": 1.0, "eu_cpr": "01", "attributed": (100, 0, 0)}])
    result = analyse_budget(budget, tags, schemes=["eu_cpr"])
    s = row(result.summary, reading="default")
    assert math.isnan(s[names.EXECUTION_RATE])
    assert s[names.EXECUTION_RATE_REASON] == names.Reason.ZERO_REVISED_APPROPRIATION
    assert math.isnan(s[names.share_of_total(C.REVISED_APPROPRIATION)])
    assert s[names.share_of_total(C.INITIAL_APPROPRIATION)] == 1.0
