"""gcdb.indicators.conditions: conditions evaluated on distinct values — per column, and on the jointly coded
combinations of the text columns — against a row-by-row reading of the same conditions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from gcdb.indicators import conditions
from gcdb.indicators import model as M

_ADAPTER = TypeAdapter(M.Condition)
_SEX = ["female", "male", " ", None]
_SERVICE = ["KRS", "SIG", "HUK", "İŞK"]
_DISTRICT = ["Fatih", "Şile", "Kadıköy", None, ""]


def _frame(n: int = 240) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    sex = rng.choice(np.array(_SEX, dtype=object), n)
    pieces = np.array_split(sex, 4)  # Arrow text in chunks, as Parquet row groups read
    chunked = pa.chunked_array([pa.array(list(p), type=pa.large_string()) for p in pieces])
    return pd.DataFrame(
        {
            "sex": pd.Series(pd.array(chunked, dtype="str")),
            "service_code": pd.Series(rng.choice(_SERVICE, n), dtype="str"),
            "district": pd.Categorical(
                rng.choice(np.array(_DISTRICT, dtype=object), n), categories=_DISTRICT[:3]
            ),
            "age": pd.array(np.where(rng.random(n) < 0.1, None, rng.integers(0, 90, n)), dtype="Int64"),
        }
    )


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def _holds(condition, row) -> bool:
    if isinstance(condition, M.AllOf):
        return all(_holds(c, row) for c in condition.all_)
    if isinstance(condition, M.AnyOf):
        return any(_holds(c, row) for c in condition.any_)
    if isinstance(condition, M.Not):
        return not _holds(condition.not_, row)
    value = row[condition.column]
    if condition.column in M.NUMERIC_COLUMNS:
        number = None if value is None or value is pd.NA else float(value)
        if condition.operator == "missing":
            return (number is None) == condition.missing
        if number is None:
            return False
        if condition.operator == "between":
            low, high = condition.between.min, condition.between.max
            return (low is None or number >= low) and (high is None or number <= high)
        return number in {float(v) for v in condition.values}
    text = _text(value)
    blank = text is None or not text.strip()
    if condition.operator == "missing":
        return blank == condition.missing
    return not blank and text in {str(v) for v in condition.values}


_PREDICATES = st.one_of(
    st.builds(lambda v: {"column": "sex", "equals": v}, st.sampled_from(["female", "male", " "])),
    st.builds(lambda v: {"column": "service_code", "in": v}, st.lists(st.sampled_from(_SERVICE), min_size=1)),
    st.builds(lambda v: {"column": "district", "equals": v}, st.sampled_from(["Fatih", "Şile", "Beykoz"])),
    st.builds(
        lambda c, m: {"column": c, "missing": m}, st.sampled_from(["sex", "district", "age"]), st.booleans()
    ),
    st.builds(lambda lo: {"column": "age", "between": {"min": lo}}, st.integers(0, 90)),
    st.builds(lambda v: {"column": "age", "in": v}, st.lists(st.integers(0, 90), min_size=1, max_size=3)),
)
_CONDITIONS = st.recursive(
    _PREDICATES,
    lambda inner: st.one_of(
        st.builds(lambda c: {"all": c}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda c: {"any": c}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda c: {"not": c}, inner),
    ),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def frame():
    return _frame()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_CONDITIONS)
def test_conditions_as_read_row_by_row(frame, raw):
    condition = _ADAPTER.validate_python(raw)
    expected = [_holds(condition, row) for row in frame.to_dict("records")]
    alone = conditions.ColumnCodes(frame)
    assert conditions.evaluate(condition, alone).tolist() == expected
    joint = conditions.ColumnCodes(frame)
    assert joint.join(["sex", "service_code", "district", "age"])  # age (numeric) is left out
    assert joint.joint is not None and "age" not in joint.joint[0]
    assert conditions.evaluate(condition, joint).tolist() == expected


def test_join_takes_the_most_read_columns_within_the_limit(frame, monkeypatch):
    cols = conditions.ColumnCodes(frame)
    monkeypatch.setattr(conditions, "JOINT_LIMIT", 5 * 5)  # service: 4 values + missing; sex: 3 + missing
    assert cols.join(["district", "sex", "sex", "service_code", "service_code", "service_code"])
    assert cols.joint is not None
    assert cols.joint[0] == ("service_code", "sex") and cols.joint[1] == (5, 4)
    assert not conditions.ColumnCodes(frame).join(["sex", "age"])  # one text column: nothing to join
