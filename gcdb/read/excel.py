"""Reading one sheet of an .xlsx workbook safely: bounded, the right sheet, no silent zeros.

* **Which sheet.** ``sheet=None`` reads the first *visible* sheet (a hidden first sheet is passed over); a name
  (Turkish-folded match), a 0-based ``int`` index, or a text number counted from 1 (``"2"``, when no sheet has
  that name — what ``--sheet 2`` passes) picks another. :class:`SheetChoice` says which sheet was read and lists
  the others, hidden ones marked, so the reader can always say it.
* **Bounded.** The zip directory and the sheet's declared dimension are checked before anything is unpacked
  (:mod:`gcdb.read.limits`), and the cells met while reading are counted (a dimension can lie).
* **Formulas without a cached value.** openpyxl returns ``None`` for a formula cell whose result was never
  computed and saved (files written by programs, not by Excel): that would read as an empty cell — 0 kuruş. The
  sheet's XML is scanned (only when it holds formulas at all) for ``<f>`` cells without a ``<v>``; each is an
  error naming the cell (``D7``).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from gcdb.i18n import Message
from gcdb.read.limits import LimitExceeded, ReadLimits, check_dimension, check_zip, too_many_cells
from gcdb.text import fold

_EMPTY: list = []  # shared by every empty row (never changed in place)
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")


@dataclass(frozen=True)
class SheetChoice:
    """The sheet read: ``name``; ``others`` the other sheets in workbook order; ``hidden`` those hidden;
    ``passed_over_hidden`` True when the first sheet was hidden and a later visible one was read."""

    name: str
    others: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    passed_over_hidden: bool = False
    chosen: bool = False


@dataclass
class SheetCells:
    """What :func:`read_sheet` returns: the rows (lists of typed cells), the choice, and the formula cells
    without a cached value as ``(row, column, ref)`` (1-based row and column)."""

    rows: list[list[object]]
    choice: SheetChoice
    formulas: list[tuple[int, int, str]] = field(default_factory=list)


def _pick(book, sheet: str | int | None) -> tuple[Any, SheetChoice]:  # (openpyxl is untyped)
    names = list(book.sheetnames)
    states = [getattr(ws, "sheet_state", "visible") for ws in book.worksheets]
    hidden = tuple(n for n, s in zip(names, states, strict=True) if s != "visible")
    listing = _listing(names, hidden)
    if sheet is None:
        visible = [i for i, s in enumerate(states) if s == "visible"]
        index = visible[0] if visible else 0
    elif isinstance(sheet, bool) or not isinstance(sheet, int | str):
        raise ValueError(Message("read.sheet_type", sheet=repr(sheet)))
    elif isinstance(sheet, int):
        if not -len(names) <= sheet < len(names):
            raise ValueError(Message("read.no_sheet_number", sheet=sheet, n=len(names), sheets=listing))
        index = sheet % len(names)
    else:
        matches = [i for i, n in enumerate(names) if n == sheet] or [
            i for i, n in enumerate(names) if fold(n) == fold(sheet)
        ]
        if not matches and sheet.strip().isdigit() and 1 <= int(sheet) <= len(names):
            matches = [int(sheet) - 1]  # "2": the second sheet, counted from 1, when no sheet is named "2"
        if not matches:
            raise ValueError(Message("read.no_sheet", sheet=repr(sheet), sheets=listing))
        index = matches[0]
    name = names[index]
    choice = SheetChoice(
        name=name,
        others=tuple(n for n in names if n != name),
        hidden=hidden,
        passed_over_hidden=sheet is None and index > 0 and states[0] != "visible",
        chosen=sheet is not None,
    )
    return book.worksheets[index], choice


def _formulas_without_value(zf: zipfile.ZipFile, member: str) -> list[tuple[int, int, str]]:
    """Formula cells of a sheet's XML that have no cached value (streamed; skipped when there is no ``<f``)."""
    with zf.open(member) as fh:
        has_formula = False
        tail = b""
        while block := fh.read(1 << 20):
            if b"<f" in tail + block or b":f" in tail + block:
                has_formula = True
                break
            tail = block[-8:]
    if not has_formula:
        return []
    out: list[tuple[int, int, str]] = []
    with zf.open(member) as fh:
        for _, elem in ElementTree.iterparse(fh, events=("end",)):
            if not elem.tag.endswith("}c") and elem.tag != "c":
                if elem.tag.endswith("}row") or elem.tag == "row":
                    elem.clear()
                continue
            f = v = None
            for child in elem:
                local = child.tag.rsplit("}", 1)[-1]
                if local == "f":
                    f = child
                elif local == "v":
                    v = child
            if f is not None and (v is None or not (v.text or "").strip()):
                ref = elem.get("r") or ""
                m = _CELL_REF.fullmatch(ref)
                if m:
                    col = 0
                    for ch in m.group(1):
                        col = col * 26 + ord(ch) - 64
                    out.append((int(m.group(2)), col, ref))
    return out


