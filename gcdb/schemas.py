"""The canonical tables as pandera schemas: the *spec* of what a valid budget, usage or population frame is.

These schemas describe the frames the readers return (``ReadResult.data``): column names from
:mod:`gcdb.columns`, their dtypes, which may be missing, and the value checks. Other stages and embedding
software validate their own frames with them::

    from gcdb.schemas import budget_schema
    budget_schema().validate(frame, lazy=True)

Each check is named by the :class:`gcdb.errors.IssueCode` it raises, so the validation engine
(:mod:`gcdb.validate`) turns pandera's failure cases straight into the issues table. Checks that pandera cannot
express well — parsing text, normalising codes, districts, personal data — live in the engine as vectorised
masks; this module only states what a *parsed* frame must satisfy.

Warning-level checks (a row that breaks them is kept) are in separate schemas, ``*_warning_schema``.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from gcdb import columns as C
from gcdb.errors import IssueCode
from gcdb.normalise import ECONOMIC_LEVELS, FUNCTIONAL_LEVELS, INSTITUTIONAL_LEVELS, code_pattern
from gcdb.read.numbers import DATE_DTYPE

#: Plausible fiscal years; outside → ``invalid_value``.
YEAR_MIN, YEAR_MAX = 1990, 2100

#: Output dtypes. Strings are pandas' ``str`` dtype; money and required counts ``int64``; optional whole numbers
#: nullable ``Int64``; codes categorical over :mod:`gcdb.columns` code lists.
STR = "str"
MONEY = "int64"


def _check(fn, code: IssueCode, column: str | None = None, **kwargs) -> pa.Check:
    """A check named by its issue code; a DataFrame-level check also names the column it reports
    (``"expenditure_exceeds_revised:expenditure"``), because pandera reports such failures on every column."""
    return pa.Check(fn, name=str(code) if column is None else f"{code}:{column}", **kwargs)


def _year_check() -> pa.Check:
    return _check(lambda s: s.between(YEAR_MIN, YEAR_MAX), IssueCode.INVALID_VALUE)


def _non_negative() -> pa.Check:
    return _check(lambda s: s >= 0, IssueCode.NEGATIVE_AMOUNT)


def _code(levels: tuple[int, ...]) -> pa.Check:
    pattern = code_pattern(levels)
    return _check(lambda s: s.str.fullmatch(pattern), IssueCode.MALFORMED_CODE)


def _category(codes) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(categories=list(codes), ordered=False)


def _source_row() -> pa.Column:
    return pa.Column("int64", required=False)


# ---------------------------------------------------------------------------------------------------------------
# budget
# ---------------------------------------------------------------------------------------------------------------
def budget_schema() -> pa.DataFrameSchema:
    """Spec of a budget frame. Errors: malformed codes, negative appropriations, duplicate line ids per year."""
    return pa.DataFrameSchema(
        {
            C.FISCAL_YEAR: pa.Column("int64", _year_check()),
            C.LINE_ID: pa.Column(STR),
            C.INSTITUTIONAL_CODE: pa.Column(STR, _code(INSTITUTIONAL_LEVELS)),
            C.UNIT_NAME: pa.Column(STR, nullable=True, required=False),
            C.FUNCTIONAL_CODE: pa.Column(STR, _code(FUNCTIONAL_LEVELS)),
            C.FINANCING_TYPE: pa.Column(
                STR, _check(lambda s: s.isin(C.FINANCING_CODES), IssueCode.MALFORMED_CODE)
            ),
            C.ECONOMIC_CODE: pa.Column(STR, _code(ECONOMIC_LEVELS)),
            C.DESCRIPTION: pa.Column(STR),
            C.INITIAL_APPROPRIATION: pa.Column(MONEY, _non_negative()),
            C.REVISED_APPROPRIATION: pa.Column(MONEY, _non_negative()),
            # expenditure may be negative (refunds, corrections): a warning, see budget_warning_schema
            C.EXPENDITURE: pa.Column(MONEY),
            C.ACTIVITY_CODE: pa.Column(STR, nullable=True, required=False),
            C.PROJECT_CODE: pa.Column(STR, nullable=True, required=False),
            C.QUARTER: pa.Column(
                "Int64",
                _check(lambda s: s.isin([1, 2, 3, 4]), IssueCode.INVALID_VALUE),
                nullable=True,
                required=False,
            ),
            C.SOURCE_ROW: _source_row(),
        },
        unique=[C.FISCAL_YEAR, C.LINE_ID],
        report_duplicates="all",
        strict=True,
        name="budget",
    )


def budget_warning_schema() -> pa.DataFrameSchema:
    """Warnings on budget lines: negative expenditure; expenditure above the revised appropriation."""
    return pa.DataFrameSchema(
        {C.EXPENDITURE: pa.Column(None, _non_negative(), nullable=True)},
        checks=[
            _check(
                lambda df: ~(df[C.EXPENDITURE] > df[C.REVISED_APPROPRIATION]).fillna(False),
                IssueCode.EXPENDITURE_EXCEEDS_REVISED,
                C.EXPENDITURE,
            )
        ],
        name="budget warnings",
    )


# ---------------------------------------------------------------------------------------------------------------
# service usage
# ---------------------------------------------------------------------------------------------------------------
def _age_band_matches(df: pd.DataFrame, bands: C.AgeBands) -> pd.Series:
    from gcdb.normalise import age_band

    if C.AGE not in df.columns or C.AGE_BAND not in df.columns:
        return pd.Series(True, index=df.index)
    derived = age_band(df[C.AGE], bands)
    given = df[C.AGE_BAND]
    if isinstance(given.dtype, pd.CategoricalDtype) and list(given.cat.categories) == list(bands.labels):
        # same categories in the same order: comparing the codes is comparing the labels (missing is -1 in both)
        same = pd.Series(derived.cat.codes.to_numpy() == given.cat.codes.to_numpy(), index=df.index)
    else:
        same = derived.astype("str") == given.astype("str")
    return same | df[C.AGE].isna() | df[C.AGE_BAND].isna()


def usage_schema(age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS) -> pa.DataFrameSchema:
    """Spec of a service-usage frame. Errors: duplicate record ids, ages outside 0–120, negative quantities,
    an age that is not in the given age band.
    """
    return pa.DataFrameSchema(
        {
            C.RECORD_ID: pa.Column(STR),
            C.SERVICE_CODE: pa.Column(STR),
            C.SERVICE_NAME: pa.Column(STR, nullable=True, required=False),
            C.UNIT_NAME: pa.Column(STR, nullable=True, required=False),
            C.DATE: pa.Column(DATE_DTYPE, nullable=True, required=False),
            C.FISCAL_YEAR: pa.Column("Int64", _year_check(), nullable=True, required=False),
            C.PERSON_ID: pa.Column(STR),
            C.SEX: pa.Column(_category(C.SEX_CODES)),
            C.AGE: pa.Column(
                "Int64",
                _check(lambda s: s.between(C.AGE_MIN, C.AGE_MAX), IssueCode.AGE_OUT_OF_RANGE),
                nullable=True,
                required=False,
            ),
            C.AGE_BAND: pa.Column(_category(age_bands.labels), nullable=True, required=False),
            C.DISABILITY: pa.Column(_category(C.DISABILITY_CODES), required=False),
            C.MIGRANT_STATUS: pa.Column(_category(C.MIGRANT_CODES), required=False),
            # a record without a district still counts for the other breakdowns: blank is a warning
            C.DISTRICT: pa.Column(STR, nullable=True),
            C.NEIGHBOURHOOD: pa.Column(STR, nullable=True, required=False),
            C.QUANTITY: pa.Column("float64", _non_negative(), nullable=True, required=False),
            C.SOURCE_ROW: _source_row(),
        },
        checks=[_check(lambda df: _age_band_matches(df, age_bands), IssueCode.INVALID_VALUE, C.AGE_BAND)],
        unique=[C.RECORD_ID],
        report_duplicates="all",
        strict=True,
        name="usage",
    )


# ---------------------------------------------------------------------------------------------------------------
# population
# ---------------------------------------------------------------------------------------------------------------
#: Columns that identify a population cell; a repeated combination is a ``duplicate_id``.
POPULATION_KEY = (C.FISCAL_YEAR, C.DISTRICT, C.NEIGHBOURHOOD, C.SEX, C.AGE_BAND)


def _not_above_population(column: str):
    def check(df: pd.DataFrame) -> pd.Series:
        if column not in df.columns:
            return pd.Series(True, index=df.index)
        return ~(df[column] > df[C.POPULATION]).fillna(False)

    return check


def population_schema(age_bands: C.AgeBands = C.DEFAULT_AGE_BANDS) -> pa.DataFrameSchema:
    """Spec of a population frame. Errors: negative counts, disabled or migrant counts above the population,
    repeated cells (same year, district, neighbourhood, sex and age band).
    """
    return pa.DataFrameSchema(
        {
            C.FISCAL_YEAR: pa.Column("Int64", _year_check(), nullable=True, required=False),
            C.DISTRICT: pa.Column(STR),
            C.NEIGHBOURHOOD: pa.Column(STR, nullable=True, required=False),
            C.SEX: pa.Column(_category(C.SEX_CODES)),
            C.AGE_BAND: pa.Column(_category(age_bands.labels)),
            C.POPULATION: pa.Column("int64", _non_negative()),
            C.DISABLED_POPULATION: pa.Column("Int64", _non_negative(), nullable=True, required=False),
            C.MIGRANT_POPULATION: pa.Column("Int64", _non_negative(), nullable=True, required=False),
            C.SOURCE_ROW: _source_row(),
        },
        checks=[
            _check(
                _not_above_population(C.DISABLED_POPULATION), IssueCode.INVALID_VALUE, C.DISABLED_POPULATION
            ),
            _check(
                _not_above_population(C.MIGRANT_POPULATION), IssueCode.INVALID_VALUE, C.MIGRANT_POPULATION
            ),
        ],
        unique=list(POPULATION_KEY),
        report_duplicates="all",
        strict=True,
        name="population",
    )


def relaxed(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """The value checks of ``schema`` without dtype, nullability and strictness.

    The engine runs this on freshly parsed frames, where a cell that failed to parse is already missing and
    already reported; the full schema is the contract of the frames it returns.
    """
    updates = {name: {"nullable": True, "dtype": None, "required": False} for name in schema.columns}
    out = schema.update_columns(updates)
    out.strict = False
    return out
