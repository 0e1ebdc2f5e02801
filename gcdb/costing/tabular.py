"""Reading small validated tables (costing lines, checklist answers): the shared engine of their readers.

A reader takes a file (.csv/.xlsx/.parquet, through :func:`gcdb.read.read_table`) or a DataFrame, maps its headers
to canonical names through an alias table, parses columns with gcdb's exact number parsers, collects issues as
arrays (one entry per offending row, vectorised) and returns a :class:`gcdb.read.ReadResult`: valid rows,
issues naming file, row, column (as written) and value, the quarantined rows with their original text, and a
reconciliation (read = valid + quarantined).

Only the column *parsing* lives here; what a costing line or an answer must satisfy lives in each reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import DataValidationError, IssueCode, UsageError, issues_frame
from gcdb.i18n import label, t
from gcdb.read import RawTable, ReadResult, header_key, parse_decimal, parse_integer, parse_kurus, read_table
from gcdb.read.numbers import cell_text
from gcdb.read.result import ISSUE_CODES, ROWS
from gcdb.text import stripped_text

E, W = C.ERROR, C.WARNING
FRAME_SOURCE = "<DataFrame>"


def raw_table(source: str | Path | pd.DataFrame, *, sheet: str | int | None = None) -> RawTable:
    """The table as text: a file through :func:`gcdb.read.read_table`, or a DataFrame (row 1 = its header)."""
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        cells = {}
        for j in range(frame.shape[1]):
            codes, uniques = pd.factorize(frame.iloc[:, j], use_na_sentinel=True)
            texts = np.array([cell_text(u) for u in uniques] + [None], dtype=object)
            cells[j] = pd.Series(texts[codes], dtype="str")
        body = pd.DataFrame(cells, index=range(len(frame)))
        return RawTable(
            frame=body,
            headers=tuple(str(h) for h in frame.columns),
            source_row=np.arange(len(frame), dtype=np.int64) + 2,
            source=FRAME_SOURCE,
        )
    if isinstance(source, str | Path):
        return read_table(source, sheet=sheet)
    raise UsageError(f"expected a file path or a pandas DataFrame, got {type(source).__name__}")


def alias_table(names: Iterable[str], aliases: Mapping[str, Iterable[str]], labels=None) -> dict[str, str]:
    """Header key → canonical name, from each name itself, its report labels and its aliases."""
    table: dict[str, str] = {}
    for name in names:
        for text in (name, *(labels or {}).get(name, ()), *C.LABELS.get(name, ()), *aliases.get(name, ())):
            table.setdefault(header_key(text), name)
    return table


class Table:
    """A raw table with its headers mapped, its parsed columns cached, and its issues collected as arrays."""

    def __init__(self, raw: RawTable, keys: Mapping[str, str], kind: str):
        self.raw, self.kind = raw, kind
        self.n = len(raw.frame)
        self.found: dict[str, int] = {}
        self.columns_map: dict[str, str] = {}
        self._parts: list[dict] = []
        self._file_rows: list[dict] = []
        self.duplicate_headers: dict[str, list[str]] = {}
        for j, header in enumerate(raw.headers):
            name = keys.get(header_key(header))
            if name is None:
                continue
            if name in self.found:
                self.duplicate_headers.setdefault(name, [raw.headers[self.found[name]]]).append(header)
                continue
            self.found[name] = j
            self.columns_map[header] = name
        for name, headers in self.duplicate_headers.items():
            self.file_issue(
                IssueCode.DUPLICATE_COLUMN,
                f"columns {', '.join(map(repr, headers))} all mean {name!r}; keep one",
                column=headers[-1],
            )
        self._text: dict[str, pd.Series] = {}

    # -- issues -------------------------------------------------------------------------------------------------
    def file_issue(self, code: IssueCode, message: str, *, column: str = "", severity: str = E) -> None:
        self._file_rows.append(
            {
                C.ISSUE_FILE: self.raw.source,
                C.ISSUE_ROW: None,
                C.ISSUE_COLUMN: column,
                C.ISSUE_CODE: str(code),
                C.ISSUE_SEVERITY: severity,
                C.ISSUE_MESSAGE: message,
                C.ISSUE_VALUE: "",
            }
        )

    def add(self, mask, name: str | None, code: IssueCode, message, *, severity: str = E, value=None) -> None:
        """An issue on every row where ``mask`` holds, in the column of canonical ``name`` (None: the row).

        ``message`` and ``value`` are strings or arrays aligned with the rows; ``value`` defaults to the raw text.
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        pos = np.flatnonzero(mask)
        if value is None:
            value = self.raw_text(name)[pos] if name in self.found else ""
        elif not isinstance(value, str):
            value = np.asarray(value, dtype=object)[pos]
        if not isinstance(message, str):
            message = np.asarray(message, dtype=object)[pos]
        self._parts.append(
            {
                "pos": pos,
                "name": name,
                "code": str(code),
                "severity": severity,
                "message": message,
                "value": value,
            }
        )

    def error_mask(self) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        for part in self._parts:
            if part["severity"] == E:
                mask[part["pos"]] = True
        return mask

    def issues(self) -> pd.DataFrame:
        file_part = issues_frame(self._file_rows)
        if not self._parts:
            return file_part
        frames = []
        for part in self._parts:
            pos = part["pos"]
            column = self.raw.headers[self.found[part["name"]]] if part["name"] in self.found else ""
            frames.append(
                pd.DataFrame(
                    {
                        C.ISSUE_FILE: self.raw.source,
                        C.ISSUE_ROW: self.raw.source_row[pos],
                        C.ISSUE_COLUMN: column,
                        C.ISSUE_CODE: part["code"],
                        C.ISSUE_SEVERITY: part["severity"],
                        C.ISSUE_MESSAGE: _texts(part["message"], len(pos)),
                        C.ISSUE_VALUE: _texts(part["value"], len(pos)),
                        "_col": self.found.get(part["name"], -1),
                    }
                )
            )
        body = pd.concat(frames, ignore_index=True).sort_values([C.ISSUE_ROW, "_col"], kind="stable")
        body = body.drop(columns="_col").astype(issues_frame().dtypes.to_dict())
        return (
            pd.concat([file_part, body], ignore_index=True) if len(file_part) else body.reset_index(drop=True)
        )

    def codes_of_rows(self, positions: np.ndarray) -> pd.Series:
        """``|``-joined error codes of each row in ``positions`` (in the order the checks ran)."""
        codes = pd.Series("", index=range(self.n), dtype="object")
        for part in self._parts:
            if part["severity"] != E:
                continue
            sel = codes.iloc[part["pos"]]
            codes.iloc[part["pos"]] = np.where(
                sel == "",
                part["code"],
                np.where(sel.str.contains(part["code"], regex=False), sel, sel + "|" + part["code"]),
            )
        return pd.Series(codes.iloc[positions].to_numpy(), dtype="str")

    # -- columns -----------------------------------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.found

    def require(self, names: Iterable[str]) -> bool:
        """File-level ``missing_column`` issues for required columns the table lacks; True when all are there."""
        missing = [n for n in names if n not in self.found]
        for name in missing:
            self.file_issue(
                IssueCode.MISSING_COLUMN,
                t(
                    "costing.read.missing_column",
                    name=repr(name),
                    label=label(name),
                    found=", ".join(map(str, self.raw.headers)) or t("costing.read.none"),
                ),
                column=name,
            )
        return not missing and not self.duplicate_headers

    def raw_text(self, name: str) -> np.ndarray:
        col = self.raw.frame.iloc[:, self.found[name]].to_numpy(dtype=object)
        return np.where(pd.isna(col), "", col)

    def text(self, name: str) -> pd.Series:
        """Stripped text of a column, missing where blank (an absent column is all missing)."""
        if name not in self._text:
            if name in self.found:
                self._text[name] = stripped_text(self.raw.frame.iloc[:, self.found[name]]).reset_index(
                    drop=True
                )
            else:
                self._text[name] = pd.Series(pd.NA, index=range(self.n), dtype="str")
        return self._text[name]

    def blank(self, name: str) -> np.ndarray:
        return self.text(name).isna().to_numpy()

    def required_text(self, name: str) -> pd.Series:
        self.add(self.blank(name), name, IssueCode.MISSING_VALUE, t("costing.read.empty", column=label(name)))
        return self.text(name)

    def number(
        self, name: str, *, scale: int, required: bool, kind: str = "decimal"
    ) -> tuple[np.ndarray, np.ndarray]:
        """(values scaled by ``10**scale`` as int64, ok mask). ``kind``: ``"decimal"``, ``"money"``, ``"integer"``."""
        text = self.text(name)
        if kind == "money":
            parsed = parse_kurus(text)
        elif kind == "integer":
            parsed = parse_integer(text)
        else:
            parsed = parse_decimal(text, scale=scale)
        self.add(parsed.invalid, name, IssueCode.UNPARSEABLE_NUMBER, parsed.reason)
        if required:
            self.add(parsed.blank, name, IssueCode.MISSING_VALUE, t("costing.read.empty", column=label(name)))
        return parsed.values, parsed.ok

    # -- result --------------------------------------------------------------------------------------------------
    def result(self, data: pd.DataFrame, *, money: Mapping[str, np.ndarray] | None = None) -> ReadResult:
        """The :class:`~gcdb.read.ReadResult`: ``data`` holds one row per input row (aligned); rows with errors
        go to the quarantine. ``money``: amounts per row (kuruş) reconciled as read = valid + quarantined."""
        errors = self.error_mask()
        if self._file_errors():
            errors = np.ones(self.n, dtype=bool)
        valid = data[~errors].reset_index(drop=True)
        valid[C.SOURCE_ROW] = self.raw.source_row[~errors].astype(np.int64)
        positions = np.flatnonzero(errors)
        quarantine = self.raw.frame.iloc[positions].copy()
        quarantine.columns = list(self.raw.headers)
        quarantine = quarantine.reset_index(drop=True)
        quarantine[C.SOURCE_ROW] = self.raw.source_row[positions].astype(np.int64)
        quarantine[ISSUE_CODES] = self.codes_of_rows(positions)
        rows = [(ROWS, self.n, int((~errors).sum()), int(errors.sum()))]
        for name, values in (money or {}).items():
            v = np.asarray(values, dtype=np.int64)
            rows.append((name, int(v.sum()), int(v[~errors].sum()), int(v[errors].sum())))
        reconciliation = pd.DataFrame(rows, columns=["measure", "read", "valid", "quarantined"]).astype(
            {"measure": "str", "read": "int64", "valid": "int64", "quarantined": "int64"}
        )
        return ReadResult(
            kind=self.kind,
            data=valid,
            issues=self.issues(),
            quarantine=quarantine,
            reconciliation=reconciliation,
            source=self.raw.source,
            columns_map=dict(self.columns_map),
            ignored_columns=tuple(h for h in self.raw.headers if h not in self.columns_map),
            header_row=self.raw.header_row,
            blank_rows=self.raw.blank_rows,
            refused=self._file_errors(),
        )

    def _file_errors(self) -> bool:
        return any(r[C.ISSUE_SEVERITY] == E for r in self._file_rows)


def _texts(x, n: int) -> np.ndarray:
    if isinstance(x, str) or x is None:
        return np.full(n, x or "", dtype=object)
    arr = np.asarray(x, dtype=object)
    return np.where(pd.isna(arr), "", arr).astype(object)


_Result = TypeVar("_Result", bound=ReadResult)


def finish(result: _Result, strict: bool) -> _Result:
    """Raise :class:`~gcdb.errors.DataValidationError` in strict mode when there are errors."""
    if strict and not result.ok:
        raise DataValidationError(result.summary(), result.issues)
    return result


def first_of_duplicates(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(later-copy mask, position of the first row with the same keys) over a frame of key columns.

    Rows with a missing key are never duplicates.
    """
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    complete = keys.notna().all(axis=1).to_numpy()
    codes = (
        keys.astype("str")
        .fillna("\0")
        .groupby(list(keys.columns), sort=False, dropna=False)
        .ngroup()
        .to_numpy()
    )
    first = pd.Series(np.arange(n)).groupby(codes).transform("min").to_numpy()
    later = complete & (first != np.arange(n))
    return later, first
