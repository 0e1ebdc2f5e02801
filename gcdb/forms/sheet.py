"""Read one data sheet of a returned form: structure, row identity, fixed cells, fill-in cells, split.

:class:`SheetReader` is the step behind :func:`gcdb.forms.read_form` for one sheet; it reports into the file's
:class:`~gcdb.forms.issues.IssueCollector` and returns a :class:`SheetResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from gcdb import columns as C
from gcdb.errors import IssueCode
from gcdb.forms.issues import SHEET, FormIssueCode, IssueCollector
from gcdb.forms.key import SheetLayout
from gcdb.forms.messages import msg
from gcdb.forms.parse import Parsed, column_texts, condition_holds, masked_texts, parse_field
from gcdb.forms.spec import FieldKind, SheetSpec
from gcdb.read.result import ISSUE_CODES
from gcdb.text import fold, map_distinct

SOURCE_ROW: Final = C.SOURCE_ROW
FILLED: Final = "filled"
ROW_INDEX: Final = "row_index"  # position of the row in the form as written (0-based)
RECONCILIATION_COLUMNS: Final = (
    SHEET,
    "form_rows",
    "rows_read",
    "valid",
    "quarantined",
    FILLED,
    "missing",
    "blank_rows",
)


@dataclass
class SheetResult:
    """What one sheet gave: valid rows, quarantined rows, form rows not found, counts, field columns."""

    data: pd.DataFrame
    quarantine: pd.DataFrame
    missing_rows: pd.DataFrame
    counts: dict[str, Any]
    columns: dict[str, int] = field(default_factory=dict)


def fixed_values(sheet: SheetSpec, layout: SheetLayout, index: np.ndarray) -> dict[str, pd.Series]:
    """The form's own fixed values for the rows at positions ``index`` (codes; integer fields as ``Int64``)."""
    out = {}
    for f in sheet.fixed_fields:
        values = pd.Series(np.asarray(layout.fixed[f.name], dtype=object)[index], dtype="str")
        values = values.where(values != "")
        if f.kind == FieldKind.INTEGER:
            values = pd.to_numeric(values).astype("Int64")
        out[f.name] = values
    return out


