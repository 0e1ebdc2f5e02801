"""Read a returned copy of a form back (openpyxl): typed frames, and issues naming file, sheet, cell and column.

:func:`read_form` checks, in order:

1. the file: it exists, is a readable ``.xlsx``, has the hidden key and the key matches its checksum; it is a copy
   of this form kind and version; its identity is the one expected (``expect``: e.g. the unit and the year) —
   otherwise the copy is *refused*: nothing becomes data, every non-blank row is quarantined;
2. each sheet's structure: the sheet exists; every column's header is where the key says (columns moved or
   inserted are found by their header and reported; a missing column refuses the sheet); extra columns are
   reported with the number of filled cells that were not read;
3. each row: its key (``Eylem Kodu`` …) is one of the form's rows, once; the fixed cells are as gcdb wrote them
   (an edit is reported, and the form's own values are used); rows of the form not in the file are reported;
4. each fill-in cell: typed by its kind (choice codes, numbers exactly, money in kuruş, dates), checked against
   its range, length and pattern, required fields of filled rows, ``required_if`` rules, formulas, personal data.

Nothing is lost: every non-blank row is in ``data`` (valid) or in ``quarantine`` (with its cells' text and the
issue codes), and ``reconciliation`` proves it per sheet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from gcdb import columns as C
from gcdb.errors import IssueCode
from gcdb.forms.issues import SHEET, FormIssueCode, IssueCollector
from gcdb.forms.key import CHECKSUM_CELL, FIRST_CHUNK_ROW, KEY_SHEET, FormKey, checksum
from gcdb.forms.messages import msg
from gcdb.forms.sheet import FILLED, RECONCILIATION_COLUMNS, ROW_INDEX, SOURCE_ROW, SheetReader
from gcdb.forms.spec import FormSpec

__all__ = ["FormRead", "read_form", "FILLED", "ROW_INDEX", "SOURCE_ROW"]


@dataclass(frozen=True, eq=False)
class FormRead:
    """One returned copy, read.

    Attributes
    ----------
    source
        The file name.
    key
        The copy's :class:`~gcdb.forms.key.FormKey` (``None`` when the file has no readable key).
    identity
        The identity written in the key (unit, year …), as text; empty when there is no key.
    data
        Per sheet key: the valid rows — every field of the sheet (fixed fields as the form wrote them, codes for
        choices; fill-in fields typed, see :class:`~gcdb.forms.spec.FieldKind`), then ``filled`` (any fill-in
        cell non-blank), ``row_index`` (the row's position in the form) and ``source_row`` (1-based sheet row).
    quarantine
        Per sheet key: rows with errors, every cell as the text found (personal data masked), ``source_row`` and
        ``issue_codes`` (``|``-joined).
    missing_rows
        Per sheet key: the form's rows not found in the copy (their fixed fields and ``row_index``).
    issues
        The issues table (:data:`gcdb.forms.issues.FORM_ISSUE_COLUMNS`).
    reconciliation
        Per sheet: ``form_rows`` (rows gcdb wrote), ``rows_read`` (non-blank rows found) = ``valid`` +
        ``quarantined``; ``filled`` valid rows with something filled in; ``missing`` form rows not found;
        ``blank_rows`` skipped.
    refused
        True when the whole file was refused (not a form, damaged key, wrong kind, version or identity).
    columns
        Per sheet key: the column (0-based) each field was read from.
    """

    source: str
    spec: FormSpec
    key: FormKey | None
    identity: dict[str, str]
    data: dict[str, pd.DataFrame]
    quarantine: dict[str, pd.DataFrame]
    missing_rows: dict[str, pd.DataFrame]
    issues: pd.DataFrame = field(repr=False)
    reconciliation: pd.DataFrame = field(repr=False)
    refused: bool = False
    columns: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not bool((self.issues[C.ISSUE_SEVERITY] == C.ERROR).any())

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues[C.ISSUE_SEVERITY] == C.ERROR]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues[C.ISSUE_SEVERITY] == C.WARNING]

    def sheet_name(self, sheet: str) -> str:
        """The sheet's tab name in this copy."""
        return self.key.layout(sheet).name if self.key is not None else sheet

    def cells(self, sheet: str, field_name: str, frame: pd.DataFrame | None = None) -> pd.Series:
        """``Eylemler!F12``-style references of ``field_name`` on the rows of ``frame`` (default:
        ``data[sheet]``), aligned with it."""
        frame = self.data[sheet] if frame is None else frame
        col = xl_col_to_name(self.columns[sheet][field_name])
        prefix = f"{self.sheet_name(sheet)}!{col}"
        return (prefix + frame[SOURCE_ROW].astype("str")).astype("str")


def _empty_read(source: str, spec: FormSpec, issues: IssueCollector, key: FormKey | None = None) -> FormRead:
    recon = _reconciliation([])
    return FormRead(
        source=source,
        spec=spec,
        key=key,
        identity=dict(key.identity) if key else {},
        data={},
        quarantine={},
        missing_rows={},
        issues=issues.frame(),
        reconciliation=recon,
        refused=True,
    )


def _read_key(book, issues: IssueCollector, lang: str) -> FormKey | None:
    if KEY_SHEET not in book.sheetnames:
        issues.one(FormIssueCode.NOT_A_FORM, msg("issue.not_a_form", lang))
        return None
    rows = [list(r) for r in book[KEY_SHEET].iter_rows(values_only=True)]
    stored = rows[CHECKSUM_CELL[0]][CHECKSUM_CELL[1]] if len(rows) > CHECKSUM_CELL[0] else None
    text = "".join(str(r[1]) for r in rows[FIRST_CHUNK_ROW:] if len(r) > 1 and r[1] is not None)
    if not isinstance(stored, str) or checksum(text) != stored:
        issues.one(FormIssueCode.FORM_KEY_DAMAGED, msg("issue.key_damaged", lang), sheet=KEY_SHEET)
        return None
    try:
        return FormKey.from_json(text)
    except (ValueError, TypeError, KeyError):
        issues.one(FormIssueCode.FORM_KEY_DAMAGED, msg("issue.key_damaged", lang), sheet=KEY_SHEET)
        return None


def _check_copy(
    spec: FormSpec, key: FormKey, expect: dict[str, Any], issues: IssueCollector, lang: str
) -> bool:
    """The copy is of this form, version and identity; False (issues added) if not."""
    if key.form != spec.kind:
        issues.one(
            FormIssueCode.WRONG_FORM, msg("issue.wrong_form", lang, found=key.form, expected=spec.kind)
        )
        return False
    if key.version != spec.version:
        issues.one(
            FormIssueCode.FORM_VERSION,
            msg("issue.form_version", lang, found=key.version, expected=spec.version),
        )
        return False
    ok = True
    labels = {i.name: i.label.get(lang) for i in spec.identity}
    for name, wanted in expect.items():
        found = key.identity.get(name, "")
        allowed = (
            {str(w) for w in wanted} if isinstance(wanted, list | tuple | set | frozenset) else {str(wanted)}
        )
        if str(found) not in allowed:
            wanted = ", ".join(sorted(allowed))
            cell = key.identity_cells.get(name, "")
            issues.one(
                FormIssueCode.IDENTITY_MISMATCH,
                msg(
                    "issue.identity", lang, label=labels.get(name, name), found=found or "-", expected=wanted
                ),
                sheet=key.instructions_sheet,
                cell=f"{key.instructions_sheet}!{cell}" if cell else "",
                column=labels.get(name, name),
                value=str(found),
            )
            ok = False
    return ok


def read_form(
    path: str | os.PathLike,
    spec: FormSpec,
    *,
    expect: dict[str, Any] | None = None,
    lang: str = "tr",
) -> FormRead:
    """Read a returned copy of ``spec`` (see the module docstring for what is checked).

    ``expect`` maps identity fields to the value this copy must have (``{"fiscal_year": 2024}``), or to a list,
    tuple or set of the values it may have; a copy with other values is refused. Messages are in ``lang``. Never raises for problems of the file itself: a missing,
    unreadable or foreign file comes back refused with its issue.
    """
    import openpyxl

    path = Path(path)
    source = path.name
    issues = IssueCollector(source)
    if not path.is_file():
        issues.one(IssueCode.FILE_NOT_FOUND, msg("issue.not_found", lang))
        return _empty_read(source, spec, issues)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        book_f = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for broken files
        issues.one(IssueCode.FILE_UNREADABLE, msg("issue.unreadable", lang, error=type(exc).__name__))
        return _empty_read(source, spec, issues)
    try:
        key = _read_key(book, issues, lang)
        if key is None or key.form != spec.kind or key.version != spec.version:
            if key is not None:
                _check_copy(spec, key, {}, issues, lang)
            return _empty_read(source, spec, issues, key)
        accepted = _check_copy(spec, key, dict(expect or {}), issues, lang)
        results = {
            sheet.key: SheetReader(sheet, key.layout(sheet.key), issues, lang).read(book, book_f, accepted)
            for sheet in spec.sheets
        }
    finally:
        book.close()
        book_f.close()
    return FormRead(
        source=source,
        spec=spec,
        key=key,
        identity=dict(key.identity),
        data={k: r.data for k, r in results.items()},
        quarantine={k: r.quarantine for k, r in results.items()},
        missing_rows={k: r.missing_rows for k, r in results.items()},
        issues=issues.frame(),
        reconciliation=_reconciliation([r.counts for r in results.values()]),
        refused=not accepted,
        columns={k: r.columns for k, r in results.items()},
    )


def _reconciliation(counts: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(counts, columns=list(RECONCILIATION_COLUMNS))
    return frame.astype({c: "int64" for c in RECONCILIATION_COLUMNS if c != SHEET} | {SHEET: "str"})
