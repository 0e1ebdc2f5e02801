"""Reading and checking a service catalogue, and turning its eligibility columns into :class:`Eligibility`.

The spec is :mod:`gcdb.services.catalogue_spec`; this module is the engine that applies it:

* :func:`read_services` reads a catalogue file (UTF-8 CSV, ``,`` or ``;``) and :func:`services_from_frame` a frame:
  both parse the eligibility columns (ages as whole years, lists split on ``|`` with Turkish spellings accepted —
  ``Kadın`` → ``female``, ``Evet`` → ``yes``, ``Göçmen`` → ``migrant``) and validate them; any problem raises
  :class:`~gcdb.errors.DataValidationError` whose issues table names the file, the row (1-based, header = row 1),
  the column and the offending text;
* :func:`eligibility_of` gives each service's :class:`~gcdb.equality.eligibility.Eligibility`;
* :func:`check_districts` checks the district names a catalogue lists against the districts of the population
  baseline.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import pandera.pandas as pa

from gcdb import columns as C
from gcdb.equality.eligibility import Eligibility
from gcdb.errors import DataValidationError, IssueCode, issues_frame
from gcdb.i18n import Message, format_int, t
from gcdb.normalise import normalise_disability, normalise_migrant_status, normalise_sex
from gcdb.services import catalogue_spec as CS

_NORMALISE = {
    CS.ELIGIBLE_SEX: normalise_sex,
    CS.ELIGIBLE_DISABILITY: normalise_disability,
    CS.ELIGIBLE_MIGRANT: normalise_migrant_status,
}
#: Catalogue key of the message of each issue code (looked up when the issue is made, in the current language).
_MESSAGES = {
    IssueCode.MISSING_VALUE: "services.catalogue.code_required",
    IssueCode.DUPLICATE_ID: "services.catalogue.code_twice",
    IssueCode.AGE_OUT_OF_RANGE: "services.catalogue.age_range",
    IssueCode.UNPARSEABLE_NUMBER: "services.catalogue.age_number",
}


def _message(code: IssueCode) -> str:
    return t(_MESSAGES.get(code, "services.catalogue.invalid"), first=C.AGE_MIN, last=C.AGE_MAX)


def _row(position: int) -> int:
    return int(position) + 2  # header is row 1


def _issue(file: str, position: int | None, column: str, code: IssueCode, message: str, value) -> dict:
    return {
        C.ISSUE_FILE: file,
        C.ISSUE_ROW: None if position is None else _row(position),
        C.ISSUE_COLUMN: column,
        C.ISSUE_CODE: str(code),
        C.ISSUE_SEVERITY: C.ERROR,
        C.ISSUE_MESSAGE: message,
        C.ISSUE_VALUE: "" if value is None else str(value),
    }


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as stripped text, blanks as missing."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for column in frame.columns:
        values = frame[column].astype("str").str.strip()
        out[str(column).strip()] = values.mask(values == "")
    return out


def _ages(raw: pd.Series, column: str, file: str, issues: list[dict]) -> pd.Series:
    numbers = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & (numbers.isna() | (numbers != np.floor(numbers)))
    for position in np.flatnonzero(bad.to_numpy()):
        issues.append(
            _issue(file, int(position), column, IssueCode.UNPARSEABLE_NUMBER, _message(IssueCode.UNPARSEABLE_NUMBER),
                   raw.iloc[position])
        )  # fmt: skip
    return numbers.where(~bad).round().astype("Int64")


def _codes(raw: pd.Series, column: str) -> pd.Series:
    """``"Kadın | erkek"`` → ``"female|male"``: items normalised on their distinct values; unknown items kept."""
    items = raw.dropna().str.split(CS.LIST_SEPARATOR).explode().str.strip()
    if items.empty:
        return raw
    codes = _NORMALISE[column](items).astype("str")
    items = codes.where(codes.notna() & (codes != C.UNKNOWN), items)
    joined = items.groupby(level=0).agg(CS.LIST_SEPARATOR.join)
    return joined.reindex(raw.index).astype("str")


def _districts(raw: pd.Series) -> pd.Series:
    items = raw.dropna().str.split(CS.LIST_SEPARATOR).explode().str.strip()
    if items.empty:
        return raw
    return items.groupby(level=0).agg(CS.LIST_SEPARATOR.join).reindex(raw.index).astype("str")


def _schema_issues(frame: pd.DataFrame, file: str, raw: pd.DataFrame) -> list[dict]:
    try:
        CS.services_schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    out = []
    for rec in cases.to_dict("records"):
        check = str(rec.get("check") or "")
        code_text, _, target = check.partition(":")
        column = target or str(rec.get("column") or "")
        if check in ("field_uniqueness", "multiple_fields_uniqueness"):
            code = IssueCode.DUPLICATE_ID
        elif code_text in {str(c) for c in IssueCode}:
            code = IssueCode(code_text)
        else:
            code = IssueCode.INVALID_VALUE
        index = rec.get("index")
        position = None if index is None or pd.isna(index) else int(index)
        value = (
            raw[column].iloc[position]
            if position is not None and column in raw.columns
            else rec.get("failure_case")
        )
        if code == IssueCode.INVALID_VALUE and column in CS.LIST_CODES:
            message = t("services.catalogue.list_codes", codes="|".join(CS.LIST_CODES[column]))
        elif code == IssueCode.INVALID_VALUE and column == CS.ELIGIBLE_AGE_MAX:
            message = t("services.catalogue.age_order", max=CS.ELIGIBLE_AGE_MAX, min=CS.ELIGIBLE_AGE_MIN)
        elif code == IssueCode.INVALID_VALUE and position is None:
            message = t("services.catalogue.wrong_type", column=repr(column), check=check)
        else:
            message = _message(code)
        out.append(_issue(file, position, column, code, message, value))
    return out


def services_from_frame(services: pd.DataFrame, *, file: str = "services") -> pd.DataFrame:
    """The catalogue parsed and checked: eligibility ages as ``Int64``, list columns as ``|``-joined codes.

    Raises :class:`~gcdb.errors.DataValidationError` (issues naming ``file``, row, column, value) on any problem.
    """
    if not isinstance(services, pd.DataFrame):
        raise DataValidationError(
            Message("services.catalogue.not_table", file=file, type=type(services).__name__)
        )
    raw = _text(services)
    if C.SERVICE_CODE not in raw.columns:
        no_code = issues_frame(
            [_issue(file, None, C.SERVICE_CODE, IssueCode.MISSING_COLUMN, t("services.catalogue.needs_code"),
                    ", ".join(map(str, raw.columns)))]
        )  # fmt: skip
        raise DataValidationError(
            Message("services.catalogue.no_code", file=file, column=repr(C.SERVICE_CODE)), no_code
        )
    issues: list[dict] = []
    parsed = raw.copy()
    parsed[C.SERVICE_CODE] = raw[C.SERVICE_CODE].fillna("")
    for column in (CS.ELIGIBLE_AGE_MIN, CS.ELIGIBLE_AGE_MAX):
        if column in raw.columns:
            parsed[column] = _ages(raw[column], column, file, issues)
    for column in _NORMALISE:
        if column in raw.columns:
            parsed[column] = _codes(raw[column], column)
    if CS.ELIGIBLE_DISTRICTS in raw.columns:
        parsed[CS.ELIGIBLE_DISTRICTS] = _districts(raw[CS.ELIGIBLE_DISTRICTS])
    unparsed = {(i[C.ISSUE_ROW], i[C.ISSUE_COLUMN]) for i in issues}
    issues += [
        i for i in _schema_issues(parsed, file, raw) if (i[C.ISSUE_ROW], i[C.ISSUE_COLUMN]) not in unparsed
    ]
    if issues:
        table = issues_frame(issues).drop_duplicates([C.ISSUE_ROW, C.ISSUE_COLUMN, C.ISSUE_CODE])
        table = table.sort_values([C.ISSUE_ROW, C.ISSUE_COLUMN], kind="stable", na_position="first")
        raise DataValidationError(
            Message("services.catalogue.problems", file=file, n=format_int(len(table))),
            table.reset_index(drop=True),
        )
    return parsed


def read_services(path: str | os.PathLike) -> pd.DataFrame:
    """Read and check a service catalogue file (UTF-8 or UTF-8-BOM CSV; ``,`` or ``;``)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    try:
        frame = pd.read_csv(
            path, dtype="str", encoding="utf-8-sig", sep=None, engine="python", keep_default_na=False
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataValidationError(
            Message("services.catalogue.unreadable", path=str(path), reason=str(exc))
        ) from None
    return services_from_frame(frame, file=str(path))


def _items(value) -> frozenset[str] | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    items = frozenset(v.strip() for v in str(value).split(CS.LIST_SEPARATOR) if v.strip())
    return items or None


def _age(value) -> int | None:
    return None if value is None or value is pd.NA or pd.isna(value) else int(value)


def eligibility_of(services: pd.DataFrame) -> dict[str, Eligibility]:
    """Each service's :class:`Eligibility` from a parsed catalogue (one entry per catalogue row — a few dozen)."""
    columns = [C.SERVICE_CODE, *[c for c in CS.ELIGIBILITY_COLUMNS if c in services.columns]]
    out = {}
    for rec in services[columns].to_dict("records"):
        out[str(rec[C.SERVICE_CODE])] = Eligibility(
            age_min=_age(rec.get(CS.ELIGIBLE_AGE_MIN)),
            age_max=_age(rec.get(CS.ELIGIBLE_AGE_MAX)),
            sexes=_items(rec.get(CS.ELIGIBLE_SEX)),
            disability=_items(rec.get(CS.ELIGIBLE_DISABILITY)),
            migrant=_items(rec.get(CS.ELIGIBLE_MIGRANT)),
            districts=_items(rec.get(CS.ELIGIBLE_DISTRICTS)),
        )
    return out


def check_districts(services: pd.DataFrame, known: set[str], *, file: str = "services") -> None:
    """Raise :class:`DataValidationError` naming row and value for a listed district the baseline does not know."""
    if CS.ELIGIBLE_DISTRICTS not in services.columns:
        return
    items = (
        services[CS.ELIGIBLE_DISTRICTS]
        .dropna()
        .astype("str")
        .str.split(CS.LIST_SEPARATOR)
        .explode()
        .str.strip()
    )
    bad = items[~items.isin(list(known))]
    if bad.empty:
        return
    issues = issues_frame(
        [
            _issue(file, cast(int, position), CS.ELIGIBLE_DISTRICTS, IssueCode.UNKNOWN_DISTRICT,
                   t("services.catalogue.unknown_district"), value)
            for position, value in bad.items()  # labels of the parsed catalogue's RangeIndex: row positions
        ]
    )  # fmt: skip
    raise DataValidationError(
        Message("services.catalogue.unknown_districts", file=file, n=format_int(len(bad))), issues
    )
