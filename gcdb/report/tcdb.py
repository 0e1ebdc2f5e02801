"""The TCDB (toplumsal cinsiyete duyarlı bütçe, gender-responsive budgeting) workbook.

:func:`write_tcdb_workbook` turns a :class:`gcdb.budget.BudgetAnalysis` (with, optionally, the rule engine's
:class:`~gcdb.rules.TagResult` and the reader's :class:`~gcdb.read.ReadResult`) into the workbook finance staff
open, audit and publish. Sheets, in order (Turkish names by default, English with ``lang="en"``):

==========================  =====================================================================================
Özet / Summary              key figures; counted money by scheme × reading × phase per fiscal year with its share
                            of the budget and the floor check; the reconciliation with check cells; by category
Grafikler / Charts          gender budget by priority area (columns); execution rate by department (bars)
Amaçlar … Ekonomik          breakdowns by priority area, action, department, functional and economic code
Fonlanmayan Eylemler        plan actions active in the year with no money tagged
Saptırma                    diversion signals on tagged lines
Birim Boşlukları            responsible departments without a line tagged to their action
Kapsam / Coverage           what the rules caught: hits and money per rule, rules that never fire, overlaps
Satırlar / Lines            the detail: one row per tagged part, counted money under every scheme reading
Etiketlenmeyen / Untagged   untagged money per budget line, largest first
Yöntem / Methodology        schemes with sources and weights, rule set, input checksums, parameters, run date
Veri Kalitesi               the reader's reconciliation, issues table and quarantined rows
==========================  =====================================================================================

Audit trail. The totals of the summary are live formulas with cached values equal to the analysis' figures:
counted and tagged amounts are ``SUMIFS`` over the **Lines** sheet, budget totals ``SUMIFS`` over the department
breakdown (which lists every department of the budget), untagged amounts ``SUMIFS`` over the **Untagged** sheet;
*not counted* is the analysis' own value, so the two check cells of each reconciliation row (budget = tagged +
untagged; budget = counted + not counted + untagged) compare the detail with the analysis. Breakdown sheets list
every year × scheme reading, filtered on opening to the latest year and the primary scheme (the rule set's
``default_scheme``), with ``SUBTOTAL(109, …)`` totals that follow the filter. Money is shown in lira from integer
kuruş; all formats, formula-safe text, widths, frozen headers and filters come from :mod:`gcdb.report`.

Identical inputs give a byte-identical file (the run date is the fixed ``created`` date, see
:func:`gcdb.report.workbook.resolve_created`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from gcdb.budget.result import BudgetAnalysis
from gcdb.errors import UsageError
from gcdb.i18n import t
from gcdb.report import i18n
from gcdb.report import tcdb_method as M
from gcdb.report import tcdb_sections as S
from gcdb.report import tcdb_summary as Y
from gcdb.report.model import Report
from gcdb.report.tcdb_context import Context, counted_column, untagged_column
from gcdb.report.workbook import file_checksum, resolve_created
from gcdb.report.xlsx import render_xlsx

#: The order the workbook's sheets are filled in: the detail the summary's formulas add up comes first.
FILL_ORDER = (
    "sheet.tcdb_lines",
    "sheet.tcdb_untagged",
    "sheet.departments",
    "sheet.functional",
    "sheet.economic",
    "sheet.areas",
    "sheet.actions",
    "sheet.tcdb_unfunded",
    "sheet.tcdb_diversion",
    "sheet.tcdb_department_gaps",
    "sheet.tcdb_coverage",
    "sheet.summary",
    "sheet.charts",
    "sheet.methodology",
    "sheet.tcdb_data_quality",
)


def tcdb_report(
    analysis: BudgetAnalysis,
    *,
    tagging: Any = None,
    read_result: Any = None,
    ruleset: Any = None,
    inputs: Iterable[tuple[str, str | os.PathLike]] = (),
    lang: str = "tr",
    k: int = 5,
    created: datetime | date | None = None,
) -> Report:
    """The TCDB report model of ``analysis`` (see :func:`write_tcdb_workbook` for the arguments)."""
    if not isinstance(analysis, BudgetAnalysis):
        raise UsageError(
            f"analysis must be a BudgetAnalysis (gcdb.budget.analyse_budget), got {type(analysis).__name__}"
        )
    i18n._check_lang(lang)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise UsageError(f"k must be a positive integer, got {k!r}")
    stamp = resolve_created(created)
    ctx = Context(analysis, tagging, read_result, ruleset, list(inputs), lang, k, stamp)
    report = Report(
        title=t("title.tcdb", lang),
        subject=t("subject.tcdb", lang),
        keywords="TCDB",
        lang=lang,
        created=stamp,
        k=k,
        audience="analyst",
    )
    sections = [
        Y.summary(ctx),
        Y.charts(ctx),
        S.areas(ctx),
        S.actions(ctx),
        S.departments(ctx),
        S.functional(ctx),
        S.economic(ctx),
        S.unfunded(ctx),
        S.diversion(ctx),
        S.department_gaps(ctx),
        M.coverage(ctx),
        S.lines(ctx),
        *([S.untagged(ctx)] if ctx.untagged is not None else []),
        M.methodology(ctx),
        M.data_quality(ctx),
    ]
    for section in sections:
        report.add(section)
    report.fill_order = [key for key in FILL_ORDER if any(s.key == key for s in sections)]
    return report


def write_tcdb_workbook(
    path: str | os.PathLike,
    analysis: BudgetAnalysis,
    *,
    tagging: Any = None,
    read_result: Any = None,
    ruleset: Any = None,
    inputs: Iterable[tuple[str, str | os.PathLike]] = (),
    lang: str = "tr",
    k: int = 5,
    created: datetime | date | None = None,
) -> Path:
    """Write the TCDB workbook of ``analysis`` to ``path`` (``.xlsx``) and return the path.

    Parameters
    ----------
    analysis
        The result of :func:`gcdb.budget.analyse_budget`.
    tagging
        The :class:`~gcdb.rules.TagResult` the analysis was computed from: its rows give the Lines sheet the
        budget lines' units, codes and descriptions, the Untagged sheet its lines, and the Coverage sheet its
        tables. Without it (and without ``read_result``) those columns and sheets are left out.
    read_result
        The :class:`~gcdb.read.ReadResult` of the budget: the data-quality sheet shows its reconciliation, issues
        and quarantined rows; its ``data`` stands in for the tagged rows when ``tagging`` is None.
    ruleset
        The :class:`~gcdb.rules.RuleSet` used (default: ``tagging.ruleset``): name, version, file and default
        scheme for the methodology sheet; the default scheme is the primary one of the report.
    inputs
        ``(label, path)`` of every input file or folder, listed with its SHA-256 on the methodology sheet.
    lang
        ``"tr"`` (default) or ``"en"``.
    k
        Disclosure threshold passed to the report layer (``<k`` marker) and recorded; budget tables hold no
        counts of people, so nothing is suppressed.
    created
        The fixed document and run date (default: ``SOURCE_DATE_EPOCH``, else 2000-01-01).

    Raises
    ------
    UsageError
        ``analysis`` is not a :class:`BudgetAnalysis`, ``lang`` is unknown, or ``tagging``/``read_result`` do not
        belong to the analysis (their lines or amounts disagree with it).
    FileNotFoundError
        An ``inputs`` path does not exist.
    """
    report = tcdb_report(
        analysis,
        tagging=tagging,
        read_result=read_result,
        ruleset=ruleset,
        inputs=inputs,
        lang=lang,
        k=k,
        created=created,
    )
    return render_xlsx(report, path)


__all__ = [
    "FILL_ORDER",
    "counted_column",
    "file_checksum",
    "tcdb_report",
    "untagged_column",
    "write_tcdb_workbook",
]
