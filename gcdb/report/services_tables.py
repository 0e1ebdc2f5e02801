"""The Hizmette Eşitlik report's analysis sections: WHO HEAT summary measures, benefit incidence and the plan
indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.i18n import known, optional, t
from gcdb.indicators import compute as IC
from gcdb.report.model import Column, Heading, Print, Section, Table
from gcdb.report.services_common import Context, display, legend, name_map, reason_text, table
from gcdb.services import names as S


def heat(ctx: Context) -> Section:
    a, lang = ctx.analysis, ctx.lang
    section = Section("heat", ctx.t("services.sheet.heat"))
    heat = a.heat[(a.heat[N.STRATA].astype("str") == "").to_numpy()]
    if heat.empty:
        section.add(Heading(ctx.t("services.heat.title")))
        return section
    keys = [S.FISCAL_YEAR, C.SERVICE_CODE, N.DIMENSION]
    wide = heat.pivot_table(
        index=keys, columns=N.MEASURE, values=N.VALUE, aggfunc="first", sort=False, dropna=False
    )
    groups = heat.groupby(keys, sort=False)[N.N_GROUPS].max()
    wide = wide.reindex(columns=[m for m in S.HEAT_SHOWN]).reset_index()
    wide[N.N_GROUPS] = groups.reindex(pd.MultiIndex.from_frame(wide[keys])).to_numpy()
    service_order = {c: i for i, c in enumerate(a.services[C.SERVICE_CODE].astype("str"))}
    dim_order = {d: i for i, d in enumerate(S.HEAT_DIMENSIONS)}
    wide["_s"] = wide[C.SERVICE_CODE].astype("str").map(service_order).fillna(len(service_order))
    wide["_d"] = wide[N.DIMENSION].astype("str").map(dim_order).fillna(len(dim_order))
    wide = wide.sort_values([S.FISCAL_YEAR, "_s", "_d"], kind="stable").reset_index(drop=True)
    wide["_dimension"] = pd.Series([C.label(d, lang) for d in wide[N.DIMENSION].astype("str")], dtype="str")
    specs = [
        Column(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
        Column(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
        Column("_dimension", "text", N.label(N.DIMENSION, lang)),
        Column(N.N_GROUPS, "count", N.label(N.N_GROUPS, lang)),
    ]
    specs += [
        Column(m, "number", optional(f"services.heat_header.{m}", m, lang))
        for m in S.HEAT_SHOWN
        if m in wide.columns
    ]
    section.add(
        Table(
            "heat",
            wide,
            specs,
            title=ctx.t("services.heat.title"),
            notes=[ctx.t("services.heat.note")],
            freeze_columns=3,
        )
    )
    return section


def incidence(ctx: Context) -> Section:
    a, lang = ctx.analysis, ctx.lang
    section = Section("incidence", t("sheet.incidence", lang), print=Print(freeze=(1, 0)))
    caveat = a.caveat.get(lang, N.INCIDENCE_CAVEAT[lang])
    if not a.has_incidence:
        section.print = Print()
        section.add(Heading(ctx.t("services.incidence.title"), [caveat, ctx.t("services.incidence.none")]))
        return section
    notes = [caveat, ctx.t("services.incidence.method"), ctx.t("note.money"), *legend(ctx)]
    section.add(Heading(ctx.t("services.incidence.title"), notes))
    year_spec = Column(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang))
    actions = a.incidence_actions.copy()
    actions["_reason"] = reason_text(actions[N.REASON], lang)
    hidden = np.where(
        actions[N.USERS].isna().to_numpy() & (actions[N.REASON].astype("str") == "").to_numpy(), S.PRIMARY, ""
    )
    section.add(
        table(
            ctx,
            "incidence_actions",
            actions,
            [
                year_spec,
                Column(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, lang)),
                Column(S.SPENDING, "money", ctx.t("services.column.spending")),
                Column(S.SERVICES, "code", ctx.t("services.column.services")),
                Column(N.USERS, "count", N.label(N.USERS, lang)),
                Column(S.ALLOCATED, "label", ctx.t("services.column.allocated")),
                Column("_reason", "text", N.label(N.REASON, lang)),
            ],
            hide={N.USERS: hidden},
            title=ctx.t("services.incidence.actions"),
            freeze=False,
        )
    )
    services = a.incidence_services.copy()
    services[C.SERVICE_NAME] = (
        services[C.SERVICE_CODE].astype("str").map(name_map(a)).fillna("").astype("str")
    )
    kinds = np.where(services[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "")
    section.add(
        table(
            ctx,
            "incidence_services",
            services,
            [
                year_spec,
                Column(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
                Column(C.SERVICE_NAME, "text", C.label(C.SERVICE_NAME, lang)),
                Column(S.ACTION_CODES, "code", ctx.t("services.column.action_codes")),
                Column(S.SPENDING, "money", ctx.t("services.column.spending")),
                Column(N.USERS, "count", N.label(N.USERS, lang)),
                Column(S.SPENDING_PER_USER, "money", ctx.t("services.column.spending_per_user")),
            ],
            hide={N.USERS: kinds, S.SPENDING_PER_USER: kinds},
            title=ctx.t("services.incidence.services"),
            autofilter=False,
            freeze=False,
            gap=2,
        )
    )
    groups = a.incidence_groups
    hidden_columns = (
        N.USERS,
        N.BENEFIT,
        N.BENEFIT_SHARE,
        N.INCIDENCE_RATIO,
        N.BENEFIT_PER_USER,
        N.BENEFIT_PER_RESIDENT,
    )
    for by, key in ((C.SEX, "services.incidence.sex"), (C.DISTRICT, "services.incidence.district")):
        rows = groups[(groups[S.BY] == by).to_numpy()].copy()
        if rows.empty:
            continue
        rows["_group"] = display(rows[N.GROUP], lang)
        kinds = np.where(rows[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "")
        section.add(
            table(
                ctx,
                f"incidence_{by}",
                rows,
                [
                    year_spec,
                    Column("_group", "text", C.label(by, lang)),
                    Column(N.USERS, "count", N.label(N.USERS, lang)),
                    Column(N.BENEFIT, "money", ctx.t("services.column.benefit")),
                    Column(N.BENEFIT_SHARE, "percent", N.label(N.BENEFIT_SHARE, lang)),
                    Column(N.POPULATION, "count", C.label(C.POPULATION, lang)),
                    Column(N.POPULATION_SHARE, "percent", N.label(N.POPULATION_SHARE, lang)),
                    Column(N.INCIDENCE_RATIO, "ratio", N.label(N.INCIDENCE_RATIO, lang)),
                    Column(N.BENEFIT_PER_USER, "money", ctx.t("services.column.benefit_per_user")),
                    Column(N.BENEFIT_PER_RESIDENT, "money", ctx.t("services.column.benefit_per_resident")),
                ],
                hide=dict.fromkeys(hidden_columns, kinds),
                title=ctx.t(key),
                autofilter=False,
                freeze=False,
                gap=2,
            )
        )
    return section


def split_pair(text: str, lang: str) -> str:
    """The ``lang`` half of a ``"Türkçe / English"`` text (the whole text when it has no `` / ``)."""
    turkish, sep, english = str(text).partition(" / ")
    return (turkish if lang == "tr" else english).strip() if sep else str(text)


def indicator_groups(frame: pd.DataFrame, lang: str) -> pd.Series:
    """``Kadın`` / ``Bağcılar · Merkez``: the values of each row's breakdown dimensions, per distinct row key."""
    dims = [
        d
        for d in (C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT, C.NEIGHBOURHOOD)
        if d in frame
    ]
    keys = frame[[IC.BREAKDOWN, *dims]].astype("str").fillna("")
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys))
    texts = []
    for key in uniques:
        breakdown, values = key[0], dict(zip(dims, key[1:], strict=True))
        if not breakdown:
            texts.append(t("total", lang))
            continue
        texts.append(" · ".join(N.label(values.get(d, ""), lang) or "–" for d in breakdown.split("|")))
    return pd.Series(np.asarray(texts, dtype=object)[codes], index=frame.index, dtype="str")