def read_sheet(path: Path, sheet: str | int | None, limits: ReadLimits) -> SheetCells:
    """Rows of typed cells of one sheet (see the module docstring). Raises :class:`ValueError` for a broken
    workbook or an unknown sheet and :class:`~gcdb.read.limits.LimitExceeded` beyond a limit."""
    import openpyxl

    zf = check_zip(path, limits)
    try:
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise ValueError(Message("read.xlsx_unreadable", error=f"{type(exc).__name__}: {exc}")) from exc
        try:
            ws, choice = _pick(book, sheet)
            member = getattr(ws, "_worksheet_path", None)
            if member:
                member = member.lstrip("/")
                check_dimension(zf, member, choice.name, limits)
            ws.reset_dimensions()  # rows as they are: neither padded to nor cut at a (possibly lying) dimension
            rows: list[list[object]] = []
            cells = 0
            width = 0
            try:
                for r in ws.iter_rows(values_only=True):
                    rows.append(list(r) if r else _EMPTY)
                    cells += len(r)
                    width = max(width, len(r))
                    if cells > limits.max_cells or len(rows) * max(width, 1) > limits.max_cells * 4:
                        raise too_many_cells(choice.name, len(rows), width, limits)
            except LimitExceeded:
                raise
            except Exception as exc:
                raise ValueError(
                    Message(
                        "read.sheet_damaged", sheet=repr(choice.name), error=f"{type(exc).__name__}: {exc}"
                    )
                ) from exc
            if len(rows) * max(width, 1) > limits.max_cells:
                raise too_many_cells(choice.name, len(rows), width, limits)
        finally:
            book.close()
        formulas = _formulas_without_value(zf, member) if member else []
    except (zipfile.BadZipFile, EOFError, OSError, ElementTree.ParseError) as exc:
        raise ValueError(Message("read.xlsx_unreadable", error=f"{type(exc).__name__}: {exc}")) from exc
    finally:
        zf.close()
    return SheetCells(rows=rows, choice=choice, formulas=formulas)


def sheet_notes(source: str, choice) -> tuple[dict, ...]:
    """A warning saying which sheet was read when the workbook holds others (or hid its first sheet)."""
    if not choice.others or choice.chosen:
        return ()
    listing = _listing(choice.others, choice.hidden)
    key = "read.sheet_chosen.hidden_first" if choice.passed_over_hidden else "read.sheet_chosen"
    return (
        {
            "file": source,
            "code": "sheet_chosen",
            "row": None,
            "column": "",
            "message": Message(key, sheet=repr(choice.name), sheets=listing),
            "value": choice.name,
        },
    )


def _listing(names, hidden) -> str:
    """``'Özet', 'Veri' (gizli)``: sheet names, the hidden ones marked, in the current language."""
    from gcdb.i18n import t

    mark = t("read.hidden")
    return ", ".join(repr(n) + (f" ({mark})" if n in hidden else "") for n in names)
