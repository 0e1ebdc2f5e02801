"""The xlsx renderer: a :class:`~gcdb.report.model.Report` as a deterministic Excel workbook.

Every section becomes a sheet (its name sanitised for Excel), every block is written by the sheet writers of
:mod:`gcdb.report.sheet` — formats by column kind, formula-safe text, ``<k`` / ``*`` marks, live totals — and
every :data:`~gcdb.report.model.CellFormula` becomes a live formula: ``SUMIFS`` over the table it names (its
cached value checked against that table's cells, so a workbook whose detail does not add up to the analysis is
never written), same-row ratios, check cells and status cells. Figures become native charts (a map has no Excel
chart and is left to the web page). Identical models give byte-identical files.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from gcdb.errors import UsageError
from gcdb.money import KURUS_PER_LIRA
from gcdb.report.cells import _SHEET_WIDTHS
from gcdb.report.charts import execution_chart, place_chart, ranking_chart, rate_chart, share_chart
from gcdb.report.model import (
    Balance,
    Figure,
    Heading,
    KeyValues,
    Report,
    RowRatio,
    Section,
    Sentence,
    Status,
    Subtotal,
    SumIfs,
    Table,
)
from gcdb.report.refs import Check, Formula, RatioOf, TableRef, excel_string
from gcdb.report.sheet import write_check, write_formula, write_kv, write_table, write_title
from gcdb.report.workbook import ReportWorkbook

_SUBTOTAL = "SUBTOTAL(109,{range})"
#: Characters of column width an A4 page holds at 100 % (Calibri 11, default margins).
PORTRAIT_CHARS, LANDSCAPE_CHARS = 95, 140
#: Smallest print scale a sheet is fitted to its page width at; wider sheets print across pages.
MIN_PRINT_SCALE = 0.75
#: A table longer than this gets its header row printed on every page (if its header is in the first rows).
LONG_TABLE_ROWS, HEADER_NEAR_TOP = 30, 12


def render_xlsx(report: Report, path: str | os.PathLike) -> Path:
    """Write ``report`` as an ``.xlsx`` workbook at ``path`` and return the path (nothing is written on error)."""
    with ReportWorkbook(
        path,
        lang=report.lang,
        title=report.title,
        subject=report.subject,
        keywords=report.keywords,
        created=report.created,
    ) as book:
        _Renderer(book, report).run()
    return Path(path)


class _ChartCommon(TypedDict):
    """The keyword arguments every chart function takes from a :class:`Figure`."""

    category: str
    lang: str
    title: str | None
    width: int | None


class _Renderer:
    """Writes one report into one workbook; holds the written tables' references for cross-sheet formulas."""

    def __init__(self, book: ReportWorkbook, report: Report):
        self.book = book
        self.report = report
        self.lang = report.lang
        self.refs: dict[str, Any] = {}
        self.tops: dict[str, int] = {}
        self.bottoms: dict[str, int] = {}

    def run(self) -> None:
        sheets = {s.key: self.book.add_sheet(s.name) for s in self.report.sections}
        order = self.report.fill_order or [s.key for s in self.report.sections]
        by_key = {s.key: s for s in self.report.sections}
        if sorted(order) != sorted(by_key):
            raise UsageError("the report's fill_order must name every section once")
        for key in order:
            self.section(sheets[key], by_key[key])
        for section in self.report.sections:
            if section.active:
                sheets[section.key].activate()

    # -- layout --------------------------------------------------------------------------------------------------
    def section(self, ws: Any, section: Section) -> None:
        self.cursor = -2  # the bottom row of the main column (the first block starts at row 0)
        self.side: dict[int, int] = {}
        for block in _figures_after_their_tables(section.blocks):
            top = self.top(block)
            if isinstance(block, Heading):
                bottom = write_title(ws, top, block.place.col, block.title, block.notes) - 2
            elif isinstance(block, Sentence):
                bottom = write_title(ws, top, block.place.col, None, [block.text]) - 2
            elif isinstance(block, KeyValues):
                ref = write_kv(
                    ws,
                    block.pairs,
                    top=top,
                    left=block.place.col,
                    lang=self.lang,
                    title=block.title,
                    notes=block.notes,
                )
                bottom = ref.last_row
                self.remember(block.key, ref)
            elif isinstance(block, Table):
                bottom = self.table(ws, block, top)
            elif isinstance(block, Figure):
                if block.kind == "map":  # no Excel chart type: the web report draws it
                    continue
                place_chart(ws, self.chart(block), top, block.place.col)
                bottom = top + block.place.rows - 1
            else:  # pragma: no cover - the model's Block union
                raise UsageError(f"unknown block {type(block).__name__}")
            if block.key:
                self.tops[block.key], self.bottoms[block.key] = top, bottom
            p = block.place
            if not (p.after or p.header_level_with or p.side):
                self.cursor = bottom
        page_setup(ws, section, self.refs)

    def top(self, block: Any) -> int:
        p = block.place
        if p.header_level_with:
            notes = len(getattr(block, "notes", ()))
            return max(self.refs[p.header_level_with].header_row - notes - 2, 0)
        if p.side:
            start = self.side.get(p.col, self.tops[p.side])
            self.side[p.col] = start + p.rows
            return start
        if p.after:
            return self.bottoms[p.after] + 1 + p.gap
        return self.cursor + 1 + p.gap

    def remember(self, key: str, ref: Any) -> None:
        if key:
            if key in self.refs:
                raise UsageError(f"two blocks of the report have the key {key!r}")
            self.refs[key] = ref

    # -- tables --------------------------------------------------------------------------------------------------
    def table(self, ws: Any, table: Table, top: int) -> int:
        names = [c.name for c in table.columns]
        kinds = {c: np.asarray(v, dtype=object) for c, v in table.hidden.items() if c in names}
        mask = {c: (v == "primary") | (v == "secondary") for c, v in kinds.items()}
        ref = write_table(
            ws,
            table.frame.reset_index(drop=True),
            table.columns,
            top=top,
            left=table.place.col,
            lang=self.lang,
            title=table.title,
            notes=table.notes,
            total_row=table.total_row,
            autofilter=table.autofilter,
            freeze=table.freeze,
            freeze_columns=table.freeze_columns,
            suppressed_mask=mask or None,
            k=self.report.k,
            flags=table.flags,
            na_rep=table.na_rep,
            styles=self.book.styles,
        )
        for col, kind in kinds.items():
            rows = np.flatnonzero(kind == "secondary")
            if len(rows):
                fmt = self.book.styles.cell(ref.kinds[col], suppressed=True)
                for i in rows.tolist():
                    ws.write_string(ref.first_row + i, ref.columns[col], "*", fmt)
        self.remember(table.key, ref)
        if table.filter is not None and ws.autofilter_area:
            for column, values in table.filter.values.items():
                ws.filter_column_list(ref.columns[column], list(values))
            for i in np.flatnonzero(~np.asarray(table.filter.visible, dtype=bool)).tolist():
                ws.set_row(ref.first_row + i, None, None, {"hidden": True})
        bottom = ref.total_row if ref.total_row is not None else max(ref.last_row, ref.header_row)
        if table.subtotal is not None:
            self.subtotal(ws, ref, table.subtotal)
            bottom = ref.last_row + 1
        self.cells(ws, ref, table)
        if table.empty_note and not ref.n_rows:
            ws.write_string(ref.first_row, table.place.col, table.empty_note, self.book.styles.role("note"))
        return bottom

    def subtotal(self, ws: Any, ref: TableRef, spec: Subtotal) -> None:
        """A total row of ``SUBTOTAL(109, …)`` formulas (they add the rows a filter shows), cached with the sum of
        the visible rows."""
        styles = self.book.styles
        row = ref.last_row + 1
        names = sorted(ref.columns, key=lambda name: ref.columns[name])
        visible = np.ones(ref.n_rows, dtype=bool) if spec.visible is None else np.asarray(spec.visible, bool)
        for name in names[1:]:
            if name not in spec.totals:
                ws.write_blank(row, ref.columns[name], None, styles.cell(ref.kinds[name], total=True))
        ws.write_string(row, ref.columns[names[0]], spec.label, styles.cell("text", total=True))
        sums: dict[str, tuple[str, float]] = {}

        def column_sum(name: str) -> tuple[str, float]:
            if name not in sums:
                values = np.asarray(ref.values(name), dtype=np.float64)[visible]
                if ref.kinds[name] == "money":
                    finite = values[np.isfinite(values)]
                    value = int(np.round(finite * KURUS_PER_LIRA).astype(np.int64).sum()) / KURUS_PER_LIRA
                else:
                    value = float(np.nansum(values))
                sums[name] = (_SUBTOTAL.format(range=ref.range(name, sheet=False)), value)
            return sums[name]

        for name, how in spec.totals.items():
            value: float | None
            if how == "sum":
                text, value = column_sum(name)
            else:
                assert isinstance(how, RatioOf), f"subtotal of {name!r}: 'sum' or RatioOf(...), got {how!r}"
                num_text, num = column_sum(how.numerator)
                den_text, den = column_sum(how.denominator)
                scale = "" if how.scale == 1 else f"*{how.scale!r}"
                text = f'IF({den_text}=0,"",{num_text}/{den_text}{scale})'
                value = num / den * how.scale if den else None
            write_formula(ws, row, ref.columns[name], Formula(text, value), ref.kinds[name], total=True)

    # -- cells computed from other cells -----------------------------------------------------------------------
    def cells(self, ws: Any, ref: TableRef, table: Table) -> None:
        written: dict[tuple[int, str], float] = {}

        def value(row: int, name: str) -> float:
            if (row, name) in written:
                return written[(row, name)]
            return float(ref.values(name)[row])

        for rule in table.cells:
            f, row, name = rule.formula, rule.row, rule.column
            if isinstance(f, SumIfs):
                formula = self.sumifs(f)
            elif isinstance(f, RowRatio):
                num, den = (ref.cell(n, row, sheet=False) for n in (f.numerator, f.denominator))
                formula = Formula(f'IF({den}=0,"",{num}/{den})', _finite(f.value))
            elif isinstance(f, Balance):
                left, right = (
                    Formula(
                        "+".join(ref.cell(n, row, sheet=False) for n in side),
                        _add(value(row, n) for n in side),
                    )
                    for side in (f.left, f.right)
                )
                write_check(
                    ws,
                    ref.first_row + row,
                    ref.columns[name],
                    Check(left, right, f.tolerance),
                    lang=self.lang,
                )
                continue
            elif isinstance(f, Status):
                a, b = ref.cell(f.left, row, sheet=False), ref.cell(f.right, row, sheet=False)
                self.status(ws, ref.first_row + row, ref.columns[name], f"{a}>={b}", f)
                continue
            else:  # pragma: no cover - the model's CellFormula union
                raise UsageError(f"unknown cell formula {type(f).__name__}")
            write_formula(ws, ref.first_row + row, ref.columns[name], formula, ref.kinds[name])
            written[(row, name)] = formula.value

    def sumifs(self, f: SumIfs) -> Formula:
        """``SUMIFS`` over a written table whose cached value is the analysis' figure, checked against the cells
        (``None`` criteria match blank cells and are not checked)."""
        ref = self.refs.get(f.table)
        if ref is None:
            raise UsageError(f"a formula refers to table {f.table!r}, which is not written before it")
        scale = KURUS_PER_LIRA if ref.kinds[f.column] == "money" else 1
        expected = int(f.expected) / scale if scale != 1 else float(f.expected)
        text = ref.sumifs_text(f.column, {k: ("" if v is None else v) for k, v in f.criteria.items()})
        if all(v is not None for v in f.criteria.values()):
            found = ref.sumifs(f.column, f.criteria).value
            if round(found * scale) != round(float(f.expected)):
                raise UsageError(
                    f"sheet {ref.sheet!r}: {f.column} for {dict(f.criteria)} adds up to {found:,.2f} but the "
                    f"analysis says {expected:,.2f}; were the tagged rows and the analysis computed from the same "
                    "budget?"
                )
        return Formula(text, expected)

    def status(self, ws: Any, row: int, col: int, condition: str, f: Status) -> None:
        """``=IF(condition, ok, not ok)`` styled green/red like a check cell (the colour follows recalculation)."""
        styles = self.book.styles
        formula = f"=IF({condition},{excel_string(f.ok_text)},{excel_string(f.bad_text)})"
        ws.write_formula(
            row,
            col,
            formula,
            styles.role("check_ok" if f.ok else "check_bad"),
            f.ok_text if f.ok else f.bad_text,
        )
        for shown, role in ((f.ok_text, "check_ok"), (f.bad_text, "check_bad")):
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

    # -- figures -------------------------------------------------------------------------------------------------
    def chart(self, fig: Figure) -> Any:
        ref = self.refs[fig.table]
        common: _ChartCommon = {
            "category": fig.category,
            "lang": self.lang,
            "title": fig.title,
            "width": fig.width,
        }
        if fig.kind == "share":
            return share_chart(self.book, ref, values=list(fig.values), height=fig.height, **common)
        if fig.kind == "execution":
            return execution_chart(self.book, ref, value=fig.values[0], reference=fig.reference, **common)
        if fig.kind == "ranking":
            return ranking_chart(self.book, ref, value=fig.values[0], value_title=fig.value_title, **common)
        if fig.kind == "rate":
            chart = rate_chart(
                self.book,
                ref,
                value=fig.values[0],
                reference=fig.reference,
                reference_label=fig.reference_label,
                **common,
            )
            if fig.from_zero:
                _from_zero(chart)
            return chart
        raise UsageError(f"unknown figure kind {fig.kind!r}")


