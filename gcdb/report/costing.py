"""The costing report (Maliyet ve Bütçe Teklifi Raporu) as a report model: costed vs appropriated vs executed, the
budget proposal and the generated rule set.

:func:`costing_report` builds a :class:`~gcdb.report.model.Report` from a :class:`gcdb.costing.run.CostingRun`
(``CostComparison.tables()/key_numbers/notes()``, the costing totals, the :class:`~gcdb.costing.Proposal` and the
:class:`~gcdb.costing.GeneratedRules`); :func:`write_costing_workbook` renders it and writes the run's tidy tables.
Sheets (Turkish names by default, English with ``lang="en"``):

=====================  ===========================================================================================
Özet / Summary         per year: costed, initial and revised appropriation, expenditure, the rates, how many
                       costed actions the budget has, and how many were never appropriated, cut or not spent
Eylemler / Actions     costed vs appropriated vs executed per action and year, with its status
Düzeyler / Levels      the same per target, area, unit and in total, per year and over all years
Teklif Satırları       per proposed budget line: was it appropriated, cut, spent?
Uyarılar / Warnings    costed actions never appropriated; appropriations cut; appropriated, not spent; not found
Maliyet Toplamları     what each action, target, area and unit asks for, and the share each scheme counts
Bütçe Teklifi          the proposal as the performance programme shows it: one row per line, one column per year
Kural Seti / Rules     the generated rules that recognise the proposed lines, and the rule set's file
Maliyet Satırları      the validated costing lines, one per line and year
Veri Kalitesi          every problem found in the costing (file, row or cell), the quarantined lines
Yöntem / Method        what each status means; the parameters of the run
=====================  ===========================================================================================
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.report.collected import (
    Texts,
    issue_counts,
    issues_table,
    labelled,
    notes_section,
    parameters_table,
    under,
    write_outputs,
)
from gcdb.report.model import Column, Heading, KeyValues, Place, Print, Report, Section, Sentence, Table
from gcdb.report.workbook import resolve_created

#: Statuses a warning table lists, in order.
WARNINGS = ("not_appropriated", "cut", "not_spent", "not_found")
_BAD = ("not_appropriated", "cut_to_zero", "cut", "not_spent", "under_appropriated")


class _Ctx(Texts):
    def __init__(self, run: Any, lang: str):
        super().__init__(lang)
        from gcdb.costing import names as N

        self.run, self.N = run, N

    def label(self, name: str) -> str:
        return self.N.label(name, self.lang)

    def codes(self, series: pd.Series) -> pd.Series:
        return labelled(series, self.label)

    def year_text(self, series: pd.Series) -> pd.Series:
        """Fiscal years as text, ``Tüm yıllar`` / ``All years`` for the all-years rows."""
        years = series.astype("Int64")
        return years.astype("str").fillna(self.t("costing.all_years")).astype("str")


def _money_columns(ctx: _Ctx) -> list[Column]:
    N = ctx.N
    return [
        Column(N.COSTED, "money", ctx.label(N.COSTED)),
        *(Column(p, "money", C.label(p, ctx.lang)) for p in C.PHASES),
        Column(N.GAP, "money", ctx.label(N.GAP)),
        Column(N.APPROPRIATION_RATE, "percent", ctx.label(N.APPROPRIATION_RATE)),
        Column(N.REVISION_RATE, "percent", ctx.label(N.REVISION_RATE)),
        Column(N.EXECUTION_RATE, "percent", ctx.label(N.EXECUTION_RATE)),
    ]


def _status_flags(status: pd.Series) -> pd.Series:
    return under(status.isin(list(_BAD)).to_numpy(dtype=bool))


# -- summary ----------------------------------------------------------------------------------------------------
def summary(ctx: _Ctx) -> Section:
    run, N = ctx.run, ctx.N
    section = Section(
        "summary", ctx.t("costing.sheet.summary"), print=Print(landscape=True, fit=(1, 0)), active=True
    )
    years = sorted(int(y) for y in run.costing.data[C.FISCAL_YEAR].dropna().unique())
    section.add(
        Heading(
            ctx.t("costing.title"),
            [
                ctx.t("costing.subtitle", years=", ".join(map(str, years)), source=run.costing.source),
                ctx.t("note.money"),
            ],
        )
    )
    proposal = run.proposal.lines
    pairs: list[tuple[str, Any, str]] = [
        (ctx.t("costing.kv.lines"), int(run.costing.data[N.COST_LINE_ID].nunique()), "count"),
        (ctx.t("costing.kv.actions"), int(run.costing.data[C.ACTION_CODE].nunique()), "count"),
        (ctx.t("costing.kv.costed"), int(run.costing.data[N.AMOUNT].sum()), "money"),
        (ctx.t("costing.kv.proposal_lines"), int(proposal[C.LINE_ID].nunique()), "count"),
        (ctx.t("costing.kv.rules"), len(run.rules.rules), "count"),
    ]
    if run.tagging is not None:
        pairs.append(
            (ctx.t("costing.kv.lines_found"), f"{run.lines_found} / {len(run.tagging.rows)}", "text")
        )
    section.add(KeyValues(pairs, title=ctx.t("costing.title.key_values")))
    comparison = run.comparison
    if comparison is None:
        section.add(
            Heading(ctx.t("costing.title.comparison"), [ctx.t("costing.note.no_budget")], place=Place(gap=2))
        )
        return section
    for note in comparison.notes(ctx.lang):
        section.add(Sentence(note))
    numbers = comparison.key_numbers
    years = ctx.year_text(numbers[C.FISCAL_YEAR]).tolist()
    groups = (
        ("money", [(N.COSTED, ctx.label(N.COSTED))] + [(p, C.label(p, ctx.lang)) for p in C.PHASES]),
        (
            "percent",
            [
                (N.APPROPRIATION_RATE, ctx.label(N.APPROPRIATION_RATE)),
                (N.EXECUTION_RATE, ctx.label(N.EXECUTION_RATE)),
            ],
        ),
        (
            "count",
            [
                ("actions_costed", ctx.t("costing.col.actions_costed")),
                ("actions_found", ctx.t("costing.col.actions_found")),
                *((s.value, ctx.label(s.value)) for s in N.Status),
            ],
        ),
    )
    for i, (kind, rows) in enumerate(groups):
        frame = pd.DataFrame({"measure": pd.Series([label for _, label in rows], dtype="str")})
        columns = [Column("measure", "text", ctx.t("monitoring.col.measure"), width=40)]
        for j, year in enumerate(years):
            frame[f"y{j}"] = [numbers[name].iloc[j] for name, _ in rows]
            columns.append(Column(f"y{j}", kind, str(year)))
        section.add(
            Table(
                f"key_numbers_{kind}",
                frame,
                columns,
                title=ctx.t("costing.title.comparison") if i == 0 else None,
                notes=[ctx.t("costing.note.comparison")] if i == 0 else [],
                autofilter=False,
                freeze=False,
                place=Place(gap=2 if i == 0 else 1),
            )
        )
    return section


# -- the comparison -------------------------------------------------------------------------------------------------
def _comparison_table(
    ctx: _Ctx, key: str, frame: pd.DataFrame, first: list[Column], title: str, notes=()
) -> Table:
    N = ctx.N
    shown = frame.reset_index(drop=True).assign(
        _year=lambda f: ctx.year_text(f[C.FISCAL_YEAR]),
        _status=lambda f: ctx.codes(f[N.STATUS]),
        _level=lambda f: ctx.codes(f[N.LEVEL]),
    )
    columns = [
        *first,
        Column(N.COST_LINES, "count", ctx.label(N.COST_LINES)),
        Column(N.TAGGED_LINES, "count", ctx.t("costing.col.tagged_lines")),
        *_money_columns(ctx),
        Column("_status", "text", ctx.label(N.STATUS), width=30),
    ]
    return Table(
        key,
        shown,
        columns,
        title=title,
        notes=list(notes),
        flags={"_status": _status_flags(shown[N.STATUS])},
        freeze_columns=2,
    )


def actions(ctx: _Ctx) -> Section:
    N, comparison = ctx.N, ctx.run.comparison
    section = Section("actions", ctx.t("costing.sheet.actions"), print=Print(landscape=True, paper=8))
    if comparison is None:
        section.add(Heading(ctx.t("costing.title.actions"), [ctx.t("costing.note.no_budget")]))
        return section
    table = comparison.by_action
    names = _action_titles(ctx)
    table = table.assign(_title=table[N.KEY].map(names).astype("str"))
    first = [
        Column("_year", "text", C.label(C.FISCAL_YEAR, ctx.lang)),
        Column(N.KEY, "code", C.label(C.ACTION_CODE, ctx.lang)),
        Column("_title", "text", ctx.t("costing.col.title"), width=44),
    ]
    section.add(
        _comparison_table(
            ctx, "by_action", table, first, ctx.t("costing.title.actions"), [ctx.t("costing.note.actions")]
        )
    )
    return section


def _action_titles(ctx: _Ctx) -> pd.Series:
    """Action code → the plan's title (the first costed item when the run has no plan titles)."""
    titles = ctx.run.action_titles
    if titles is not None:
        return titles
    items = ctx.run.costing.data.drop_duplicates(C.ACTION_CODE).set_index(C.ACTION_CODE)
    return items[ctx.N.ITEM].astype("str")


