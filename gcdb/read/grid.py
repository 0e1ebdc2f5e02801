"""A sheet as printed: every row of a .csv/.xlsx file as text, header rows included, nothing interpreted.

Published layouts (the Ödenek Cetveli, TÜİK tables) put title rows, several header rows, subtotals and repeated
page headers around the data, so the tidy readers' "find the header, read the rest" does not fit them. A
:class:`Grid` keeps every row with its 1-based source row number (blank rows too) for the layout readers of
:mod:`gcdb.read.published` and :mod:`gcdb.read.tuik` to classify.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import DataValidationError, IssueCode, issues_frame
from gcdb.i18n import Message, message_of
from gcdb.read.excel import read_sheet, sheet_notes
from gcdb.read.limits import LimitExceeded, ReadLimits, resolve
from gcdb.read.numbers import cell_text
from gcdb.read.sniff import decode_checked, detect_separator
from gcdb.text import blank_cells, fold, map_distinct

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True, eq=False)
class Grid:
    """Every row of a sheet as text. ``cells``: columns ``0 … k-1``, ``str`` dtype, missing for blank cells;
    ``rows``: 1-based source row of each row (int64); ``source``: the file name."""

    cells: pd.DataFrame
    rows: np.ndarray
    source: str
    encoding: str | None = None
    separator: str | None = None
    #: the sheet read (xlsx)
    sheet: str | None = None
    #: file-level notes for the issues table (sheet chosen, mixed encodings), as the tidy readers make them
    notes: tuple[dict, ...] = ()

    @property
    def blank(self) -> np.ndarray:
        """Rows whose every cell is blank."""
        out = np.ones(len(self.cells), dtype=bool)
        for j in range(self.cells.shape[1]):
            out &= blank_cells(self.cells.iloc[:, j])
        return out

    def folded(self) -> pd.DataFrame:
        """Every cell through :func:`gcdb.text.fold` (once per distinct value), missing stays missing."""
        return pd.DataFrame(
            {j: map_distinct(self.cells.iloc[:, j], fold) for j in range(self.cells.shape[1])},
            index=self.cells.index,
        )


def file_error(path: Path, code: IssueCode, message: str) -> DataValidationError:
    """A file-level problem as :class:`DataValidationError` carrying a one-row issues table."""
    issues = issues_frame(
        [
            {
                C.ISSUE_FILE: path.name,
                C.ISSUE_ROW: None,
                C.ISSUE_COLUMN: "",
                C.ISSUE_CODE: str(code),
                C.ISSUE_SEVERITY: C.ERROR,
                C.ISSUE_MESSAGE: message,
                C.ISSUE_VALUE: "",
            }
        ]
    )
    return DataValidationError(Message("read.file_where", path=str(path), message=message), issues)


def _text_frame(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    columns = {}
    for j in range(width):
        values = [cell_text(r[j]) if j < len(r) else None for r in rows]
        col = pd.Series(values, dtype="str")
        stripped = col.str.strip()
        columns[j] = col.where(stripped.notna() & (stripped != ""))
    return pd.DataFrame(columns, index=range(len(rows)))


PEEK_BYTES = 1 << 16


def read_grid(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    max_rows: int | None = None,
    limits: ReadLimits | None = None,
) -> Grid:
    """Read every row of a .csv/.xlsx file as text (only the first ``max_rows`` rows if given: a cheap look at
    the top of a large file), through the same guards as the tidy readers: encodings checked line by line, the
    first visible sheet, the workbook's size ``limits``, formula cells without a saved value refused. Raises
    :class:`DataValidationError` (``file_not_found``, ``unsupported_format``, ``file_unreadable``,
    ``limit_exceeded``, ``formula_without_value``)."""
    path = Path(path)
    if not path.is_file():
        raise file_error(path, IssueCode.FILE_NOT_FOUND, Message("read.file_not_found"))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        if max_rows is None:
            raw = path.read_bytes()
        else:
            with path.open("rb") as fh:
                raw = fh.read(PEEK_BYTES)
            if len(raw) == PEEK_BYTES and b"\n" in raw:
                raw = raw[: raw.rindex(b"\n") + 1]  # whole lines only (and no character cut in two)
        try:
            decoded = decode_checked(raw, encoding)
        except LookupError:
            raise file_error(
                path, IssueCode.FILE_UNREADABLE, Message("read.unknown_encoding", encoding=repr(encoding))
            ) from None
        except ValueError as exc:
            raise file_error(path, IssueCode.FILE_UNREADABLE, message_of(exc)) from None
        text = decoded.text
        if "\r" in text and "\n" not in text:  # old Mac line ends
            text = text.replace("\r", "\n")
        separator = sep if sep is not None else detect_separator(text)
        import csv

        if csv.field_size_limit() < len(text):
            csv.field_size_limit(min(len(text) + 1, 2**31 - 1))  # one long cell is data, not an error
        reader = csv.reader(io.StringIO(text, newline=None), delimiter=separator)
        try:
            rows = (
                [list(r) for _, r in zip(range(max_rows), reader, strict=False)] if max_rows else list(reader)
            )
        except csv.Error as exc:
            raise file_error(
                path, IssueCode.FILE_UNREADABLE, Message("read.csv_cells", error=str(exc))
            ) from None
        notes = tuple({**n, "file": path.name} for n in decoded.notes)
        return Grid(
            _text_frame(rows),
            np.arange(1, len(rows) + 1, dtype=np.int64),
            path.name,
            decoded.encoding,
            separator,
            notes=notes,
        )
    if suffix in EXCEL_SUFFIXES:
        try:
            found = read_sheet(path, sheet, resolve(limits))
        except LimitExceeded as exc:
            raise file_error(path, IssueCode.LIMIT_EXCEEDED, message_of(exc)) from None
        except ValueError as exc:
            raise file_error(path, IssueCode.FILE_UNREADABLE, message_of(exc)) from None
        if found.formulas:
            refs = ", ".join(ref for _, _, ref in found.formulas[:10]) + (
                " …" if len(found.formulas) > 10 else ""
            )
            raise file_error(
                path,
                IssueCode.FORMULA_WITHOUT_VALUE,
                Message("read.formulas", sheet=repr(found.choice.name), n=len(found.formulas), refs=refs),
            )
        sheet_rows = found.rows[:max_rows] if max_rows else found.rows
        return Grid(
            _text_frame(sheet_rows),
            np.arange(1, len(sheet_rows) + 1, dtype=np.int64),
            path.name,
            sheet=found.choice.name,
            notes=sheet_notes(path.name, found.choice),
        )
    raise file_error(
        path,
        IssueCode.UNSUPPORTED_FORMAT,
        Message("read.unsupported_grid", suffix=repr(suffix or "—")),
    )
