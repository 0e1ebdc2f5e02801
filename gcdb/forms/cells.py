"""Cell-level helpers of the form writer: formats, the value written in a cell, data-validation options, row
heights. :mod:`gcdb.forms.write` walks the spec; this module decides what one cell or one column looks like."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Final

import numpy as np
import pandas as pd
import xlsxwriter

from gcdb.forms.describe import kind_text
from gcdb.forms.messages import msg
from gcdb.forms.spec import INPUT_MESSAGE_MAX, INPUT_TITLE_MAX, FieldKind, FormField, SheetSpec

GREY, GREY_DARK, YELLOW, YELLOW_DARK, BORDER = "#EDEDED", "#D0CECE", "#FFF2CC", "#FFE699", "#BFBFBF"
_NUM_FORMATS: Final = {
    FieldKind.INTEGER: "#,##0",
    FieldKind.DECIMAL: "#,##0.####",
    FieldKind.PERCENT: "0.##",
    FieldKind.MONEY: "#,##0.00",
    FieldKind.DATE: "dd.mm.yyyy",
    FieldKind.TEXT: "@",
}


def is_blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value == ""


class Formats:
    """The handful of cell formats a form uses, created once per workbook."""

    def __init__(self, book: xlsxwriter.Workbook):
        self._book = book
        self._cache: dict[tuple, Any] = {}

    def get(self, role: str, kind: FieldKind | None = None, wrap: bool = False) -> Any:
        key = (role, kind, wrap)
        if key not in self._cache:
            self._cache[key] = self._book.add_format(self._properties(role, kind, wrap))
        return self._cache[key]

    @staticmethod
    def _properties(role: str, kind: FieldKind | None, wrap: bool) -> dict[str, Any]:
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        if role == "title":
            return {**base, "bold": True, "font_size": 14}
        if role == "subtitle":
            return {**base, "bold": True, "font_size": 11}
        if role == "note":
            return {**base, "italic": True, "font_color": "#595959"}
        if role == "paragraph":
            return {**base, "text_wrap": True}
        if role == "label":
            return {**base, "bold": True}
        if role in ("header_fixed", "header_fill"):
            colour = GREY_DARK if role == "header_fixed" else YELLOW_DARK
            return {
                **base,
                "bold": True,
                "text_wrap": True,
                "bg_color": colour,
                "border": 1,
                "border_color": BORDER,
                "valign": "vcenter",
            }
        props = {**base, "border": 1, "border_color": BORDER, "text_wrap": wrap}
        if kind in _NUM_FORMATS:
            props["num_format"] = _NUM_FORMATS[kind]
        if role == "fixed":
            return {**props, "bg_color": GREY, "locked": True}
        if role == "fill":
            props = {**props, "bg_color": YELLOW, "locked": False}
            if kind in (FieldKind.TEXT, FieldKind.CHOICE, FieldKind.YES_NO):
                props["quote_prefix"] = True  # typed "=…" stays text
            return props
        return base


def shown_texts(field: FormField, values: pd.Series, lang: str) -> list[str]:
    """Text written in a fixed column (choice labels instead of codes)."""
    if field.kind == FieldKind.CHOICE:
        labels = {c.code: c.label.get(lang) for c in field.choices}
        return [labels.get(str(v), "") if not is_blank(v) else "" for v in values.to_numpy(dtype=object)]
    return ["" if is_blank(v) else plain_text(v) for v in values.to_numpy(dtype=object)]


def plain_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cell_value(field: FormField, kind: FieldKind, value: Any, lang: str) -> Any:
    """The value written in a cell for a fixed or prefilled fill-in value (None: blank)."""
    if is_blank(value):
        return None
    if kind == FieldKind.CHOICE:
        labels = {c.code: c.label.get(lang) for c in field.choices}
        return labels.get(str(value), str(value))
    if kind == FieldKind.YES_NO:
        return msg("yes" if bool(value) else "no", lang)
    if kind == FieldKind.MONEY:
        return int(value) / 100  # prefilled money is given in kuruş
    if kind in (FieldKind.INTEGER, FieldKind.DECIMAL, FieldKind.PERCENT):
        return float(value) if not isinstance(value, int) else value
    if kind == FieldKind.DATE:
        return pd.Timestamp(value).to_pydatetime()
    return str(value)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validation_options(
    field: FormField, kind: FieldKind, lang: str, list_source: str | None
) -> dict[str, Any]:
    """xlsxwriter data-validation options for one fill-in field of one kind."""
    title = clip(field.label.get(lang), INPUT_TITLE_MAX)
    options: dict[str, Any] = {
        "input_title": title,
        "input_message": clip(
            kind_text(field, kind, lang) + (" " + field.help.get(lang) if field.help else ""),
            INPUT_MESSAGE_MAX,
        ),
        "error_title": clip(msg("validation.title", lang), INPUT_TITLE_MAX),
        "error_message": clip(kind_text(field, kind, lang), INPUT_MESSAGE_MAX),
        "ignore_blank": True,
    }
    lo, hi = field.bounds(kind)
    if kind in (FieldKind.CHOICE, FieldKind.YES_NO):
        options.update(validate="list", source=list_source)
    elif kind in (FieldKind.INTEGER, FieldKind.DECIMAL, FieldKind.PERCENT, FieldKind.MONEY):
        validate = "integer" if kind == FieldKind.INTEGER else "decimal"
        if lo is not None and hi is not None:
            options.update(validate=validate, criteria="between", minimum=lo, maximum=hi)
        elif lo is not None:
            options.update(validate=validate, criteria=">=", value=lo)
        elif hi is not None:
            options.update(validate=validate, criteria="<=", value=hi)
        else:
            options.update(validate=validate, criteria="between", minimum=-1e15, maximum=1e15)
    elif kind == FieldKind.DATE:
        options.update(
            validate="date", criteria="between", minimum=dt.date(1990, 1, 1), maximum=dt.date(2100, 12, 31)
        )
    elif kind == FieldKind.TEXT and field.max_length:
        options.update(validate="length", criteria="<=", value=field.max_length)
    else:
        options.update(validate="any")
    return options


DEFAULT_ROW_HEIGHT: Final = 15.0
LINE_HEIGHT: Final = 13.0
CHARS_PER_WIDTH: Final = 1.35  # characters of 10-point Calibri per unit of column width


def row_heights(sheet: SheetSpec, shown: dict[str, list[str]], n: int) -> np.ndarray:
    """Row heights (points) fitting the wrapped fixed texts of each row (spreadsheets do not grow rows written
    with wrapped text by themselves); at least two lines where the sheet has a wrapped fill-in column, so there is
    room to write."""
    room = 2.0 if any(f.wrap for f in sheet.fill_fields) else 1.0
    lines = np.full(n, room)
    for field in sheet.fixed_fields:
        if field.wrap and n:
            length = pd.Series(shown[field.name], dtype="str").str.len().fillna(0).to_numpy()
            lines = np.maximum(lines, np.ceil(length / (field.width * CHARS_PER_WIDTH)))
    return np.maximum(DEFAULT_ROW_HEIGHT, lines * LINE_HEIGHT + 2)


def runs(kinds: list[FieldKind]) -> list[tuple[int, int, FieldKind]]:
    """Contiguous runs ``(start, stop, kind)`` of equal kinds."""
    out: list[tuple[int, int, FieldKind]] = []
    start = 0
    for i in range(1, len(kinds) + 1):
        if i == len(kinds) or kinds[i] != kinds[start]:
            out.append((start, i, kinds[start]))
            start = i
    return out
