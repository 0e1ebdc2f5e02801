"""The İzleme ve Değerlendirme Raporu (monitoring and evaluation report) as a report model.

:func:`monitoring_report` builds a :class:`~gcdb.report.model.Report` from a :class:`gcdb.monitor.MonitoringAnalysis`
(its tables, :meth:`~gcdb.monitor.MonitoringAnalysis.key_numbers` and :meth:`~gcdb.monitor.MonitoringAnalysis.notes`);
:func:`write_monitoring_workbook` renders it with :func:`gcdb.report.render_xlsx` and writes the analysis' tidy
tables. Sheets, in order (Turkish names by default, English with ``lang="en"``):

=====================  ===========================================================================================
Özet / Summary         the joined money × implementation table of each year first (funded and done, funded not
                       done, done without a budget line, not funded not done — revised appropriation), with live
                       totals; the key figures per year
Ödenek ve Uygulama     the same counts in every budget phase
Eylem Ödenekleri       one row per action with its tagged money per phase, its group and the money the units
                       reported
Eylemler / Actions     the status of every action by area, target, responsible unit and year, with the cell it
                       was read from
Durum Özeti            actions per status for every area, target and unit, per year; done share by area (chart)
Göstergeler            indicator attainment per status and year; indicator kinds (what is computable)
Gösterge Değerleri     every indicator per year: baseline, target, actual, direction, attainment
Eğilimler / Trends     each action against the previous collected year
Personel / Workforce   the plan's staff indicators computed from the workforce table (small counts hidden)
Formlar / Returns      the units expected, who returned complete, incomplete, late or refused; the files read
Veri Kalitesi          every problem found, with file, sheet and cell
Yöntem / Method        how to read the tables (the analysis' notes) and the parameters of the run
=====================  ===========================================================================================

Money is shown in lira from integer kuruş; the tidy tables keep kuruş and the analysis' codes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.report.collected import (
    chart_rows,
    issue_counts,
    issues_table,
    labelled,
    notes_section,
    parameters_table,
    under,
    write_outputs,
)
from gcdb.report.model import Column, Figure, Heading, Place, Print, Report, Section, Table
from gcdb.report.monitoring_money import (  # noqa: F401  (MONEY_TABLE, HEADLINE_PHASE are public here)
    HEADLINE_PHASE,
    MONEY_TABLE,
    _Ctx,
    money,
    money_actions,
    summary,
)
from gcdb.report.workbook import resolve_created


# -- actions ----------------------------------------------------------------------------------------------------
def actions(ctx: _Ctx) -> Section:
    from gcdb.monitor import status as S

    a, N = ctx.a, ctx.N
    frame = a.action_status.assign(
        _area=lambda f: ctx.area(f[C.AREA].astype("str")),
        _unit=lambda f: ctx.unit(f[S.RESPONSIBLE_UNIT]),
        _status=lambda f: ctx.code(f[N.STATUS]),
    )
    columns = [
        Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
        Column("_area", "text", C.label(C.AREA, ctx.lang), width=24),
        Column(C.TARGET_CODE, "code", C.label(C.TARGET_CODE, ctx.lang)),
        Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, ctx.lang)),
        Column(N.TITLE, "text", ctx.t("monitoring.col.title"), width=50),
        Column("_unit", "text", ctx.t("monitoring.col.responsible_unit"), width=30),
        Column("_status", "text", ctx.t("monitoring.col.status")),
        Column(N.PROGRESS, "number", ctx.t("monitoring.col.progress")),
        Column(N.DONE_TEXT, "text", ctx.t("monitoring.col.done_text"), width=50),
        Column(N.CANCEL_REASON, "text", ctx.t("monitoring.col.cancel_reason"), width=30),
        Column(S.SPENT_RESPONSIBLE, "money", ctx.t("monitoring.col.spent_responsible")),
        Column(S.SPENT_TOTAL, "money", ctx.t("monitoring.col.spent_total")),
        Column(S.UNITS_REPORTED, "count", ctx.t("monitoring.col.units_reported")),
        Column(S.PARTNERS_EXPECTED, "count", ctx.t("monitoring.col.partners_expected")),
        Column(S.PARTNERS_REPORTED, "count", ctx.t("monitoring.col.partners_reported")),
        Column(N.SOURCE_FILE, "text", ctx.t("monitoring.col.source_file"), width=30),
        Column(N.STATUS_CELL, "code", ctx.t("collected.col.cell")),
    ]
    table = Table(
        "action_status",
        frame,
        columns,
        title=ctx.t("monitoring.title.actions"),
        notes=[ctx.t("monitoring.note.actions")],
        total_row={S.SPENT_RESPONSIBLE: "sum", S.SPENT_TOTAL: "sum"},
        freeze_columns=4,
    )
    return Section(
        "actions",
        ctx.t("monitoring.sheet.actions"),
        [table],
        print=Print(landscape=True, paper=8, repeat_header_of="action_status"),
    )


def status_summary(ctx: _Ctx) -> Section:
    from gcdb.monitor import status as S

    a, N = ctx.a, ctx.N
    section = Section("status_summary", ctx.t("monitoring.sheet.status_summary"), print=Print(landscape=True))
    frame = a.status_summary[a.status_summary[S.LEVEL] != "all"]
    level_order = {C.AREA: 0, C.TARGET_CODE: 1, S.RESPONSIBLE_UNIT: 2}
    number = pd.to_numeric(frame[S.KEY].where(frame[S.LEVEL] == C.AREA), errors="coerce")
    frame = (
        frame.assign(_l=frame[S.LEVEL].map(level_order), _n=number)
        .sort_values([C.FISCAL_YEAR, "_l", "_n", S.KEY], kind="stable")
        .reset_index(drop=True)
    )
    level_label = {
        C.AREA: C.label(C.AREA, ctx.lang),
        C.TARGET_CODE: C.label(C.TARGET_CODE, ctx.lang),
        S.RESPONSIBLE_UNIT: ctx.t("monitoring.col.responsible_unit"),
    }
    keys = frame[S.KEY].astype("str")
    is_area, is_unit = (
        (frame[S.LEVEL] == C.AREA).to_numpy(),
        (frame[S.LEVEL] == S.RESPONSIBLE_UNIT).to_numpy(),
    )
    shown = np.where(is_area, ctx.area(keys), np.where(is_unit, ctx.unit(keys), keys))
    frame = frame.assign(
        _level=labelled(frame[S.LEVEL], lambda v: level_label.get(v, v)), _key=pd.Series(shown, dtype="str")
    )
    status_columns = [Column(s, "count", N.label(s, ctx.lang)) for s in N.STATUS_CODES]
    latest = max(a.years)
    by_area = frame[(frame[S.LEVEL] == C.AREA).to_numpy() & (frame[C.FISCAL_YEAR] == latest).to_numpy()]
    by_area = by_area.sort_values([S.DONE_SHARE, "_n"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    if len(by_area):
        section.add(
            Figure(
                "ranking",
                "done_by_area",
                "_key",
                [S.DONE_SHARE],
                title=ctx.t("monitoring.title.done_by_area", year=latest),
                alt=ctx.t("monitoring.title.done_by_area", year=latest),
                from_zero=True,
                place=Place(rows=chart_rows(len(by_area))),
            )
        )
        section.add(
            Table(
                "done_by_area",
                by_area,
                [
                    Column("_key", "text", C.label(C.AREA, ctx.lang), width=40),
                    Column(S.ACTIONS, "count", ctx.t("monitoring.col.actions")),
                    *status_columns,
                    Column(S.DONE_SHARE, "percent", ctx.t("monitoring.col.done_share")),
                    Column(S.REPORTED_SHARE, "percent", ctx.t("monitoring.col.reported_share")),
                ],
                title=ctx.t("monitoring.title.done_by_area", year=latest),
                total_row={S.ACTIONS: "sum", **{s: "sum" for s in N.STATUS_CODES}},
                autofilter=False,
                freeze=False,
            )
        )
    section.add(
        Table(
            "status_summary",
            frame,
            [
                Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column("_level", "text", ctx.t("monitoring.col.level")),
                Column("_key", "text", ctx.t("monitoring.col.key"), width=40),
                Column(S.ACTIONS, "count", ctx.t("monitoring.col.actions")),
                *status_columns,
                Column(S.DONE_SHARE, "percent", ctx.t("monitoring.col.done_share")),
                Column(S.REPORTED_SHARE, "percent", ctx.t("monitoring.col.reported_share")),
            ],
            title=ctx.t("monitoring.title.status_summary"),
            place=Place(gap=2),
        )
    )
    return section


# -- indicators -------------------------------------------------------------------------------------------------
def indicators(ctx: _Ctx) -> Section:
    from gcdb.monitor.attainment import ATTAINMENT_STATUS

    a, N = ctx.a, ctx.N
    section = Section("indicators", ctx.t("monitoring.sheet.indicators"), print=Print(landscape=True))
    att = a.indicator_attainment
    counts = pd.crosstab(att[ATTAINMENT_STATUS], att[C.FISCAL_YEAR]).reindex(
        list(N.ATTAINMENTS), fill_value=0
    )
    frame = pd.DataFrame({"_status": pd.Series([N.label(s, ctx.lang) for s in N.ATTAINMENTS], dtype="str")})
    columns = [Column("_status", "text", ctx.t("monitoring.col.attainment_status"), width=30)]
    for year in a.years:
        frame[f"y{year}"] = counts[year].to_numpy(dtype=np.int64) if year in counts.columns else 0
        columns.append(Column(f"y{year}", "count", str(year)))
    section.add(
        Table(
            "attainment_counts",
            frame,
            columns,
            title=ctx.t("monitoring.title.attainment_counts"),
            notes=[ctx.t("monitoring.note.attainment")],
            total_row={f"y{y}": "sum" for y in a.years},
            autofilter=False,
            freeze=False,
        )
    )
    kinds = a.indicator_kinds.assign(_kind=lambda f: ctx.code(f[N.KIND]))
    section.add(
        Table(
            "indicator_kinds",
            kinds,
            [
                Column("_kind", "text", ctx.t("monitoring.col.kind"), width=24),
                Column("indicators", "count", ctx.t("monitoring.col.indicators")),
                Column("computable", "count", ctx.t("monitoring.col.computable")),
                Column("from_returns", "count", ctx.t("monitoring.col.from_returns")),
                Column("from_workforce", "count", ctx.t("monitoring.col.from_workforce")),
            ],
            title=ctx.t("monitoring.title.kinds"),
            notes=[ctx.t("monitoring.note.kinds")],
            total_row=True,
            autofilter=False,
            freeze=False,
            place=Place(gap=2),
        )
    )
    return section


def indicator_values(ctx: _Ctx) -> Section:
    from gcdb.monitor.attainment import ATTAINMENT, ATTAINMENT_STATUS

    a, N = ctx.a, ctx.N
    frame = a.indicator_attainment.assign(
        _kind=lambda f: ctx.code(f[N.KIND]),
        _source=lambda f: ctx.code(f[N.VALUE_SOURCE]),
        _unit=lambda f: ctx.unit(f[N.UNIT_ID]),
        _direction=lambda f: ctx.code(f[N.DIRECTION]),
        _status=lambda f: ctx.code(f[ATTAINMENT_STATUS]),
    )
    columns = [
        Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
        Column(N.INDICATOR_ID, "code", ctx.t("monitoring.col.indicator_id")),
        Column(C.AREA, "count", C.label(C.AREA, ctx.lang)),
        Column(N.INDICATOR_TEXT, "text", ctx.t("monitoring.col.indicator"), width=50),
        Column("_kind", "text", ctx.t("monitoring.col.kind")),
        Column("_source", "text", ctx.t("monitoring.col.value_source")),
        Column("_unit", "text", ctx.t("monitoring.col.unit"), width=28),
        Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, ctx.lang)),
        Column(N.BASELINE, "number", ctx.t("monitoring.col.baseline")),
        Column(N.TARGET_VALUE, "number", ctx.t("monitoring.col.target")),
        Column(N.ACTUAL, "number", ctx.t("monitoring.col.actual")),
        Column(N.MEASURE_UNIT, "text", ctx.t("monitoring.col.measure_unit")),
        Column("_direction", "text", ctx.t("monitoring.col.direction")),
        Column(ATTAINMENT, "percent", ctx.t("monitoring.col.attainment")),
        Column("_status", "text", ctx.t("monitoring.col.attainment_status")),
        Column(N.SOURCE, "text", ctx.t("monitoring.col.source"), width=24),
        Column(N.SOURCE_FILE, "text", ctx.t("monitoring.col.source_file"), width=30),
    ]
    table = Table(
        "indicator_attainment",
        frame,
        columns,
        title=ctx.t("monitoring.title.indicator_values"),
        notes=[ctx.t("monitoring.note.attainment")],
        freeze_columns=2,
    )
    return Section(
        "indicator_values",
        ctx.t("monitoring.sheet.indicator_values"),
        [table],
        print=Print(landscape=True, paper=8, repeat_header_of="indicator_attainment"),
    )


# -- trends, workforce ------------------------------------------------------------------------------------------
def trends(ctx: _Ctx) -> Section:
    from gcdb.monitor import status as S

    a, N = ctx.a, ctx.N
    section = Section("trends", ctx.t("monitoring.sheet.trends"), print=Print(landscape=True))
    frame = a.action_trends
    if frame.empty:
        section.add(Heading(ctx.t("monitoring.title.trends"), [ctx.t("monitoring.note.no_trends")]))
        return section
    advanced = frame[S.ADVANCED]
    frame = frame.assign(
        _unit=lambda f: ctx.unit(f[S.RESPONSIBLE_UNIT]),
        _status=lambda f: ctx.code(f[N.STATUS]),
        _previous=lambda f: ctx.code(f[S.PREVIOUS_STATUS]),
        _advanced=pd.Series(
            np.where(advanced.isna(), "", np.where(advanced.fillna(False), ctx.t("yes"), ctx.t("no"))),
            dtype="str",
        ),
    )
    section.add(
        Table(
            "action_trends",
            frame,
            [
                Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, ctx.lang)),
                Column("_unit", "text", ctx.t("monitoring.col.responsible_unit"), width=30),
                Column("_previous", "text", ctx.t("monitoring.col.previous_status")),
                Column("_status", "text", ctx.t("monitoring.col.status")),
                Column(S.PREVIOUS_PROGRESS, "number", ctx.t("monitoring.col.previous_progress")),
                Column(N.PROGRESS, "number", ctx.t("monitoring.col.progress")),
                Column(S.PROGRESS_CHANGE, "number", ctx.t("monitoring.col.progress_change")),
                Column("_advanced", "text", ctx.t("monitoring.col.advanced")),
            ],
            title=ctx.t("monitoring.title.trends"),
            notes=[ctx.t("monitoring.note.trends")],
        )
    )
    return section


def workforce(ctx: _Ctx) -> Section:
    from gcdb.monitor import workforce as W

    a, N = ctx.a, ctx.N
    section = Section("workforce", ctx.t("monitoring.sheet.workforce"), print=Print(landscape=True))
    frame = a.workforce
    if not a.has_workforce or frame.empty:
        section.add(Heading(ctx.t("monitoring.title.workforce"), [ctx.t("monitoring.note.no_workforce")]))
        return section
    hidden = np.where((frame[W.REASON] == W.SUPPRESSED).to_numpy(dtype=bool), "primary", "")
    frame = frame.assign(
        _unit=pd.Series(
            np.where(frame[C.UNIT_NAME].isna(), ctx.t("total"), frame[C.UNIT_NAME].astype("str")), dtype="str"
        ),
        _measure=labelled(frame[W.MEASURE], lambda m: ctx.t(f"monitoring.measure.{m}")),
        _value_unit=labelled(frame[W.VALUE_UNIT], lambda u: ctx.t(f"monitoring.value_unit.{u}")),
    )
    section.add(
        Table(
            "workforce",
            frame,
            [
                Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column(N.INDICATOR_ID, "code", ctx.t("monitoring.col.indicator_id")),
                Column("_measure", "text", ctx.t("monitoring.col.measure"), width=34),
                Column("_unit", "text", ctx.t("monitoring.col.unit"), width=40),
                Column(W.NUMERATOR, "count", ctx.t("monitoring.col.numerator")),
                Column(W.DENOMINATOR, "count", ctx.t("monitoring.col.denominator")),
                Column(W.VALUE, "number", ctx.t("monitoring.col.value")),
                Column("_value_unit", "text", ctx.t("monitoring.col.value_unit")),
                Column(N.TARGET_VALUE, "number", ctx.t("monitoring.col.target")),
            ],
            title=ctx.t("monitoring.title.workforce"),
            notes=[
                ctx.t("monitoring.note.workforce"),
                ctx.t("note.suppressed", k=a.parameters.get("k", "5")),
            ],
            hidden={W.NUMERATOR: hidden, W.DENOMINATOR: hidden, W.VALUE: hidden},
        )
    )
    return section


# -- returns, data quality, method ------------------------------------------------------------------------------
_RETURN_ORDER = ("not_returned", "refused", "incomplete", "complete")


def returns(ctx: _Ctx) -> Section:
    a, N = ctx.a, ctx.N
    section = Section("returns", ctx.t("monitoring.sheet.returns"), print=Print(landscape=True))
    order = {s: i for i, s in enumerate(_RETURN_ORDER)}
    units = a.units.assign(_order=a.units[N.RETURN_STATUS].map(order)).sort_values(
        [C.FISCAL_YEAR, "_order", N.UNIT_ID], kind="stable"
    )
    units = units.reset_index(drop=True).assign(_status=lambda f: ctx.code(f[N.RETURN_STATUS]))
    flags = under((units[N.RETURN_STATUS] != N.RECEIVED).to_numpy(dtype=bool))
    missing = a.units[a.units[N.RETURN_STATUS] == N.NOT_RETURNED]
    section.add(
        Heading(
            ctx.t(
                "monitoring.sentence.returns",
                units=", ".join(
                    f"{ctx.unit_names.get(u, u)} ({y})"
                    for u, y in zip(missing[N.UNIT_ID], missing[C.FISCAL_YEAR], strict=True)
                )
                or "–",
            )
        )
    )
    section.add(
        Table(
            "units",
            units,
            [
                Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column(C.UNIT_NAME, "text", ctx.t("monitoring.col.unit"), width=40),
                Column("_status", "text", ctx.t("monitoring.col.return_status")),
                Column(N.SOURCE_FILE, "text", ctx.t("monitoring.col.source_file"), width=40),
                Column(N.ROWS_EXPECTED, "count", ctx.t("monitoring.col.rows_expected")),
                Column(N.ROWS_REPORTED, "count", ctx.t("monitoring.col.rows_reported")),
                Column(N.ROWS_QUARANTINED, "count", ctx.t("monitoring.col.rows_quarantined")),
                Column(N.ROWS_MISSING, "count", ctx.t("monitoring.col.rows_missing")),
                Column(N.COMPLETENESS, "percent", ctx.t("monitoring.col.completeness")),
                Column("indicators_expected", "count", ctx.t("monitoring.col.indicators_expected")),
                Column("indicators_reported", "count", ctx.t("monitoring.col.indicators_reported")),
                Column("other_files", "text", ctx.t("monitoring.col.other_files"), width=30),
            ],
            title=ctx.t("monitoring.title.units"),
            notes=[ctx.t("monitoring.note.units")],
            flags={"_status": flags},
        )
    )
    files = a.returns.assign(
        _used=labelled(a.returns["used"].astype("str"), lambda v: ctx.t("yes" if v == "True" else "no")),
        _refused=labelled(
            a.returns["refused"].astype("str"), lambda v: ctx.t("yes" if v == "True" else "no")
        ),
    )
    section.add(
        Table(
            "returns",
            files,
            [
                Column(N.SOURCE_FILE, "text", ctx.t("monitoring.col.source_file"), width=44),
                Column(N.UNIT_ID, "code", ctx.t("monitoring.col.unit_id")),
                Column(C.FISCAL_YEAR, "text", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column("_used", "text", ctx.t("monitoring.col.used")),
                Column("_refused", "text", ctx.t("monitoring.col.refused")),
                Column("action_rows", "count", ctx.t("monitoring.col.action_rows")),
                Column("actions_filled", "count", ctx.t("monitoring.col.actions_filled")),
                Column("indicator_rows", "count", ctx.t("monitoring.col.indicator_rows")),
                Column("indicators_filled", "count", ctx.t("monitoring.col.indicators_filled")),
                Column("quarantined", "count", ctx.t("monitoring.col.rows_quarantined")),
                Column("errors", "count", ctx.t("monitoring.col.errors")),
                Column("warnings", "count", ctx.t("monitoring.col.warnings")),
            ],
            title=ctx.t("monitoring.title.files"),
            total_row={c: "sum" for c in ("errors", "warnings", "quarantined")},
            place=Place(gap=2),
        )
    )
    return section


def quality(ctx: _Ctx) -> Section:
    errors, warnings = issue_counts(ctx.a.issues)
    section = Section("quality", ctx.t("monitoring.sheet.quality"), print=Print(landscape=True))
    section.add(
        issues_table(
            "issues",
            ctx.a.issues,
            ctx,
            title=ctx.t("monitoring.title.issues"),
            notes=[ctx.t("monitoring.note.issues", errors=errors, warnings=warnings)],
            place=Place(gap=1),
        )
    )
    return section


def method(ctx: _Ctx) -> Section:
    return notes_section(
        "method",
        ctx.t("monitoring.sheet.method"),
        ctx.t("monitoring.title.method"),
        ctx.a.notes(ctx.lang),
        parameters_table("parameters", ctx.a.parameters, ctx, title=ctx.t("collected.title.parameters")),
    )


# -- the report -------------------------------------------------------------------------------------------------
def monitoring_report(
    analysis: Any,
    *,
    lang: str = "tr",
    areas: Mapping[int, str] | None = None,
    created: datetime | date | None = None,
) -> Report:
    """The İzleme ve Değerlendirme Raporu of ``analysis`` (:func:`gcdb.monitor.analyse_monitoring`) in ``lang``.

    ``areas``: priority area number → name (the plan's, e.g. ``Catalogue.areas``), shown beside the numbers."""
    from gcdb.monitor import MonitoringAnalysis

    if not isinstance(analysis, MonitoringAnalysis):
        raise UsageError(
            f"analysis must be a MonitoringAnalysis (gcdb.monitor.analyse_monitoring), got {type(analysis).__name__}"
        )
    if not analysis.years:
        raise UsageError("the monitoring analysis has no year to report")
    ctx = _Ctx(analysis, lang, areas)
    report = Report(
        title=ctx.t("monitoring.title"),
        subject=ctx.t("monitoring.subject"),
        keywords="YEEP, izleme",
        lang=lang,
        created=resolve_created(created),
        audience="analyst",
    )
    for build in (
        summary,
        money,
        money_actions,
        actions,
        status_summary,
        indicators,
        indicator_values,
        trends,
        workforce,
        returns,
        quality,
        method,
    ):
        report.add(build(ctx))
    return report


def write_monitoring_workbook(
    path: str | os.PathLike | None,
    analysis: Any,
    *,
    tables: str | os.PathLike | None = None,
    lang: str = "tr",
    areas: Mapping[int, str] | None = None,
    created: datetime | date | None = None,
    csv_dialect: str = "plain",
) -> list[Path]:
    """Write the monitoring workbook to ``path`` (``.xlsx``; None: no workbook) and, with ``tables``, the
    analysis' tidy tables (CSV, Parquet, ``datapackage.json``; codes and kuruş) into that folder. Returns the
    files written, the workbook first."""
    report = monitoring_report(analysis, lang=lang, areas=areas, created=created)
    return write_outputs(report, path, analysis.tables(), tables, csv_dialect=csv_dialect)


__all__ = ["MONEY_TABLE", "monitoring_report", "write_monitoring_workbook"]
