"""Column conversion for the sheet writers (vectorised per column), column widths and header heights, and the
link from a worksheet to its workbook's :class:`~gcdb.report.style.Styles`."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.money import KURUS_PER_LIRA
from gcdb.report import i18n
from gcdb.report.refs import ColumnSpec
from gcdb.report.style import NUMERIC_KINDS, Styles

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