def page_setup(ws: Any, section: Section, refs: dict) -> None:
    """Printed pages a person can read: A4, landscape when the sheet is wide, fitted to the page width only
    while the print stays at three quarters of its size or more (wider sheets print across pages with their
    key columns repeated), and the header row of the sheet's long table repeated on every page."""
    p = section.print
    width = sum(_SHEET_WIDTHS.get(ws, {}).values())
    a3 = 1.41 if p.paper == 8 else 1.0  # A3 holds √2 times an A4's width
    landscape = p.landscape or width > PORTRAIT_CHARS * a3
    if landscape:
        ws.set_landscape()
    if p.paper is not None:
        ws.set_paper(p.paper)
    if p.fit is not None:
        ws.fit_to_pages(*p.fit)
    else:
        page = (LANDSCAPE_CHARS if landscape else PORTRAIT_CHARS) * a3
        across = max(1, math.ceil(width / (page / MIN_PRINT_SCALE)))
        ws.fit_to_pages(across, 0)
    header = repeated_header(section, refs)
    if header is not None:
        ws.repeat_rows(header)
    if p.repeat_columns is not None:
        ws.repeat_columns(*p.repeat_columns)
    elif p.fit is None and width > (LANDSCAPE_CHARS if landscape else PORTRAIT_CHARS) * a3 / MIN_PRINT_SCALE:
        keys = [b for b in section.blocks if isinstance(b, Table) and b.freeze_columns]
        if keys:
            left = keys[0].place.col
            ws.repeat_columns(left, left + keys[0].freeze_columns - 1)
    if p.freeze is not None:
        ws.freeze_panes(*p.freeze)


