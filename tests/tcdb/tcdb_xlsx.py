"""Read a written TCDB workbook back with openpyxl and recompute its formulas from the sheet cells.

The evaluator understands exactly the formula shapes the TCDB workbook writes; :meth:`Book.recompute` raises on any
other shape, so a test over every formula cell also proves there is no formula the auditor cannot follow.

* ``SUMIFS(sum_range, range, criterion, …)`` — criteria: a number, ``"=text"`` (case-insensitive, ``~`` escapes),
  ``"="`` (blank cells);
* ``SUBTOTAL(109, range)`` — the rows not hidden; ``SUM(range)``;
* ``IF(x=0,"",a/b)`` — a ratio of any of these or of cell references;
* ``IF(ABS((a)-(b+c…))<=tol,"ok","not ok")`` — a check cell; ``IF(a>=b,"ok","not ok")`` — a floor cell.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string

_REF = re.compile(r"^(?:'((?:[^']|'')+)'!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")
_CALL = re.compile(r"^([A-Z]+)\((.*)\)$", re.S)


def split_args(text: str, sep: str = ",") -> list[str]:
    """Split at ``sep`` outside quotes and parentheses (sheet names are in single quotes)."""
    out, depth, current, quote = [], 0, [], None
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            out.append("".join(current))
            current = []
            continue
        current.append(ch)
    out.append("".join(current))
    return out


def unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a string literal: {text!r}")
    return text[1:-1].replace('""', '"')


@dataclass
class Evaluated:
    sheet: str
    cell: str
    formula: str
    kind: str  # sum, ratio, check, status
    recomputed: object
    cached: object


class Book:
    """A workbook read twice: formulas (``f``) and cached values (``v``)."""

    def __init__(self, source: str | Path | bytes):
        data = Path(source).read_bytes() if not isinstance(source, bytes) else source
        self.f = openpyxl.load_workbook(io.BytesIO(data))
        self.v = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        self._formulas: list[Evaluated] | None = None
        self._grids: dict[str, list[tuple]] = {}

    @property
    def sheetnames(self) -> list[str]:
        return self.f.sheetnames

    # -- references ------------------------------------------------------------------------------------------
    def cells(self, ref: str, sheet: str) -> tuple[str, list[tuple[int, int]]]:
        m = _REF.match(ref.strip())
        if not m:
            raise ValueError(f"not a reference: {ref!r}")
        name = m.group(1).replace("''", "'") if m.group(1) else sheet
        c1, r1 = column_index_from_string(m.group(2)), int(m.group(3))
        c2, r2 = (column_index_from_string(m.group(4)), int(m.group(5))) if m.group(4) else (c1, r1)
        return name, [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    def value(self, sheet: str, row: int, col: int):
        grid = self._grids.get(sheet)
        if grid is None:
            ws = self.v[sheet]
            grid = self._grids[sheet] = list(
                ws.iter_rows(
                    min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True
                )
            )
        try:
            return grid[row - 1][col - 1]
        except IndexError:
            return None

    def number(self, ref: str, sheet: str) -> float:
        name, cells = self.cells(ref, sheet)
        ((row, col),) = cells
        value = self.value(name, row, col)
        return 0.0 if value in (None, "") else float(value)

    # -- functions -------------------------------------------------------------------------------------------
    @staticmethod
    def matches(value, criterion: str) -> bool:
        criterion = criterion.strip()
        if criterion.startswith('"'):
            text = unquote(criterion)
            if not text.startswith("="):
                raise ValueError(f"criterion without '=': {criterion!r}")
            text = text[1:]
            if text == "":
                return value is None or value == ""
            text = text.replace("~*", "*").replace("~?", "?").replace("~~", "~")
            if isinstance(value, int | float) and not isinstance(value, bool):
                try:
                    return float(value) == float(text)
                except ValueError:
                    return False
            return isinstance(value, str) and value.upper().casefold() == text.upper().casefold()
        number = float(criterion)
        return isinstance(value, int | float) and not isinstance(value, bool) and float(value) == number

    def sumifs(self, args: list[str], sheet: str) -> float:
        name, target = self.cells(args[0], sheet)
        keep = [True] * len(target)
        for i in range(1, len(args), 2):
            crit_sheet, crit_cells = self.cells(args[i], sheet)
            assert len(crit_cells) == len(target), f"SUMIFS ranges differ in size: {args}"
            for j, (r, c) in enumerate(crit_cells):
                keep[j] = keep[j] and self.matches(self.value(crit_sheet, r, c), args[i + 1])
        total = 0.0
        for (r, c), k in zip(target, keep, strict=True):
            value = self.value(name, r, c)
            if k and isinstance(value, int | float) and not isinstance(value, bool):
                total += float(value)
        return total

    def subtotal(self, args: list[str], sheet: str) -> float:
        assert args[0].strip() == "109", f"only SUBTOTAL(109, …) is written, got {args}"
        name, cells = self.cells(args[1], sheet)
        dims = self.f[name].row_dimensions
        total = 0.0
        for r, c in cells:
            value = self.value(name, r, c)
            if not dims[r].hidden and isinstance(value, int | float) and not isinstance(value, bool):
                total += float(value)
        return total

    def term(self, text: str, sheet: str) -> float:
        text = text.strip()
        m = _CALL.match(text)
        if m:
            func, args = m.group(1), split_args(m.group(2))
            if func == "SUMIFS":
                return self.sumifs(args, sheet)
            if func == "SUBTOTAL":
                return self.subtotal(args, sheet)
            if func == "SUM":
                name, cells = self.cells(args[0], sheet)
                return sum(
                    float(v)
                    for r, c in cells
                    if isinstance(v := self.value(name, r, c), int | float) and not isinstance(v, bool)
                )
            raise ValueError(f"unexpected function {func} in {text!r}")
        if text.startswith("(") and text.endswith(")"):
            return self.term(text[1:-1], sheet)
        parts = split_args(text, "+")
        if len(parts) > 1:
            return sum(self.term(p, sheet) for p in parts)
        return self.number(text, sheet)

    def recompute(self, sheet: str, formula: str) -> tuple[str, object]:
        """The kind of a formula and the value recomputed from the cells."""
        text = formula[1:] if formula.startswith("=") else formula
        m = _CALL.match(text)
        if m and m.group(1) in ("SUMIFS", "SUBTOTAL", "SUM"):
            return "sum", self.term(text, sheet)
        if m and m.group(1) == "IF":
            cond, yes, no = split_args(m.group(2))
            if cond.endswith("=0") and unquote(yes) == "":
                num, den = split_args(no, "/")
                d = self.term(cond[:-2], sheet)
                return "ratio", None if d == 0 else self.term(num, sheet) / d
            am = re.match(r"^ABS\(\((.*)\)-\((.*)\)\)<=([0-9.]+)$", cond)
            if am:
                left, right = self.term(am.group(1), sheet), self.term(am.group(2), sheet)
                return "check", unquote(yes) if abs(left - right) <= float(am.group(3)) else unquote(no)
            ge = split_args(cond, ">")
            if len(ge) == 2 and ge[1].startswith("="):
                ok = self.term(ge[0], sheet) >= self.term(ge[1][1:], sheet)
                return "status", unquote(yes) if ok else unquote(no)
        raise ValueError(f"sheet {sheet!r}: unexpected formula {formula!r}")

    def formulas(self) -> list[Evaluated]:
        """Every formula cell of the workbook, recomputed (computed once per book)."""
        if self._formulas is not None:
            return self._formulas
        out = []
        for ws in self.f.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        kind, value = self.recompute(ws.title, cell.value)
                        cached = self.v[ws.title][cell.coordinate].value
                        out.append(Evaluated(ws.title, cell.coordinate, cell.value, kind, value, cached))
        self._formulas = out
        return out

    # -- tables ----------------------------------------------------------------------------------------------
    def table(self, sheet: str, title: str) -> tuple[list[str], list[list], list[int]]:
        """Headers, rows (cached values) and row numbers of the table written under ``title`` on ``sheet``."""
        ws = self.v[sheet]
        start = next(
            (cell.row for row in ws.iter_rows(max_col=1) for cell in row if cell.value == title), None
        )
        if start is None:
            raise KeyError(f"no table titled {title!r} on sheet {sheet!r}")
        header = start + 1
        while ws.cell(header, 1).value is None or ws.cell(header, 1).font.b is not True:
            header += 1
        headers = []
        col = 1
        while ws.cell(header, col).value is not None:
            headers.append(ws.cell(header, col).value)
            col += 1
        rows, numbers = [], []
        r = header + 1
        while any(ws.cell(r, c).value is not None for c in range(1, len(headers) + 1)):
            rows.append([ws.cell(r, c).value for c in range(1, len(headers) + 1)])
            numbers.append(r)
            r += 1
        return headers, rows, numbers
