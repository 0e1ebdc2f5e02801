"""Write DataFrames as publishable worksheet tables, key-value blocks, live totals and check cells.

:func:`write_table` is the workhorse: a title, notes, a header row in the report language, one row per frame row
formatted by column *kind* (see :mod:`gcdb.report.style`), optional live total row, frozen header and autofilter.
It returns a :class:`TableRef` that other sheets and charts use to reference the table's ranges.

Guarantees:

* text is always written with ``write_string`` and a quote-prefix format, so input text that starts with ``=``,
  ``+``, ``-``, ``@`` can never become a formula (and stays text if a user edits the cell);
* missing values (NaN, NA, NaT, ±inf) are blank — or a given placeholder — never 0;
* suppressed cells are written as the string ``<k``;
* totals are live formulas (``=SUM(C5:C104)``, ``SUMIFS`` for grouped totals) whose cached result is the value
  computed here, so Excel, LibreOffice and readers that do not recalculate show the same number.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.money import KURUS_PER_LIRA
from gcdb.report import i18n
from gcdb.report.style import KINDS, NUMERIC_KINDS, SUMMABLE_KINDS, TEXT_KINDS, Styles

EXCEL_MAX_ROWS: Final = 1_048_576
EXCEL_MAX_COLS: Final = 16_384
EXCEL_MAX_STRING: Final = 32_767
#: Widest automatic column width (characters) by kind; wider text is cut visually (the cell keeps it all).
MAX_WIDTH: Final = {"text": 60, "code": 30, "label": 30, "flag": 20}
DEFAULT_MAX_WIDTH: Final = 24
MIN_WIDTH: Final = 6
ROW_HEIGHT: Final = 15.0  # points, default font

_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "ns")

_SHEET_STYLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SHEET_WIDTHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def register_sheet(ws: Any, styles: Styles) -> None:
    """Attach the workbook's :class:`Styles` to a worksheet (done by :class:`~gcdb.report.workbook.ReportWorkbook`)."""
    _SHEET_STYLES[ws] = styles


def _styles_for(ws: Any, styles: Styles | None) -> Styles:
    if styles is not None:
        return styles
    try:
        return _SHEET_STYLES[ws]
    except KeyError:
        raise UsageError(
            f"worksheet {ws.name!r} has no gcdb styles: create it with ReportWorkbook.add_sheet(), "
            "or pass styles=Styles(workbook)"
        ) from None


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _set_width(ws: Any, col: int, width: float) -> None:
    widths = _SHEET_WIDTHS.setdefault(ws, {})
    if width > widths.get(col, 0.0):
        widths[col] = width
        ws.set_column(col, col, width)


# ---------------------------------------------------------------------------------------------------------------
# Specs and references
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnSpec:
    """One column of a written table: the frame column ``name``, its cell ``kind``, an optional header
    ``label`` (default: :func:`gcdb.report.i18n.header`) and ``width`` in characters (default: from content)."""

    name: str
    kind: str = "text"
    label: str | None = None
    width: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise UsageError(
                f"column {self.name!r}: unknown kind {self.kind!r}; expected one of {', '.join(KINDS)}"
            )


@dataclass(frozen=True)
class RatioOf:
    """Total-row entry: ``SUM(numerator) / SUM(denominator) × scale`` (e.g. an execution rate of the totals)."""

    numerator: str
    denominator: str
    scale: float = 1.0


@dataclass(frozen=True)
class Formula:
    """An Excel formula (``text`` without the leading ``=``) and the ``value`` it evaluates to.

    ``value`` is what the cell shows — lira for money — and is written as the formula's cached result.
    """

    text: str
    value: Any = None


@dataclass(frozen=True)
class Check:
    """A check cell: shows *balanced* when ``left`` and ``right`` agree within ``tolerance``."""

    left: Formula
    right: Formula
    tolerance: float = 0.005


@dataclass(frozen=True)
class StartsWith:
    """A :meth:`TableRef.sumifs` criterion matching text that starts with ``prefix`` (``"A7H"`` → area 7)."""

    prefix: str


def quote_sheet(name: str) -> str:
    """A sheet name as used in a formula reference: ``'İlçeler'``."""
    return "'" + name.replace("'", "''") + "'"


