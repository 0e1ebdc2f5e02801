"""Benefit incidence: exact kuruş allocation, shares against population, per-user and per-resident amounts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from equality_builders import population, random_usage, usage
from hypothesis import given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.equality import TOTAL, benefit_incidence
from gcdb.equality import names as N
from gcdb.errors import DataValidationError, UsageError


@pytest.fixture
def records():
    return usage(
        [
            ("p1", "S1", C.FEMALE, "A"),
            ("p2", "S1", C.FEMALE, "A"),
            ("p3", "S1", C.MALE, "B"),
            ("p1", "S2", C.FEMALE, "A"),
            ("p4", "S2", C.MALE, "B"),
        ],
        [C.PERSON_ID, C.SERVICE_CODE, C.SEX, C.DISTRICT],
    )


def group(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for col, value in where.items():
        mask &= (frame[col] == value).to_numpy()
    return frame.loc[mask].iloc[0]


def test_hand_example(records):
    """S1 = 1,000 kuruş for 2 women and 1 man: 666.67 → 667 and 333.33 → 333 (largest remainder).
    S2 = 101 kuruş for 1 woman and 1 man: 50.5 each → 51 to the first part, 50 to the second.
    Women 667 + 51 = 718, men 333 + 50 = 383; total 1,101. Each sex has 1,000 residents."""
    spending = pd.Series({"S1": 1000, "S2": 101}, dtype="int64")
    pop = population(districts=("A", "B"), bands=("25-44",), value=500)
    r = benefit_incidence(spending, records, [C.SEX], population=pop, k=1)
    s = r.by_service
    assert group(s, service_code="S1", sex=C.FEMALE)[N.BENEFIT] == 667
    assert group(s, service_code="S1", sex=C.MALE)[N.BENEFIT] == 333
    assert group(s, service_code="S2", sex=C.FEMALE)[N.BENEFIT] == 51
    assert group(s, service_code="S1", sex=TOTAL)[N.BENEFIT] == 1000
    assert group(s, service_code="S1", sex=TOTAL)[N.SPENDING] == 1000
    g = r.by_group
    f, m, total = group(g, sex=C.FEMALE), group(g, sex=C.MALE), group(g, sex=TOTAL)
    assert (f[N.BENEFIT], m[N.BENEFIT], total[N.BENEFIT]) == (718, 383, 1101)
    assert f[N.BENEFIT_SHARE] == pytest.approx(718 / 1101)
    assert f[N.POPULATION] == 1000 and f[N.POPULATION_SHARE] == pytest.approx(0.5)
    assert f[N.INCIDENCE_RATIO] == pytest.approx((718 / 1101) / 0.5)
    # distinct users across services: women p1, p2; men p3, p4
    assert (f[N.USERS], m[N.USERS], total[N.USERS]) == (2, 2, 4)
    assert f[N.BENEFIT_PER_USER] == 359 and m[N.BENEFIT_PER_USER] == 192  # 191.5 rounds half to even
    assert f[N.BENEFIT_PER_RESIDENT] == 1 and m[N.BENEFIT_PER_RESIDENT] == 0
    assert total[N.BENEFIT_PER_RESIDENT] == 1  # 1,101 / 2,000 = 0.55
    assert group(g, sex=C.UNKNOWN)[N.REASON] == "no_baseline:sex"
    assert g[N.BENEFIT].dtype == "Int64"
    assert set(r.caveat) == {"tr", "en"} and "birim maliyet" in r.caveat["tr"]
    assert r.unallocated.empty


def test_unallocated_and_spending_frame(records):
    spending = pd.DataFrame({C.SERVICE_CODE: ["S1", "S9", "S1"], C.EXPENDITURE: [600, 77, 400]})
    r = benefit_incidence(spending, records, [C.DISTRICT], k=1)
    assert r.unallocated[C.SERVICE_CODE].tolist() == ["S9"] and r.unallocated[N.SPENDING].tolist() == [77]
    assert r.unallocated[N.REASON].tolist() == ["no_users"]
    total = group(r.by_group, district=TOTAL)
    assert total[N.BENEFIT] == 1000  # S1's two lines summed; S2 has no spending
    assert np.isnan(total[N.POPULATION])  # no population given


def test_regional_unit_costs(records):
    # S1 spent 900 in district A and 100 in B: each district's users share only their district's money
    spending = pd.DataFrame({C.SERVICE_CODE: ["S1", "S1"], C.DISTRICT: ["A", "B"], N.SPENDING: [900, 100]})
    r = benefit_incidence(spending, records, [C.SEX, C.DISTRICT], k=1)
    s = r.by_service
    assert group(s, service_code="S1", sex=C.FEMALE, district="A")[N.BENEFIT] == 900
    assert group(s, service_code="S1", sex=C.MALE, district="B")[N.BENEFIT] == 100


def test_small_groups_are_hidden(records):
    spending = pd.Series({"S1": 1000, "S2": 101}, dtype="int64")
    r = benefit_incidence(spending, records, [C.SEX])
    g = r.by_group
    assert g.loc[g[C.SEX] == C.FEMALE, N.SUPPRESSED].item()
    assert g.loc[g[N.SUPPRESSED], [N.USERS, N.BENEFIT, N.BENEFIT_PER_USER]].isna().all().all()
    assert (g.loc[g[N.SUPPRESSED], N.REASON].str.contains("suppressed")).all()
    # no line of the table has exactly one hidden member
    hidden = g[N.SUPPRESSED].to_numpy()
    assert hidden.sum() != 1


def test_arguments_are_checked(records):
    with pytest.raises(DataValidationError, match="integer kuruş"):
        benefit_incidence(pd.Series({"S1": 10.5}), records, [C.SEX])
    with pytest.raises(UsageError, match="users' or 'uses'"):
        benefit_incidence(pd.Series({"S1": 10}), records, [C.SEX], measure="quantity")
    with pytest.raises(UsageError, match="money column"):
        benefit_incidence(pd.DataFrame({C.SERVICE_CODE: ["S1"], "tl": [1]}), records, [C.SEX])
    # whole-number floats are accepted as kuruş
    r = benefit_incidence(pd.Series({"S1": 10.0}), records, [C.SEX], k=1)
    assert group(r.by_group, sex=TOTAL)[N.BENEFIT] == 10


@given(st.integers(0, 100_000), st.lists(st.integers(-(10**12), 10**12), min_size=2, max_size=2))
@settings(max_examples=20, deadline=None)
def test_benefits_add_up_to_spending_to_the_kurus(seed, amounts):
    rng = np.random.default_rng(seed)
    frame = random_usage(rng, int(rng.integers(1, 400)), int(rng.integers(1, 100)))
    spending = pd.Series(dict(zip(["S1", "S2"], amounts, strict=True)), dtype="int64")
    r = benefit_incidence(
        spending, frame, [C.SEX, C.AGE_BAND], k=1, measure=str(rng.choice(["users", "uses"]))
    )
    cells = r.by_service[r.by_service[C.SEX] != TOTAL]
    sums = cells.groupby(C.SERVICE_CODE)[N.BENEFIT].sum()
    used = set(frame[C.SERVICE_CODE])
    for code, amount in spending.items():
        if code in used:
            assert sums[code] == amount
        else:
            assert code in set(r.unallocated[C.SERVICE_CODE])
    total = group(r.by_group, sex=TOTAL, age_band=TOTAL)[N.BENEFIT]
    assert total == sum(a for c, a in spending.items() if c in used)
    assert r.by_group.loc[r.by_group[C.SEX] != TOTAL, N.BENEFIT].sum() == total
