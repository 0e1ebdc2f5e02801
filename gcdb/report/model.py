"""What a report says, as plain data: sections of blocks (headings, key figures, tables, figures, sentences).

A report model is built once from analysis results (:mod:`gcdb.report.tcdb`, :mod:`gcdb.report.services`,
:mod:`gcdb.report.web`) and walked by renderers: :func:`gcdb.report.xlsx.render_xlsx` (a workbook with live
totals, charts and Turkish number formats), :func:`gcdb.report.html.render_html` (a self-contained web page) and
:func:`gcdb.report.tidy.render_tidy` (every keyed table as CSV/Parquet). A new report is a new model-building
module, never a new renderer; ``docs/report-model.md`` shows how to write one.

Values follow the conventions of the analysis frames: money in **integer kuruş**, percentages as fractions,
rates per 1,000. Text is final text in the report language (the builder translates with :func:`gcdb.i18n.t`);
column headers are :class:`Column` labels. Cross-references (a total that is a ``SUMIFS`` over another table,
a check that two sums agree) are symbolic :data:`CellFormula` objects naming tables by their ``key``; the xlsx
renderer turns them into live formulas whose cached values it checks against the referenced cells, the other
renderers show the values.

Layout hints for the workbook (:class:`Place`, :class:`Print`) are plain data too; the web renderer ignores them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from gcdb.errors import UsageError
from gcdb.report.refs import ColumnSpec as Column
from gcdb.report.refs import RatioOf, StartsWith

# ---------------------------------------------------------------------------------------------------------------
# Cell formulas: a cell of a table computed from other cells (symbolic; resolved by the xlsx renderer)
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SumIfs:
    """The sum of ``column`` of table ``table`` over the rows matching ``criteria`` (column → value; ``None``
    matches blank cells, :class:`~gcdb.report.refs.StartsWith` a prefix). ``expected`` is the analysis' figure
    in the column's source units (kuruş for money); the xlsx renderer checks the referenced cells add up to it."""

    table: str
    column: str
    criteria: Mapping[str, Any]
    expected: Any


@dataclass(frozen=True)
class RowRatio:
    """``numerator ÷ denominator`` of two cells of the same row (blank when the denominator is 0)."""

    numerator: str
    denominator: str
    value: float | None


@dataclass(frozen=True)
class Balance:
    """A check cell: the sum of the ``left`` cells of the row equals the sum of the ``right`` cells
    (within half a kuruş); shows *balanced* / *not balanced* in the report language."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    tolerance: float = 0.005


@dataclass(frozen=True)
class Status:
    """``left >= right`` over two cells of the row, shown as ``ok_text`` or ``bad_text`` (green / red)."""

    left: str
    right: str
    ok: bool
    ok_text: str
    bad_text: str


CellFormula = SumIfs | RowRatio | Balance | Status


@dataclass(frozen=True)
class CellRule:
    """A :data:`CellFormula` for the cell of ``column`` in data row ``row`` (0-based)."""

    row: int
    column: str
    formula: CellFormula


# ---------------------------------------------------------------------------------------------------------------
# Layout hints (the workbook's; the web page flows)
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where the xlsx renderer puts a block on its sheet.

    By default below the previous block of the main column, ``gap`` blank rows apart, at column ``col``.
    ``after``: below that block instead (the main column does not move). ``header_level_with``: at column
    ``col``, its header row level with that table's header row. ``side``: a figure in a side stack at column
    ``col`` that starts at the top of that block; each figure of the stack takes ``rows`` rows.
    ``rows``: the rows a figure takes in the flow.
    """

    gap: int = 1
    col: int = 0
    after: str | None = None
    header_level_with: str | None = None
    side: str | None = None
    rows: int = 0


@dataclass(frozen=True)
class Print:
    """Page setup of a section's sheet: orientation, paper (9 = A4, 8 = A3), pages across × down (0 = as many
    as needed), the table whose header row repeats on every page, repeated columns, frozen panes."""

    landscape: bool = False
    paper: int | None = None
    fit: tuple[int, int] | None = None
    repeat_header_of: str | None = None
    repeat_columns: tuple[int, int] | None = None
    freeze: tuple[int, int] | None = None


# ---------------------------------------------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Heading:
    """A title and note lines."""

    title: str | None
    notes: Sequence[str] = ()
    key: str = ""
    place: Place = field(default_factory=Place)


@dataclass
class Sentence:
    """A key sentence for readers (web reports); ``emphasis`` marks the figure it is about."""

    text: str
    emphasis: str = ""
    key: str = ""
    place: Place = field(default_factory=Place)


@dataclass
class KeyValues:
    """Labelled values, one per row: ``(label, value, kind)`` with money in kuruş (kinds of
    :mod:`gcdb.report.style`)."""

    pairs: Sequence[tuple[str, Any, str]]
    title: str | None = None
    notes: Sequence[str] = ()
    key: str = ""
    place: Place = field(default_factory=Place)


