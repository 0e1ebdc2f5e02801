"""Issues of returned forms: the canonical issues table plus the sheet and the cell (``Eylemler!F12``).

Form issues have the columns of :data:`gcdb.columns.ISSUE_COLUMNS` (``file, row, column, code, severity, message,
value``) followed by :data:`SHEET` and :data:`CELL`, so :func:`gcdb.errors.format_issues` and every consumer of
issues tables take them as they are. ``row`` is the 1-based sheet row, ``column`` the header of the column as the
form shows it. Codes shared with the other readers come from :class:`gcdb.errors.IssueCode`; the codes below are
specific to forms (:data:`FORM_CODES`) and are stable; all are :class:`gcdb.errors.IssueCode` members.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from gcdb import columns as C
from gcdb.errors import IssueCode, issues_frame

SHEET: Final = "sheet"
CELL: Final = "cell"
FORM_ISSUE_COLUMNS: Final = (*C.ISSUE_COLUMNS, SHEET, CELL)


#: The issue codes of returned forms are :class:`gcdb.errors.IssueCode` members (one vocabulary for every issues
#: table); ``FormIssueCode`` is kept as a name for them.
FormIssueCode = IssueCode

#: The codes only returned forms give (besides ``missing_value``, ``unparseable_number``, ``unparseable_date``,
#: ``file_not_found``, ``file_unreadable`` and ``personal_data``, which every reader shares).
FORM_CODES: Final = (
    IssueCode.NOT_A_FORM,
    IssueCode.FORM_KEY_DAMAGED,
    IssueCode.WRONG_FORM,
    IssueCode.FORM_VERSION,
    IssueCode.IDENTITY_MISMATCH,
    IssueCode.SHEET_MISSING,
    IssueCode.STRUCTURE_CHANGED,
    IssueCode.FIXED_CELL_CHANGED,
    IssueCode.UNEXPECTED_ROW,
    IssueCode.ROW_MISSING,
    IssueCode.DUPLICATE_ROW,
    IssueCode.NOT_A_CHOICE,
    IssueCode.OUT_OF_RANGE,
    IssueCode.REQUIRED_IF,
    IssueCode.TEXT_TOO_LONG,
    IssueCode.PATTERN_MISMATCH,
    IssueCode.FORMULA_IN_CELL,
)


def form_issues_frame(rows: list[dict] | None = None) -> pd.DataFrame:
    """An empty (or filled) form issues table with the canonical dtypes."""
    base = issues_frame(
        [{k: v for k, v in r.items() if k in C.ISSUE_COLUMNS} for r in rows] if rows else None
    )
    extra = pd.DataFrame(
        {
            SHEET: pd.Series([r.get(SHEET) for r in rows or []], dtype="str"),
            CELL: pd.Series([r.get(CELL) for r in rows or []], dtype="str"),
        }
    )
    return pd.concat([base, extra], axis=1)


def concat_form_issues(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate form issues tables (empty ones allowed), keeping the columns and dtypes."""
    empty = form_issues_frame()
    frames = [f[list(FORM_ISSUE_COLUMNS)] for f in frames if len(f)]
    if not frames:
        return empty
    return pd.concat(frames, ignore_index=True).astype(empty.dtypes.to_dict())


class IssueCollector:
    """Collects the issues of one file: single issues (:meth:`one`) and column-wise ones (:meth:`many`)."""

    def __init__(self, source: str):
        self.source = source
        self.rows: list[dict[str, Any]] = []
        self.frames: list[pd.DataFrame] = []

    def one(
        self, code, message, *, severity=C.ERROR, sheet="", cell="", row=None, column="", value=""
    ) -> None:
        """One issue (file level, sheet level, or a single cell)."""
        self.rows.append(
            {
                C.ISSUE_FILE: self.source,
                C.ISSUE_ROW: row,
                C.ISSUE_COLUMN: column,
                C.ISSUE_CODE: str(code),
                C.ISSUE_SEVERITY: severity,
                C.ISSUE_MESSAGE: message,
                C.ISSUE_VALUE: value,
                SHEET: sheet,
                CELL: cell,
            }
        )

    def many(
        self,
        sheet: str,
        rows: np.ndarray,
        column: str,
        col: int,
        mask: np.ndarray,
        code: str,
        severity: str,
        message: str | np.ndarray,
        values: pd.Series,
    ) -> None:
        """One issue per row of ``mask`` in column ``col`` (0-based) of ``sheet``; ``rows`` are the sheet rows,
        ``message`` one text or one per row, ``values`` the cells' text."""
        n = int(mask.sum())
        if not n:
            return
        messages = message[mask] if isinstance(message, np.ndarray) else np.full(n, message, dtype=object)
        picked = rows[mask]
        self.frames.append(
            pd.DataFrame(
                {
                    C.ISSUE_FILE: np.full(n, self.source, dtype=object),
                    C.ISSUE_ROW: picked,
                    C.ISSUE_COLUMN: np.full(n, column, dtype=object),
                    C.ISSUE_CODE: np.full(n, str(code), dtype=object),
                    C.ISSUE_SEVERITY: np.full(n, severity, dtype=object),
                    C.ISSUE_MESSAGE: messages,
                    C.ISSUE_VALUE: values.fillna("").to_numpy(dtype=object)[mask],
                    SHEET: np.full(n, sheet, dtype=object),
                    CELL: np.char.add(f"{sheet}!{xl_col_to_name(col)}", picked.astype(str)),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        return concat_form_issues([form_issues_frame(self.rows), *self.frames])
