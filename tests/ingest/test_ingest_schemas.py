"""The pandera schemas are the spec: readers' outputs satisfy them, and they catch bad canonical frames."""

import pandas as pd
import pandera.pandas as pa
import pytest
from ingest_helpers import DATA

from gcdb import columns as C
from gcdb.read import read_budget, read_population, read_usage
from gcdb.schemas import budget_schema, population_schema, relaxed, usage_schema


def test_reader_outputs_satisfy_the_schemas():
    budget_schema().validate(read_budget(DATA / "budget.xlsx").data)
    usage_schema().validate(read_usage(DATA / "usage_bom.csv").data)
    population_schema().validate(read_population(DATA / "population.csv").data)


def test_schema_failures_are_named_by_issue_code():
    frame = read_budget(DATA / "budget_clean.csv").data.copy()
    frame.loc[0, C.INITIAL_APPROPRIATION] = -1
    frame.loc[1, C.FUNCTIONAL_CODE] = "10.4"
    frame.loc[2, C.LINE_ID] = "1"
    with pytest.raises(pa.errors.SchemaErrors) as info:
        budget_schema().validate(frame, lazy=True)
    checks = set(info.value.failure_cases["check"])
    assert {"negative_amount", "malformed_code", "multiple_fields_uniqueness"} <= checks


def test_output_schema_rejects_wrong_dtypes_and_unknown_columns():
    frame = read_usage(DATA / "usage_bom.csv").data.copy()
    frame[C.SEX] = frame[C.SEX].astype("str")
    with pytest.raises((pa.errors.SchemaError, pa.errors.SchemaErrors)):
        usage_schema().validate(frame)
    frame = read_usage(DATA / "usage_bom.csv").data.assign(extra=1)
    with pytest.raises((pa.errors.SchemaError, pa.errors.SchemaErrors)):
        usage_schema().validate(frame)


def test_relaxed_schema_keeps_the_value_checks_only():
    loose = relaxed(budget_schema())
    assert not loose.strict
    assert all(col.nullable and col.dtype is None for col in loose.columns.values())
    frame = pd.DataFrame({C.INITIAL_APPROPRIATION: pd.array([5, None, -1], dtype="Int64")})
    with pytest.raises(pa.errors.SchemaErrors) as info:
        loose.validate(frame, lazy=True)
    assert info.value.failure_cases["index"].tolist() == [2]
