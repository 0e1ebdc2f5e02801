"""The Hizmette Eşitlik report's sections of places and people: one section per service (sex × age band,
districts, disability, migrant status, with bar charts from the reference line), districts with a ranking, and
neighbourhoods."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.i18n import t
from gcdb.report.model import Column, Figure, Heading, KeyValues, Place, Print, Section, Table
from gcdb.report.services_common import (
    Context,
    display,
    hide_all,
    latest,
    legend,
    shown_values,
    table,
)
from gcdb.services import names as S

_COMPARE = (N.RATE_RATIO, N.RATIO_CI_LOW, N.RATIO_CI_HIGH)
_RATE = (N.RATE, N.RATE_CI_LOW, N.RATE_CI_HIGH)
_HIDDEN_STATS = (N.USERS, *_RATE, *_COMPARE, N.REPRESENTATION_INDEX, S.DSR)
#: Charts beside a service's tables: the column they start at and the rows each takes.
CHART_COLUMN, CHART_ROWS = 13, 20


def _sex_table(ctx: Context, rows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray], str, str]:
    """Sex × age band pivot: one row per age band (and Total), compared sex and reference sex side by side."""
    reference = ctx.analysis.reference.get(C.SEX, C.MALE)
    compared = C.FEMALE if reference != C.FEMALE else C.MALE
    shown_ref = (
        reference if reference in (C.FEMALE, C.MALE) else (C.MALE if compared == C.FEMALE else C.FEMALE)
    )
    bands = [b for b in C.DEFAULT_AGE_BANDS.labels if b in set(rows[C.AGE_BAND].astype("str"))]
    extra = sorted(set(rows[C.AGE_BAND].astype("str")) - set(bands) - {N.TOTAL})
    order = [*bands, *extra, N.TOTAL]
    g = rows[rows[C.SEX] == compared].drop_duplicates(C.AGE_BAND).set_index(C.AGE_BAND).reindex(order)
    r = rows[rows[C.SEX] == shown_ref].drop_duplicates(C.AGE_BAND).set_index(C.AGE_BAND).reindex(order)
    frame = pd.DataFrame(
        {
            C.AGE_BAND: display(pd.Series(order, dtype="str"), ctx.lang).to_numpy(),
            "g_users": g[N.USERS].to_numpy(),
            "g_rate": g[N.RATE].to_numpy(dtype=np.float64, na_value=np.nan),
            "r_users": r[N.USERS].to_numpy(),
            "r_rate": r[N.RATE].to_numpy(dtype=np.float64, na_value=np.nan),
            N.RATE_RATIO: g[N.RATE_RATIO].to_numpy(dtype=np.float64, na_value=np.nan),
            N.RATIO_CI_LOW: g[N.RATIO_CI_LOW].to_numpy(dtype=np.float64, na_value=np.nan),
            N.RATIO_CI_HIGH: g[N.RATIO_CI_HIGH].to_numpy(dtype=np.float64, na_value=np.nan),
            N.FLAG: g[N.FLAG].astype("str").to_numpy(),
        }
    )
    frame["g_users"] = frame["g_users"].astype("Int64")
    frame["r_users"] = frame["r_users"].astype("Int64")
    gk = g[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object)
    rk = r[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object)
    both = np.where(gk != "", gk, rk)
    hide = {"g_users": gk, "g_rate": gk, "r_users": rk, "r_rate": rk}
    hide.update({c: both for c in _COMPARE})
    return frame, hide, compared, shown_ref


_PARENTHESISED = re.compile(r"\s*\([^()]*\)")
_SLASH = re.compile(r"\s*/\s*")


def _sheet_title(code: str, name: str, limit: int = 31) -> str:
    """``KRS Yuvamız İstanbul Kreş Kaydı``: the code and the name when they fit in a sheet name; else the name
    without its parenthesised glosses; else as many whole words as fit, followed by ``…`` to show the cut.

    ``/`` (not allowed in sheet names) joins its neighbours with ``-``: ``IKK Ücretsiz-İndirimli…``.
    """
    full = f"{code} {name}".strip()
    if len(full) <= limit and "/" not in full:
        return full
    short = _SLASH.sub("-", _PARENTHESISED.sub("", str(name))).split()
    title = " ".join([code, *short]).strip()
    if len(title) <= limit:
        return title
    title = code
    for word in short:
        if len(title) + 1 + len(word) > limit - 1:
            break
        title = f"{title} {word}"
    return f"{title}…"


def _group_specs(ctx: Context, first: str, first_label: str, *, representation: bool) -> list[Column]:
    lang = ctx.lang
    specs = [
        Column(first, "text", first_label),
        Column(N.USERS, "count", N.label(N.USERS, lang)),
        Column(N.POPULATION, "count", C.label(C.POPULATION, lang)),
        Column(N.RATE, "rate", N.label(N.RATE, lang)),
        Column(N.RATE_CI_LOW, "rate", N.label(N.RATE_CI_LOW, lang)),
        Column(N.RATE_CI_HIGH, "rate", N.label(N.RATE_CI_HIGH, lang)),
        Column(N.RATE_RATIO, "ratio", N.label(N.RATE_RATIO, lang)),
        Column(N.RATIO_CI_LOW, "ratio", N.label(N.RATIO_CI_LOW, lang)),
        Column(N.RATIO_CI_HIGH, "ratio", N.label(N.RATIO_CI_HIGH, lang)),
    ]
    if representation:
        specs.append(Column(N.REPRESENTATION_INDEX, "ratio", N.label(N.REPRESENTATION_INDEX, lang)))
    specs.append(Column(N.FLAG, "flag", N.label(N.FLAG, lang)))
    return specs


def service_sheet(ctx: Context, code: str, year: int) -> Section:
    a, lang = ctx.analysis, ctx.lang
    name = a.service_name(code)
    bd = a.breakdowns[
        (a.breakdowns[S.FISCAL_YEAR] == year).to_numpy() & (a.breakdowns[C.SERVICE_CODE] == code).to_numpy()
    ]
    head = a.headline[
        (a.headline[S.FISCAL_YEAR] == year).to_numpy() & (a.headline[C.SERVICE_CODE] == code).to_numpy()
    ]
    service = a.services[a.services[C.SERVICE_CODE].astype("str") == code]
    unit = str(service[C.UNIT_NAME].iloc[0]) if len(service) else ""
    h = head.iloc[0] if len(head) else None

    def value(col):
        if h is None or pd.isna(h[col]):
            return None
        return h[col]

    section = Section(f"service.{code}", _sheet_title(code, name), print=Print(landscape=True, freeze=(1, 0)))
    section.add(
        KeyValues(
            [
                (ctx.t("services.kv.unit"), unit, "text"),
                (ctx.t("services.kv.users"), value(N.USERS), "count"),
                (ctx.t("services.kv.uses"), value(N.USES), "count"),
                (ctx.t("services.kv.share_women"), value(S.SHARE_WOMEN), "percent"),
                (ctx.t("services.kv.rate"), value(N.RATE), "rate"),
            ],
            title=ctx.t("services.service.title", code=code, name=name, year=year),
            notes=[ctx.t("services.note.latest_year"), *legend(ctx), ctx.t("note.flags")],
        )
    )
    first: str | None = None  # the first table: the charts beside the tables start at its top
    gap = 1

    def chart_place() -> Place:
        return Place(side=first, col=CHART_COLUMN, rows=CHART_ROWS)

    # sex × age band
    sex_rows = bd[bd[S.VIEW].isin(["sex_age_band", "sex"]).to_numpy()]
    if len(sex_rows):
        frame, hide, compared, shown_ref = _sex_table(ctx, sex_rows)
        g_label, r_label = C.label(compared, lang), C.label(shown_ref, lang)
        specs = [
            Column(C.AGE_BAND, "text", C.label(C.AGE_BAND, lang)),
            Column("g_users", "count", ctx.t("services.column.group_users", group=g_label)),
            Column("g_rate", "rate", ctx.t("services.column.group_rate", group=g_label)),
            Column("r_users", "count", ctx.t("services.column.group_users", group=r_label)),
            Column("r_rate", "rate", ctx.t("services.column.group_rate", group=r_label)),
            Column(N.RATE_RATIO, "ratio", N.label(N.RATE_RATIO, lang)),
            Column(N.RATIO_CI_LOW, "ratio", N.label(N.RATIO_CI_LOW, lang)),
            Column(N.RATIO_CI_HIGH, "ratio", N.label(N.RATIO_CI_HIGH, lang)),
            Column(N.FLAG, "flag", N.label(N.FLAG, lang)),
        ]
        key = f"{code}.sex_age"
        sex = section.add(
            table(
                ctx,
                key,
                frame,
                specs,
                hide=hide,
                flag=(N.RATE_RATIO, N.FLAG),
                title=ctx.t("services.section.sex_age"),
                notes=[ctx.t("services.note.sex_ratio", group=g_label, reference=r_label)],
                autofilter=False,
                freeze=False,
                gap=gap,
            )
        )
        first, gap = key, 2
        if np.isfinite(shown_values(sex, N.RATE_RATIO)[:-1]).any():  # the last row is the total
            title = ctx.t("services.chart.group_ratio", group=g_label, reference=r_label)
            section.add(
                Figure(
                    "rate",
                    key,
                    C.AGE_BAND,
                    [N.RATE_RATIO],
                    title=title,
                    reference=1.0,
                    reference_label=ctx.t("services.chart.parity"),
                    width=560,
                    from_zero=True,
                    alt=title,
                    place=chart_place(),
                )
            )

    # districts
    districts = bd[(bd[S.VIEW] == "district").to_numpy()].copy()
    if len(districts):
        districts[C.DISTRICT] = display(districts[C.DISTRICT], lang)
        key = f"{code}.district"
        places = section.add(
            table(
                ctx,
                key,
                districts,
                [
                    *_group_specs(ctx, C.DISTRICT, C.label(C.DISTRICT, lang), representation=True),
                    Column(S.DSR, "rate", ctx.t("services.column.dsr")),
                ],
                hide=hide_all(districts, _HIDDEN_STATS),
                flag=(N.RATE_RATIO, N.FLAG),
                title=ctx.t("services.section.district"),
                notes=[ctx.t("services.note.district_ratio")],
                freeze=False,
                gap=gap,
            )
        )
        first, gap = first or key, 2
        city = value(N.RATE)
        # the age-standardised rate where age is known (districts differ in age structure), else the crude rate
        # (when it is published for at least 4 of 5 districts with a rate: a chart of a few bars misleads)
        n_rates = int(np.isfinite(shown_values(places, N.RATE)).sum())
        standardised = n_rates > 0 and int(np.isfinite(shown_values(places, S.DSR)).sum()) >= 0.8 * n_rates
        if n_rates:
            title = ctx.t("services.chart.district_dsr" if standardised else "services.chart.district_rates")
            section.add(
                Figure(
                    "rate",
                    key,
                    C.DISTRICT,
                    [S.DSR if standardised else N.RATE],
                    title=title,
                    reference=float(city) if city is not None else None,
                    reference_label=ctx.t("services.chart.city_rate"),
                    width=560,
                    from_zero=True,
                    alt=title,
                    place=chart_place(),
                )
            )

    # disability and migrant status
    for view, title_key, dimension in (
        ("disability", "services.section.disability", C.DISABILITY),
        ("migrant_status", "services.section.migrant", C.MIGRANT_STATUS),
    ):
        rows = bd[(bd[S.VIEW] == view).to_numpy()].copy()
        if rows.empty:
            continue
        rows["_group"] = display(rows[N.GROUP], lang)
        reference = N.label(a.reference.get(dimension, ""), lang)
        section.add(
            table(
                ctx,
                f"{code}.{view}",
                rows,
                _group_specs(ctx, "_group", C.label(dimension, lang), representation=False),
                hide=hide_all(rows, _HIDDEN_STATS),
                flag=(N.RATE_RATIO, N.FLAG),
                title=ctx.t(title_key),
                notes=[ctx.t("services.note.status_ratio", reference=reference)],
                autofilter=False,
                freeze=False,
                gap=gap,
            )
        )
        gap = 2
    return section


# ---------------------------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------------------------
def _place_specs(ctx: Context, places: Sequence[str]) -> list[Column]:
    lang = ctx.lang
    specs = [
        Column(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
        Column(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
    ]
    specs += [Column(p, "text", C.label(p, lang)) for p in places]
    specs += _group_specs(ctx, "_unused", "", representation=True)[1:]
    specs.append(Column(S.DSR, "rate", ctx.t("services.column.dsr")))
    return specs


def _ranking(ctx: Context, year: int) -> pd.DataFrame:
    """Per district in ``year``: population, services with a published index, significantly under-served
    services, median representation index — lowest median first."""
    a = ctx.analysis
    rows = a.breakdowns[
        (a.breakdowns[S.FISCAL_YEAR] == year).to_numpy() & (a.breakdowns[S.VIEW] == "district").to_numpy()
    ]
    if rows.empty:
        return pd.DataFrame()
    district = rows[C.DISTRICT].astype("str")
    ri = rows[N.REPRESENTATION_INDEX].to_numpy(dtype=np.float64, na_value=np.nan)
    under = (rows[N.STATUS].astype("str") == N.Status.UNDER_SERVED).to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            C.DISTRICT: district.to_numpy(),
            N.POPULATION: rows[N.POPULATION].to_numpy(dtype=np.float64, na_value=np.nan),
            "_ri": ri,
            "_has": np.isfinite(ri).astype(np.int64),
            "_under": under.astype(np.int64),
        }
    )
    grouped = frame.groupby(C.DISTRICT, sort=True)
    out = pd.DataFrame(
        {
            N.POPULATION: grouped[N.POPULATION].max(),
            "services_analysed": grouped["_has"].sum(),
            "services_under": grouped["_under"].sum(),
            "median_ri": grouped["_ri"].median(),
        }
    ).reset_index()
    out["_missing"] = out["median_ri"].isna()
    out = out.sort_values(["_missing", "median_ri", C.DISTRICT], kind="stable").drop(columns="_missing")
    return out.reset_index(drop=True)


def _in_catalogue_order(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows by year, then service in catalogue order, keeping the analysis order within a service."""
    order = {c: i for i, c in enumerate(ctx.analysis.services[C.SERVICE_CODE].astype("str"))}
    key = rows[C.SERVICE_CODE].astype("str").map(order).fillna(len(order)).to_numpy(dtype=np.int64)
    position = np.lexsort((np.arange(len(rows)), key, rows[S.FISCAL_YEAR].to_numpy(dtype=np.int64)))
    return rows.iloc[position].reset_index(drop=True)


