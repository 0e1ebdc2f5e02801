"""Specs and references of written tables: column specs, formulas, check cells and :class:`TableRef`, which other
sheets and charts use to reference a table's ranges (A1 references, ``SUMIFS`` with values computed from the cells).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from gcdb.errors import UsageError
from gcdb.money import KURUS_PER_LIRA
from gcdb.report.style import KINDS


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


def _exact_sum(source: np.ndarray, kind: str) -> float:
    finite = source[np.isfinite(source)]
    if kind == "money":  # integer kuruş: sum exactly
        return float(finite.astype(np.int64).sum())
    return float(math.fsum(finite.tolist()))
