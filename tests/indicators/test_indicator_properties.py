"""Property: the vectorised evaluator agrees with a plain pandas groupby on random records."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.indicators import IndicatorDefinition, compute_indicators

SERVICES = ["A", "B"]
SEXES = ["female", "male", "unknown"]
DISTRICTS = ["Kadıköy", "Şile", "Ümraniye", None]


@st.composite
def records(draw):
    n = draw(st.integers(1, 60))
    pick = lambda values: draw(st.lists(st.sampled_from(values), min_size=n, max_size=n))  # noqa: E731
    return pd.DataFrame(
        {
            C.RECORD_ID: [f"r{i}" for i in range(n)],
            C.SERVICE_CODE: pick(SERVICES),
            C.FISCAL_YEAR: pick([2022, 2023, 2024]),
            C.PERSON_ID: pick([f"p{i}" for i in range(12)]),
            C.SEX: pick(SEXES),
            C.DISTRICT: pd.array(pick(DISTRICTS), dtype="str"),
            C.QUANTITY: pick([0, 1, 2, 5]),
        }
    )


def make(**kwargs) -> IndicatorDefinition:
    base = dict(
        id="x", indicator="A1-G1", title_tr="t", title_en="t", direction="higher_is_better", reference="r"
    )
    return IndicatorDefinition.model_validate({**base, **kwargs})


def naive_counts(frame: pd.DataFrame, keys: list[str], measure: str) -> pd.Series:
    grouped = frame.groupby(keys, dropna=False)
    if measure == "users":
        return grouped[C.PERSON_ID].nunique()
    if measure == "uses":
        return grouped.size()
    return grouped[C.QUANTITY].sum()


@pytest.mark.parametrize("measure", ["users", "uses", "quantity"])
@settings(max_examples=25, deadline=None)
@given(usage=records())
def test_counts_by_district_match_pandas(usage, measure):
    d = make(
        kind="count",
        measure=measure,
        filter={"column": "service_code", "equals": "A"},
        unit="count",
        by=["district"],
    )
    out = compute_indicators(usage, [d])
    part = usage.loc[usage[C.SERVICE_CODE] == "A"]
    years = sorted(usage[C.FISCAL_YEAR].unique())

    overall = out.loc[out["breakdown"] == ""].set_index(C.FISCAL_YEAR)["value"]
    expected = naive_counts(part, [C.FISCAL_YEAR], measure).reindex(years, fill_value=0)
    assert list(overall.index) == years
    np.testing.assert_allclose(overall.to_numpy(dtype=float), expected.to_numpy(dtype=float))

    by = out.loc[out["breakdown"] == "district"]
    got = by.set_index([C.FISCAL_YEAR, C.DISTRICT])["value"].astype(float)
    want = naive_counts(part, [C.FISCAL_YEAR, C.DISTRICT], measure).astype(float)
    districts = part[C.DISTRICT].drop_duplicates()
    assert len(by) == len(years) * len(districts)
    for (year, district), value in want.items():
        match = (by[C.FISCAL_YEAR] == year) & (
            by[C.DISTRICT].isna() if pd.isna(district) else by[C.DISTRICT] == district
        )
        assert float(by.loc[match, "value"].iloc[0]) == pytest.approx(value)
    assert np.isclose(got.sum(), want.sum())  # the groups not in `want` are zeros


@settings(max_examples=25, deadline=None)
@given(usage=records())
def test_share_and_change_match_pandas(usage):
    a = {"column": "service_code", "equals": "A"}
    d = make(
        kind="ratio",
        measure="users",
        numerator={"all": [a, {"column": "sex", "equals": "female"}]},
        denominator=a,
        unit="percent",
    )
    out = compute_indicators(usage, [d]).set_index(C.FISCAL_YEAR)
    part = usage.loc[usage[C.SERVICE_CODE] == "A"]
    for year in out.index:
        den = part.loc[part[C.FISCAL_YEAR] == year, C.PERSON_ID].nunique()
        num = part.loc[(part[C.FISCAL_YEAR] == year) & (part[C.SEX] == "female"), C.PERSON_ID].nunique()
        row = out.loc[year]
        assert (row["numerator"], row["denominator"]) == (num, den)
        if den == 0:
            assert pd.isna(row["value"]) and "zero_denominator" in row["reason"]
        else:
            assert row["value"] == pytest.approx(100 * num / den)
        if year - 1 in out.index:
            previous = out.loc[year - 1, "value"]
            if pd.isna(previous):
                assert pd.isna(row["previous_value"]) and "no_previous_value" in row["reason"]
            else:
                assert row["previous_value"] == previous
                if not pd.isna(row["value"]):
                    assert row["change"] == pytest.approx(row["value"] - previous)
        else:
            assert "no_previous_year" in row["reason"]
        for column in ("value", "previous_value", "change", "change_pct"):
            assert not pd.isna(row[column]) or row["reason"] != ""