@dataclass(frozen=True)
class Subtotal:
    """A total row under a table that adds the rows a filter shows (``SUBTOTAL(109, …)``); ``visible`` rows
    give its cached values (default: all)."""

    label: str
    totals: Mapping[str, str | RatioOf]
    visible: np.ndarray | None = None


@dataclass(frozen=True)
class Filter:
    """The table opens filtered: ``values`` (column → shown texts) and the rows it leaves ``visible``."""

    values: Mapping[str, Sequence[str]]
    visible: np.ndarray


@dataclass
class Table:
    """A table: ``frame`` shown through ``columns`` (order, kind, header label, width).

    ``hidden``: column → per-row suppression kind (``"primary"`` shown ``<k``, ``"secondary"`` shown ``*``,
    ``""`` shown). ``flags``: column → per-row ``"under"``/``"over"``/missing, tinting the cells. ``total_row``:
    live totals (``True`` for every summable column, or column → ``"sum"``/:class:`RatioOf`). ``cells``: cells
    computed from other cells, in the order they are written. ``empty_note``: written in the first data row of
    an empty table. ``tidy``: the file name the tidy renderer writes the table under (none: not written).
    """

    key: str
    frame: pd.DataFrame
    columns: Sequence[Column]
    title: str | None = None
    notes: Sequence[str] = ()
    total_row: bool | Mapping[str, str | RatioOf] = False
    hidden: Mapping[str, np.ndarray] = field(default_factory=dict)
    flags: Mapping[str, pd.Series] | None = None
    na_rep: str | None = None
    autofilter: bool = True
    freeze: bool = True
    freeze_columns: int = 0
    cells: Sequence[CellRule] = ()
    subtotal: Subtotal | None = None
    filter: Filter | None = None
    empty_note: str | None = None
    caption: str = ""
    tidy: str | None = None
    place: Place = field(default_factory=Place)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        missing = [n for n in names if n not in self.frame.columns]
        if missing:
            raise UsageError(f"table {self.key!r}: the frame has no column(s) {', '.join(missing)}")


@dataclass
class Figure:
    """A chart over a table's columns: ``kind`` ``"rate"`` (bars from a reference line), ``"ranking"``
    (bars from zero), ``"share"`` (columns, one series per value column), ``"execution"`` (a rate chart of an
    execution rate), or ``"map"`` (a choropleth of districts: ``category`` holds district names, web only).

    ``alt`` describes the figure for readers who cannot see it; the web page shows the table's data beside it.
    """

    kind: str
    table: str
    category: str
    values: Sequence[str]
    title: str | None = None
    value_title: str | None = None
    reference: float | None = None
    reference_label: str | None = None
    width: int | None = None
    height: int | None = None
    from_zero: bool = False
    alt: str = ""
    source: str = ""
    key: str = ""
    place: Place = field(default_factory=Place)


Block = Heading | Sentence | KeyValues | Table | Figure
BlockT = TypeVar("BlockT", Heading, Sentence, KeyValues, Table, Figure)


@dataclass
class Section:
    """A part of the report: a sheet of the workbook, a ``<section>`` of the web page."""

    key: str
    name: str
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    print: Print = field(default_factory=Print)
    active: bool = False

    def add(self, block: BlockT) -> BlockT:
        self.blocks.append(block)
        return block


@dataclass
class Report:
    """A whole report: metadata and its sections in reading order.

    ``fill_order`` (section keys) is the order the xlsx renderer fills the sheets in when it differs from the
    reading order: sheets whose tables other sheets' formulas reference come first. ``links`` are (text, href)
    pairs a web page shows (e.g. the detailed workbook).
    """

    title: str
    lang: str
    created: datetime
    sections: list[Section] = field(default_factory=list)
    subject: str = ""
    keywords: str = ""
    audience: str = ""
    fill_order: Sequence[str] | None = None
    links: Sequence[tuple[str, str]] = ()
    notes: Sequence[str] = ()
    k: int = 5

    def add(self, section: Section) -> Section:
        if any(s.key == section.key for s in self.sections):
            raise UsageError(f"the report already has a section {section.key!r}")
        self.sections.append(section)
        return section

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise UsageError(f"the report has no section {key!r}")

    def tables(self) -> list[Table]:
        """Every table, in reading order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table:
        for table in self.tables():
            if table.key == key:
                return table
        raise UsageError(f"the report has no table {key!r}")


__all__ = [
    "Balance",
    "Block",
    "CellFormula",
    "CellRule",
    "Column",
    "Figure",
    "Filter",
    "Heading",
    "KeyValues",
    "Place",
    "Print",
    "RatioOf",
    "Report",
    "RowRatio",
    "Section",
    "Sentence",
    "StartsWith",
    "Status",
    "Subtotal",
    "SumIfs",
    "Table",
]
