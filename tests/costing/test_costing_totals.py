"""Costing totals: the counted part per scheme, split by the largest remainder, reconciled across levels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from costing_builders import SAGLIK, frame, line
from hypothesis import given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.budget import ReconciliationError
from gcdb.costing import check_totals, costing_totals, read_costing
from gcdb.costing import names as N
from gcdb.errors import UsageError


def _row(totals, **where) -> pd.Series:
    mask = np.ones(len(totals), dtype=bool)
    for column, value in where.items():
        mask &= (totals[column].astype("object") == value).fillna(False).to_numpy(dtype=bool)
    hits = totals[mask]
    assert len(hits) == 1, where
    return hits.iloc[0]


@pytest.fixture(scope="module")
def totals():
    """Three lines in 2024 (kuruş):

    a  A2H3E2  12 × 1000.01 TL = 1,200,012   EU 01 (100 %)   HGDG 20 (100 %)
    b  A2H3E1   3 ×  333.33 TL =    99,999   EU 02 (40 %)    HGDG 12 (50 %)   declared 0.5
    c  A3H3E2   1 ×    0.05 TL =         5   EU 02 (40 %)    —                 unit Sağlık (46.34.01.17)

    EU CPR counted: a 1,200,012; b 0.4 × 99,999 = 39,999.6 → 40,000 (largest remainder: the counted part takes
    the kuruş, 0.6 > 0.4); c 0.4 × 5 = 2; total 1,240,014. HGDG: a 1,200,012; b 49,999.5 → tie, the counted part
    comes first → 50,000; c no score → 0. Declared: b 49,999.5 → 50,000.
    """
    costing = read_costing(
        frame(
            line(cost_line_id="a", quantity="12", unit_cost="1000,01", category_ph_hgdg="20"),
            line(
                cost_line_id="b",
                action_code="A2H3E1",
                item="b",
                quantity="3",
                unit_cost="333,33",
                category_eu_cpr="02",
                category_ph_hgdg="12",
                declared_share="0,5",
            ),
            line(
                cost_line_id="c",
                action_code="A3H3E2",
                unit_name=SAGLIK,
                institutional_code="46.34.01.17",
                item="c",
                quantity="1",
                unit_cost="0,05",
                category_eu_cpr="02",
            ),
        )
    )
    assert costing.ok
    return costing_totals(costing)


def test_counted_per_line_and_scheme_hand_computed(totals):
    eu = totals[(totals[N.SCHEME] == "eu_cpr") & (totals[C.FISCAL_YEAR] == 2024)]
    assert _row(eu, level="action", key="A2H3E2")[N.COUNTED] == 1_200_012
    assert _row(eu, level="action", key="A2H3E1")[N.COUNTED] == 40_000
    assert _row(eu, level="action", key="A3H3E2")[N.COUNTED] == 2
    assert _row(eu, level="total", key="")[N.COUNTED] == 1_240_014
    assert _row(eu, level="total", key="")[N.COSTED] == 1_300_016
    hgdg = totals[(totals[N.SCHEME] == "ph_hgdg") & (totals[C.FISCAL_YEAR] == 2024)]
    assert _row(hgdg, level="action", key="A2H3E1")[N.COUNTED] == 50_000
    assert _row(hgdg, level="action", key="A3H3E2")[N.COUNTED] == 0
    assert _row(hgdg, level="total", key="")[N.CATEGORISED] == 1_200_012 + 99_999
    declared = totals[(totals[N.SCHEME] == "declared") & (totals[C.FISCAL_YEAR] == 2024)]
    assert _row(declared, level="total", key="")[N.COUNTED] == 50_000


def test_levels_carry_their_keys_and_units(totals):
    eu = totals[(totals[N.SCHEME] == "eu_cpr") & (totals[C.FISCAL_YEAR] == 2024)]
    assert _row(eu, level="target", key="A2H3")[N.COSTED] == 1_200_012 + 99_999
    assert _row(eu, level="area", key="3")[N.COSTED] == 5
    sag = _row(eu, level="unit", key="46.34.01.17")
    assert sag[C.UNIT_NAME] == SAGLIK and sag[N.COST_LINES] == 1
    assert _row(eu, level="total", key="")[N.SHARE_COUNTED] == pytest.approx(1_240_014 / 1_300_016)
    everything = totals[totals[C.FISCAL_YEAR].isna() & (totals[N.SCHEME] == "eu_cpr")]
    assert _row(everything, level="total", key="")[N.COSTED] == 1_300_016


def test_check_totals_catches_a_level_that_does_not_add_up(totals):
    broken = totals.copy()
    i = broken.index[(broken[N.LEVEL] == "area") & (broken[N.SCHEME] == "eu_cpr")][0]
    broken.loc[i, N.COUNTED] += 1
    with pytest.raises(ReconciliationError, match="area"):
        check_totals(broken)


def test_unknown_scheme_is_a_usage_error(totals):
    with pytest.raises(UsageError, match="unknown weighting scheme"):
        costing_totals(read_costing(frame(line())), schemes=["nope"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 500),  # quantity
            st.integers(0, 10**9),  # unit cost, kuruş
            st.sampled_from(["01", "02", "03", "03*"]),
            st.sampled_from(["A1H1E1", "A1H2E1", "A2H1E1", "A2H1E2"]),
            st.sampled_from(["16", "17"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_every_level_adds_up_to_the_total_and_parts_never_exceed_lines(rows):
    lines = [
        line(
            cost_line_id=f"L{i}",
            item=f"item {i}",
            quantity=str(q),
            unit_cost=f"{u // 100},{u % 100:02d}",
            category_eu_cpr=cat,
            action_code=action,
            institutional_code=f"46.34.01.{unit}",
        )
        for i, (q, u, cat, action, unit) in enumerate(rows)
    ]
    costing = read_costing(frame(*lines))
    assert costing.ok, costing.issues
    totals = costing_totals(costing, ["eu_cpr"])  # check_totals ran inside
    total = totals[(totals[N.LEVEL] == "total") & (totals[C.FISCAL_YEAR] == 2024)].iloc[0]
    assert total[N.COSTED] == sum(q * u for q, u, *_ in rows)
    weights = {"01": 1.0, "02": 0.4, "03": 0.0, "03*": 0.0}
    expected = sum(q * u * weights[c] for q, u, c, *_ in rows)
    assert abs(total[N.COUNTED] - expected) <= len(rows)  # at most one kuruş of rounding per line
    assert (totals[N.COUNTED] <= totals[N.COSTED]).all()
