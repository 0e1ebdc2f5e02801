"""The report layer: a report model (:mod:`gcdb.report.model`: sections of headings, sentences, key figures,
tables and figures) rendered as a workbook (:func:`render_xlsx`), a web page (:func:`render_html`) and tidy
files (:func:`render_tidy`); the TCDB and Hizmette Eşitlik workbooks and the web reports are models built from
the analyses (``docs/report-model.md`` shows how to write a new one). Underneath, the sheet writers:

* :class:`ReportWorkbook` — a deterministic workbook (fixed document dates, byte-identical output) with sanitised
  sheet names; :meth:`ReportWorkbook.add_table_sheet` writes a frame as a sheet.
* :func:`write_table` / :class:`ColumnSpec` — a formatted table (headers in Turkish or English, number formats by
  column kind, suppressed ``<5`` cells, live total formulas) returning a :class:`TableRef` for cross-sheet
  formulas (:meth:`TableRef.sumifs`) and charts; :func:`write_kv` for summary/methodology blocks;
  :func:`write_group_totals` for ``SUMIFS`` sub-totals; :class:`Check` cells (“Denk” / “Balanced”).
* :mod:`gcdb.report.charts` — rate bars with a reference line, rankings, budget shares, execution rates.
* :func:`write_tidy` — every table as CSV and Parquet with canonical English names.
* :func:`t` — report strings in Turkish and English; :mod:`gcdb.report.style` owns every cell format.
"""

from gcdb.report.charts import execution_chart, place_chart, ranking_chart, rate_chart, share_chart
from gcdb.report.groups import write_group_totals
from gcdb.report.html import render_html
from gcdb.report.i18n import header, t
from gcdb.report.model import (
    Balance,
    Column,
    Figure,
    Heading,
    KeyValues,
    Place,
    Print,
    Report,
    RowRatio,
    Section,
    Sentence,
    Status,
    SumIfs,
    Table,
)
from gcdb.report.sheet import (
    Check,
    ColumnSpec,
    Formula,
    KVRef,
    RatioOf,
    StartsWith,
    TableRef,
    write_check,
    write_formula,
    write_kv,
    write_table,
)
from gcdb.report.style import KINDS, Styles
from gcdb.report.tidy import render_tidy, write_tidy
from gcdb.report.workbook import ReportWorkbook, sanitize_sheet_name
from gcdb.report.xlsx import render_xlsx

__all__ = [
    # the report model and its renderers
    "Report",
    "Section",
    "Heading",
    "Sentence",
    "KeyValues",
    "Table",
    "Column",
    "Figure",
    "Place",
    "Print",
    "SumIfs",
    "RowRatio",
    "Balance",
    "Status",
    "render_xlsx",
    "render_html",
    "render_tidy",
    # the sheet writers
    "ReportWorkbook",
    "sanitize_sheet_name",
    "ColumnSpec",
    "RatioOf",
    "StartsWith",
    "TableRef",
    "KVRef",
    "Formula",
    "Check",
    "write_table",
    "write_kv",
    "write_group_totals",
    "write_formula",
    "write_check",
    "rate_chart",
    "ranking_chart",
    "share_chart",
    "execution_chart",
    "place_chart",
    "write_tidy",
    "t",
    "header",
    "Styles",
    "KINDS",
]
