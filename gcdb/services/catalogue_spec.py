"""The service catalogue as a spec: which columns a service catalogue has, and what a valid parsed row holds.

A catalogue (``datasets/demo/services.csv`` is one) lists the municipality's services, one row each, and says who
each service is for, machine-readably:

==================== ============================================================================================
column               meaning
==================== ============================================================================================
``service_code``     the code the usage records carry (required, unique)
``service_name``     the service's name; ``unit_name`` the responsible department (Sorumlu Birim)
``target_group``     who the service is for, in words (kept for people; nothing computes on it)
``eligible_age_min`` youngest eligible age in whole years (inclusive); blank: no lower bound
``eligible_age_max`` oldest eligible age in whole years (inclusive); blank: no upper bound
``eligible_sex``     ``|``-separated sex codes (``female``, ``male``, ``other``); blank: everyone
``eligible_disability`` ``yes`` (disabled residents only) or ``no``; blank: everyone
``eligible_migrant`` ``|``-separated codes: ``citizen``, ``migrant`` (every non-citizen, as the population
                     baseline counts them), ``refugee``, ``temporary_protection``; blank: everyone
``eligible_districts`` ``|``-separated district names; blank: the whole municipality
==================== ============================================================================================

Criteria combine with *and* (a service for "65+ or disabled" declares the wider of the two). Other columns
(``service_group``, ``quantity_unit``, ``yeep_action`` …) are kept as they are.

This module only *describes* a parsed catalogue (a pandera schema whose checks are named by
:class:`gcdb.errors.IssueCode`); :mod:`gcdb.services.catalogue` reads the file, parses it and turns the failures
into an issues table naming file, row and column.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import pandera.pandas as pa

from gcdb import columns as C
from gcdb.errors import IssueCode

ELIGIBLE_AGE_MIN: Final = "eligible_age_min"
ELIGIBLE_AGE_MAX: Final = "eligible_age_max"
ELIGIBLE_SEX: Final = "eligible_sex"
ELIGIBLE_DISABILITY: Final = "eligible_disability"
ELIGIBLE_MIGRANT: Final = "eligible_migrant"
ELIGIBLE_DISTRICTS: Final = "eligible_districts"
TARGET_GROUP: Final = "target_group"

#: The eligibility columns, in catalogue order.
ELIGIBILITY_COLUMNS: Final = (
    ELIGIBLE_AGE_MIN,
    ELIGIBLE_AGE_MAX,
    ELIGIBLE_SEX,
    ELIGIBLE_DISABILITY,
    ELIGIBLE_MIGRANT,
    ELIGIBLE_DISTRICTS,
)
#: Separator of the list columns.
LIST_SEPARATOR: Final = "|"

#: Codes each list column accepts (districts are checked against the population baseline at analysis time).
LIST_CODES: Final[dict[str, tuple[str, ...]]] = {
    ELIGIBLE_SEX: (C.FEMALE, C.MALE, C.OTHER),
    ELIGIBLE_DISABILITY: (C.YES, C.NO),
    ELIGIBLE_MIGRANT: (C.CITIZEN, C.MIGRANT, C.REFUGEE, C.TEMPORARY_PROTECTION),
}

#: Report labels of the catalogue columns (Turkish, English).
LABELS: Final[dict[str, tuple[str, str]]] = {
    TARGET_GROUP: ("Hedef grup", "Target group"),
    ELIGIBLE_AGE_MIN: ("Uygun yaş (en az)", "Eligible age (from)"),
    ELIGIBLE_AGE_MAX: ("Uygun yaş (en çok)", "Eligible age (to)"),
    ELIGIBLE_SEX: ("Uygun cinsiyet", "Eligible sex"),
    ELIGIBLE_DISABILITY: ("Uygun engellilik durumu", "Eligible disability status"),
    ELIGIBLE_MIGRANT: ("Uygun göçmenlik durumu", "Eligible migrant status"),
    ELIGIBLE_DISTRICTS: ("Uygun ilçeler", "Eligible districts"),
}


def _check(fn, code: IssueCode, column: str | None = None, **kwargs) -> pa.Check:
    """A check named by its issue code (``"invalid_value:eligible_age_max"`` for a frame-level check)."""
    return pa.Check(fn, name=str(code) if column is None else f"{code}:{column}", **kwargs)


def _codes_in(allowed: tuple[str, ...]) -> pa.Check:
    """Every ``|``-separated item of the text is one of ``allowed`` (vectorised over the exploded items)."""

    def check(series: pd.Series) -> pd.Series:
        items = series.astype("str").str.split(LIST_SEPARATOR).explode().str.strip()
        ok = items.isin(allowed) | series.isna().reindex(items.index)
        return ok.groupby(level=0).all().reindex(series.index, fill_value=True)

    return _check(check, IssueCode.INVALID_VALUE)


def _age_column() -> pa.Column:
    return pa.Column(
        "Int64",
        _check(lambda s: s.between(C.AGE_MIN, C.AGE_MAX), IssueCode.AGE_OUT_OF_RANGE),
        nullable=True,
        required=False,
    )


def _list_column(column: str) -> pa.Column:
    return pa.Column("str", _codes_in(LIST_CODES[column]), nullable=True, required=False)


def services_schema() -> pa.DataFrameSchema:
    """Spec of a parsed service catalogue (ages as ``Int64``, lists as text, blanks as missing)."""
    return pa.DataFrameSchema(
        {
            C.SERVICE_CODE: pa.Column(
                "str",
                _check(lambda s: s.str.len() > 0, IssueCode.MISSING_VALUE),
                unique=True,
                nullable=False,
            ),
            C.SERVICE_NAME: pa.Column("str", nullable=True, required=False),
            C.UNIT_NAME: pa.Column("str", nullable=True, required=False),
            TARGET_GROUP: pa.Column("str", nullable=True, required=False),
            ELIGIBLE_AGE_MIN: _age_column(),
            ELIGIBLE_AGE_MAX: _age_column(),
            ELIGIBLE_SEX: _list_column(ELIGIBLE_SEX),
            ELIGIBLE_DISABILITY: _list_column(ELIGIBLE_DISABILITY),
            ELIGIBLE_MIGRANT: _list_column(ELIGIBLE_MIGRANT),
            ELIGIBLE_DISTRICTS: pa.Column("str", nullable=True, required=False),
        },
        checks=[
            _check(
                lambda f: (
                    ~(f[ELIGIBLE_AGE_MIN] > f[ELIGIBLE_AGE_MAX]).fillna(False)
                    if ELIGIBLE_AGE_MIN in f.columns and ELIGIBLE_AGE_MAX in f.columns
                    else pd.Series(True, index=f.index)
                ),
                IssueCode.INVALID_VALUE,
                ELIGIBLE_AGE_MAX,
            )
        ],
        strict=False,
        coerce=False,
    )