def districts(ctx: Context) -> Section:
    a, lang = ctx.analysis, ctx.lang
    rows = _in_catalogue_order(ctx, a.breakdowns[(a.breakdowns[S.VIEW] == "district").to_numpy()])
    section = Section("districts", t("sheet.districts", lang))
    if rows.empty:
        section.add(Heading(ctx.t("services.districts.title")))
        return section
    rows[C.DISTRICT] = display(rows[C.DISTRICT], lang)
    specs = _place_specs(ctx, [C.DISTRICT])
    section.add(
        table(
            ctx,
            "districts",
            rows,
            specs,
            hide=hide_all(rows, _HIDDEN_STATS),
            flag=(N.RATE_RATIO, N.FLAG),
            title=ctx.t("services.districts.title"),
            notes=[ctx.t("services.places.note"), *legend(ctx)],
            freeze_columns=3,
        )
    )
    year = latest(a)
    ranking = _ranking(ctx, year)
    if not ranking.empty:
        left = len(specs) + 1
        ranking[C.DISTRICT] = display(ranking[C.DISTRICT], lang)
        rank = section.add(
            Table(
                "district_ranking",
                ranking,
                [
                    Column(C.DISTRICT, "text", C.label(C.DISTRICT, lang)),
                    Column(N.POPULATION, "count", C.label(C.POPULATION, lang)),
                    Column("services_analysed", "count", ctx.t("services.column.services_analysed")),
                    Column("services_under", "count", ctx.t("services.column.services_under")),
                    Column("median_ri", "ratio", ctx.t("services.column.median_ri")),
                ],
                title=ctx.t("services.ranking.title", year=year),
                notes=[ctx.t("services.ranking.note")],
                autofilter=False,
                freeze=False,
                place=Place(col=left, header_level_with="districts"),  # its header level with the big table's
            )
        )
        if np.isfinite(shown_values(rank, "median_ri")).any():
            title = ctx.t("chart.district_ranking")
            section.add(
                Figure(
                    "ranking",
                    "district_ranking",
                    C.DISTRICT,
                    ["median_ri"],
                    title=title,
                    value_title=ctx.t("services.chart.median_ri"),
                    width=520,
                    alt=title,
                    place=Place(after="district_ranking", col=left),
                )
            )
    return section


def neighbourhoods(ctx: Context) -> Section:
    a, lang = ctx.analysis, ctx.lang
    rows = _in_catalogue_order(ctx, a.breakdowns[(a.breakdowns[S.VIEW] == "neighbourhood").to_numpy()])
    section = Section("neighbourhoods", t("sheet.neighbourhoods", lang))
    if rows.empty:
        section.add(Heading(ctx.t("services.neighbourhoods.title")))
        return section
    rows[C.DISTRICT] = display(rows[C.DISTRICT], lang)
    rows[C.NEIGHBOURHOOD] = display(rows[C.NEIGHBOURHOOD], lang)
    section.add(
        table(
            ctx,
            "neighbourhoods",
            rows,
            _place_specs(ctx, [C.DISTRICT, C.NEIGHBOURHOOD]),
            hide=hide_all(rows, _HIDDEN_STATS),
            flag=(N.RATE_RATIO, N.FLAG),
            title=ctx.t("services.neighbourhoods.title"),
            notes=[ctx.t("services.places.note"), *legend(ctx)],
            freeze_columns=4,
        )
    )
    return section