def levels(ctx: _Ctx) -> Section:
    N, comparison = ctx.N, ctx.run.comparison
    section = Section("levels", ctx.t("costing.sheet.levels"), print=Print(landscape=True, paper=8))
    if comparison is None:
        section.add(Heading(ctx.t("costing.title.levels"), [ctx.t("costing.note.no_budget")]))
        return section
    t = comparison.table
    frame = t[t[N.LEVEL].isin(["target", "area", "unit", "total"]).to_numpy()]
    order = {"total": 0, "area": 1, "target": 2, "unit": 3}
    frame = frame.assign(
        _order=frame[N.LEVEL].map(order), _y=frame[C.FISCAL_YEAR].astype("Int64").fillna(9999)
    )
    frame = frame.sort_values(["_order", "_y"], kind="stable")
    frame = frame.assign(
        _key=frame[N.KEY].where(frame[N.LEVEL] != "unit", frame[N.KEY] + " " + frame[C.UNIT_NAME])
    )
    first = [
        Column("_level", "text", ctx.label(N.LEVEL)),
        Column("_key", "text", ctx.label(N.KEY), width=36),
        Column("_year", "text", C.label(C.FISCAL_YEAR, ctx.lang)),
    ]
    section.add(
        _comparison_table(
            ctx, "by_level", frame, first, ctx.t("costing.title.levels"), [ctx.t("costing.note.levels")]
        )
    )
    return section


