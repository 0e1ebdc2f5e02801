"""Key-value blocks (summary figures, methodology): one labelled value per row, formatted by kind."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.money import KURUS_PER_LIRA
from gcdb.report import i18n
from gcdb.report.cells import (
    EXCEL_MAX_STRING,
    MAX_WIDTH,
    _as_text,
    _numeric_values,
    _numeric_width,
    _set_width,
    _styles_for,
)
from gcdb.report.refs import Check, Formula, KVRef, quote_sheet
from gcdb.report.sheet import write_check, write_formula, write_title
from gcdb.report.style import NUMERIC_KINDS, TEXT_KINDS, Styles


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