def indicators(ctx: Context) -> Section:
    a, lang = ctx.analysis, ctx.lang
    section = Section("indicators", ctx.t("services.sheet.indicators"))
    if a.indicators.empty:
        section.add(Heading(ctx.t("services.indicators.title"), [ctx.t("services.indicators.none")]))
        return section
    rows = a.indicators.copy()
    title_col = IC.TITLE if lang == "tr" else S.TITLE_EN
    rows["_title"] = rows[title_col].astype("str").fillna(rows[IC.TITLE].astype("str"))
    proxy = (
        rows[IC.PROXY].fillna(False).to_numpy(dtype=bool)
        if IC.PROXY in rows.columns
        else np.zeros(len(rows), dtype=bool)
    )
    rows["_title"] = rows["_title"].where(~proxy, "≈ " + rows["_title"])  # a stand-in, visibly
    reasons = rows[IC.PROXY_REASON].astype("str").fillna("") if IC.PROXY_REASON in rows.columns else None
    if reasons is None:
        rows["_proxy"] = pd.Series("", index=rows.index, dtype="str")
    else:
        codes, uniques = pd.factorize(reasons)
        shown = [split_pair(str(u), lang) for u in uniques]
        rows["_proxy"] = pd.Series(
            np.asarray(shown, dtype=object)[codes], index=rows.index, dtype="str"
        ).where(proxy, "")
    breakdown = rows[IC.BREAKDOWN].astype("str").fillna("")
    codes, uniques = pd.factorize(breakdown)
    shown = [
        " × ".join(C.label(d, lang) for d in str(u).split("|")) if u else t("total", lang) for u in uniques
    ]
    rows["_breakdown"] = pd.Series(np.asarray(shown, dtype=object)[codes], dtype="str")
    rows["_group"] = indicator_groups(rows, lang)
    units = rows[IC.UNIT].astype("str").fillna("")
    codes, uniques = pd.factorize(units)
    shown = [ctx.t(f"services.unit.{u}") if known(f"services.unit.{u}") else str(u) for u in uniques]
    rows["_unit"] = pd.Series(np.asarray(shown, dtype=object)[codes], dtype="str")
    kinds = rows[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object)
    specs = [
        Column(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
        Column(IC.CATALOGUE_INDICATOR, "code", ctx.t("services.column.catalogue_indicator")),
        Column("_title", "text", ctx.t("services.column.indicator")),
        Column("_breakdown", "text", ctx.t("services.column.breakdown")),
        Column("_group", "text", N.label(N.GROUP, lang)),
        Column(IC.NUMERATOR, "count", ctx.t("services.column.numerator")),
        Column(IC.DENOMINATOR, "count", ctx.t("services.column.denominator")),
        Column(IC.VALUE, "number", ctx.t("services.column.value")),
        Column("_unit", "text", ctx.t("services.column.unit")),
        Column(IC.PREVIOUS_VALUE, "number", ctx.t("services.column.previous_value")),
        Column(IC.CHANGE, "number", ctx.t("services.column.change")),
        Column(IC.CHANGE_PCT, "number", ctx.t("services.column.change_pct")),
        Column(IC.IMPROVED, "label", ctx.t("services.column.improved")),
        Column("_proxy", "text", ctx.t("services.column.proxy")),
    ]
    hidden_columns = (IC.NUMERATOR, IC.DENOMINATOR, IC.VALUE, IC.PREVIOUS_VALUE, IC.CHANGE, IC.CHANGE_PCT)
    section.add(
        table(
            ctx,
            "indicators",
            rows,
            specs,
            hide=dict.fromkeys(hidden_columns, kinds),
            title=ctx.t("services.indicators.title"),
            notes=[
                ctx.t("services.indicators.note"),
                *([ctx.t("services.indicators.proxy_note")] if proxy.any() else []),
                *legend(ctx),
            ],
            freeze_columns=3,
        )
    )
    return section
