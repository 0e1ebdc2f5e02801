"""Data-quality tables for publication: the readers' issues and quarantined rows, without personal data.

A reader's quarantine keeps rows as they were in the file, person ids included, and an issue's ``value`` is the
raw cell. Before they go into a published workbook: issue values are blanked for the person-id column, for
columns gcdb does not use (they may hold names) and for ``personal_data`` issues; quarantined usage rows keep only
the source row, the issue codes and the columns that locate a record without describing its person (record id,
service, unit, fiscal year, district). Budget and population rows hold no personal data and keep every used
column.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import IssueCode
from gcdb.read.result import ISSUE_CODES
from gcdb.services import names as S

#: Canonical columns of quarantined usage rows that may be published.
USAGE_SHOWN: Final = (C.RECORD_ID, C.SERVICE_CODE, C.SERVICE_NAME, C.UNIT_NAME, C.FISCAL_YEAR, C.DISTRICT)
#: Columns of the published issues table.
ISSUES_COLUMNS: Final = (S.SOURCE, S.KIND, *C.ISSUE_COLUMNS)
#: Never published, whatever the file calls them.
PERSONAL: Final = (C.PERSON_ID,)


def _canonical(result: Any) -> dict[str, str]:
    mapping = dict(getattr(result, "columns_map", {}) or {})
    return {str(k): str(v) for k, v in mapping.items() if v is not None}


def _issues(result: Any, limit: int | None = None) -> pd.DataFrame:
    issues = result.issues if limit is None else result.issues.head(limit)
    text = {c: "str" for c in issues.columns if isinstance(issues[c].dtype, pd.CategoricalDtype)}
    issues = issues.astype(text).reset_index(
        drop=True
    )  # a file read in chunks holds repeated texts as categories
    mapping = _canonical(result)
    ignored = {str(c) for c in getattr(result, "ignored_columns", ())}
    column = issues[C.ISSUE_COLUMN].astype("str").fillna("")
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    personal_col = np.asarray(
        [mapping.get(str(u), str(u)) in PERSONAL or str(u) in ignored for u in uniques], dtype=bool
    )[codes]
    personal = personal_col | (issues[C.ISSUE_CODE].astype("str") == IssueCode.PERSONAL_DATA).to_numpy()
    out = issues.copy()
    out[C.ISSUE_VALUE] = out[C.ISSUE_VALUE].mask(personal)
    out.insert(0, S.KIND, str(getattr(result, "kind", "")))
    out.insert(0, S.SOURCE, str(getattr(result, "source", "")))
    out[S.SOURCE] = out[S.SOURCE].astype("str")
    out[S.KIND] = out[S.KIND].astype("str")
    return out[list(ISSUES_COLUMNS)]


def _quarantine(result: Any) -> pd.DataFrame:
    frame = result.quarantine.reset_index(drop=True)
    mapping = _canonical(result)
    kind = str(getattr(result, "kind", ""))
    keep = []
    for col in frame.columns:
        name = str(col)
        if name in (C.SOURCE_ROW, ISSUE_CODES):
            continue
        canonical = mapping.get(name)
        if canonical is None or canonical in PERSONAL:
            continue
        if kind == "usage" and canonical not in USAGE_SHOWN:
            continue
        keep.append(col)
    first = [c for c in (C.SOURCE_ROW, ISSUE_CODES) if c in frame.columns]
    return frame[first + keep].copy()


def quality_tables(
    read_results: Iterable[Any], limit: int | None = None
) -> tuple[pd.DataFrame, list[tuple[str, pd.DataFrame]]]:
    """The issues of every :class:`gcdb.read.ReadResult` in one table, and each result's quarantined rows.

    Returns ``(issues, [(source, quarantine), …])`` — the quarantine list holds results with quarantined rows only.
    ``limit``: only the first ``limit`` issues (a workbook shows no more); ``issues.attrs["total"]`` counts them all.
    """
    issues, quarantine = [], []
    total = 0
    for result in read_results:
        # a file read in chunks may keep only the first issues (ChunkedRead.keep_issues) and count the others
        total += int(getattr(result, "issues_found", len(result.issues)))
        issues.append(_issues(result, limit))
        if len(result.quarantine):
            quarantine.append((str(getattr(result, "source", "")), _quarantine(result)))
    issues = [i for i in issues if len(i)]
    table = (
        pd.concat(issues, ignore_index=True)
        if issues
        else pd.DataFrame({c: pd.Series(dtype="str") for c in ISSUES_COLUMNS})
    )
    if C.ISSUE_ROW in table.columns:
        table[C.ISSUE_ROW] = table[C.ISSUE_ROW].astype("Int64")
    if limit is not None:
        table = table.head(limit).reset_index(drop=True)
    table.attrs["total"] = total
    return table, quarantine