def lines(ctx: _Ctx) -> Section:
    N, comparison = ctx.N, ctx.run.comparison
    section = Section("lines", ctx.t("costing.sheet.lines"), print=Print(landscape=True, paper=8))
    if comparison is None or comparison.by_line.empty:
        section.add(Heading(ctx.t("costing.title.lines"), [ctx.t("costing.note.no_budget")]))
        return section
    t = comparison.table
    frame = t[(t[N.LEVEL] == "line").to_numpy()]
    first = [
        Column("_year", "text", C.label(C.FISCAL_YEAR, ctx.lang)),
        Column(N.KEY, "code", ctx.t("costing.col.proposal_lines")),
        Column(C.UNIT_NAME, "text", C.label(C.UNIT_NAME, ctx.lang), width=30),
    ]
    section.add(
        _comparison_table(
            ctx, "by_line", frame, first, ctx.t("costing.title.lines"), [ctx.t("costing.note.lines")]
        )
    )
    return section


def warnings(ctx: _Ctx) -> Section:
    N, comparison = ctx.N, ctx.run.comparison
    section = Section("warnings", ctx.t("costing.sheet.warnings"), print=Print(landscape=True))
    if comparison is None:
        section.add(Heading(ctx.t("costing.title.warnings"), [ctx.t("costing.note.no_budget")]))
        return section
    first = [
        Column("_year", "text", C.label(C.FISCAL_YEAR, ctx.lang)),
        Column(N.KEY, "code", C.label(C.ACTION_CODE, ctx.lang)),
        Column("_title", "text", ctx.t("costing.col.title"), width=44),
    ]
    titles = _action_titles(ctx)
    for i, name in enumerate(WARNINGS):
        frame = getattr(comparison, name)
        frame = frame.assign(_title=frame[N.KEY].map(titles).astype("str"))
        table = _comparison_table(
            ctx, f"warning_{name}", frame, first, ctx.t(f"costing.title.warning_{name}")
        )
        table.empty_note = ctx.t("costing.note.none")
        table.place = Place(gap=2 if i else 1)
        section.add(table)
    return section


