"""Budgets as they are published: the Ödenek Cetveli, the Ayrıntılı Harcama Programı and execution reports.

A council adopts its budget as the **(A) Ödenek Cetveli** (Örnek-14); quarterly spending plans come as the
**Ayrıntılı Harcama Programı** (AHP, Örnek-27); execution reports add the revised appropriation and spending. All
print the code split over level columns::

    KURUMSAL I–IV | FONKSİYONEL I–IV | FİN. TİPİ | EKONOMİK I–IV | AÇIKLAMA | amount column(s)

under a header of one or two rows (group names, then the level numerals I, II, III, IV), and around the budget
lines they print title rows, a heading or subtotal row for each code level (the department, the function …), the
header again on every page, and GENEL TOPLAM at the end. A code is written only where it changes: blank level
cells carry the code of the rows above, until a higher level changes.

:func:`read_published_budget` reads such a sheet (.xlsx, or a .csv export) into the canonical budget lines and
validates them like :func:`gcdb.read_budget`. Every source row is accounted for: a budget line (valid or
quarantined), or **skipped** with a reason (``blank``, ``title``, ``subtotal``, ``total``, ``page_header``,
``note``); ``reconciliation`` reads ``read == valid + quarantined + skipped`` for rows. Subtotal and GENEL TOPLAM
rows are checked against the lines they total: a mismatch is a warning naming the row.

Layouts (``layout=``): ``odenek_cetveli`` (one amount per year: the appropriation; the revised appropriation is
read as equal to it and expenditure as 0, as at adoption), ``ahp`` (an annual column and/or four quarter columns;
the quarters must add up to the annual amount), ``execution`` (initial, revised and spent columns), or ``auto``.
Several years side by side (a year per column group, "2023 YILI … | 2024 YILI …") give one line per year.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from gcdb import columns as C
from gcdb.errors import DataValidationError, IssueCode, UsageError, concat_issues, issues_frame
from gcdb.i18n import Message, format_int, speaks, t
from gcdb.read.aliases import BUDGET
from gcdb.read.grid import Grid, read_grid
from gcdb.read.numbers import (
    DECIMAL_COMMA,
    DECIMAL_POINT,
    detect_decimal,
    format_kurus,
    parse_kurus,
    prepare_numbers,
)
from gcdb.read.result import RawTable, ReadResult, skipped_frame

ODENEK_CETVELI, AHP, EXECUTION, TIDY, AUTO = "odenek_cetveli", "ahp", "execution", "tidy", "auto"
LAYOUTS = (AUTO, ODENEK_CETVELI, AHP, EXECUTION, TIDY)
PUBLISHED_LAYOUTS = (ODENEK_CETVELI, AHP, EXECUTION)

INST, FUNC, FIN, ECON, DESC = "institutional", "functional", "financing", "economic", "description"
#: Digits per level of each code dimension (the financing type is one level of one digit).
WIDTHS = {INST: (2, 2, 2, 2), FUNC: (2, 1, 1, 2), FIN: (1,), ECON: (2, 1, 1, 2)}
#: The order codes nest in: a change at one level resets every level after it.
ORDER = (INST, FUNC, FIN, ECON)
CANONICAL_CODE = {
    INST: C.INSTITUTIONAL_CODE,
    FUNC: C.FUNCTIONAL_CODE,
    FIN: C.FINANCING_TYPE,
    ECON: C.ECONOMIC_CODE,
}
HEADER_SEARCH_ROWS = 40
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER_WORD = re.compile(r"\b(i{1,3}|iv|[1-4])\s*\.?\s*(?:ceyrek|donem|uc aylik)")
_QUARTER_MONTH = {"ocak": 1, "nisan": 2, "temmuz": 3, "ekim": 4}
_YEAR = re.compile(r"\b(19[5-9][0-9]|20[0-9]{2}|2100)\b")
_TOTAL_WORDS = ("genel toplam", "toplam", "yekun", "nakli yekun", "sayfa toplami", "devreden", "devir")
_NOTE = re.compile(r"^(?:not|notlar|aciklama|kaynak|\*|\(\d+\))\b[: ]?")
INITIAL, REVISED, SPENT, QUARTER, IGNORED = "initial", "revised", "spent", "quarter", "ignored"


# ---------------------------------------------------------------------------------------------------------------
# the header: which column is which
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AmountColumn:
    column: int
    header: str
    year: int | None
    phase: str  # INITIAL, REVISED, SPENT, QUARTER, IGNORED
    quarter: int | None = None


@dataclass(frozen=True)
class Header:
    """Where the header is (grid positions ``top`` … ``top + height − 1``) and what each column holds."""

    top: int
    height: int
    codes: tuple[tuple[str, int, int], ...]  # (dimension, level 1-based, column), nesting order
    description: int | None
    amounts: tuple[AmountColumn, ...]

    @property
    def layout(self) -> str:
        phases = {a.phase for a in self.amounts}
        if QUARTER in phases:
            return AHP
        if phases & {REVISED, SPENT}:
            return EXECUTION
        return ODENEK_CETVELI

    @property
    def years(self) -> tuple[int | None, ...]:
        return tuple(dict.fromkeys(a.year for a in self.amounts if a.phase != IGNORED))


def _dimension(folded: str | None) -> str | None:
    if not folded:
        return None
    if "kurumsal" in folded:
        return INST
    if "fonksiyonel" in folded:
        return FUNC
    if "finans" in folded or re.match(r"^fin\b", folded):
        return FIN
    if "ekonomik" in folded:
        return ECON
    if folded.startswith("aciklama") or folded in ("tertip adi", "adi", "harcama kalemi"):
        return DESC
    return None


def _level(folded: str | None) -> int | None:
    """I, II, III, IV (or 1–4) alone, or at the end of a group name (``KURUMSAL II``)."""
    if not folded:
        return None
    last = folded.replace(".", " ").split()[-1] if folded.strip() else ""
    if last in _ROMAN:
        return _ROMAN[last]
    if last in ("1", "2", "3", "4") and len(folded.split()) <= 2:
        return int(last)
    return None


def _phase(folded: str) -> tuple[str, int | None]:
    m = _QUARTER_WORD.search(folded)
    if m:
        q = m.group(1)
        return QUARTER, _ROMAN.get(q) or int(q)
    for month, q in _QUARTER_MONTH.items():
        if folded.startswith(month) or f" {month}" in folded:
            return QUARTER, q
    if any(
        w in folded
        for w in ("eklenen", "dusulen", "aktarma", "ek odenek", "serbest", "iptal", "kalan", "oran", "%")
    ):
        return IGNORED, None
    if any(w in folded for w in ("revize", "yil sonu", "yilsonu", "guncel", "toplam odenek")):
        return REVISED, None
    if any(w in folded for w in ("harcama", "gerceklesme", "harcanan", "odenen")):
        return SPENT, None
    if any(
        w in folded for w in ("odenek", "baslangic", "butce", "tahmin", "tutar", "yillik", "toplam", "tl")
    ):
        return INITIAL, None
    if _YEAR.search(folded):
        return INITIAL, None
    return IGNORED, None


def find_header(grid: Grid) -> Header | None:
    """The header of a published layout, or ``None`` when the sheet has none (a tidy table)."""
    folded = grid.folded()
    n = min(len(folded), HEADER_SEARCH_ROWS)
    for top in range(n):
        row = [folded.iat[top, j] for j in range(folded.shape[1])]
        dims = [_dimension(c if isinstance(c, str) else None) for c in row]
        if INST not in dims or ECON not in dims:
            continue
        below_cells = (
            [folded.iat[top + 1, j] for j in range(folded.shape[1])]
            if top + 1 < len(folded)
            else [None] * len(row)
        )
        below: list[str | None] = [c if isinstance(c, str) else None for c in below_cells]
        has_level_row = sum(_level(c) is not None and len(c.split()) == 1 for c in below if c) >= 3
        header = _columns(
            grid, top, row, below if has_level_row else [None] * len(row), 2 if has_level_row else 1
        )
        if any(level > 1 for _, level, _ in header.codes):  # codes split over level columns: published
            return header
        return None  # "Kurumsal Kod | … | Ekonomik Kod": a tidy table
    return None


def _columns(grid: Grid, top: int, row: list, below: list, height: int) -> Header:
    def raw(i: int) -> list[str | None]:
        return [v if isinstance(v, str) else None for v in grid.cells.iloc[i].tolist()]

    raw_top = raw(top)
    raw_below = raw(top + 1) if height == 2 else [None] * len(row)
    codes: list[tuple[str, int, int]] = []
    description = None
    amounts: list[AmountColumn] = []
    group_dim, group_text, group_raw = None, None, None
    for j, cell in enumerate(row):
        cell = cell if isinstance(cell, str) else None
        if cell:
            group_dim, group_text, group_raw = _dimension(cell), cell, raw_top[j]
        level = _level(below[j]) if below[j] else (_level(cell) if cell and _dimension(cell) else None)
        dim = _dimension(cell) if cell else (group_dim if level is not None or group_dim is None else None)
        if dim in (INST, FUNC, ECON) and level is not None:
            codes.append((dim, level, j))
        elif dim == FIN and not any(d == FIN for d, _, _ in codes):
            codes.append((FIN, 1, j))
        elif dim == DESC and description is None:
            description = j
        elif dim is None:
            own = below[j] or ""
            group = group_text if group_dim is None and group_text else ""
            text = f"{group} {own}".strip()
            if not text:
                continue
            header = " ".join(
                str(t)
                for t in (group_raw if group else None, raw_below[j] or (raw_top[j] if not group else None))
                if t
            )
            years = _YEAR.findall(text)
            phase, quarter = _phase(text)
            amounts.append(AmountColumn(j, header or text, int(years[0]) if years else None, phase, quarter))
    order = {d: i for i, d in enumerate(ORDER)}
    codes.sort(key=lambda t: (order[t[0]], t[1]))
    named_years = {a.year for a in amounts if a.year is not None and a.phase != IGNORED}
    if len(named_years) == 1:  # "2024 YILLIK ÖDENEK | I. ÇEYREK …": the year holds for every column
        year = named_years.pop()
        amounts = [dataclasses.replace(a, year=year) if a.year is None else a for a in amounts]
    return Header(top, height, tuple(codes), description, tuple(amounts))


# ---------------------------------------------------------------------------------------------------------------
# rows: data, subtotal, total, title, note, page header, blank
# ---------------------------------------------------------------------------------------------------------------
def _carry_down(
    cells: pd.DataFrame, codes: tuple[tuple[str, int, int], ...], written: np.ndarray
) -> pd.DataFrame:
    """Each code column with blanks filled from the rows above, until a column before it (a higher level) is
    written again. ``written``: (rows, codes) mask of the cells that hold a code. Vectorised: one grouped forward
    fill per column."""
    filled = {}
    written_before = np.zeros(len(cells), dtype=bool)
    for k, (_, _, j) in enumerate(codes):
        col = cells.iloc[:, j].str.strip().where(written[:, k])
        group = np.cumsum(written_before)
        filled[k] = col.groupby(group).ffill()
        written_before = written_before | written[:, k]
    return pd.DataFrame(filled, index=cells.index)


def _joined_code(parts: list[pd.Series], widths: tuple[int, ...]) -> pd.Series:
    """Level cells → dotted code (``46``,``34``,``1``,``2`` → ``46.34.01.02``); levels the layout does not print
    are padded with zeros (``03``,``5`` → ``03.5.0.00``)."""
    out = None
    for i, width in enumerate(widths):
        part = parts[i] if i < len(parts) else pd.Series("0" * width, index=parts[0].index, dtype="str")
        part = part.str.strip().str.zfill(width)
        out = part if out is None else out + "." + part
    assert out is not None, "a code has at least one level"
    return out.where(pd.concat(parts, axis=1).notna().all(axis=1))


def _total_text(text: pd.Series) -> np.ndarray:
    t = (
        text.fillna("")
        .str.replace(r"[^a-z0-9 ]", " ", regex=True)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )
    hit = t.isin(_TOTAL_WORDS) | t.str.startswith("genel toplam") | t.str.endswith(" toplami")
    return hit.to_numpy(dtype=bool)


@dataclass(frozen=True)
class _Rows:
    reason: np.ndarray  # "" data, "header" (the first header block), else a SKIP_REASONS value
    depth: np.ndarray  # index (in header.codes) of the first code written on the row; -1 total; k+1: no code
    deepest: np.ndarray  # index of the last code written on the row, -1 if none
    written: np.ndarray  # (rows, codes) bool: the cell holds a code (digits)


def _join(parts: list[pd.Series], index) -> pd.Series:
    out = pd.Series("", index=index, dtype="str")
    for part in parts:
        out = out + "\x1f" + part.fillna("")
    return out


def classify(grid: Grid, header: Header, amounts_ok: np.ndarray) -> _Rows:
    """Why each grid row is (not) a budget line. ``amounts_ok``: the row has a parsed amount."""
    n = len(grid.cells)
    folded = grid.folded()
    reason = np.full(n, "", dtype=object)
    blank = grid.blank
    code_cols = [j for _, _, j in header.codes]
    written = np.column_stack(
        [
            grid.cells.iloc[:, j].str.strip().str.fullmatch(r"[0-9]{1,3}").fillna(False).to_numpy(dtype=bool)
            for j in code_cols
        ]
    )
    k = len(code_cols)
    amount_cols = {a.column for a in header.amounts}
    texts = [
        folded[j].where(~pd.Series(written[:, code_cols.index(j)], index=folded.index))
        if j in code_cols
        else folded[j]
        for j in range(folded.shape[1])
        if j not in amount_cols
    ]
    text = (
        _join(texts, folded.index)
        .str.replace("\x1f", " ", regex=False)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )
    # the header rows, and the same rows again further down (a header printed on every page)
    keys = _join([folded[j] for j in range(folded.shape[1])], folded.index)
    head_keys = keys.iloc[header.top : header.top + header.height].tolist()
    page_header = keys.isin(head_keys).to_numpy() & ~blank
    in_header = (np.arange(n) >= header.top) & (np.arange(n) < header.top + header.height)
    has_code = written.any(axis=1) & ~page_header
    first = np.where(has_code, written.argmax(axis=1), k + 1)
    last = np.where(has_code, k - 1 - written[:, ::-1].argmax(axis=1), -1)
    total = ~has_code & _total_text(text)
    note = ~has_code & ~amounts_ok & text.str.match(_NOTE.pattern).to_numpy(dtype=bool)
    above = np.arange(n) < header.top
    reason[blank] = "blank"
    reason[~blank & above] = "title"
    body = ~blank & ~above & ~in_header
    reason[body & page_header] = "page_header"
    rest = body & ~page_header
    reason[rest & total] = "total"
    reason[rest & ~total & note] = "note"
    reason[rest & ~has_code & ~amounts_ok & ~total & ~note] = "title"
    heading = rest & has_code & (last < k - 1)
    reason[heading & amounts_ok] = "subtotal"
    reason[heading & ~amounts_ok] = "title"
    reason[in_header] = "header"
    depth = np.where(total, -1, first)
    return _Rows(
        reason=reason, depth=depth, deepest=last, written=written & (has_code & (rest | False))[:, None]
    )


# ---------------------------------------------------------------------------------------------------------------
# the reader
# ---------------------------------------------------------------------------------------------------------------
@speaks
def read_published_budget(
    path: str | Path,
    *,
    layout: str = AUTO,
    fiscal_year: int | None = None,
    strict: bool = False,
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    lang: str | None = None,
) -> ReadResult:
    """Read an Ödenek Cetveli, an Ayrıntılı Harcama Programı or an execution report (see the module doc).

    ``fiscal_year`` is the year of amount columns whose header names none. Raises
    :class:`~gcdb.errors.DataValidationError` when the sheet has no published-layout header, when ``layout`` asks
    for columns the sheet does not have, or (``strict=True``) on any error.
    """
    if layout not in PUBLISHED_LAYOUTS + (AUTO,):
        raise UsageError(
            Message("read.layout_choice", choices=", ".join(PUBLISHED_LAYOUTS + (AUTO,)), layout=repr(layout))
        )
    grid = read_grid(path, sheet=sheet, encoding=encoding, sep=sep)
    header = find_header(grid)
    if header is None:
        raise _layout_error(grid, Message("read.published.no_header", rows=HEADER_SEARCH_ROWS))
    return published_from_grid(
        grid, header, layout=layout, fiscal_year=fiscal_year, strict=strict, decimal=decimal
    )


def _layout_error(grid: Grid, message: str, row: int | None = None) -> DataValidationError:
    issues = issues_frame(
        [
            {
                C.ISSUE_FILE: grid.source,
                C.ISSUE_ROW: row,
                C.ISSUE_COLUMN: "",
                C.ISSUE_CODE: str(IssueCode.MISSING_COLUMN),
                C.ISSUE_SEVERITY: C.ERROR,
                C.ISSUE_MESSAGE: message,
                C.ISSUE_VALUE: "",
            }
        ]
    )
    return DataValidationError(Message("read.file_where", path=grid.source, message=message), issues)


def published_from_grid(
    grid: Grid,
    header: Header,
    *,
    layout: str = AUTO,
    fiscal_year: int | None = None,
    strict: bool = False,
    decimal: str | None = None,
) -> ReadResult:
    """:func:`read_published_budget` on a grid already read (and its header found)."""
    from gcdb.validate import validate_table

    found = header.layout
    header_row = int(grid.rows[header.top])
    dims = {d for d, _, _ in header.codes}
    missing = [d for d in ORDER if d not in dims] + ([DESC] if header.description is None else [])
    if missing:
        shown = ", ".join(t(f"read.published.dim.{d}") for d in missing)
        raise _layout_error(grid, Message("read.published.missing", columns=shown), header_row)
    if layout != AUTO and layout != found:
        raise _layout_error(
            grid,
            Message(
                "read.published.wrong_layout",
                layout=repr(layout),
                wanted=t(f"read.published.needs.{layout}"),
                amounts=", ".join(repr(a.header) for a in header.amounts) or t("validate.none"),
                found=found,
            ),
            header_row,
        )
    used = [a for a in header.amounts if a.phase != IGNORED]
    if not used:
        raise _layout_error(grid, Message("read.published.no_amount"), header_row)
    cells = grid.cells
    prepared = {a.column: prepare_numbers(cells.iloc[:, a.column]) for a in used}
    if decimal is None:
        detected = detect_decimal(*prepared.values())
        decimal = detected if detected in (DECIMAL_COMMA, DECIMAL_POINT) else None
    parsed = {j: parse_kurus(p, decimal=decimal) for j, p in prepared.items()}
    # any(axis=...) of a 2-D array is an array (numpy's stubs also allow the 0-D scalar)
    amounts_ok = cast(npt.NDArray[np.bool_], np.column_stack([parsed[a.column].ok for a in used]).any(axis=1))
    rows = classify(grid, header, amounts_ok)
    data = rows.reason == ""
    counted = rows.reason != "header"

    carried = _carry_down(cells, header.codes, rows.written)
    codes = {}
    for dim in ORDER:
        idx = [k for k, (d, _, _) in enumerate(header.codes) if d == dim]
        codes[dim] = _joined_code([carried[k] for k in idx], WIDTHS[dim])
    assert header.description is not None  # a missing description column raised above
    description = cells.iloc[:, header.description].str.strip()
    unit = _unit_names(cells, header, rows, description)

    years = header.years
    if None in years and fiscal_year is None and len(years) == 1:
        raise _layout_error(grid, Message("read.published.no_year"), header_row)
    raw_parts, source_rows = [], []
    amount_headers: dict[str, list[str]] = {}
    for year in years:
        cols = [a for a in used if a.year == year]
        year_value = year if year is not None else fiscal_year
        phases = _year_frame(cols, cells, parsed, found, year_value)
        for canonical, (head, _) in phases.items():
            amount_headers.setdefault(canonical, []).append(head)
        base = pd.DataFrame(
            {
                "YIL": str(year_value),
                "SATIR": pd.Series(grid.rows, dtype="int64").astype("str"),
                "KURUMSAL I-IV": codes[INST],
                "FONKSİYONEL I-IV": codes[FUNC],
                "FİN. TİPİ": codes[FIN],
                "EKONOMİK I-IV": codes[ECON],
                "AÇIKLAMA": description,
                **({"BİRİM": unit} if unit is not None else {}),
                **{canonical: series for canonical, (_, series) in phases.items()},
            }
        )
        present = data.copy()
        if len(years) > 1:  # side by side: a line with no amount in a year is not a line of that year
            present &= ~np.column_stack([parsed[a.column].blank for a in cols]).all(axis=1)
        raw_parts.append(base[present])
        source_rows.append(grid.rows[present])
    stacked = pd.concat(raw_parts, ignore_index=True)
    source_row = np.concatenate(source_rows)
    # amount columns are named by the headers they come from (all years'), for the issues
    named = {canonical: " / ".join(dict.fromkeys(heads)) for canonical, heads in amount_headers.items()}
    stacked = stacked.rename(columns=named)
    aliases = {head: canonical for canonical, head in named.items()}
    aliases.update(
        {
            "YIL": C.FISCAL_YEAR,
            "SATIR": C.LINE_ID,
            "KURUMSAL I-IV": C.INSTITUTIONAL_CODE,
            "FONKSİYONEL I-IV": C.FUNCTIONAL_CODE,
            "FİN. TİPİ": C.FINANCING_TYPE,
            "EKONOMİK I-IV": C.ECONOMIC_CODE,
            "AÇIKLAMA": C.DESCRIPTION,
            "BİRİM": C.UNIT_NAME,
        }
    )
    headers = tuple(stacked.columns)
    stacked.columns = range(len(headers))
    raw = RawTable(
        frame=stacked.astype("str"),
        headers=headers,
        source_row=source_row.astype(np.int64),
        source=grid.source,
        header_row=header_row,
        encoding=grid.encoding,
        separator=grid.separator,
        sheet=grid.sheet,
        notes=grid.notes,
        skipped=skipped_frame(grid.rows[~data & counted], rows.reason[~data & counted].astype(str)),
    )
    result = validate_table(raw, BUDGET, aliases=aliases, money_unit="kurus")
    extra = [
        _subtotal_issues(grid, header, rows, parsed, used, data),
        _quarter_issues(grid, parsed, used, data),
        _padding_issues(grid, header, header_row),
    ]
    result = dataclasses.replace(result, issues=concat_issues([result.issues, *extra]))
    if strict and not result.ok:
        raise DataValidationError(result.summary(), result.issues)
    return result


def _year_frame(cols: list[AmountColumn], cells: pd.DataFrame, parsed, layout: str, year) -> dict:
    """The three phases of one year: canonical name → (header, text). Text is whole kuruş where the cell parsed
    and the cell as written where it did not (so the validator reports it)."""

    def text(j: int) -> pd.Series:
        p = parsed[j]
        written = cells.iloc[:, j].fillna("").to_numpy(dtype=object)
        return pd.Series(np.where(p.ok, p.values.astype(str), written), dtype="str").where(~p.blank)

    by_phase = {ph: [a for a in cols if a.phase == ph] for ph in (INITIAL, REVISED, SPENT, QUARTER)}
    out: dict[str, tuple[str, pd.Series]] = {}
    if by_phase[INITIAL]:
        a = by_phase[INITIAL][0]
        out[C.INITIAL_APPROPRIATION] = (a.header, text(a.column))
    else:  # an AHP without an annual column: the quarters' sum
        quarters = by_phase[QUARTER]
        total = sum(np.where(parsed[a.column].ok, parsed[a.column].values, 0) for a in quarters)
        out[C.INITIAL_APPROPRIATION] = (
            f"{year} ÇEYREKLER TOPLAMI",
            pd.Series(np.asarray(total).astype(str), dtype="str"),
        )
    initial_header, initial = out[C.INITIAL_APPROPRIATION]
    zero = pd.Series("0", index=range(len(cells)), dtype="str")
    for phase, canonical in ((REVISED, C.REVISED_APPROPRIATION), (SPENT, C.EXPENDITURE)):
        if by_phase[phase]:
            a = by_phase[phase][0]
            out[canonical] = (a.header, text(a.column))
        elif phase == REVISED:
            # as adopted (or a report without a revised column): the revised appropriation is the initial one;
            # a cell that does not parse is reported once, under its own column
            copy = initial.where(~pd.Series(_digits(initial), index=initial.index).eq(False), "0")
            out[canonical] = (f"{year} REVİZE ÖDENEK (= {initial_header})", copy)
        else:
            out[canonical] = (f"{year} HARCAMA (yok: 0)", zero)
    return out


def _digits(text: pd.Series) -> np.ndarray:
    """Cells holding whole kuruş (an optional minus and digits); missing cells count as such."""
    return (text.str.fullmatch(r"-?[0-9]+").fillna(True)).to_numpy(dtype=bool)


def _unit_names(cells: pd.DataFrame, header: Header, rows: _Rows, description: pd.Series) -> pd.Series | None:
    """The department name: the description of the row that writes the last institutional level without a lower
    code (the department's heading or subtotal row), carried down to its lines."""
    inst = [k for k, (d, _, _) in enumerate(header.codes) if d == INST]
    last_inst = inst[-1]
    heads = (rows.deepest == last_inst) & np.isin(rows.reason, ["subtotal", "title"])
    if not heads.any():
        return None
    group = np.cumsum(rows.written[:, last_inst])
    names = description.where(pd.Series(heads, index=description.index))
    return names.groupby(group).ffill()


def _subtotal_issues(
    grid: Grid, header: Header, rows: _Rows, parsed, used: list[AmountColumn], data: np.ndarray
) -> pd.DataFrame:
    """Each subtotal (and GENEL TOPLAM) row checked against the budget lines it totals; a mismatch is a warning."""
    n = len(grid.cells)
    subtotal = rows.reason == "subtotal"
    grand = (rows.reason == "total") & _total_text_grand(grid)
    if not (subtotal.any() or grand.any()):
        return issues_frame()
    boundary_depth = np.where(rows.reason == "total", -1, rows.depth)
    ends = np.full(n, n, dtype=np.int64)
    for d in np.unique(rows.deepest[subtotal]):
        stops = np.flatnonzero(
            (boundary_depth <= d) & np.isin(rows.reason, ["", "subtotal", "title", "total"])
        )
        at = np.flatnonzero(subtotal & (rows.deepest == d))
        nxt = np.searchsorted(stops, at, side="right")
        ends[at] = np.where(nxt < len(stops), stops[np.minimum(nxt, len(stops) - 1)], n)
    records = []
    for a in used:
        p = parsed[a.column]
        line_values = np.where(data & p.ok, p.values, 0)
        cum = np.concatenate([[0], np.cumsum(line_values)])
        for r in np.flatnonzero((subtotal | grand) & p.ok):
            expected = int(cum[n] if grand[r] else cum[ends[r]] - cum[r + 1])
            found = int(p.values[r])
            if expected != found:
                key = "read.published.grand_mismatch" if grand[r] else "read.published.subtotal_mismatch"
                lines = int(data.sum()) if grand[r] else int(data[r + 1 : ends[r]].sum())
                records.append(
                    {
                        C.ISSUE_FILE: grid.source,
                        C.ISSUE_ROW: int(grid.rows[r]),
                        C.ISSUE_COLUMN: a.header,
                        C.ISSUE_CODE: str(IssueCode.SUBTOTAL_MISMATCH),
                        C.ISSUE_SEVERITY: C.WARNING,
                        C.ISSUE_MESSAGE: t(
                            key,
                            found=format_kurus(found),
                            lines=format_int(lines),
                            expected=format_kurus(expected),
                        ),
                        C.ISSUE_VALUE: str(grid.cells.iat[int(r), a.column]),
                    }
                )
    return issues_frame(records)


def _quarter_issues(grid: Grid, parsed, used: list[AmountColumn], data: np.ndarray) -> pd.DataFrame:
    """AHP: the four quarters of a line must add up to its annual amount; a difference is a warning."""
    records = []
    for year in dict.fromkeys(a.year for a in used):
        annual = [a for a in used if a.year == year and a.phase == INITIAL]
        quarters = [a for a in used if a.year == year and a.phase == QUARTER]
        if not annual or not quarters:
            continue
        a = annual[0]
        # ``quarters`` is not empty, so the sum is an array (never ``sum``'s start value 0)
        total = cast(
            npt.NDArray[np.int64],
            sum(np.where(parsed[q.column].ok, parsed[q.column].values, 0) for q in quarters),
        )
        bad = data & parsed[a.column].ok & (total != parsed[a.column].values)
        for r in np.flatnonzero(bad):
            records.append(
                {
                    C.ISSUE_FILE: grid.source,
                    C.ISSUE_ROW: int(grid.rows[r]),
                    C.ISSUE_COLUMN: a.header,
                    C.ISSUE_CODE: str(IssueCode.SUBTOTAL_MISMATCH),
                    C.ISSUE_SEVERITY: C.WARNING,
                    C.ISSUE_MESSAGE: t(
                        "read.published.quarters",
                        total=format_kurus(int(total[r])),
                        annual=format_kurus(int(parsed[a.column].values[r])),
                    ),
                    C.ISSUE_VALUE: str(grid.cells.iat[int(r), a.column]),
                }
            )
    return issues_frame(records)


def _total_text_grand(grid: Grid) -> np.ndarray:
    folded = grid.folded()
    text = _join([folded[j] for j in range(folded.shape[1])], folded.index).str.replace(
        "\x1f", " ", regex=False
    )
    return (
        text.str.replace(r"\s+", " ", regex=True)
        .str.contains("genel toplam", regex=False)
        .to_numpy(dtype=bool)
    )


def _padding_issues(grid: Grid, header: Header, header_row: int) -> pd.DataFrame:
    """A layout printing fewer levels than the classification has: one warning saying how codes were padded."""
    records = []
    for dim in (INST, FUNC, ECON):
        n = sum(1 for d, _, _ in header.codes if d == dim)
        if n < len(WIDTHS[dim]):
            records.append(
                {
                    C.ISSUE_FILE: grid.source,
                    C.ISSUE_ROW: header_row,
                    C.ISSUE_COLUMN: CANONICAL_CODE[dim],
                    C.ISSUE_CODE: str(IssueCode.INVALID_VALUE),
                    C.ISSUE_SEVERITY: C.WARNING,
                    C.ISSUE_MESSAGE: t("read.published.padded", dim=t(f"read.published.dim.{dim}"), n=n),
                    C.ISSUE_VALUE: "",
                }
            )
    return issues_frame(records)


def detect_layout(path: str | Path, *, sheet: str | int | None = None, encoding=None, sep=None) -> str:
    """``odenek_cetveli``, ``ahp``, ``execution`` or ``tidy`` (no published-layout header)."""
    grid = read_grid(path, sheet=sheet, encoding=encoding, sep=sep)
    header = find_header(grid)
    return TIDY if header is None else header.layout


def read_budget_any(path, *, layout: str = AUTO, options: Mapping | None = None) -> ReadResult | None:
    """Dispatch used by :func:`gcdb.read_budget`: a :class:`ReadResult` for published layouts, ``None`` when the
    file is a tidy table (or ``layout='tidy'``)."""
    options = dict(options or {})
    if layout == TIDY:
        return None
    if layout not in LAYOUTS:
        raise UsageError(Message("read.layout_choice", choices=", ".join(LAYOUTS), layout=repr(layout)))
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
        if layout == AUTO:
            return None
        raise UsageError(Message("read.published.suffix", layout=repr(layout), suffix=repr(path.suffix)))
    if layout == AUTO:  # a look at the top first: a tidy file (maybe very large) is not read twice
        if not path.is_file():
            return None
        try:
            top = read_grid(
                path,
                sheet=options.get("sheet"),
                encoding=options.get("encoding"),
                sep=options.get("sep"),
                max_rows=HEADER_SEARCH_ROWS,
                limits=options.get("limits"),
            )
        except DataValidationError:
            return None  # the tidy reader reports the problem
        if find_header(top) is None:
            return None
    grid = read_grid(
        path,
        sheet=options.get("sheet"),
        encoding=options.get("encoding"),
        sep=options.get("sep"),
        limits=options.get("limits"),
    )
    header = find_header(grid)
    if header is None:
        if layout == AUTO:
            return None
        raise _layout_error(grid, Message("read.published.no_header_forced", layout=repr(layout)))
    return published_from_grid(
        grid,
        header,
        layout=layout,
        fiscal_year=options.get("fiscal_year"),
        strict=options.get("strict", False),
        decimal=options.get("decimal"),
    )