class SheetReader:
    """Reads one data sheet; see :mod:`gcdb.forms.read` for what is checked."""

    def __init__(self, sheet: SheetSpec, layout: SheetLayout, issues: IssueCollector, lang: str):
        self.sheet, self.layout, self.issues, self.lang = sheet, layout, issues, lang
        self.name = layout.name
        self.n = 0
        self.rows = np.zeros(0, dtype=np.int64)  # 1-based sheet rows of the non-blank rows
        self.texts: dict[int, tuple[pd.Series, np.ndarray]] = {}
        self.columns: dict[str, int] = {}
        self.row_error = np.zeros(0, dtype=bool)
        self.row_codes: list[tuple[np.ndarray, str]] = []
        self.position = np.zeros(0, dtype=np.intp)
        self.matched = np.zeros(0, dtype=bool)
        self.missing = np.ones(layout.n_rows, dtype=bool)

    # -- helpers --------------------------------------------------------------------------------------------
    def text_of(self, name: str) -> tuple[pd.Series, np.ndarray]:
        j = self.columns[name]
        if j in self.texts:
            return self.texts[j]
        return pd.Series([None] * self.n, dtype="str"), np.zeros(self.n, dtype=bool)

    def report(self, name: str, mask, code, message, values: pd.Series, severity: str = C.ERROR) -> None:
        """Issues on the cells of field ``name`` at ``mask``; errors quarantine their rows."""
        if not mask.any():
            return
        self.issues.many(
            self.name,
            self.rows,
            self.layout.headers[name],
            self.columns[name],
            mask,
            str(code),
            severity,
            message,
            values,
        )
        if severity == C.ERROR:
            self.row_error |= mask
            self.row_codes.append((mask, str(code)))

    def per_value(self, values: pd.Series, func) -> np.ndarray:
        """``func`` of each distinct value of ``values``, broadcast (messages naming a value)."""
        return map_distinct(values.fillna(""), func).fillna(func("")).to_numpy(dtype=object)

    # -- steps ----------------------------------------------------------------------------------------------
    def load(self, book) -> list[Any]:
        """Read the sheet's cells as text; return the header cells."""
        layout = self.layout
        raw = [list(r) for r in book[self.name].iter_rows(min_row=layout.header_row, values_only=True)]
        if not raw:
            return []
        width = max(max(len(r) for r in raw), max(layout.columns.values()) + 1)
        raw = [r + [None] * (width - len(r)) for r in raw]
        header, body = raw[0], raw[layout.first_row - layout.header_row :]
        frame = pd.DataFrame(body, dtype=object) if body else pd.DataFrame(columns=range(width), dtype=object)
        texts = {j: column_texts(frame.iloc[:, j]) for j in range(frame.shape[1])}
        nonblank = np.zeros(len(frame), dtype=bool)
        for t, _ in texts.values():
            nonblank |= t.notna().to_numpy()
        self.blank_rows = int((~nonblank).sum())
        keep = np.flatnonzero(nonblank)
        self.rows = (np.arange(len(frame), dtype=np.int64) + layout.first_row)[keep]
        self.texts = {
            j: (t.iloc[keep].reset_index(drop=True), typed[keep]) for j, (t, typed) in texts.items()
        }
        self.n = len(keep)
        self.row_error = np.zeros(self.n, dtype=bool)
        return header

    def locate(self, header: list[Any]) -> bool:
        """Find each field's column: where the key says, else by its header. False if a header is missing."""
        layout = self.layout
        found = [fold(str(h)) if h is not None else "" for h in header]
        taken: set[int] = set()
        for f in self.sheet.fields:
            pos = layout.columns[f.name]
            if pos < len(found) and found[pos] == fold(layout.headers[f.name]):
                self.columns[f.name] = pos
                taken.add(pos)
        ok = True
        moved: list[str] = []
        for f in self.sheet.fields:
            if f.name in self.columns:
                continue
            pos, label = layout.columns[f.name], layout.headers[f.name]
            hits = [i for i, h in enumerate(found) if h == fold(label) and i not in taken]
            if not hits:
                ok = False
                cell = f"{self.name}!{xl_col_to_name(pos)}{layout.header_row}"
                value = header[pos] if pos < len(header) and header[pos] is not None else ""
                self.issues.one(
                    FormIssueCode.STRUCTURE_CHANGED,
                    msg("issue.header_missing", self.lang, header=label, cell=cell),
                    sheet=self.name,
                    cell=cell,
                    row=layout.header_row,
                    column=label,
                    value=str(value),
                )
                continue
            self.columns[f.name] = hits[0]
            taken.add(hits[0])
            moved.append(f"'{label}' {xl_col_to_name(pos)}→{xl_col_to_name(hits[0])}")
        if moved:  # one warning for the sheet: an inserted column moves every column after it
            first = min(
                self.columns[f.name]
                for f in self.sheet.fields
                if f.name in self.columns and self.columns[f.name] != layout.columns[f.name]
            )
            self.issues.one(
                FormIssueCode.STRUCTURE_CHANGED,
                msg("issue.header_moved", self.lang, headers=", ".join(moved)),
                severity=C.WARNING,
                sheet=self.name,
                cell=f"{self.name}!{xl_col_to_name(first)}{layout.header_row}",
                row=layout.header_row,
                column=", ".join(m.split("'")[1] for m in moved),
            )
        return ok

    def extra_columns(self, header: list[Any]) -> None:
        """Report columns that are not part of the form (with their filled cells, which are not read)."""
        used = set(self.columns.values())
        for col in sorted(set(self.texts) | set(range(len(header))) - used):
            if col in used:
                continue
            filled = int(self.texts[col][0].notna().sum()) if col in self.texts else 0
            head = header[col] if col < len(header) else None
            if filled == 0 and (head is None or str(head).strip() == ""):
                continue
            shown = str(head) if head is not None else xl_col_to_name(col)
            self.issues.one(
                FormIssueCode.STRUCTURE_CHANGED,
                msg("issue.extra_column", self.lang, header=shown, n=filled),
                severity=C.WARNING,
                sheet=self.name,
                cell=f"{self.name}!{xl_col_to_name(col)}{self.layout.header_row}",
                row=self.layout.header_row,
                column=shown,
            )

    def identify_rows(self) -> None:
        """Match rows to the form's rows by their key; report unexpected, duplicate and missing rows."""
        layout, sheet, lang = self.layout, self.sheet, self.lang
        keys = [layout.shown[k] for k in sheet.key_fields]
        expected = pd.Index(["\x1f".join(parts) for parts in zip(*keys, strict=True)], dtype="str")
        key_text = self.text_of(sheet.key_fields[0])[0].fillna("")
        for k in sheet.key_fields[1:]:
            key_text = key_text + "\x1f" + self.text_of(k)[0].fillna("")
        self.position = expected.get_indexer(pd.Index(key_text)) if self.n else np.zeros(0, dtype=np.intp)
        shown = key_text.str.replace("\x1f", " ", regex=False)
        first = sheet.key_fields[0]
        unexpected = self.position < 0
        self.report(
            first,
            unexpected,
            FormIssueCode.UNEXPECTED_ROW,
            self.per_value(shown, lambda k: msg("issue.unexpected_row", lang, key=k)),
            shown,
        )
        duplicate = pd.Series(self.position).duplicated(keep="first").to_numpy() & ~unexpected
        if duplicate.any():
            first_row = pd.Series(self.rows).groupby(self.position).transform("first").to_numpy()
            messages = np.full(self.n, "", dtype=object)
            for i in np.flatnonzero(duplicate):  # only the duplicate rows, typically none or one
                messages[i] = msg("issue.duplicate_row", lang, key=shown.iloc[i], first=first_row[i])
            self.report(first, duplicate, FormIssueCode.DUPLICATE_ROW, messages, shown)
        self.matched = ~unexpected & ~duplicate
        self.missing[self.position[self.matched]] = False
        for i in np.flatnonzero(self.missing):  # rows of the form not in the file: one issue each
            key = " ".join(layout.shown[k][i] for k in sheet.key_fields)
            self.issues.one(
                FormIssueCode.ROW_MISSING,
                msg("issue.row_missing", lang, key=key),
                sheet=self.name,
                column=layout.headers[first],
                value=key,
            )

    def check_fixed(self) -> None:
        """Report fixed cells that no longer say what gcdb wrote (the form's values are used)."""
        at = np.where(self.matched, self.position, 0)
        for f in self.sheet.fixed_fields:
            if f.key:
                continue
            found = self.text_of(f.name)[0].fillna("")
            want = pd.Series(np.asarray(self.layout.shown[f.name], dtype=object)[at], dtype="str")
            changed = self.matched & (found.str.strip() != want.str.strip()).to_numpy(dtype=bool)
            messages = self.per_value(want, lambda w: msg("issue.fixed_changed", self.lang, expected=w))
            self.report(
                f.name, changed, FormIssueCode.FIXED_CELL_CHANGED, messages, found, severity=C.WARNING
            )

    def parse_fill(self, formulas: set[tuple[int, int]]) -> None:
        """Type every fill-in column; then required fields and ``required_if`` rules of filled rows."""
        sheet, lang = self.sheet, self.lang
        self.parsed: dict[str, Parsed] = {}
        self.personal: dict[str, np.ndarray] = {}
        at = np.where(self.matched, self.position, 0)
        for f in sheet.fill_fields:
            t, typed = self.text_of(f.name)
            kinds = None
            if f.kind_from is not None:
                codes = np.asarray(self.layout.fixed[f.kind_from], dtype=object)[at]
                kinds = np.where(self.matched, codes, FieldKind.DECIMAL.value).astype(str)
            p = parse_field(f, sheet, t, typed, kinds, lang)
            self.parsed[f.name] = p
            for finding in p.findings:
                values = t
                if finding.code == str(IssueCode.PERSONAL_DATA):
                    self.personal[f.name] = finding.mask
                    values = masked_texts(t, finding.mask)
                self.report(f.name, finding.mask, finding.code, finding.message, values, finding.severity)
            col = self.columns[f.name]
            in_formula = np.isin(self.rows, [r for r, c in formulas if c == col])
            self.report(
                f.name,
                in_formula & ~p.blank,
                FormIssueCode.FORMULA_IN_CELL,
                msg("issue.formula", lang),
                t,
                severity=C.WARNING,
            )
            self.report(
                f.name,
                in_formula & p.blank,
                FormIssueCode.FORMULA_IN_CELL,
                msg("issue.formula_no_value", lang),
                t,
            )
        self.filled = np.zeros(self.n, dtype=bool)
        for p in self.parsed.values():
            self.filled |= ~p.blank
        nothing = pd.Series([""] * self.n, dtype="str")
        for f in sheet.fill_fields:
            p = self.parsed[f.name]
            if f.required:
                self.report(
                    f.name,
                    self.filled & p.blank,
                    IssueCode.MISSING_VALUE,
                    msg("issue.required", lang, header=self.layout.headers[f.name]),
                    nothing,
                )
            for rule in f.required_if:
                holds = condition_holds(sheet.field(rule.when.field), rule.when, self.parsed[rule.when.field])
                self.report(
                    f.name,
                    self.filled & holds & p.blank,
                    FormIssueCode.REQUIRED_IF,
                    rule.message.get(lang),
                    nothing,
                )

    def split(self, accepted: bool) -> SheetResult:
        """Valid rows to ``data``, rows with errors (all rows of a refused copy) to ``quarantine``."""
        sheet = self.sheet
        if not accepted:
            self.row_error = np.ones(self.n, dtype=bool)
            self.row_codes.append((self.row_error, str(FormIssueCode.IDENTITY_MISMATCH)))
        valid = ~self.row_error
        at = np.where(self.matched, self.position, 0)
        data = pd.DataFrame(
            {
                **{
                    k: v[valid].reset_index(drop=True)
                    for k, v in fixed_values(sheet, self.layout, at).items()
                },
                **{
                    f.name: self.parsed[f.name].values[valid].reset_index(drop=True)
                    for f in sheet.fill_fields
                },
            }
        )
        data[FILLED] = self.filled[valid]
        data[ROW_INDEX] = self.position[valid].astype(np.int64)
        data[SOURCE_ROW] = self.rows[valid]
        raw = {}
        for f in sheet.fields:
            t = self.text_of(f.name)[0]
            raw[f.name] = masked_texts(t, self.personal[f.name]) if f.name in self.personal else t
        quarantine = self._quarantine(pd.DataFrame(raw), self.row_error)
        return SheetResult(
            data, quarantine, self._missing_rows(), self._counts(data, quarantine), self.columns
        )

    # -- whole sheet ------------------------------------------------------------------------------------------
    def read(self, book, book_f, accepted: bool) -> SheetResult:
        if self.name not in book.sheetnames:
            self.issues.one(
                FormIssueCode.SHEET_MISSING,
                msg("issue.sheet_missing", self.lang, sheet=self.name, n=self.layout.n_rows),
                sheet=self.name,
            )
            self.blank_rows = 0
            return self._refused(None)
        header = self.load(book)
        if not self.locate(header):  # a column is missing: nothing of the sheet can be trusted
            raw = pd.DataFrame({j: t for j, (t, _) in self.texts.items()})
            raw.columns = [
                str(header[j]) if j < len(header) and header[j] is not None else xl_col_to_name(j)
                for j in self.texts  # (the columns of raw)
            ]
            self.row_codes = [(np.ones(self.n, dtype=bool), str(FormIssueCode.STRUCTURE_CHANGED))]
            return self._refused(raw)
        self.extra_columns(header)
        self.identify_rows()
        self.check_fixed()
        fill_cols = {self.columns[f.name] for f in self.sheet.fill_fields}
        self.parse_fill(_formula_cells(book_f, self.layout, fill_cols) if self.n else set())
        return self.split(accepted)

    def _refused(self, raw: pd.DataFrame | None) -> SheetResult:
        data = pd.DataFrame(
            {
                **{f.name: pd.Series(dtype="str") for f in self.sheet.fields},
                FILLED: pd.Series(dtype=bool),
                ROW_INDEX: pd.Series(dtype="int64"),
                SOURCE_ROW: pd.Series(dtype="int64"),
            }
        )
        raw = pd.DataFrame(index=range(self.n)) if raw is None else raw
        quarantine = self._quarantine(raw, np.ones(len(raw), dtype=bool))
        return SheetResult(data, quarantine, self._missing_rows(), self._counts(data, quarantine), {})

    def _quarantine(self, raw: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
        codes = np.full(len(raw), "", dtype=object)
        for m, code in self.row_codes:
            codes = np.where(m & (codes == ""), code, np.where(m, codes + "|" + code, codes))
        out = raw[mask].reset_index(drop=True)
        out[SOURCE_ROW] = self.rows[mask] if len(self.rows) == len(raw) else pd.Series(dtype="int64")
        out[ISSUE_CODES] = pd.Series(codes[mask], dtype="str")
        return out

    def _missing_rows(self) -> pd.DataFrame:
        index = np.flatnonzero(self.missing)
        out = pd.DataFrame(fixed_values(self.sheet, self.layout, index))
        out[ROW_INDEX] = index.astype(np.int64)
        return out

    def _counts(self, data: pd.DataFrame, quarantine: pd.DataFrame) -> dict[str, Any]:
        return {
            SHEET: self.sheet.key,
            "form_rows": self.layout.n_rows,
            "rows_read": len(data) + len(quarantine),
            "valid": len(data),
            "quarantined": len(quarantine),
            FILLED: int(data[FILLED].sum()) if len(data) else 0,
            "missing": int(self.missing.sum()),
            "blank_rows": getattr(self, "blank_rows", 0),
        }


def _formula_cells(book_f, layout: SheetLayout, cols: set[int]) -> set[tuple[int, int]]:
    """(sheet row, 0-based column) of the formula cells among ``cols``."""
    found = set()
    for row in book_f[layout.name].iter_rows(min_row=layout.first_row):
        for cell in row:
            if getattr(cell, "data_type", None) == "f" and cell.column - 1 in cols:
                found.add((cell.row, cell.column - 1))
    return found