# -- totals, proposal, rules, lines -----------------------------------------------------------------------------------
def totals(ctx: _Ctx) -> Section:
    N = ctx.N
    from gcdb.i18n import optional

    frame = ctx.run.totals.assign(
        _year=lambda f: ctx.year_text(f[C.FISCAL_YEAR]),
        _level=lambda f: ctx.codes(f[N.LEVEL]),
        _scheme=lambda f: labelled(f[N.SCHEME], lambda s: optional(f"tcdb.scheme.{s}", s, ctx.lang)),
    )
    table = Table(
        "costing_totals",
        frame,
        [
            Column("_year", "text", C.label(C.FISCAL_YEAR, ctx.lang)),
            Column("_level", "text", ctx.label(N.LEVEL)),
            Column(N.KEY, "code", ctx.label(N.KEY)),
            Column(C.UNIT_NAME, "text", C.label(C.UNIT_NAME, ctx.lang), width=30),
            Column("_scheme", "text", ctx.t("costing.col.scheme"), width=24),
            Column(N.COST_LINES, "count", ctx.label(N.COST_LINES)),
            Column(N.COSTED, "money", ctx.label(N.COSTED)),
            Column(N.CATEGORISED, "money", ctx.label(N.CATEGORISED)),
            Column(N.COUNTED, "money", ctx.label(N.COUNTED)),
            Column(N.SHARE_COUNTED, "percent", ctx.label(N.SHARE_COUNTED)),
        ],
        title=ctx.t("costing.title.totals"),
        notes=[ctx.t("costing.note.totals")],
    )
    return Section("totals", ctx.t("costing.sheet.totals"), [table], print=Print(landscape=True))


def proposal(ctx: _Ctx) -> Section:
    wide = ctx.run.proposal.wide(ctx.lang)
    years = [c for c in wide.columns if c.isdigit()]
    columns = [
        Column(C.LINE_ID, "code", ctx.t("costing.col.proposal_lines")),
        Column(C.UNIT_NAME, "text", C.label(C.UNIT_NAME, ctx.lang), width=30),
        Column(C.INSTITUTIONAL_CODE, "code", C.label(C.INSTITUTIONAL_CODE, ctx.lang)),
        Column(C.FUNCTIONAL_CODE, "code", C.label(C.FUNCTIONAL_CODE, ctx.lang)),
        Column(C.FINANCING_TYPE, "code", C.label(C.FINANCING_TYPE, ctx.lang)),
        Column(C.ECONOMIC_CODE, "code", C.label(C.ECONOMIC_CODE, ctx.lang)),
        Column(C.DESCRIPTION, "text", C.label(C.DESCRIPTION, ctx.lang), width=50),
        Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, ctx.lang)),
        *(Column(y, "money", y) for y in years),
    ]
    table = Table(
        "proposal",
        wide,
        columns,
        title=ctx.t("costing.title.proposal"),
        notes=[ctx.t("costing.note.proposal")],
        total_row=dict.fromkeys(years, "sum"),
        freeze_columns=1,
    )
    return Section(
        "proposal",
        ctx.t("costing.sheet.proposal"),
        [table],
        print=Print(landscape=True, paper=8, repeat_header_of="proposal"),
    )


