"""What a reader returns: :class:`ReadResult` (and the raw table it starts from, :class:`RawTable`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import DataValidationError

#: Column of the quarantine frame holding the issue codes of the row, ``|``-joined.
ISSUE_CODES = "issue_codes"

#: ``measure`` value of the reconciliation row counting rows.
ROWS = "rows"

#: Columns of :attr:`ReadResult.skipped`: the 1-based source row and why it is not data.
SKIPPED_ROW, SKIPPED_REASON = "row", "reason"
#: Reconciliation column counting skipped rows (after ``quarantined``).
SKIPPED = "skipped"
#: Stable reasons of :attr:`ReadResult.skipped` rows.
SKIP_REASONS = ("blank", "title", "subtotal", "total", "page_header", "note")
#: Columns of the reconciliation frame: ``read == valid + quarantined + skipped``.
RECONCILIATION_COLUMNS = ("measure", "read", "valid", "quarantined", "skipped")


def skipped_frame(rows=(), reasons=()) -> pd.DataFrame:
    """A ``skipped`` table: ``row`` (int64, 1-based source row) and ``reason`` (one of :data:`SKIP_REASONS`)."""
    rows = np.asarray(rows, dtype=np.int64)
    reasons = (
        np.broadcast_to(np.asarray(reasons, dtype=object), rows.shape) if len(rows) else np.zeros(0, object)
    )
    frame = pd.DataFrame({"row": rows, "reason": pd.Series(reasons, dtype="str")})
    return frame.sort_values("row", kind="stable").reset_index(drop=True)


def reconciliation_frame(rows: list[tuple]) -> pd.DataFrame:
    """The reconciliation table from ``(measure, read, valid, quarantined, skipped)`` tuples, with its dtypes."""
    frame = pd.DataFrame(rows, columns=list(RECONCILIATION_COLUMNS))
    return frame.astype(
        {"measure": "str", "read": "int64", "valid": "int64", "quarantined": "int64", "skipped": "int64"}
    )


@dataclass(frozen=True, eq=False)
class RawTable:
    """A table as read from its source, before any interpretation.

    ``frame`` holds every cell as text (``str`` dtype, missing for empty cells) with columns by position
    (``0 … k-1``) because headers may repeat; ``headers`` are the header texts as found; ``source_row`` is the
    1-based row of each data row in the source (the header row is :attr:`header_row`, usually 1).
    """

    frame: pd.DataFrame
    headers: tuple[str, ...]
    source_row: np.ndarray
    source: str
    header_row: int = 1
    blank_rows: int = 0
    encoding: str | None = None
    separator: str | None = None
    #: positions of columns that held typed integers (Parquet, DataFrames), for ``money_unit="auto"``
    integer_columns: frozenset[int] = frozenset()
    #: rows of the source that are neither data nor the header: ``row`` (1-based), ``reason`` (:data:`SKIP_REASONS`)
    skipped: pd.DataFrame = field(default_factory=skipped_frame)
    #: the Excel sheet read (``None`` for other sources) and what else the workbook holds
    sheet: str | None = None
    #: file-level notes found while reading (mixed encodings, which sheet): dicts of issue fields
    notes: tuple[dict, ...] = ()
    #: 0-based position in the source of each column of ``frame`` (empty unnamed columns are dropped)
    source_columns: tuple[int, ...] = ()
    #: cell-level errors found while reading: ``(data row position, column position, code, message, value)``
    cell_errors: tuple[tuple, ...] = ()


class IssueViews:
    """``errors``, ``warnings`` and ``ok`` of anything with an ``issues`` table (a read, a chunked read)."""

    issues: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        """The issues of severity ``error``."""
        return self.issues[self.issues[C.ISSUE_SEVERITY] == C.ERROR]

    @property
    def warnings(self) -> pd.DataFrame:
        """The issues of severity ``warning``."""
        return self.issues[self.issues[C.ISSUE_SEVERITY] == C.WARNING]

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not bool((self.issues[C.ISSUE_SEVERITY] == C.ERROR).any())


@dataclass(frozen=True, eq=False)
class ReadResult(IssueViews):
    """The outcome of reading one budget, usage or population table.

    Attributes
    ----------
    kind
        ``"budget"``, ``"usage"`` or ``"population"``.
    data
        The valid rows: canonical columns in the order of ``columns.BUDGET_COLUMNS`` /
        ``USAGE_COLUMNS`` / ``POPULATION_COLUMNS`` (those present in the file, the required ones, and derived
        ones such as ``age_band``), then ``source_row``. Money in ``int64`` kuruş. Valid against
        :mod:`gcdb.schemas`. Rows with warnings are here; rows with errors are not.
    issues
        The issues table (``errors.issues_frame`` columns): one row per problem, ``row`` = 1-based row in the
        source (header = row 1), ``column`` = the header as found in the file, ``value`` = the raw text.
    quarantine
        The rows that had errors: their original text under their original headers, ``source_row`` and
        ``issue_codes`` (``|``-joined). A file refused for personal data keeps only ``source_row`` and
        ``issue_codes``: people's data never leaves the reader.
    reconciliation
        ``measure, read, valid, quarantined, skipped``: rows, and (budget) each money phase in kuruş,
        (population) each count. ``read == valid + quarantined + skipped`` always (``skipped`` counts rows; it is
        0 for money and counts). Amounts that could not be parsed or are out of range are in no column.
    skipped
        The source rows that are neither data nor the header: ``row`` (int64, 1-based source row) and ``reason``
        (``blank``, ``title``, ``subtotal``, ``total``, ``page_header``, ``note``).
    sheet
        The Excel sheet that was read (``None`` for CSV, Parquet and DataFrames).
    source
        File name (or ``"<DataFrame>"``).
    columns_map
        Header as found → canonical name, for the headers that were used.
    ignored_columns
        Headers that map to nothing (kept only in ``quarantine``).
    header_row, blank_rows
        Where the header was found; how many completely empty rows were skipped (the ``blank`` rows of
        ``skipped``, kept for compatibility).
    refused
        True when a file-level error (empty file, missing or duplicate column, personal data) stopped reading:
        ``data`` is empty and every row is in ``quarantine``.
    skipped
        Rows of a published layout that are not data (title, subtotal, total, repeated page header, note, blank):
        ``row`` (1-based source row), ``reason``. Counted in the reconciliation's ``skipped`` column.
    """

    kind: str
    data: pd.DataFrame
    issues: pd.DataFrame
    quarantine: pd.DataFrame
    reconciliation: pd.DataFrame
    source: str
    columns_map: Mapping[str, str] = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()
    header_row: int = 1
    blank_rows: int = 0
    refused: bool = False
    skipped: pd.DataFrame = field(default_factory=skipped_frame)
    sheet: str | None = None
    #: issues found in the table when :attr:`issues` holds only the first ones and every error (a chunk read
    #: with ``keep_issues``); ``None``: :attr:`issues` holds them all
    issues_total: int | None = None

    @property
    def issues_found(self) -> int:
        """Issues found in the table, listed in :attr:`issues` or not."""
        return len(self.issues) if self.issues_total is None else self.issues_total

    def raise_for_errors(self) -> ReadResult:
        """Raise :class:`~gcdb.errors.DataValidationError` carrying :attr:`issues` if there are errors."""
        if not self.ok:
            raise DataValidationError(self.summary(), self.issues)
        return self

    def summary(self) -> str:
        """One line: file, rows valid/quarantined, errors and warnings, in the current language
        (:func:`gcdb.i18n.using` chooses another); a :class:`~gcdb.i18n.Message`."""
        from gcdb.i18n import Message, format_int, optional

        rows = self.reconciliation[self.reconciliation["measure"] == ROWS]
        read = int(rows["read"].iloc[0]) if len(rows) else 0
        skipped = (
            Message("read.summary.skipped", n=format_int(len(self.skipped))) if len(self.skipped) else ""
        )
        return Message(
            "read.summary",
            where=f"{self.source}" + (f" [{self.sheet}]" if self.sheet else ""),
            read=format_int(read),
            kind=optional(f"read.kind.{self.kind}", self.kind),
            valid=format_int(len(self.data)),
            quarantined=format_int(len(self.quarantine)),
            skipped=skipped,
            errors=format_int(len(self.errors)),
            warnings=format_int(self.issues_found - len(self.errors)),
        )

    def __repr__(self) -> str:
        return f"ReadResult({self.summary()})"
