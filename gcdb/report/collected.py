"""What the reports on collected returns share — the monitoring report (:mod:`gcdb.report.monitoring`), the costing
report (:mod:`gcdb.report.costing`) and the checklist report (:mod:`gcdb.report.checklists`): code labels on
distinct values, the data-quality table naming file, sheet and cell, the parameters table, and the workbook +
tidy-table writer they all end with.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import i18n
from gcdb.report.i18n import _check_lang, column_labels, issue_messages, issue_values
from gcdb.report.model import Column, Heading, Place, Print, Section, Table

#: The extra columns of a form issues table (:data:`gcdb.forms.FORM_ISSUE_COLUMNS`).
SHEET, CELL = "sheet", "cell"


class Texts:
    """Strings of one report in one language: :meth:`t` reads the catalogue, :meth:`code` labels a code."""

    def __init__(self, lang: str):
        _check_lang(lang)
        self.lang = lang

    def t(self, key: str, **values: Any) -> str:
        return i18n.t(key, self.lang, **values)

    def col(self, name: str, label_key: str | None = None) -> str:
        """Header of a column: a canonical label (:mod:`gcdb.columns`) or the catalogue's ``label_key``."""
        if label_key is None:
            return C.label(name, self.lang)
        return self.t(label_key)


def labelled(series: pd.Series, label: Callable[[str], str]) -> pd.Series:
    """``series`` of codes shown by their labels (computed once per distinct code; missing stays missing)."""
    distinct = series.dropna().unique()
    return series.map({code: label(str(code)) for code in distinct}).astype("str")


def chart_rows(bars: int) -> int:
    """Sheet rows a horizontal bar chart of ``bars`` bars takes (its height at 20 pixels a row, and a gap), so the
    block below it starts under it (:func:`gcdb.report.charts.ranking_chart` grows with its bars)."""
    from gcdb.report.charts import BAR_HEIGHT, DEFAULT_SIZE

    return -(-max(DEFAULT_SIZE[1], 90 + BAR_HEIGHT * bars) // 20) + 2


def under(mask: Any) -> pd.Series:
    """Cell flags: ``"under"`` (tinted red) where ``mask`` holds, nothing elsewhere."""
    return pd.Series(np.where(np.asarray(mask, dtype=bool), "under", ""), dtype="str")


def issues_table(
    key: str,
    issues: pd.DataFrame,
    texts: Texts,
    *,
    title: str,
    notes: Iterable[str] = (),
    empty_note: str | None = None,
    place: Place | None = None,
) -> Table:
    """An issues table for people, errors first: file, sheet and cell when the issues name them (form issues), row,
    column, code, severity, the message (in Turkish with the code's description first) and the value."""
    lang = texts.lang
    rank = (issues[C.ISSUE_SEVERITY] != C.ERROR).to_numpy(dtype=np.int64)  # errors first, then warnings
    frame = issues.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)
    shown = frame.assign(
        **{
            C.ISSUE_COLUMN: column_labels(frame[C.ISSUE_COLUMN], lang),
            C.ISSUE_MESSAGE: issue_messages(frame[C.ISSUE_CODE], frame[C.ISSUE_MESSAGE], lang),
            C.ISSUE_VALUE: issue_values(frame[C.ISSUE_COLUMN], frame[C.ISSUE_VALUE], lang),
        }
    )
    columns = [Column(C.ISSUE_FILE, "text", C.label(C.ISSUE_FILE, lang), width=34)]
    if CELL in shown.columns:
        columns += [
            Column(SHEET, "text", texts.t("collected.col.sheet")),
            Column(CELL, "code", texts.t("collected.col.cell")),
        ]
    columns += [
        Column(C.ISSUE_ROW, "count", C.label(C.ISSUE_ROW, lang)),
        Column(C.ISSUE_COLUMN, "text", C.label(C.ISSUE_COLUMN, lang), width=24),
        Column(C.ISSUE_CODE, "code", C.label(C.ISSUE_CODE, lang)),
        Column(C.ISSUE_SEVERITY, "label", C.label(C.ISSUE_SEVERITY, lang)),
        Column(C.ISSUE_MESSAGE, "text", C.label(C.ISSUE_MESSAGE, lang), width=80),
        Column(C.ISSUE_VALUE, "text", C.label(C.ISSUE_VALUE, lang), width=20),
    ]
    return Table(
        key,
        shown,
        columns,
        title=title,
        notes=list(notes),
        empty_note=empty_note or texts.t("collected.no_issues"),
        place=place or Place(gap=2),
    )


def issue_counts(issues: pd.DataFrame) -> tuple[int, int]:
    """(errors, warnings) of an issues table."""
    errors = int((issues[C.ISSUE_SEVERITY] == C.ERROR).sum())
    return errors, len(issues) - errors


def parameters_table(key: str, parameters: Mapping[str, Any], texts: Texts, *, title: str) -> Table:
    """The options of a run as a two-column table (parameter, value)."""
    frame = pd.DataFrame(
        {
            "parameter": pd.Series(list(parameters), dtype="str"),
            "value": pd.Series([str(v) for v in parameters.values()], dtype="str"),
        }
    )
    return Table(
        key,
        frame,
        [
            Column("parameter", "code", texts.t("collected.col.parameter")),
            Column("value", "text", texts.t("collected.col.value"), width=60),
        ],
        title=title,
        autofilter=False,
        freeze=False,
        place=Place(gap=2),
    )


def notes_section(key: str, name: str, title: str, notes: Iterable[str], *blocks: Any) -> Section:
    """A methodology sheet: the notes a reader needs, then ``blocks`` (parameters, inputs …)."""
    section = Section(key, name, print=Print(landscape=False))
    section.add(Heading(title, list(notes)))
    for block in blocks:
        section.add(block)
    return section


def write_outputs(
    report: Any,
    workbook: str | os.PathLike | None,
    tables: Mapping[str, pd.DataFrame],
    tidy: str | os.PathLike | None,
    *,
    csv_dialect: str = "plain",
) -> list[Path]:
    """Render ``report`` to the ``workbook`` path (if given) and write ``tables`` as tidy CSV/Parquet with their
    ``datapackage.json`` into ``tidy`` (if given); return the files written (the workbook first)."""
    from gcdb.report.tidy import write_tidy
    from gcdb.report.xlsx import render_xlsx

    written: list[Path] = []
    if workbook is not None:
        written.append(render_xlsx(report, workbook))
    if tidy is not None:
        written += write_tidy(tables, tidy, csv_dialect=csv_dialect, lang=report.lang)
    return written


__all__ = [
    "CELL",
    "chart_rows",
    "SHEET",
    "Texts",
    "issue_counts",
    "issues_table",
    "labelled",
    "notes_section",
    "parameters_table",
    "under",
    "write_outputs",
]
