"""The TCDB report's summary and charts: every money figure a ``SUMIFS`` over the detail (the Lines, Departments
and Untagged tables), with its cached value equal to the analysis' figure; reconciliation check cells and the
floor check as live status cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.report.model import (
    Balance,
    Block,
    CellRule,
    Column,
    Figure,
    Heading,
    Place,
    Print,
    RatioOf,
    RowRatio,
    Section,
    Status,
    SumIfs,
    Table,
)
from gcdb.report.tcdb_context import (
    AREA_LABEL,
    CATEGORY_LABEL,
    CHECK_COUNTED,
    CHECK_TAGGED,
    FLOOR_MET,
    PHASE_LABEL,
    READING_LABEL,
    SCHEME_LABEL,
    SHARE_OF_TOTAL,
    Context,
    Reading,
    counted_column,
    num,
    untagged_column,
)
from gcdb.schemes import category_column

#: Rows a chart takes on the Charts sheet (360 pixels at 20 per row, and a gap).
CHART_ROWS = 360 // 20 + 1


def _budget(year: int, r: Reading, phase: str, expected: int) -> SumIfs:
    criteria = {C.FISCAL_YEAR: year, SCHEME_LABEL: r.scheme_label, READING_LABEL: r.reading_label}
    return SumIfs("sheet.departments", N.budget(phase), criteria, expected)


def _counted(year: int, r: Reading, phase: str, expected: int, extra=None) -> SumIfs:
    return SumIfs(
        "lines", counted_column(r.scheme, r.reading, phase), {C.FISCAL_YEAR: year, **(extra or {})}, expected
    )


def _attributed(year: int, phase: str, expected: int, extra=None) -> SumIfs:
    return SumIfs("lines", N.attributed(phase), {C.FISCAL_YEAR: year, **(extra or {})}, expected)


def summary(ctx: Context) -> Section:
    budget_file = next((path for label, path, *_ in ctx.checksums if label == "budget"), None)
    if budget_file is None and ctx.read_result is not None:
        budget_file = ctx.read_result.source
    rules = getattr(ctx.ruleset, "name", None)
    notes = []
    if budget_file or rules:
        notes.append(
            ctx.t(
                "tcdb.note.source", budget=Path(budget_file).name if budget_file else "–", rules=rules or "–"
            )
        )
    notes += [
        ctx.t(
            "tcdb.note.formulas",
            lines=ctx.t("sheet.tcdb_lines"),
            departments=ctx.t("sheet.departments"),
            untagged=ctx.t("sheet.tcdb_untagged") if ctx.untagged is not None else "–",
        ),
        ctx.t("note.money"),
    ]
    blocks: list[Block] = [
        Heading(ctx.t("title.tcdb"), notes),
        headline(ctx),
        by_scheme(ctx),
        reconciliation(ctx),
        by_category(ctx),
    ]
    return Section("sheet.summary", ctx.t("sheet.summary"), blocks, print=Print(landscape=True), active=True)


def headline(ctx: Context) -> Table:
    r = ctx.primary
    s = ctx.a.summary
    s = s[(s[C.SCHEME] == r.scheme) & (s[N.READING] == r.reading)].reset_index(drop=True)
    rev, exp = C.REVISED_APPROPRIATION, C.EXPENDITURE
    frame = s[
        [
            C.FISCAL_YEAR,
            N.budget(rev),
            N.counted(rev),
            N.share_of_total(rev),
            N.counted(exp),
            N.EXECUTION_RATE,
        ]
    ]
    cells = []
    for i, rec in enumerate(frame.to_dict("records")):
        year = int(rec[C.FISCAL_YEAR])
        cells += [
            CellRule(i, N.budget(rev), _budget(year, r, rev, rec[N.budget(rev)])),
            CellRule(i, N.counted(rev), _counted(year, r, rev, rec[N.counted(rev)])),
            CellRule(i, N.counted(exp), _counted(year, r, exp, rec[N.counted(exp)])),
            CellRule(
                i,
                N.share_of_total(rev),
                RowRatio(N.counted(rev), N.budget(rev), num(rec[N.share_of_total(rev)])),
            ),
            CellRule(
                i, N.EXECUTION_RATE, RowRatio(N.counted(exp), N.counted(rev), num(rec[N.EXECUTION_RATE]))
            ),
        ]
    return Table(
        "headline",
        frame,
        [
            Column(C.FISCAL_YEAR, "year"),
            Column(N.budget(rev), "money", label=ctx.family("budget", rev)),
            Column(N.counted(rev), "money", label=ctx.family("counted", rev)),
            Column(N.share_of_total(rev), "percent", label=ctx.family("share_total", rev)),
            Column(N.counted(exp), "money", label=ctx.family("counted", exp)),
            Column(N.EXECUTION_RATE, "percent", label=ctx.label(N.EXECUTION_RATE)),
        ],
        title=ctx.t("tcdb.title.headline", scheme=ctx.primary_name()),
        autofilter=False,
        freeze=False,
        cells=cells,
    )


def scheme_frame(ctx: Context) -> pd.DataFrame:
    """The gender budget by year × scheme reading × phase, with the floor check (one row each)."""
    floors = ctx.a.floor_check.set_index([C.FISCAL_YEAR, C.SCHEME, N.READING, N.PHASE])
    rows = []
    for rec in ctx.a.summary.to_dict("records"):
        for phase in C.PHASES:
            key = (rec[C.FISCAL_YEAR], rec[C.SCHEME], rec[N.READING], phase)
            # a full key of the MultiIndex selects one row; pandas-stubs only type 2-tuples (row, column) here
            floor = floors.loc[key] if key in floors.index else None  # type: ignore[index]
            rows.append(
                {
                    C.FISCAL_YEAR: rec[C.FISCAL_YEAR],
                    C.SCHEME: rec[C.SCHEME],
                    N.READING: rec[N.READING],
                    N.PHASE: phase,
                    PHASE_LABEL: ctx.phase(phase),
                    N.BUDGET_TOTAL: rec[N.budget(phase)],
                    N.COUNTED: rec[N.counted(phase)],
                    SHARE_OF_TOTAL: rec[N.share_of_total(phase)],
                    N.FLOOR: np.nan if floor is None else float(floor[N.FLOOR]),
                    N.REQUIRED: pd.NA if floor is None else int(floor[N.REQUIRED]),
                    FLOOR_MET: ""
                    if floor is None
                    else (ctx.t("tcdb.floor.met") if floor[N.PASSED] else ctx.t("tcdb.floor.not_met")),
                    "_passed": None if floor is None else bool(floor[N.PASSED]),
                }
            )
    return ctx.labelled(pd.DataFrame(rows).astype({N.REQUIRED: "Int64", N.FLOOR: "float64"}))


def by_scheme(ctx: Context) -> Table:
    frame = scheme_frame(ctx)
    cells = []
    for i, rec in enumerate(frame.to_dict("records")):
        r = ctx.by_key[(rec[C.SCHEME], rec[N.READING])]
        year, phase = int(rec[C.FISCAL_YEAR]), rec[N.PHASE]
        cells += [
            CellRule(i, N.BUDGET_TOTAL, _budget(year, r, phase, rec[N.BUDGET_TOTAL])),
            CellRule(i, N.COUNTED, _counted(year, r, phase, rec[N.COUNTED])),
            CellRule(i, SHARE_OF_TOTAL, RowRatio(N.COUNTED, N.BUDGET_TOTAL, num(rec[SHARE_OF_TOTAL]))),
        ]
        if rec["_passed"] is not None:
            status = Status(
                N.COUNTED, N.REQUIRED, rec["_passed"], ctx.t("tcdb.floor.met"), ctx.t("tcdb.floor.not_met")
            )
            cells.append(CellRule(i, FLOOR_MET, status))
    return Table(
        "by_scheme",
        frame,
        [
            *ctx.key_specs(),
            Column(PHASE_LABEL, "text", label=ctx.label(N.PHASE)),
            Column(N.BUDGET_TOTAL, "money", label=ctx.label(N.BUDGET_TOTAL)),
            Column(N.COUNTED, "money", label=ctx.label(N.COUNTED)),
            Column(SHARE_OF_TOTAL, "percent", label=ctx.t("tcdb.col.share_of_total")),
            Column(N.FLOOR, "percent", label=ctx.t("tcdb.col.floor")),
            Column(N.REQUIRED, "money", label=ctx.label(N.REQUIRED)),
            Column(FLOOR_MET, "text", label=ctx.t("tcdb.col.floor_met")),
        ],
        title=ctx.t("tcdb.title.by_scheme"),
        notes=[ctx.t("tcdb.note.floor"), ctx.t("tcdb.note.review")],
        freeze=False,
        cells=cells,
    )


def reconciliation(ctx: Context) -> Table:
    frame = ctx.labelled(ctx.a.reconciliation).reset_index(drop=True)
    added: dict[str, pd.Series | str] = {
        PHASE_LABEL: frame[N.PHASE].map({p: ctx.phase(p) for p in C.PHASES}).astype("str"),
        CHECK_TAGGED: ctx.t("check.balanced"),
        CHECK_COUNTED: ctx.t("check.balanced"),
    }
    frame = frame.assign(**added)
    cells = []
    for i, rec in enumerate(frame.to_dict("records")):
        r = ctx.by_key[(rec[C.SCHEME], rec[N.READING])]
        year, phase = int(rec[C.FISCAL_YEAR]), rec[N.PHASE]
        cells += [
            CellRule(i, N.BUDGET_TOTAL, _budget(year, r, phase, rec[N.BUDGET_TOTAL])),
            CellRule(i, N.ATTRIBUTED, _attributed(year, phase, rec[N.ATTRIBUTED])),
        ]
        if ctx.untagged is not None:
            untagged = SumIfs("untagged", untagged_column(phase), {C.FISCAL_YEAR: year}, rec[N.UNTAGGED])
            cells.append(CellRule(i, N.UNTAGGED, untagged))
        cells += [
            CellRule(i, N.COUNTED, _counted(year, r, phase, rec[N.COUNTED])),
            CellRule(i, CHECK_TAGGED, Balance((N.BUDGET_TOTAL,), (N.ATTRIBUTED, N.UNTAGGED))),
            CellRule(i, CHECK_COUNTED, Balance((N.BUDGET_TOTAL,), (N.COUNTED, N.NOT_COUNTED, N.UNTAGGED))),
        ]
    return Table(
        "reconciliation",
        frame,
        [
            Column(C.FISCAL_YEAR, "year"),
            Column(PHASE_LABEL, "text", label=ctx.label(N.PHASE)),
            Column(SCHEME_LABEL, "text", label=ctx.t("tcdb.col.scheme")),
            Column(READING_LABEL, "text", label=ctx.label(N.READING)),
            Column(N.BUDGET_TOTAL, "money", label=ctx.label(N.BUDGET_TOTAL)),
            Column(N.ATTRIBUTED, "money", label=ctx.label(N.ATTRIBUTED)),
            Column(N.UNTAGGED, "money", label=ctx.label(N.UNTAGGED)),
            Column(N.COUNTED, "money", label=ctx.label(N.COUNTED)),
            Column(N.NOT_COUNTED, "money", label=ctx.label(N.NOT_COUNTED)),
            Column(CHECK_TAGGED, "text", label=ctx.t("tcdb.col.check_tagged")),
            Column(CHECK_COUNTED, "text", label=ctx.t("tcdb.col.check_counted")),
        ],
        title=ctx.t("tcdb.title.reconciliation"),
        notes=[ctx.t("tcdb.note.not_counted")]
        + ([] if ctx.untagged is not None else [ctx.t("tcdb.note.no_lines")]),
        autofilter=False,
        freeze=False,
        cells=cells,
    )


def category_label(ctx: Context, scheme_id: str, code: Any) -> str:
    if code is None or (isinstance(code, float) and np.isnan(code)) or code is pd.NA:
        return ctx.t("tcdb.no_category")
    scheme = ctx.scheme_objects.get(scheme_id)
    if scheme is None:
        return str(code)
    if scheme.kind == "score":
        try:
            score = float(code)
        except ValueError:
            return str(code)
        band = [b for b in scheme.bands if b.min <= score]
        return (band[-1].label_tr if ctx.lang == "tr" else band[-1].label_en) if band else str(code)
    return scheme.category_label(str(code), ctx.lang)


def by_category(ctx: Context) -> Table:
    frame = ctx.labelled(ctx.a.by_category).reset_index(drop=True)
    labels = [category_label(ctx, s, c) for s, c in zip(frame[C.SCHEME], frame[C.CATEGORY], strict=True)]
    frame = frame.assign(**{CATEGORY_LABEL: pd.Series(labels, dtype="str")})
    cells = []
    for i, rec in enumerate(frame.to_dict("records")):
        r = ctx.by_key[(rec[C.SCHEME], rec[N.READING])]
        code = rec[C.CATEGORY] if isinstance(rec[C.CATEGORY], str) else None
        extra = {category_column(r.scheme): code}
        year = int(rec[C.FISCAL_YEAR])
        for p in C.PHASES:
            cells.append(CellRule(i, N.attributed(p), _attributed(year, p, rec[N.attributed(p)], extra)))
            cells.append(CellRule(i, N.counted(p), _counted(year, r, p, rec[N.counted(p)], extra)))
    return Table(
        "by_category",
        frame,
        [
            *ctx.key_specs(),
            Column(C.CATEGORY, "code"),
            Column(CATEGORY_LABEL, "text", label=ctx.t("tcdb.col.category_label")),
            *(Column(N.attributed(p), "money", label=ctx.family("attributed", p)) for p in C.PHASES),
            *(Column(N.counted(p), "money", label=ctx.family("counted", p)) for p in C.PHASES),
        ],
        title=ctx.t("tcdb.title.by_category"),
        autofilter=False,
        freeze=False,
        cells=cells,
    )


# -- charts ------------------------------------------------------------------------------------------------------
def _primary_rows(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    r = ctx.primary
    return frame[
        (frame[C.FISCAL_YEAR] == ctx.latest) & (frame[C.SCHEME] == r.scheme) & (frame[N.READING] == r.reading)
    ]


def charts(ctx: Context) -> Section:
    r, year = ctx.primary, ctx.latest
    section = Section("sheet.charts", ctx.t("sheet.charts"))
    areas = _primary_rows(ctx, ctx.a.by_area)
    areas = areas.sort_values(C.AREA, kind="stable", na_position="last").reset_index(drop=True)
    area_labels = [
        ctx.t("tcdb.no_action") if pd.isna(a) else ctx.t("tcdb.area_n", n=int(a))
        for a in areas[C.AREA].tolist()
    ]
    frame = areas[[N.counted(p) for p in C.PHASES]].assign(
        **{AREA_LABEL: pd.Series(area_labels, dtype="str")}
    )
    title = ctx.t("tcdb.title.chart_areas", year=year, scheme=r.header)
    cells = []
    for i, area in enumerate(areas[C.AREA].tolist()):
        criteria = {
            C.FISCAL_YEAR: year,
            SCHEME_LABEL: r.scheme_label,
            READING_LABEL: r.reading_label,
            C.AREA: None if pd.isna(area) else int(area),
        }
        for p in C.PHASES:
            sumifs = SumIfs("sheet.areas", N.counted(p), criteria, areas[N.counted(p)].iloc[i])
            cells.append(CellRule(i, N.counted(p), sumifs))
    section.add(
        Table(
            "chart_areas",
            frame,
            [
                Column(AREA_LABEL, "text", label=C.label(C.AREA, ctx.lang)),
                *(Column(N.counted(p), "money", label=ctx.family("counted", p)) for p in C.PHASES),
            ],
            title=title,
            total_row=True,
            autofilter=False,
            freeze=False,
            cells=cells,
        )
    )
    if len(frame):
        values = [N.counted(p) for p in C.PHASES]
        figure = Figure("share", "chart_areas", AREA_LABEL, values, title=title, width=760, height=360)
        figure.place = Place(rows=CHART_ROWS)
        section.add(figure)
    dref = _execution_table(ctx)
    section.add(dref)
    if len(dref.frame):
        overall = _primary_rows(ctx, ctx.a.summary)[N.EXECUTION_RATE]
        reference = num(overall.iloc[0]) if len(overall) else None
        section.add(
            Figure(
                "execution",
                "chart_execution",
                C.UNIT_NAME,
                [N.EXECUTION_RATE],
                title=dref.title,
                reference=reference,
                width=760,
            )
        )
    return section


def _execution_table(ctx: Context) -> Table:
    r, year = ctx.primary, ctx.latest
    depts = _primary_rows(ctx, ctx.a.by_department)
    depts = depts[depts[N.counted(C.REVISED_APPROPRIATION)] > 0]
    depts = depts.sort_values(
        [N.EXECUTION_RATE, C.UNIT_NAME], ascending=[False, True], kind="stable", na_position="last"
    ).reset_index(drop=True)
    rev, exp = C.REVISED_APPROPRIATION, C.EXPENDITURE
    cells = []
    for i, rec in enumerate(depts.to_dict("records")):
        criteria = {
            C.FISCAL_YEAR: year,
            SCHEME_LABEL: r.scheme_label,
            READING_LABEL: r.reading_label,
            C.UNIT_NAME: rec[C.UNIT_NAME] if isinstance(rec[C.UNIT_NAME], str) else None,
        }
        for p in (rev, exp):
            cells.append(
                CellRule(
                    i, N.counted(p), SumIfs("sheet.departments", N.counted(p), criteria, rec[N.counted(p)])
                )
            )
        cells.append(
            CellRule(
                i, N.EXECUTION_RATE, RowRatio(N.counted(exp), N.counted(rev), num(rec[N.EXECUTION_RATE]))
            )
        )
    return Table(
        "chart_execution",
        depts[[C.UNIT_NAME, N.counted(rev), N.counted(exp), N.EXECUTION_RATE]],
        [
            Column(C.UNIT_NAME, "text"),
            Column(N.counted(rev), "money", label=ctx.family("counted", rev)),
            Column(N.counted(exp), "money", label=ctx.family("counted", exp)),
            Column(N.EXECUTION_RATE, "percent", label=ctx.label(N.EXECUTION_RATE)),
        ],
        title=ctx.t("tcdb.title.chart_execution", year=year, scheme=r.header),
        total_row={
            N.counted(rev): "sum",
            N.counted(exp): "sum",
            N.EXECUTION_RATE: RatioOf(N.counted(exp), N.counted(rev)),
        },
        autofilter=False,
        freeze=False,
        cells=cells,
    )