def rules(ctx: _Ctx) -> Section:
    run = ctx.run
    section = Section("rules", ctx.t("costing.sheet.rules"), print=Print(landscape=True))
    from gcdb.report.workbook import display_path

    path = display_path(run.rules_path) if run.rules_path is not None else ctx.t("costing.rules_not_written")
    rules = run.rules.rules
    frame = rules.assign(
        _lines=rules[C.LINE_ID].map(lambda ids: ", ".join(ids)).astype("str"),  # one per rule
        _marker=labelled(rules["marker"].astype("str"), lambda v: ctx.t("yes" if v == "True" else "no")),
    )
    section.add(
        KeyValues(
            [
                (ctx.t("costing.kv.rules_file"), path, "text"),
                (ctx.t("costing.kv.rules"), len(rules), "count"),
                (ctx.t("costing.kv.collisions"), len(run.rules.collisions), "count"),
            ],
            title=ctx.t("costing.title.rules"),
            notes=[ctx.t("costing.note.rules")],
        )
    )
    section.add(
        Table(
            "rules",
            frame,
            [
                Column(C.RULE_ID, "code", C.label(C.RULE_ID, ctx.lang)),
                Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, ctx.lang)),
                Column("_lines", "code", ctx.t("costing.col.proposal_lines")),
                Column(C.UNIT_NAME, "text", C.label(C.UNIT_NAME, ctx.lang), width=30),
                Column(C.INSTITUTIONAL_CODE, "code", C.label(C.INSTITUTIONAL_CODE, ctx.lang)),
                Column(C.FUNCTIONAL_CODE, "code", C.label(C.FUNCTIONAL_CODE, ctx.lang)),
                Column(C.ECONOMIC_CODE, "code", C.label(C.ECONOMIC_CODE, ctx.lang)),
                Column("valid_from", "year", ctx.t("costing.col.valid_from")),
                Column("valid_to", "year", ctx.t("costing.col.valid_to")),
                Column("_marker", "text", ctx.t("costing.col.marker")),
                Column("mode", "code", ctx.t("costing.col.mode")),
                Column(ctx.N.EU_CPR, "code", ctx.label(ctx.N.EU_CPR)),
                Column(ctx.N.PH_HGDG, "code", ctx.label(ctx.N.PH_HGDG)),
            ],
            title=ctx.t("costing.title.rule_table"),
            place=Place(gap=2),
        )
    )
    if len(run.rules.collisions):
        collisions = run.rules.collisions
        section.add(
            Table(
                "collisions",
                collisions,
                [
                    Column(str(c), "text", C.label(str(c), ctx.lang) if str(c) in C.LABELS else str(c))
                    for c in collisions.columns
                ],
                title=ctx.t("costing.title.collisions"),
                place=Place(gap=2),
            )
        )
    return section


def costing_lines(ctx: _Ctx) -> Section:
    N = ctx.N
    data = ctx.run.costing.data
    columns = [
        Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
        Column(N.COST_LINE_ID, "code", ctx.label(N.COST_LINE_ID)),
        Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, ctx.lang)),
        Column(C.UNIT_NAME, "text", C.label(C.UNIT_NAME, ctx.lang), width=30),
        Column(C.INSTITUTIONAL_CODE, "code", C.label(C.INSTITUTIONAL_CODE, ctx.lang)),
        Column(C.FUNCTIONAL_CODE, "code", C.label(C.FUNCTIONAL_CODE, ctx.lang)),
        Column(C.FINANCING_TYPE, "code", C.label(C.FINANCING_TYPE, ctx.lang)),
        Column(C.ECONOMIC_CODE, "code", C.label(C.ECONOMIC_CODE, ctx.lang)),
        Column(N.ITEM, "text", ctx.label(N.ITEM), width=36),
        Column(N.MEASURE, "text", ctx.label(N.MEASURE)),
        Column(C.QUANTITY, "number", C.label(C.QUANTITY, ctx.lang)),
        Column(N.UNIT_COST, "money", ctx.label(N.UNIT_COST)),
        Column(N.AMOUNT, "money", ctx.label(N.AMOUNT)),
        Column(N.EU_CPR, "code", ctx.label(N.EU_CPR)),
        Column(N.PH_HGDG, "code", ctx.label(N.PH_HGDG)),
        Column(C.DESCRIPTION, "text", C.label(C.DESCRIPTION, ctx.lang), width=36),
        Column(C.SOURCE_ROW, "count", ctx.t("costing.col.source_row")),
    ]
    table = Table(
        "costing_lines",
        data,
        columns,
        title=ctx.t("costing.title.costing_lines"),
        notes=[ctx.t("costing.note.costing_lines")],
        total_row={N.AMOUNT: "sum"},
        freeze_columns=2,
    )
    return Section(
        "costing_lines", ctx.t("costing.sheet.costing_lines"), [table], print=Print(landscape=True, paper=8)
    )