def excel_string(text: str) -> str:
    """A Python string as an Excel string literal, in double quotes with inner double quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _criterion(value: Any) -> str:
    """SUMIFS criterion that matches ``value`` exactly (wildcards and operators escaped)."""
    if isinstance(value, StartsWith):
        return excel_string(_escape_wildcards(value.prefix) + "*")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | np.integer | np.floating):
        return repr(float(value)) if not float(value).is_integer() else str(int(value))
    return excel_string("=" + _escape_wildcards(str(value)))


def _excel_fold(text: str) -> str:
    """Case-insensitive key as Excel's criteria compare text: upper case first, so ``ı``, ``I`` and ``i`` are equal
    (``"Sağlık"`` matches ``"SAĞLIK"``). Excel's exact rules depend on its locale; spell group names consistently
    (gcdb's readers normalise them) and the question does not arise."""
    return text.upper().casefold()


def _escape_wildcards(text: str) -> str:
    return text.replace("~", "~~").replace("*", "~*").replace("?", "~?")


@dataclass(frozen=True)
class TableRef:
    """Where a table was written, so formulas and charts elsewhere can reference it.

    Rows and columns are 0-based (xlsxwriter's convention); :meth:`range`, :meth:`cell` and :meth:`column_range`
    return A1 references. ``first_row``–``last_row`` are the data rows (``last_row = first_row − 1`` when the
    table is empty); ``total_row`` is the row of live totals or ``None``.
    """

    sheet: str
    header_row: int
    first_row: int
    last_row: int
    total_row: int | None
    columns: Mapping[str, int]
    kinds: Mapping[str, str]
    labels: Mapping[str, str]
    totals: Mapping[str, Any] = field(default_factory=dict)
    hidden: Mapping[str, int] = field(default_factory=dict)
    _numbers: Mapping[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    _texts: Mapping[str, list] = field(default_factory=dict, repr=False, compare=False)
    _keys: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_rows(self) -> int:
        return self.last_row - self.first_row + 1

    def _col(self, name: str) -> int:
        try:
            return self.columns[name]
        except KeyError:
            raise UsageError(
                f"table on sheet {self.sheet!r} has no column {name!r}; it has {', '.join(self.columns)}"
            ) from None

    def letter(self, name: str) -> str:
        """Column letter of ``name`` (``"F"``)."""
        return xl_col_to_name(self._col(name))

    def _prefix(self, sheet: bool) -> str:
        return quote_sheet(self.sheet) + "!" if sheet else ""

    def range(self, name: str, *, sheet: bool = True, absolute: bool = True) -> str:
        """The data cells of column ``name``: ``'Eylemler'!$F$5:$F$104``."""
        letter, d = self.letter(name), "$" if absolute else ""
        last = max(self.last_row, self.first_row)
        return f"{self._prefix(sheet)}{d}{letter}{d}{self.first_row + 1}:{d}{letter}{d}{last + 1}"

    def column_range(self, name: str, *, sheet: bool = True) -> str:
        """The whole column: ``'Eylemler'!F:F`` (beware: it also holds the header and total cells)."""
        letter = self.letter(name)
        return f"{self._prefix(sheet)}{letter}:{letter}"

    def cell(self, name: str, index: int, *, sheet: bool = True, absolute: bool = True) -> str:
        """The cell of column ``name`` in data row ``index`` (0-based)."""
        if not 0 <= index < self.n_rows:
            raise UsageError(f"row {index} is outside the table on sheet {self.sheet!r} ({self.n_rows} rows)")
        d = "$" if absolute else ""
        return f"{self._prefix(sheet)}{d}{self.letter(name)}{d}{self.first_row + index + 1}"

    def total(self, name: str) -> Formula:
        """A reference to the total cell of ``name`` with its cached value."""
        if self.total_row is None or name not in self.totals:
            raise UsageError(f"table on sheet {self.sheet!r} has no total for column {name!r}")
        return Formula(f"{self._prefix(True)}${self.letter(name)}${self.total_row + 1}", self.totals[name])

    def chart_range(self, name: str) -> list:
        """``[sheet, first_row, col, last_row, col]`` of the data cells, as xlsxwriter charts take it."""
        col = self._col(name)
        return [self.sheet, self.first_row, col, self.last_row, col]

    def header_ref(self, name: str) -> list:
        """``[sheet, header_row, col]``: the header cell, usable as a chart series name."""
        return [self.sheet, self.header_row, self._col(name)]

    def _scale(self, name: str) -> float:
        return KURUS_PER_LIRA if self.kinds[name] == "money" else 1.0

    def values(self, name: str) -> np.ndarray | list:
        """The cell values as written: floats (NaN for blank/suppressed cells) or texts (None for blank)."""
        self._col(name)
        if name in self._numbers:
            return self._numbers[name] / self._scale(name)
        return list(self._texts[name])

    def sum(self, name: str) -> Formula:
        """``SUM`` over the data cells of ``name``, with its value."""
        if name not in self._numbers:
            raise UsageError(f"column {name!r} on sheet {self.sheet!r} is not numeric; cannot SUM it")
        total = _exact_sum(self._numbers[name], self.kinds[name]) / self._scale(name)
        return Formula(f"SUM({self.range(name)})", total)

    def text_keys(self, name: str) -> tuple[np.ndarray, list[str], list[str]]:
        """Group a text column as Excel's criteria do (ignoring case, see :func:`_excel_fold`).

        Returns per-row key codes (−1 for blank or suppressed cells), the case-folded text of each key and the
        text of its first appearance. Computed once per column, on the distinct values.
        """
        if name not in self._keys:
            if name not in self._texts:
                raise UsageError(f"column {name!r} on sheet {self.sheet!r} is not a text column")
            codes, uniques = pd.factorize(pd.Series(self._texts[name], dtype=object), use_na_sentinel=True)
            key_codes, folded = pd.factorize(pd.Series([_excel_fold(u) for u in uniques], dtype=object))
            keys = np.where(codes >= 0, np.append(key_codes, -1)[codes], -1)
            rows = np.flatnonzero(keys >= 0)
            present, at = np.unique(keys[rows], return_index=True)
            first = np.zeros(len(folded), dtype=np.int64)
            first[present] = rows[at]
            shown = [self._texts[name][int(row)] for row in first]
            self._keys[name] = (keys, [str(f) for f in folded], shown)
        return self._keys[name]

    def _match(self, name: str, value: Any) -> np.ndarray:
        self._col(name)
        if name in self._numbers:
            if isinstance(value, str | StartsWith):
                raise UsageError(f"column {name!r} is numeric; give a number as its criterion, not {value!r}")
            return self._numbers[name] / self._scale(name) == float(value)
        keys, folded, _ = self.text_keys(name)
        if isinstance(value, StartsWith):
            prefix = _excel_fold(value.prefix)
            wanted = [i for i, f in enumerate(folded) if f.startswith(prefix)]
        else:
            target = _excel_fold(str(value))
            wanted = [i for i, f in enumerate(folded) if f == target]
            if target == "":  # Excel's criterion "=" matches blank cells
                wanted.append(-1)
        return np.isin(keys, wanted)

    def sumifs_text(self, name: str, criteria: Mapping[str, Any]) -> str:
        """The text of the ``SUMIFS`` formula of :meth:`sumifs` (no value computed)."""
        if name not in self._numbers:
            raise UsageError(f"column {name!r} on sheet {self.sheet!r} is not numeric; cannot SUMIFS it")
        if not criteria:
            raise UsageError("sumifs needs at least one criterion")
        parts = [self.range(name)]
        for crit_name, crit_value in criteria.items():
            parts += [self.range(crit_name), _criterion(crit_value)]
        return f"SUMIFS({','.join(parts)})"

    def sumifs(self, name: str, criteria: Mapping[str, Any]) -> Formula:
        """``SUMIFS`` of column ``name`` over the rows where each criteria column equals its value.

        Text criteria match case-insensitively (as Excel does) and literally (wildcards are escaped);
        :class:`StartsWith` matches a prefix. The value is computed from the written cells, so it is what Excel
        shows.
        """
        text = self.sumifs_text(name, criteria)
        mask = np.ones(self.n_rows, dtype=bool)
        for crit_name, crit_value in criteria.items():
            mask &= self._match(crit_name, crit_value)
        total = _exact_sum(self._numbers[name][mask], self.kinds[name]) / self._scale(name)
        return Formula(text, total)


@dataclass(frozen=True)
class KVRef:
    """Where a key-value block was written: ``cells[label]`` is the absolute reference of each value cell."""

    sheet: str
    first_row: int
    last_row: int
    label_col: int
    value_col: int
    cells: Mapping[str, str]
    values: Mapping[str, Any]

    def ref(self, label: str) -> Formula:
        """A reference to the value cell of ``label`` with its value."""
        return Formula(self.cells[label], self.values[label])


# ---------------------------------------------------------------------------------------------------------------
# Column conversion (vectorised per column; one Python call per written cell is xlsxwriter's API)
# ---------------------------------------------------------------------------------------------------------------
def _exact_sum(source: np.ndarray, kind: str) -> float:
    finite = source[np.isfinite(source)]
    if kind == "money":  # integer kuruş: sum exactly
        return float(finite.astype(np.int64).sum())
    return float(math.fsum(finite.tolist()))


def _text_values(series: pd.Series, kind: str, lang: str) -> tuple[np.ndarray, list[str], list[str]]:
    """Factorise a column into codes (−1 = missing), the display text and the raw text of each distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts, raw = [], []
    for value in uniques:
        raw.append(_as_text(value))
        if kind == "label":
            code = (C.YES if value else C.NO) if isinstance(value, bool | np.bool_) else _as_text(value)
            text = C.label(code, lang)
        elif kind == "flag":
            code = _as_text(value)
            text = i18n.t(f"flag.{code}", lang) if code in ("under", "over") else C.label(code, lang)
        else:
            text = _as_text(value)
        texts.append(text[:EXCEL_MAX_STRING])
    return np.asarray(codes), texts, raw


def _numeric_values(series: pd.Series, kind: str, name: str) -> np.ndarray:
    """A column as float64 in source units (kuruş for money, Excel serial days for dates); NaN = missing."""
    if kind == "date":
        try:
            dates = series if pd.api.types.is_datetime64_any_dtype(series) else pd.to_datetime(series)
        except (ValueError, TypeError) as exc:
            raise UsageError(f"column {name!r} of kind 'date' must hold dates: {exc}") from None
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)
        stamps = dates.to_numpy(dtype="datetime64[ns]")
        out = (stamps - _EXCEL_EPOCH) / np.timedelta64(1, "D")
        out[np.isnat(stamps)] = np.nan
        return out.astype(np.float64)
    if pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype="float64", na_value=np.nan)
    if not pd.api.types.is_numeric_dtype(series):
        raise UsageError(f"column {name!r} of kind {kind!r} must be numeric, got dtype {series.dtype}")
    out = series.to_numpy(dtype="float64", na_value=np.nan)
    out = np.where(np.isfinite(out), out, np.nan)
    if kind == "money":
        finite = out[np.isfinite(out)]
        if len(finite) and not np.array_equal(finite, np.round(finite)):
            raise UsageError(f"money column {name!r} must hold integer kuruş, found fractions")
    return out


def _bool_mask(values: Any, n: int, what: str) -> np.ndarray:
    if isinstance(values, pd.Series):
        arr = values.to_numpy(dtype=bool, na_value=False)
    else:
        arr = np.asarray(values, dtype=bool)
    if arr.shape != (n,):
        raise UsageError(f"{what} has {arr.shape[0] if arr.ndim else 0} values, the table has {n} rows")
    return arr


def _suppression(mask: Any, specs: Sequence[ColumnSpec], n: int) -> dict[str, np.ndarray]:
    if mask is None:
        return {}
    names = [s.name for s in specs]
    if isinstance(mask, pd.Series):  # one flag per row: hide every numeric cell of the row
        row = _bool_mask(mask, n, "suppressed_mask")
        return {s.name: row for s in specs if s.kind in NUMERIC_KINDS}
    if isinstance(mask, pd.DataFrame):
        items = {str(c): mask[c] for c in mask.columns}
    elif isinstance(mask, Mapping):
        items = dict(mask)
    else:
        raise UsageError(
            "suppressed_mask must be a boolean DataFrame, a mapping column → booleans, or a Series"
        )
    out = {}
    for name, values in items.items():
        if name not in names:
            raise UsageError(f"suppressed_mask names column {name!r}, which the table does not show")
        out[name] = _bool_mask(values, n, f"suppressed_mask[{name!r}]")
    return out


def _flags(flags: Mapping[str, Any] | None, specs: Sequence[ColumnSpec], n: int) -> dict[str, list]:
    if not flags:
        return {}
    names = [s.name for s in specs]
    out = {}
    for name, values in flags.items():
        if name not in names:
            raise UsageError(f"flags names column {name!r}, which the table does not show")
        series = values if isinstance(values, pd.Series) else pd.Series(values)
        if len(series) != n:
            raise UsageError(f"flags[{name!r}] has {len(series)} values, the table has {n} rows")
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        lookup = [str(u) if str(u) in ("under", "over") else None for u in uniques]
        bad = sorted({str(u) for u, k in zip(uniques, lookup, strict=True) if k is None and str(u) != ""})
        if bad:
            raise UsageError(f"flags[{name!r}] must be 'under', 'over' or missing; found {', '.join(bad)}")
        out[name] = [lookup[c] if c >= 0 else None for c in codes.tolist()]
    return out


def _numeric_width(kind: str, values: np.ndarray) -> int:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return 0
    big = float(np.max(np.abs(finite)))
    neg = 1 if float(np.min(finite)) < 0 else 0
    shown = {
        "count": lambda v: f"{v:,.0f}",
        "money": lambda v: f"{v / KURUS_PER_LIRA:,.2f} ₺",
        "percent": lambda v: f"{v * 100:.1f}%",
        "rate": lambda v: f"{v:.1f}",
        "ratio": lambda v: f"{v:.2f}",
        "number": lambda v: f"{v:,.2f}",
        "year": lambda v: f"{v:.0f}",
        "date": lambda v: "yyyy-mm-dd",
    }[kind](big)
    return len(shown) + neg


def _header_width(label: str, autofilter: bool) -> int:
    longest_word = max((len(w) for w in label.split()), default=0)
    return max(longest_word, min(len(label), 16)) + (2 if autofilter else 0)


def _set_header_height(ws: Any, row: int, labels: Mapping[int, str], autofilter: bool) -> None:
    """Make the header row tall enough for its wrapped labels at the columns' final widths."""
    widths = _SHEET_WIDTHS.get(ws, {})
    lines = max(
        (
            _header_lines(label, widths.get(col, 8.43) - (2 if autofilter else 0))
            for col, label in labels.items()
        ),
        default=1,
    )
    ws.set_row(row, ROW_HEIGHT * lines + 2)


def _header_lines(label: str, width: float) -> int:
    """Lines a wrapped header needs in a column ``width`` characters wide (greedy word wrap)."""
    usable = max(int(width) - 1, 1)
    lines, current = 1, 0
    for word in label.split():
        need = len(word) if current == 0 else current + 1 + len(word)
        if need <= usable:
            current = need
        else:
            lines += 1 if current else 0
            current = min(len(word), usable)
    return lines


# ---------------------------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------------------------
def write_title(
    ws: Any, row: int, col: int, title: str | None, notes: Iterable[str] = (), *, styles: Styles | None = None
) -> int:
    """Write a title and note lines from ``row``; return the next free row (one blank row after them)."""
    styles = _styles_for(ws, styles)
    start = row
    if title:
        ws.write_string(row, col, title, styles.role("title"))
        ws.set_row(row, 20)
        row += 1
    for note in notes:
        ws.write_string(row, col, note, styles.role("note"))
        row += 1
    return row + 1 if row > start else row


def write_formula(
    ws: Any,
    row: int,
    col: int,
    formula: Formula,
    kind: str = "number",
    *,
    total: bool = False,
    boxed: bool = True,
    align: str | None = None,
    styles: Styles | None = None,
) -> None:
    """Write a live formula with its cached value, formatted as ``kind`` (``formula.value`` in cell units)."""
    styles = _styles_for(ws, styles)
    value = formula.value
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        value = ""
    fmt = styles.cell(kind, total=total, boxed=boxed, align=align)
    ws.write_formula(row, col, "=" + formula.text, fmt, value)


def write_check(
    ws: Any, row: int, col: int, check: Check, *, lang: str = "tr", styles: Styles | None = None
) -> bool:
    """Write ``=IF(ABS(left−right)<=tol,"Denk","Denk değil")`` with its cached result; return whether balanced.

    The cell is green when balanced and red when not; conditional formats keep the colour right if the
    referenced cells change.
    """
    styles = _styles_for(ws, styles)
    ok_text, bad_text = i18n.t("check.balanced", lang), i18n.t("check.unbalanced", lang)
    try:
        balanced = abs(float(check.left.value) - float(check.right.value)) <= check.tolerance
    except (TypeError, ValueError):
        balanced = False
    text = f"IF(ABS(({check.left.text})-({check.right.text}))<={check.tolerance!r},{excel_string(ok_text)},{excel_string(bad_text)})"
    fmt = styles.role("check_ok" if balanced else "check_bad")
    ws.write_formula(row, col, "=" + text, fmt, ok_text if balanced else bad_text)
    for shown, role in ((ok_text, "check_ok"), (bad_text, "check_bad")):
        ws.conditional_format(
            row,
            col,
            row,
            col,
            {
                "type": "cell",
                "criteria": "==",
                "value": excel_string(shown),
                "format": styles.conditional(role),
            },
        )
    return balanced


def _write_text_column(
    ws: Any,
    col: int,
    first_row: int,
    series: pd.Series,
    kind: str,
    lang: str,
    hide: np.ndarray | None,
    tint: list | None,
    marker: str,
    na_rep: str | None,
    styles: Styles,
) -> tuple[list, int]:
    """Write a text-like column with ``write_string``; return the written texts (None = blank) and its width."""
    codes, uniq, raw = _text_values(series, kind, lang)
    base = styles.cell(kind)
    per_value = (
        [styles.cell("flag", flag=code if code in ("under", "over") else None) for code in raw]
        if kind == "flag"
        else None
    )
    hidden_fmt = styles.cell(kind, suppressed=True)
    written: list = []
    for i, code in enumerate(codes.tolist()):
        row = first_row + i
        if hide is not None and hide[i]:
            ws.write_string(row, col, marker, hidden_fmt)
            written.append(None)
        elif code < 0:
            if na_rep is not None:
                ws.write_string(row, col, na_rep, hidden_fmt)
            written.append(None)
        else:
            fmt = per_value[code] if per_value else base
            if tint is not None and tint[i] is not None:
                fmt = styles.cell(kind, flag=tint[i])
            ws.write_string(row, col, uniq[code], fmt)
            written.append(uniq[code])
    used = {uniq[c] for c in set(codes.tolist()) if c >= 0}
    return written, max((len(t) for t in used), default=0)


def _write_number_column(
    ws: Any,
    col: int,
    first_row: int,
    series: pd.Series,
    kind: str,
    name: str,
    hide: np.ndarray | None,
    tint: list | None,
    marker: str,
    na_rep: str | None,
    styles: Styles,
) -> tuple[np.ndarray, int]:
    """Write a numeric column; return its values in source units (NaN where no number was written) and width."""
    source = _numeric_values(series, kind, name)
    values = (source / KURUS_PER_LIRA if kind == "money" else source).tolist()
    finite = np.isfinite(source).tolist()
    base = styles.cell(kind)
    hidden_fmt = styles.cell(kind, suppressed=True)
    cells = source.copy()
    for i in range(len(values)):
        row = first_row + i
        if hide is not None and hide[i]:
            ws.write_string(row, col, marker, hidden_fmt)
            cells[i] = np.nan
        elif not finite[i]:
            if na_rep is not None:
                ws.write_string(row, col, na_rep, hidden_fmt)
        else:
            fmt = base if tint is None or tint[i] is None else styles.cell(kind, flag=tint[i])
            ws.write_number(row, col, values[i], fmt)
    return cells, _numeric_width(kind, source)


def _normalise_totals(
    total_row: bool | Mapping[str, Any] | None, specs: Sequence[ColumnSpec]
) -> dict[str, str | RatioOf]:
    if total_row is None or total_row is False:
        return {}
    kinds = {s.name: s.kind for s in specs}
    if total_row is True:
        return {s.name: "sum" for s in specs if s.kind in SUMMABLE_KINDS}
    out: dict[str, str | RatioOf] = {}
    for name, how in total_row.items():
        if name not in kinds:
            raise UsageError(f"total_row names column {name!r}, which the table does not show")
        if isinstance(how, RatioOf):
            for part in (how.numerator, how.denominator):
                if kinds.get(part) not in NUMERIC_KINDS:
                    raise UsageError(f"total_row[{name!r}]: {part!r} must be a numeric column of the table")
        elif how != "sum":
            raise UsageError(f"total_row[{name!r}] must be 'sum' or RatioOf(...), got {how!r}")
        elif kinds[name] not in NUMERIC_KINDS:
            raise UsageError(f"total_row[{name!r}]: column of kind {kinds[name]!r} cannot be summed")
        out[name] = how
    return out


def write_table(
    ws: Any,
    frame: pd.DataFrame,
    columns: Sequence[ColumnSpec] | None = None,
    *,
    top: int = 0,
    left: int = 0,
    lang: str = "tr",
    title: str | None = None,
    notes: Iterable[str] = (),
    total_row: bool | Mapping[str, str | RatioOf] = False,
    autofilter: bool = True,
    freeze: bool = True,
    freeze_columns: int = 0,
    suppressed_mask: pd.DataFrame | pd.Series | Mapping[str, Any] | None = None,
    k: int = 5,
    flags: Mapping[str, Any] | None = None,
    na_rep: str | None = None,
    styles: Styles | None = None,
) -> TableRef:
    """Write ``frame`` as a formatted table at (``top``, ``left``) and return its :class:`TableRef`.

    ``columns`` chooses, orders and types the columns (default: every column, numeric ones as ``number``,
    others as ``text``). Headers come from :func:`gcdb.report.i18n.header` unless a spec gives a label.
    ``total_row=True`` adds ``SUM`` formulas under the summable columns (count, money, number); a mapping
    ``{column: "sum" | RatioOf(num, den)}`` chooses them. ``suppressed_mask`` (a boolean frame or mapping
    column → booleans aligned with ``frame`` by position, or one boolean per row for every numeric column)
    marks cells written as ``<k``. ``flags`` maps a column to ``"under"``/``"over"``/missing per row and
    tints those cells. ``na_rep`` replaces blank missing cells. A column with hidden cells gets a static total
    (the full sum, hidden cells included — the published margin secondary suppression assumes); exactly one
    hidden cell in a totalled column is refused, since subtraction would reveal it.

    Excel allows one autofilter and one frozen pane per sheet: the first table on a sheet that asks gets them.
    """
    i18n._check_lang(lang)
    styles = _styles_for(ws, styles)
    if columns is None:
        columns = [
            ColumnSpec(str(c), "number" if pd.api.types.is_numeric_dtype(frame[c]) else "text")
            for c in frame.columns
        ]
    specs = list(columns)
    if not specs:
        raise UsageError("write_table needs at least one column")
    names = [s.name for s in specs]
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise UsageError(
            f"sheet {ws.name!r}: frame has no column(s) {', '.join(map(repr, missing))}; "
            f"it has {', '.join(map(str, frame.columns))}"
        )
    if len(set(names)) != len(names):
        raise UsageError(f"sheet {ws.name!r}: a column is listed twice in {names}")
    n = len(frame)
    totals_spec = _normalise_totals(total_row, specs)
    hidden = _suppression(suppressed_mask, specs, n)
    tints = _flags(flags, specs, n)
    marker = f"<{k}"

    header_row = write_title(ws, top, left, title, notes, styles=styles)
    first_row = header_row + 1
    last_row = first_row + n - 1
    total_at = last_row + 1 if totals_spec else None
    if (total_at if total_at is not None else last_row) >= EXCEL_MAX_ROWS:
        raise UsageError(
            f"sheet {ws.name!r}: {n} rows do not fit in an Excel sheet ({EXCEL_MAX_ROWS:,} rows)"
        )
    if left + len(specs) > EXCEL_MAX_COLS:
        raise UsageError(f"sheet {ws.name!r}: {len(specs)} columns do not fit in an Excel sheet")

    col_of = {s.name: left + j for j, s in enumerate(specs)}
    labels = {s.name: s.label if s.label is not None else i18n.header(s.name, lang) for s in specs}
    kinds = {s.name: s.kind for s in specs}
    numbers: dict[str, np.ndarray] = {}
    texts: dict[str, list] = {}
    widths: dict[str, float] = {}
    hfmt = styles.role("header")

    for spec in specs:
        col = col_of[spec.name]
        ws.write_string(header_row, col, labels[spec.name], hfmt)
        series = frame[spec.name]
        hide = hidden.get(spec.name)
        tint = tints.get(spec.name)
        if spec.kind in TEXT_KINDS:
            texts[spec.name], content = _write_text_column(
                ws, col, first_row, series, spec.kind, lang, hide, tint, marker, na_rep, styles
            )
        else:
            numbers[spec.name], content = _write_number_column(
                ws, col, first_row, series, spec.kind, spec.name, hide, tint, marker, na_rep, styles
            )
        if hide is not None and hide.any():
            content = max(content, len(marker))
        if na_rep is not None:
            content = max(content, len(na_rep))
        widths[spec.name] = content

    # totals
    totals: dict[str, Any] = {}
    if total_at is not None:
        first_spec = specs[0]
        for spec in specs[1:]:  # the total row's rule runs under the whole table
            if spec.name not in totals_spec:
                ws.write_blank(total_at, col_of[spec.name], None, styles.cell(spec.kind, total=True))
        if first_spec.name not in totals_spec:
            ws.write_string(
                total_at, col_of[first_spec.name], i18n.t("total", lang), styles.cell("text", total=True)
            )
            widths[first_spec.name] = max(widths[first_spec.name], len(i18n.t("total", lang)))
        sums: dict[str, tuple[str | None, float]] = {}

        def column_sum(name: str) -> tuple[str | None, float]:
            if name not in sums:
                scale = KURUS_PER_LIRA if kinds[name] == "money" else 1.0
                mask = hidden.get(name)
                if mask is not None and mask.any():
                    if int(mask.sum()) == 1:
                        raise UsageError(
                            f"sheet {ws.name!r}: column {name!r} has exactly one suppressed cell and a total; "
                            "the total would reveal it (apply secondary suppression first)"
                        )
                    full = _numeric_values(frame[name], kinds[name], name)
                    sums[name] = (None, _exact_sum(full, kinds[name]) / scale)
                else:
                    letter = xl_col_to_name(col_of[name])
                    text = f"SUM({letter}{first_row + 1}:{letter}{last_row + 1})" if n else None
                    sums[name] = (text, _exact_sum(numbers[name], kinds[name]) / scale)
            return sums[name]

        for name, how in totals_spec.items():
            col = col_of[name]
            if how == "sum":
                text, value = column_sum(name)
            else:
                num_text, num = column_sum(how.numerator)
                den_text, den = column_sum(how.denominator)
                value = num / den * how.scale if den else None
                if num_text is not None and den_text is not None:
                    scale = "" if how.scale == 1 else f"*{how.scale!r}"
                    text = f'IF({den_text}=0,"",{num_text}/{den_text}{scale})'
                else:
                    text = None
            totals[name] = value
            fmt = styles.cell(kinds[name], total=True)
            if text is not None:
                ws.write_formula(total_at, col, "=" + text, fmt, "" if value is None else value)
            elif value is not None:
                ws.write_number(total_at, col, value, fmt)
            if value is not None and kinds[name] in NUMERIC_KINDS:
                scale = KURUS_PER_LIRA if kinds[name] == "money" else 1.0
                widths[name] = max(widths[name], _numeric_width(kinds[name], np.array([value * scale])))

    # column widths and header height
    for spec in specs:
        if spec.width is not None:
            width = float(spec.width)
        else:
            cap = MAX_WIDTH.get(spec.kind, DEFAULT_MAX_WIDTH)
            width = float(
                max(
                    MIN_WIDTH,
                    min(cap, max(widths[spec.name], _header_width(labels[spec.name], autofilter)) + 2),
                )
            )
        _set_width(ws, col_of[spec.name], width)
    _set_header_height(ws, header_row, {col_of[n]: labels[n] for n in names}, autofilter)

    right = left + len(specs) - 1
    if autofilter and not ws.autofilter_area:
        ws.autofilter(header_row, left, max(last_row, header_row), right)
    if freeze and not ws.panes:
        ws.freeze_panes(first_row, left + freeze_columns if freeze_columns else 0)

    return TableRef(
        sheet=ws.name,
        header_row=header_row,
        first_row=first_row,
        last_row=last_row,
        total_row=total_at,
        columns=col_of,
        kinds=kinds,
        labels=labels,
        totals=totals,
        hidden={name: int(mask.sum()) for name, mask in hidden.items() if mask.any()},
        _numbers=numbers,
        _texts=texts,
    )


def write_group_totals(
    ws: Any,
    source: TableRef,
    by: str,
    columns: Sequence[str],
    *,
    top: int = 0,
    left: int = 0,
    lang: str = "tr",
    title: str | None = None,
    notes: Iterable[str] = (),
    total_row: bool = True,
    sort: bool = False,
    autofilter: bool = False,
    freeze: bool = False,
    styles: Styles | None = None,
) -> TableRef:
    """Write one row per distinct value of ``source``'s column ``by`` with live ``SUMIFS`` sub-totals of
    ``columns`` (cached values computed from the written cells), and a ``SUM`` total row.

    Groups appear in the order of first appearance (``sort=True``: ascending). Rows whose ``by`` cell is blank
    belong to no group, so the total row then differs from the source's total.
    """
    styles = _styles_for(ws, styles)
    if by not in source.columns:
        raise UsageError(f"table on sheet {source.sheet!r} has no column {by!r}")
    if by in source._numbers:
        by_values = source.values(by)
        finite = np.isfinite(by_values)
        distinct, first_at = np.unique(by_values[finite], return_index=True)
        order = np.argsort(first_at, kind="stable")
        groups: list = distinct[order].tolist()
        keys = np.full(len(by_values), -1)
        keys[finite] = np.argsort(order, kind="stable")[np.searchsorted(distinct, by_values[finite])]
    else:
        keys, _, groups = source.text_keys(by)  # keys are numbered in order of first appearance
        groups = list(groups)
    ranks = list(range(len(groups)))
    if sort:
        ranks = sorted(
            ranks, key=lambda i: groups[i] if isinstance(groups[i], float) else _sort_key(groups[i])
        )
        groups = [groups[i] for i in ranks]
        position = np.empty(len(ranks), dtype=np.int64)
        position[ranks] = np.arange(len(ranks))
        keys = np.where(keys >= 0, position[np.maximum(keys, 0)] if len(ranks) else keys, -1)
    valid = keys >= 0

    header_row = write_title(ws, top, left, title, notes, styles=styles)
    first_row = header_row + 1
    last_row = first_row + len(groups) - 1
    by_kind = source.kinds[by]
    names = [by, *columns]
    col_of = {name: left + j for j, name in enumerate(names)}
    kinds = {name: source.kinds[name] for name in names}
    labels = {name: source.labels[name] for name in names}
    hfmt = styles.role("header")
    for name in names:
        ws.write_string(header_row, col_of[name], labels[name], hfmt)
    numbers: dict[str, np.ndarray] = {}
    texts: dict[str, list] = {}
    if by_kind in TEXT_KINDS:
        texts[by] = list(groups)
        for i, g in enumerate(groups):
            ws.write_string(first_row + i, col_of[by], g, styles.cell(by_kind))
    else:
        scale = KURUS_PER_LIRA if by_kind == "money" else 1.0
        numbers[by] = np.array(groups, dtype=np.float64) * scale
        for i, g in enumerate(groups):
            ws.write_number(first_row + i, col_of[by], g, styles.cell(by_kind))
    for name in columns:
        scale = KURUS_PER_LIRA if kinds[name] == "money" else 1.0
        source_values = source._numbers[name]
        counted = valid & np.isfinite(source_values)
        # group sums in source units (exact for integer kuruş below 2**53)
        sums = np.bincount(keys[counted], weights=source_values[counted], minlength=len(groups))
        for i, g in enumerate(groups):
            formula = Formula(source.sumifs_text(name, {by: g}), float(sums[i]) / scale)
            write_formula(ws, first_row + i, col_of[name], formula, kinds[name], styles=styles)
        numbers[name] = sums
    totals: dict[str, Any] = {}
    total_at = None
    if total_row:
        total_at = last_row + 1
        ws.write_string(total_at, col_of[by], i18n.t("total", lang), styles.cell("text", total=True))
        for name in columns:
            letter = xl_col_to_name(col_of[name])
            scale = KURUS_PER_LIRA if kinds[name] == "money" else 1.0
            value = _exact_sum(numbers[name], kinds[name]) / scale
            text = f"SUM({letter}{first_row + 1}:{letter}{last_row + 1})" if groups else "0"
            write_formula(
                ws, total_at, col_of[name], Formula(text, value), kinds[name], total=True, styles=styles
            )
            totals[name] = value
    for name in names:
        if name in texts:
            content = max((len(t) for t in texts[name]), default=0)
        else:
            content = _numeric_width(kinds[name], numbers[name])
            if name in totals:
                scale = KURUS_PER_LIRA if kinds[name] == "money" else 1.0
                content = max(content, _numeric_width(kinds[name], np.array([totals[name] * scale])))
        cap = MAX_WIDTH.get(kinds[name], DEFAULT_MAX_WIDTH)
        width = max(MIN_WIDTH, min(cap, max(content, _header_width(labels[name], autofilter)) + 2))
        _set_width(ws, col_of[name], float(width))
    _set_header_height(ws, header_row, {col_of[n]: labels[n] for n in names}, autofilter)
    right = left + len(names) - 1
    if autofilter and not ws.autofilter_area:
        ws.autofilter(header_row, left, max(last_row, header_row), right)
    if freeze and not ws.panes:
        ws.freeze_panes(first_row, 0)
    return TableRef(
        sheet=ws.name,
        header_row=header_row,
        first_row=first_row,
        last_row=last_row,
        total_row=total_at,
        columns=col_of,
        kinds=kinds,
        labels=labels,
        totals=totals,
        _numbers=numbers,
        _texts=texts,
    )


def _sort_key(text: str) -> str:
    """Sort key for Turkish text (case- and diacritic-insensitive, via :func:`gcdb.text.fold`)."""
    from gcdb.text import fold

    return fold(text)


def _infer_kind(value: Any) -> str:
    if isinstance(value, Check):
        return "check"
    if isinstance(value, bool | np.bool_):
        return "label"
    if isinstance(value, int | np.integer):
        return "count"
    if isinstance(value, float | np.floating | Formula):
        return "number"
    if isinstance(value, pd.Timestamp | np.datetime64) or hasattr(value, "isoformat"):
        return "date"
    return "text"


def write_kv(
    ws: Any,
    pairs: Iterable[tuple],
    *,
    top: int = 0,
    left: int = 0,
    lang: str = "tr",
    title: str | None = None,
    notes: Iterable[str] = (),
    styles: Styles | None = None,
) -> KVRef:
    """Write a key-value block (summary, methodology): one row per ``(label, value)`` or
    ``(label, value, kind)``.

    ``value`` may be a plain value (money in kuruş, like tables), a :class:`Formula` (written live with its
    cached value, in cell units), a :class:`Check`, or ``None`` (blank). Without a kind it is inferred
    (int → count, float → number, bool → label yes/no, date → date, other → text).
    """
    styles = _styles_for(ws, styles)
    row = write_title(ws, top, left, title, notes, styles=styles)
    first = row
    cells: dict[str, str] = {}
    values: dict[str, Any] = {}
    label_width, value_width = 0, 0
    for item in pairs:
        if len(item) == 2:
            label, value = item
            kind = _infer_kind(value)
        elif len(item) == 3:
            label, value, kind = item
        else:
            raise UsageError(f"write_kv takes (label, value) or (label, value, kind) pairs, got {item!r}")
        label = str(label)
        ws.write_string(row, left, label, styles.role("kv_label"))
        label_width = max(label_width, len(label))
        col = left + 1
        shown: Any = value
        if isinstance(value, Check):
            balanced = write_check(ws, row, col, value, lang=lang, styles=styles)
            shown = i18n.t("check.balanced" if balanced else "check.unbalanced", lang)
            value_width = max(value_width, len(shown))
        elif isinstance(value, Formula):
            write_formula(ws, row, col, value, kind, boxed=False, align="left", styles=styles)
            shown = value.value
            if isinstance(shown, int | float) and kind in NUMERIC_KINDS:
                scale = KURUS_PER_LIRA if kind == "money" else 1.0
                value_width = max(value_width, _numeric_width(kind, np.array([float(shown) * scale])))
        elif value is None or (isinstance(value, float) and not math.isfinite(value)):
            shown = None
        elif kind in TEXT_KINDS:
            if kind == "label":
                code = (C.YES if value else C.NO) if isinstance(value, bool | np.bool_) else str(value)
                text = C.label(code, lang)
            elif kind == "flag":
                text = i18n.t(f"flag.{value}", lang)
            else:
                text = _as_text(value)
            shown = text[:EXCEL_MAX_STRING]
            fmt = styles.cell(kind, flag=value if kind == "flag" else None, boxed=False, align="left")
            ws.write_string(row, col, shown, fmt)
            value_width = max(value_width, min(len(shown), MAX_WIDTH["text"]))
        elif kind in NUMERIC_KINDS:
            source = _numeric_values(pd.Series([value]), kind, label)
            shown = float(source[0] / KURUS_PER_LIRA if kind == "money" else source[0])
            if math.isfinite(shown):
                ws.write_number(row, col, shown, styles.cell(kind, boxed=False, align="left"))
                value_width = max(value_width, _numeric_width(kind, source))
            else:
                shown = None
        else:
            raise UsageError(f"write_kv: unknown kind {kind!r} for {label!r}")
        cells[label] = f"{quote_sheet(ws.name)}!${xl_col_to_name(col)}${row + 1}"
        values[label] = shown
        row += 1
    _set_width(ws, left, float(min(max(label_width + 2, 12), 50)))
    _set_width(ws, left + 1, float(min(max(value_width + 2, 14), MAX_WIDTH["text"])))
    return KVRef(
        sheet=ws.name,
        first_row=first,
        last_row=row - 1,
        label_col=left,
        value_col=left + 1,
        cells=cells,
        values=values,
    )
