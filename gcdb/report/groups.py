"""Grouped live totals: one row per distinct value of a written table's column, ``SUMIFS`` sub-totals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from xlsxwriter.utility import xl_col_to_name

from gcdb.errors import UsageError
from gcdb.money import KURUS_PER_LIRA
from gcdb.report import i18n
from gcdb.report.cells import (
    DEFAULT_MAX_WIDTH,
    MAX_WIDTH,
    MIN_WIDTH,
    _header_width,
    _numeric_width,
    _set_header_height,
    _set_width,
    _styles_for,
)
from gcdb.report.refs import Formula, TableRef, _exact_sum
from gcdb.report.sheet import write_formula, write_title
from gcdb.report.style import TEXT_KINDS, Styles


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