def repeated_header(section: Section, refs: dict) -> int | None:
    """The header row to print on every page: the given table's, else that of the sheet's one long table
    when it starts near the top of the sheet."""
    if section.print.repeat_header_of:
        return refs[section.print.repeat_header_of].header_row
    long = [
        refs[b.key]
        for b in section.blocks
        if isinstance(b, Table) and b.key in refs and refs[b.key].n_rows > LONG_TABLE_ROWS
    ]
    if len(long) == 1 and long[0].header_row <= HEADER_NEAR_TOP:
        return long[0].header_row
    return None


def _figures_after_their_tables(blocks: list) -> list:
    """The blocks in writing order: a figure that comes before the table it draws (as on a web page, where the
    data table follows the chart) is written right after that table, since a chart needs the table's cells."""
    written: set[str] = set()
    waiting: dict[str, list] = {}
    later = {b.key for b in blocks if isinstance(b, Table)}
    out = []
    for block in blocks:
        if isinstance(block, Figure) and block.table in later and block.table not in written:
            waiting.setdefault(block.table, []).append(block)
            continue
        out.append(block)
        if isinstance(block, Table):
            written.add(block.key)
            out += waiting.pop(block.key, [])
    return out


def _from_zero(chart: Any) -> Any:
    """Start a bar chart's value axis at 0, so a ratio of 0.94 does not look like a gap of 90 %.

    :func:`gcdb.report.rate_chart` lets the axis scale itself; xlsxwriter keeps the converted axis options in
    ``chart.x_axis`` (the value axis of a bar chart), whose ``min`` it writes as the axis minimum.
    """
    axis = getattr(chart, "x_axis", None)
    if isinstance(axis, dict) and axis.get("min") is None:
        axis["min"] = 0
    return chart


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _add(values: Any) -> float:
    total = 0.0
    for v in values:
        total += v
    return total
