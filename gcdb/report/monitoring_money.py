"""The İzleme ve Değerlendirme Raporu's context and its money sections: the summary with the joined money ×
implementation table of each year first, the same counts in every budget phase, and the money per action
(:mod:`gcdb.report.monitoring` builds the whole report)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.report.collected import (
    Texts,
    labelled,
)
from gcdb.report.model import Column, Heading, Place, Print, Section, Sentence, Table

#: Tables of the money × implementation summary, one per year: ``money_<year>``.
MONEY_TABLE = "money_{year}"
#: Budget phase of the headline table.
HEADLINE_PHASE = C.REVISED_APPROPRIATION


class _Ctx(Texts):
    def __init__(self, analysis: Any, lang: str, areas: Mapping[int, str] | None):
        super().__init__(lang)
        from gcdb.monitor import names as N

        self.a, self.N = analysis, N
        self.areas = dict(areas or {})
        units = analysis.units
        self.unit_names = dict(
            zip(units[N.UNIT_ID].astype("str"), units[C.UNIT_NAME].astype("str"), strict=True)
        )

    def code(self, series: pd.Series) -> pd.Series:
        return labelled(series, lambda c: self.N.label(c, self.lang))

    def unit(self, series: pd.Series) -> pd.Series:
        return labelled(series, lambda u: self.unit_names.get(u, u))

    def area(self, series: pd.Series) -> pd.Series:
        def name(value: str) -> str:
            n = int(float(value)) if value.replace(".", "", 1).isdigit() else None
            return f"{n} – {self.areas[n]}" if n in self.areas else value

        return labelled(series, name)

    def phase(self, series: pd.Series) -> pd.Series:
        return labelled(series, lambda p: C.label(p, self.lang))


# -- summary: the joined money × implementation table first ----------------------------------------------------
def _money_year(ctx: _Ctx, year: int) -> Table:
    from gcdb.monitor.money import ACTIONS, ATTRIBUTED, CATEGORY, PHASE, SPENT_REPORTED

    m = ctx.a.money_summary
    rows = m[(m[C.FISCAL_YEAR] == year).to_numpy() & (m[PHASE] == HEADLINE_PHASE).to_numpy()]
    rows = rows.reset_index(drop=True).assign(_category=lambda f: ctx.code(f[CATEGORY]))
    return Table(
        MONEY_TABLE.format(year=year),
        rows,
        [
            Column("_category", "text", ctx.t("monitoring.col.category"), width=42),
            Column(ACTIONS, "count", ctx.t("monitoring.col.actions")),
            Column(ATTRIBUTED, "money", ctx.t("monitoring.col.attributed_revised")),
            Column(SPENT_REPORTED, "money", ctx.t("monitoring.col.spent_reported")),
        ],
        title=ctx.t("monitoring.title.money_year", year=year),
        total_row={ACTIONS: "sum", ATTRIBUTED: "sum", SPENT_REPORTED: "sum"},
        autofilter=False,
        freeze=False,
        place=Place(gap=2),
    )


_KEY_FIGURES = (
    ("units_expected", "count"),
    ("units_complete", "count"),
    ("units_incomplete", "count"),
    ("units_not_returned", "count"),
    ("units_refused", "count"),
    ("actions_active", "count"),
    ("actions_done", "count"),
    ("actions_in_progress", "count"),
    ("actions_not_started", "count"),
    ("actions_cancelled", "count"),
    ("actions_not_reported", "count"),
    ("indicators", "count"),
    ("indicators_computable", "count"),
    ("indicators_measured", "count"),
    ("indicators_achieved", "count"),
)


def _key_figures(ctx: _Ctx) -> Table:
    numbers = ctx.a.key_numbers()
    wide = numbers.pivot(index="key", columns=C.FISCAL_YEAR, values="value")
    keys = [k for k, _ in _KEY_FIGURES]
    wide = wide.reindex(keys).fillna(0).astype("int64")
    frame = pd.DataFrame({"measure": pd.Series([ctx.t(f"monitoring.kv.{k}") for k in keys], dtype="str")})
    columns = [Column("measure", "text", ctx.t("monitoring.col.measure"), width=44)]
    for year in ctx.a.years:
        name = f"y{year}"
        frame[name] = wide[year].to_numpy() if year in wide.columns else 0
        columns.append(Column(name, "count", str(year)))
    return Table(
        "key_figures",
        frame,
        columns,
        title=ctx.t("monitoring.title.key_figures"),
        autofilter=False,
        freeze=False,
        place=Place(gap=2),
    )


def summary(ctx: _Ctx) -> Section:
    a, N = ctx.a, ctx.N
    section = Section("summary", ctx.t("monitoring.sheet.summary"), print=Print(fit=(1, 0)), active=True)
    years = ", ".join(map(str, a.years))
    plan = a.parameters.get("plan_id", "")
    section.add(
        Heading(
            ctx.t("monitoring.title"),
            [ctx.t("monitoring.subtitle", years=years, plan=plan), ctx.t("note.money")],
        )
    )
    latest = max(a.years)
    status = a.action_status[a.action_status[C.FISCAL_YEAR] == latest]
    done = int((status[N.STATUS] == N.DONE).sum())
    not_reported = int((status[N.STATUS] == N.NOT_REPORTED).sum())
    section.add(
        Sentence(
            ctx.t(
                "monitoring.sentence.status",
                year=latest,
                actions=len(status),
                done=done,
                not_reported=not_reported,
            ),
            emphasis=str(done),
        )
    )
    if a.has_budget:
        section.add(Heading(ctx.t("monitoring.title.money"), [ctx.t("monitoring.note.money_summary")]))
        for year in a.years:
            section.add(_money_year(ctx, year))
    else:
        section.add(Heading(ctx.t("monitoring.title.money"), [ctx.t("monitoring.note.no_budget")]))
    section.add(_key_figures(ctx))
    return section


# -- money × implementation in every phase, and per action ------------------------------------------------------
def money(ctx: _Ctx) -> Section:
    from gcdb.monitor import money as M

    a = ctx.a
    section = Section("money", ctx.t("monitoring.sheet.money"), print=Print(landscape=True, fit=(1, 0)))
    counts = a.money_summary.assign(
        _phase=lambda f: ctx.phase(f[M.PHASE]), _category=lambda f: ctx.code(f[M.CATEGORY])
    )
    section.add(
        Table(
            "money_summary",
            counts,
            [
                Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
                Column("_phase", "text", ctx.t("monitoring.col.phase")),
                Column("_category", "text", ctx.t("monitoring.col.category"), width=42),
                Column(M.ACTIONS, "count", ctx.t("monitoring.col.actions")),
                Column(M.ATTRIBUTED, "money", ctx.t("monitoring.col.attributed")),
                Column(M.SPENT_REPORTED, "money", ctx.t("monitoring.col.spent_reported")),
            ],
            title=ctx.t("monitoring.title.money_phases"),
            notes=[ctx.t("monitoring.note.money_phases")],
            freeze=False,
        )
    )
    return section


def money_actions(ctx: _Ctx) -> Section:
    from gcdb.monitor import money as M
    from gcdb.monitor.status import ECONOMIC_CODES, RESPONSIBLE_UNIT, SPENT_TOTAL

    a, N = ctx.a, ctx.N
    section = Section("money_actions", ctx.t("monitoring.sheet.money_actions"), print=Print(landscape=True))
    detail = a.money_implementation
    if detail.empty:
        section.add(Heading(ctx.t("monitoring.title.money_actions"), [ctx.t("monitoring.note.no_budget")]))
        return section
    section.print = Print(landscape=True, paper=8, repeat_header_of="money_actions")
    key = [C.FISCAL_YEAR, C.ACTION_CODE]
    wide = detail.pivot(index=key, columns=M.PHASE, values=M.ATTRIBUTED)
    wide.columns = [f"_{p}" for p in wide.columns]
    revised = detail[detail[M.PHASE] == HEADLINE_PHASE].set_index(key)
    per_action = revised.join(wide).reset_index()
    order = {c: i for i, c in enumerate(N.MONEY_CATEGORIES)}
    per_action = per_action.assign(_order=per_action[M.CATEGORY].map(order)).sort_values(
        [C.FISCAL_YEAR, "_order", C.ACTION_CODE], kind="stable"
    )
    per_action = per_action.reset_index(drop=True).assign(
        _unit=lambda f: ctx.unit(f[RESPONSIBLE_UNIT]),
        _status=lambda f: ctx.code(f[N.STATUS]),
        _category=lambda f: ctx.code(f[M.CATEGORY]),
        _above=lambda f: pd.Series(
            np.where(f[M.SPENT_ABOVE].to_numpy(dtype=bool), ctx.t("yes"), ""), dtype="str"
        ),
    )
    columns = [
        Column(C.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, ctx.lang)),
        Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, ctx.lang)),
        Column(C.AREA, "count", C.label(C.AREA, ctx.lang)),
        Column("_unit", "text", ctx.t("monitoring.col.responsible_unit"), width=30),
        Column("_status", "text", ctx.t("monitoring.col.status")),
        Column("_category", "text", ctx.t("monitoring.col.category"), width=32),
        *(
            Column(f"_{p}", "money", ctx.t("monitoring.col.attributed_phase", phase=C.label(p, ctx.lang)))
            for p in C.PHASES
        ),
        Column(SPENT_TOTAL, "money", ctx.t("monitoring.col.spent_reported")),
        Column("_above", "text", ctx.t("monitoring.col.spent_above")),
        Column(ECONOMIC_CODES, "code", ctx.t("monitoring.col.economic_codes")),
    ]
    section.add(
        Table(
            "money_actions",
            per_action,
            columns,
            title=ctx.t("monitoring.title.money_actions"),
            notes=[ctx.t("monitoring.note.money_actions")],
            total_row={SPENT_TOTAL: "sum", **{f"_{p}": "sum" for p in C.PHASES}},
            freeze_columns=2,
        )
    )
    return section