def quality(ctx: _Ctx) -> Section:
    costing = ctx.run.costing
    errors, warnings_ = issue_counts(costing.issues)
    section = Section("quality", ctx.t("costing.sheet.quality"), print=Print(landscape=True))
    rec = costing.reconciliation.set_index("measure")
    pairs: list[tuple[str, Any, str]] = [(ctx.t("costing.kv.source"), costing.source, "text")]
    if "rows" in rec.index:
        pairs += [
            (ctx.t("costing.kv.rows_read"), int(rec.loc["rows", "read"]), "count"),
            (ctx.t("costing.kv.rows_valid"), int(rec.loc["rows", "valid"]), "count"),
            (ctx.t("costing.kv.rows_quarantined"), int(rec.loc["rows", "quarantined"]), "count"),
        ]
    section.add(KeyValues(pairs, title=ctx.t("costing.title.read")))
    section.add(
        issues_table(
            "issues",
            costing.issues,
            ctx,
            title=ctx.t("costing.title.issues"),
            notes=[ctx.t("costing.note.issues", errors=errors, warnings=warnings_)],
        )
    )
    quarantine = costing.quarantine
    if len(quarantine):
        shown = quarantine.astype({c: "str" for c in quarantine.columns if c != C.SOURCE_ROW})
        section.add(
            Table(
                "quarantine",
                shown,
                [
                    Column(
                        str(c),
                        "count" if c == C.SOURCE_ROW else "text",
                        C.label(str(c), ctx.lang) if str(c) in C.LABELS else str(c),
                    )
                    for c in shown.columns
                ],
                title=ctx.t("costing.title.quarantine"),
                place=Place(gap=2),
            )
        )
    return section


def method(ctx: _Ctx) -> Section:
    N = ctx.N
    notes = [ctx.t("costing.note.method")]
    notes += [f"{ctx.label(s.value)}: {ctx.t(f'costing.status.{s.value}')}" for s in N.Status]
    return notes_section(
        "method",
        ctx.t("costing.sheet.method"),
        ctx.t("costing.title.method"),
        notes,
        parameters_table("parameters", ctx.run.parameters, ctx, title=ctx.t("collected.title.parameters")),
    )


def costing_report(run: Any, *, lang: str = "tr", created: datetime | date | None = None) -> Report:
    """The costing report of ``run`` (:func:`gcdb.costing.run.cost_plan`) in ``lang``."""
    from gcdb.costing.run import CostingRun

    if not isinstance(run, CostingRun):
        raise UsageError(f"run must be a CostingRun (gcdb.costing.run.cost_plan), got {type(run).__name__}")
    ctx = _Ctx(run, lang)
    report = Report(
        title=ctx.t("costing.title"),
        subject=ctx.t("costing.subject"),
        keywords="TCDB, maliyet, bütçe teklifi",
        lang=lang,
        created=resolve_created(created),
        audience="analyst",
    )
    for build in (
        summary,
        actions,
        levels,
        lines,
        warnings,
        totals,
        proposal,
        rules,
        costing_lines,
        quality,
        method,
    ):
        report.add(build(ctx))
    return report


def write_costing_workbook(
    path: str | os.PathLike | None,
    run: Any,
    *,
    tables: str | os.PathLike | None = None,
    lang: str = "tr",
    created: datetime | date | None = None,
    csv_dialect: str = "plain",
) -> list[Path]:
    """Write the costing workbook to ``path`` (None: none) and, with ``tables``, the run's tidy tables into that
    folder; return the files written, the workbook first."""
    report = costing_report(run, lang=lang, created=created)
    return write_outputs(report, path, run.tables(), tables, csv_dialect=csv_dialect)


__all__ = ["costing_report", "write_costing_workbook"]
