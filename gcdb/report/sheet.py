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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from gcdb.errors import UsageError
from gcdb.money import KURUS_PER_LIRA
from gcdb.report import i18n
from gcdb.report.cells import (  # noqa: F401  (re-exported: the writers' helpers)
    DEFAULT_MAX_WIDTH,
    EXCEL_MAX_COLS,
    EXCEL_MAX_ROWS,
    EXCEL_MAX_STRING,
    MAX_WIDTH,
    MIN_WIDTH,
    ROW_HEIGHT,
    _as_text,
    _flags,
    _header_width,
    _numeric_values,
    _numeric_width,
    _set_header_height,
    _set_width,
    _styles_for,
    _suppression,
    _text_values,
    register_sheet,
)
from gcdb.report.refs import (  # noqa: F401  (re-exported: the public specs live with the writers' API)
    Check,
    ColumnSpec,
    Formula,
    KVRef,
    RatioOf,
    StartsWith,
    TableRef,
    _exact_sum,
    excel_string,
    quote_sheet,
)
from gcdb.report.style import NUMERIC_KINDS, SUMMABLE_KINDS, TEXT_KINDS, Styles


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
            value: float | None
            if not isinstance(how, RatioOf):  # "sum" (_normalise_totals allows nothing else)
                text, value = column_sum(name)
            else:
                num_text, num = column_sum(how.numerator)
                den_text, den = column_sum(how.denominator)
                value = num / den * how.scale if den else None
                if num_text is not None and den_text is not None:
                    times = "" if how.scale == 1 else f"*{how.scale!r}"
                    text = f'IF({den_text}=0,"",{num_text}/{den_text}{times})'
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


from gcdb.report.kv import write_kv  # noqa: E402,F401  (re-exported: the key-value writer)
