"""A sheet as printed: every row of a .csv/.xlsx file as text, header rows included, nothing interpreted.

Published layouts (the Ödenek Cetveli, TÜİK tables) put title rows, several header rows, subtotals and repeated
page headers around the data, so the tidy readers' "find the header, read the rest" does not fit them. A
:class:`Grid` keeps every row with its 1-based source row number (blank rows too) for the layout readers of
:mod:`gcdb.read.published` and :mod:`gcdb.read.tuik` to classify.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import DataValidationError, IssueCode, issues_frame
from gcdb.read.numbers import cell_text
from gcdb.read.sniff import sniff_csv
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
    return DataValidationError(f"{path}: {message}", issues)


def _text_frame(rows: list[list[object]]) -> pd.DataFrame:
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
) -> Grid:
    """Read every row of a .csv/.xlsx file as text (only the first ``max_rows`` rows if given: a cheap look at
    the top of a large file). Raises :class:`DataValidationError` (``file_not_found``, ``unsupported_format``,
    ``file_unreadable``)."""
    path = Path(path)
    if not path.is_file():
        raise file_error(path, IssueCode.FILE_NOT_FOUND, "file not found")
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
            text, dialect = sniff_csv(raw, encoding=encoding, separator=sep)
        except (UnicodeDecodeError, LookupError) as exc:
            raise file_error(
                path, IssueCode.FILE_UNREADABLE, f"the file is neither UTF-8 nor Windows-1254 text ({exc})"
            ) from None
        import csv

        reader = csv.reader(io.StringIO(text), delimiter=dialect.separator)
        rows = [list(r) for _, r in zip(range(max_rows), reader, strict=False)] if max_rows else list(reader)
        cells = _text_frame(rows)
        return Grid(
            cells, np.arange(1, len(rows) + 1, dtype=np.int64), path.name, dialect.encoding, dialect.separator
        )
    if suffix in EXCEL_SUFFIXES:
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise file_error(
                path, IssueCode.FILE_UNREADABLE, f"not a readable .xlsx workbook ({exc})"
            ) from None
        try:
            if sheet is None:
                ws = book.worksheets[0]
            elif isinstance(sheet, int):
                ws = book.worksheets[sheet]
            elif sheet in book.sheetnames:
                ws = book[sheet]
            else:
                raise file_error(
                    path,
                    IssueCode.FILE_UNREADABLE,
                    f"no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}",
                )
            rows = [list(r) for r in ws.iter_rows(min_row=1, max_row=max_rows, values_only=True)]
        finally:
            book.close()
        return Grid(_text_frame(rows), np.arange(1, len(rows) + 1, dtype=np.int64), path.name)
    raise file_error(
        path,
        IssueCode.UNSUPPORTED_FORMAT,
        f"unsupported file type {suffix or '(none)'!r}; expected .csv or .xlsx",
    )
