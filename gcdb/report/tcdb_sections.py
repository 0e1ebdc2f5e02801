"""The TCDB report's sections of figures: the summary (headline, gender budget by scheme with the floor check,
reconciliation, by category), the charts, the breakdowns, the plan checks, and the detail (lines, untagged).

Each function returns a :class:`~gcdb.report.model.Section`; the summary's money cells are ``SUMIFS`` over the
detail tables (:class:`~gcdb.report.model.SumIfs`), so the workbook's totals follow edits of the detail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.report.model import (
    Column,
    Filter,
    Print,
    RatioOf,
    Section,
    Subtotal,
    Table,
)
from gcdb.report.tcdb_context import (
    ECONOMIC_1,
    LINE_COLUMNS,
    READING_LABEL,
    SCHEME_LABEL,
    SHARE_PHASE,
    TAGGED_SHARE,
    Context,
    counted_column,
    untagged_column,
)
from gcdb.schemes import DECLARED_SHARE, category_column
from gcdb.text import tr_lower

#: Rows a chart takes on the Charts sheet (360 pixels at 20 per row, and a gap).
_CHART_ROWS = 360 // 20 + 1


def _section(ctx: Context, key: str, *blocks: Any, **options: Any) -> Section:
    return Section(key=key, name=ctx.t(key), blocks=list(blocks), **options)


def _printed(key: str) -> Print:
    """A table sheet printed landscape with its header row on every page."""
    return Print(landscape=True, repeat_header_of=key)


# -- detail ----------------------------------------------------------------------------------------------------
def lines(ctx: Context) -> Section:
    frame = ctx.lines
    specs = [Column(C.FISCAL_YEAR, "year"), Column(C.LINE_ID, "code")]
    specs += [Column(name, kind) for name, kind in LINE_COLUMNS if name in frame.columns]
    specs += [
        Column(C.AREA, "count"),
        Column(C.ACTION_CODE, "code"),
        Column(C.RULE_ID, "code"),
        Column(C.SHARE, "percent"),
    ]
    if DECLARED_SHARE in frame.columns:
        specs.append(Column(DECLARED_SHARE, "percent", label=ctx.t("tcdb.col.declared_share")))
    specs += [Column(N.attributed(p), "money", label=ctx.family("attributed", p)) for p in C.PHASES]
    money = [N.attributed(p) for p in C.PHASES]
    for scheme in scheme_order(ctx):
        label = ctx.scheme_label(scheme)
        specs.append(
            Column(category_column(scheme), "code", label=ctx.t("tcdb.col.scheme_category", scheme=label))
        )
        for r in ctx.readings:
            if r.scheme != scheme:
                continue
            for p in C.PHASES:
                name = counted_column(r.scheme, r.reading, p)
                label = ctx.t("tcdb.col.scheme_counted", scheme=r.header, phase=ctx.phase(p))
                specs.append(Column(name, "money", label=label))
                money.append(name)
    table = Table(
        "lines",
        frame,
        specs,
        title=ctx.t("tcdb.title.lines"),
        notes=[ctx.t("tcdb.note.lines"), ctx.t("note.money")],
        freeze_columns=2,
        subtotal=Subtotal(ctx.t("tcdb.total_visible"), dict.fromkeys(money, "sum")),
    )
    # a wide detail table: on A3, across pages, the line columns repeated
    setup = Print(landscape=True, repeat_header_of="lines", paper=8, repeat_columns=(0, 1))
    return _section(ctx, "sheet.tcdb_lines", table, print=setup)


def scheme_order(ctx: Context) -> list[str]:
    return [ctx.primary.scheme, *(s for s in ctx.a.schemes if s != ctx.primary.scheme)]


def untagged(ctx: Context) -> Section:
    frame = ctx.untagged
    assert frame is not None  # the section is made only when the untagged lines were given
    specs = [Column(C.FISCAL_YEAR, "year"), Column(C.LINE_ID, "code")]
    specs += [Column(name, kind) for name, kind in LINE_COLUMNS if name in frame.columns]
    specs += [Column(untagged_column(p), "money", label=ctx.family("untagged", p)) for p in C.PHASES]
    specs.append(Column(TAGGED_SHARE, "percent", label=ctx.t("tcdb.col.tagged_share")))
    table = Table(
        "untagged",
        frame,
        specs,
        title=ctx.t("tcdb.title.untagged"),
        notes=[ctx.t("tcdb.note.untagged"), ctx.t("note.money")],
        freeze_columns=2,
        subtotal=Subtotal(ctx.t("tcdb.total_visible"), {untagged_column(p): "sum" for p in C.PHASES}),
    )
    return _section(ctx, "sheet.tcdb_untagged", table, print=_printed("untagged"))


# -- breakdowns --------------------------------------------------------------------------------------------------
def breakdown(
    ctx: Context,
    key: str,
    table: pd.DataFrame,
    key_specs: list[Column],
    title_key: str,
    *,
    line_dims: bool,
    notes: Sequence[str] = (),
) -> Section:
    """A long breakdown (every year × scheme reading × key), filtered to the latest year and primary scheme."""
    frame = ctx.labelled(table).reset_index(drop=True)
    specs = [*ctx.key_specs(), *key_specs]
    totals: dict[str, str | RatioOf] = {}
    if line_dims:
        specs += [Column(N.budget(p), "money", label=ctx.family("budget", p)) for p in C.PHASES]
        totals |= {N.budget(p): "sum" for p in C.PHASES}
    specs += [Column(N.attributed(p), "money", label=ctx.family("attributed", p)) for p in C.PHASES]
    specs += [Column(N.counted(p), "money", label=ctx.family("counted", p)) for p in C.PHASES]
    totals |= {N.attributed(p): "sum" for p in C.PHASES} | {N.counted(p): "sum" for p in C.PHASES}
    if line_dims:
        specs.append(Column(N.share(SHARE_PHASE), "percent", label=ctx.family("share_own", SHARE_PHASE)))
        totals[N.share(SHARE_PHASE)] = RatioOf(N.counted(SHARE_PHASE), N.budget(SHARE_PHASE))
    specs.append(
        Column(N.share_of_total(SHARE_PHASE), "percent", label=ctx.family("share_total", SHARE_PHASE))
    )
    specs.append(Column(N.EXECUTION_RATE, "percent", label=ctx.label(N.EXECUTION_RATE)))
    totals[N.share_of_total(SHARE_PHASE)] = "sum"
    totals[N.EXECUTION_RATE] = RatioOf(N.counted(C.EXPENDITURE), N.counted(C.REVISED_APPROPRIATION))
    filter_note = ctx.t("tcdb.note.filter", year=ctx.latest, scheme=ctx.primary.header)
    visible = (
        (frame[C.FISCAL_YEAR].to_numpy() == ctx.latest)
        & (frame[C.SCHEME].to_numpy() == ctx.primary.scheme)
        & (frame[N.READING].to_numpy() == ctx.primary.reading)
    )
    shown = {
        C.FISCAL_YEAR: [str(ctx.latest)],
        SCHEME_LABEL: [ctx.primary.scheme_label],
        READING_LABEL: [ctx.primary.reading_label],
    }
    block = Table(
        key,
        frame,
        specs,
        title=ctx.t(title_key),
        notes=[*notes, filter_note, ctx.t("note.money"), ctx.t("note.blank")],
        freeze_columns=len(ctx.key_specs()) + len(key_specs),
        filter=Filter(shown, visible),
        subtotal=Subtotal(ctx.t("tcdb.total_visible"), totals, visible),
    )
    return _section(ctx, key, block, print=_printed(key))


def _line_breakdown(ctx: Context, key, table, key_specs, title_key, key_name) -> Section:
    note = ctx.t("tcdb.note.line_breakdown", what=tr_lower(C.label(key_name, ctx.lang)))
    return breakdown(ctx, key, table, key_specs, title_key, line_dims=True, notes=[note])


def departments(ctx: Context) -> Section:
    specs = [Column(C.UNIT_NAME, "text")]
    return _line_breakdown(
        ctx, "sheet.departments", ctx.a.by_department, specs, "tcdb.title.departments", C.UNIT_NAME
    )


def functional(ctx: Context) -> Section:
    specs = [Column(C.FUNCTIONAL_CODE, "code")]
    return _line_breakdown(
        ctx, "sheet.functional", ctx.a.by_functional, specs, "tcdb.title.functional", C.FUNCTIONAL_CODE
    )


def economic(ctx: Context) -> Section:
    table = ctx.a.by_economic_2
    table = table.assign(**{ECONOMIC_1: table[C.ECONOMIC_CODE].str.split(".").str[0].astype("str")})
    specs = [Column(ECONOMIC_1, "code", label=ctx.t("tcdb.col.economic_1")), Column(C.ECONOMIC_CODE, "code")]
    return _line_breakdown(ctx, "sheet.economic", table, specs, "tcdb.title.economic", C.ECONOMIC_CODE)


def areas(ctx: Context) -> Section:
    notes = [ctx.t("tcdb.note.plan_breakdown")]
    specs = [Column(C.AREA, "count")]
    return breakdown(
        ctx, "sheet.areas", ctx.a.by_area, specs, "tcdb.title.areas", line_dims=False, notes=notes
    )


def action_titles(ctx: Context) -> dict[str, str]:
    """Action code → title, from the plan tables of the analysis."""
    frames = [ctx.a.plan_money, ctx.a.unfunded_actions, ctx.a.department_gaps]
    pairs = pd.concat([f[[C.ACTION_CODE, N.TITLE]] for f in frames], ignore_index=True).dropna()
    pairs = pairs.drop_duplicates(C.ACTION_CODE)
    return dict(zip(pairs[C.ACTION_CODE], pairs[N.TITLE], strict=True))


def actions(ctx: Context) -> Section:
    table = ctx.a.by_action
    table = table.assign(**{N.TITLE: table[C.ACTION_CODE].map(action_titles(ctx)).astype("str")})
    specs = [
        Column(C.AREA, "count"),
        Column(C.TARGET_CODE, "code"),
        Column(C.ACTION_CODE, "code"),
        Column(N.TITLE, "text", label=ctx.label(N.TITLE)),
    ]
    notes = [ctx.t("tcdb.note.plan_breakdown")]
    return breakdown(ctx, "sheet.actions", table, specs, "tcdb.title.actions", line_dims=False, notes=notes)


# -- plan checks -------------------------------------------------------------------------------------------------
def _simple(ctx: Context, key: str, frame: pd.DataFrame, specs, title_key: str, notes=()) -> Section:
    table = Table(key, frame.reset_index(drop=True), specs, title=ctx.t(title_key), notes=list(notes))
    return _section(ctx, key, table, print=_printed(key))


def _plan_specs(ctx: Context) -> list[Column]:
    return [
        Column(C.ACTION_CODE, "code"),
        Column(C.AREA, "count"),
        Column(C.TARGET_CODE, "code"),
        Column(N.TITLE, "text", label=ctx.label(N.TITLE)),
    ]


def unfunded(ctx: Context) -> Section:
    frame = ctx.a.unfunded_actions
    frame = frame.assign(**{N.FUNDING_STATUS: ctx.code_labels(frame[N.FUNDING_STATUS])})
    specs = [
        Column(C.FISCAL_YEAR, "year"),
        *_plan_specs(ctx),
        Column(N.RESPONSIBLE_UNIT, "text", label=ctx.label(N.RESPONSIBLE_UNIT)),
        Column(N.YEAR_FROM, "year", label=ctx.label(N.YEAR_FROM)),
        Column(N.YEAR_TO, "year", label=ctx.label(N.YEAR_TO)),
        Column(N.FUNDING_STATUS, "text", label=ctx.label(N.FUNDING_STATUS)),
        *(Column(N.attributed(p), "money", label=ctx.family("attributed", p)) for p in C.PHASES),
        Column(N.TAGGED_LINES, "count", label=ctx.label(N.TAGGED_LINES)),
    ]
    return _simple(
        ctx, "sheet.tcdb_unfunded", frame, specs, "tcdb.title.unfunded", [ctx.t("tcdb.note.unfunded")]
    )


def diversion(ctx: Context) -> Section:
    frame = ctx.a.diversion
    frame = frame.assign(**{N.SIGNAL: ctx.code_labels(frame[N.SIGNAL])})
    specs = [
        Column(C.FISCAL_YEAR, "year"),
        Column(C.LINE_ID, "code"),
        Column(C.UNIT_NAME, "text"),
        Column(C.DESCRIPTION, "text"),
        Column(C.ACTION_CODE, "code"),
        Column(N.SIGNAL, "text", label=ctx.label(N.SIGNAL)),
        *(Column(N.attributed(p), "money", label=ctx.family("attributed", p)) for p in C.PHASES),
        Column(N.VALUE, "percent", label=ctx.label(N.VALUE)),
        Column(N.THRESHOLD, "percent", label=ctx.label(N.THRESHOLD)),
        Column(N.YEAR_FROM, "year", label=ctx.label(N.YEAR_FROM)),
        Column(N.YEAR_TO, "year", label=ctx.label(N.YEAR_TO)),
    ]
    notes = [ctx.t("tcdb.note.diversion"), ctx.t("note.money")]
    return _simple(ctx, "sheet.tcdb_diversion", frame, specs, "tcdb.title.diversion", notes)


def department_gaps(ctx: Context) -> Section:
    frame = ctx.a.department_gaps
    frame = frame.assign(**{N.REASON: ctx.code_labels(frame[N.REASON])})
    specs = [
        Column(C.FISCAL_YEAR, "year"),
        Column(N.RESPONSIBLE_UNIT, "text", label=ctx.label(N.RESPONSIBLE_UNIT)),
        Column(N.BUDGET_UNIT, "text", label=ctx.label(N.BUDGET_UNIT)),
        *_plan_specs(ctx),
        Column(N.REASON, "text", label=ctx.label(N.REASON)),
        Column(N.TAGGED_LINES_ELSEWHERE, "count", label=ctx.label(N.TAGGED_LINES_ELSEWHERE)),
    ]
    return _simple(ctx, "sheet.tcdb_department_gaps", frame, specs, "tcdb.title.department_gaps")
