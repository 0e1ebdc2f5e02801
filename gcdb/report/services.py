"""The Hizmette Eşitlik workbook: :func:`write_services_workbook` turns a :class:`gcdb.services.ServiceAnalysis`
into the Excel report an equality unit publishes.

Sheets, in order (Turkish names by default, English with ``lang="en"``):

* **Özet / Summary** — the largest gaps, ranked by rate ratio with their intervals and flags, and each service's
  headline figures (users, share of women, users per 1,000 residents);
* **one sheet per service** (latest year): sex × age band, districts, disability, migrant status — rates with
  intervals, rate ratios, flags — with native bar charts drawn from the reference line;
* **İlçeler / Districts** and **Mahalleler / Neighbourhoods**, with a district ranking chart;
* **HEAT** — the WHO HEAT summary measures; **Fayda Dağılımı / Benefit incidence** with its caveat;
* **Göstergeler / Plan indicators** by year with change;
* **Yöntem / Methodology** — definitions with methods.md references, reference groups, z, k, the suppression
  rule and the count of hidden cells, input files with SHA-256, gcdb version, report date;
* **Veri Kalitesi / Data quality** — users whose status is not recorded, the readers' issues and quarantined
  rows without personal data.

Formats, frozen headers, autofilters, widths and formula-safe text come from :mod:`gcdb.report`; hidden counts
show as ``<k`` (primary) or ``*`` (secondary), never as 0. Identical inputs give a byte-identical file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.errors import UsageError
from gcdb.indicators import compute as IC
from gcdb.report import i18n_services as TS
from gcdb.report.charts import place_chart, ranking_chart, rate_chart
from gcdb.report.i18n import column_labels, format_number, input_role, issue_messages, optional, t
from gcdb.report.sheet import ColumnSpec, TableRef, write_kv, write_table, write_title
from gcdb.report.workbook import ReportWorkbook, file_checksum, run_date_text
from gcdb.services import names as S
from gcdb.services.quality import quality_tables

#: Rows of the largest-gaps table on the summary sheet.
SUMMARY_GAPS = 30
#: Most rows of one quarantine table in the workbook.
QUARANTINE_ROWS = 5000
#: Most rows of the issues table in the workbook.
ISSUE_ROWS = 20000
_COMPARE = (
    N.RATE_RATIO,
    N.RATIO_CI_LOW,
    N.RATIO_CI_HIGH,
)
_RATE = (N.RATE, N.RATE_CI_LOW, N.RATE_CI_HIGH)


# ---------------------------------------------------------------------------------------------------------------
# Context and small helpers
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class _Context:
    analysis: Any
    lang: str
    book: ReportWorkbook
    hidden: dict[str, list[int]] = field(default_factory=dict)  # sheet → [primary, secondary] cells

    @property
    def k(self) -> int:
        return int(self.analysis.k)

    def t(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def label(self, name: str) -> str:
        """Header of a statistics column or a dimension."""
        key = f"services.column.{name}"
        if key in TS.STRINGS:
            return self.t(key)
        return N.label(name, self.lang)

    def count(self, sheet: str, primary: int, secondary: int) -> None:
        counts = self.hidden.setdefault(sheet, [0, 0])
        counts[0] += primary
        counts[1] += secondary


def _display(values: pd.Series | np.ndarray | Sequence, lang: str) -> pd.Series:
    """Report text of codes and markers (``female`` → ``Kadın``, ``(total)`` → ``Toplam``), per distinct value."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    shown = np.asarray([N.label(str(u), lang) for u in uniques] + [None], dtype=object)
    return pd.Series(shown[codes], index=series.index, dtype="str")


def _stratum_text(strata: pd.Series, stratum: pd.Series, lang: str) -> pd.Series:
    """``"sex|age_band"`` + ``"female|65+"`` → ``"Cinsiyet: Kadın · Yaş Grubu: 65+"`` (per distinct pair)."""
    pairs = pd.MultiIndex.from_arrays([strata.astype("str").fillna(""), stratum.astype("str").fillna("")])
    codes, uniques = pd.factorize(pairs)
    texts = []
    for dims, values in uniques:
        if not dims:
            texts.append("")
            continue
        parts = [
            f"{C.label(d, lang)}: {N.label(v, lang)}"
            for d, v in zip(dims.split("|"), values.split("|"), strict=False)
        ]
        texts.append(" · ".join(parts))
    return pd.Series(np.asarray(texts, dtype=object)[codes], index=strata.index, dtype="str")


def _reason_text(values: pd.Series, lang: str) -> pd.Series:
    """Reason codes in words where the report has them (``no_linked_users``), else the code."""
    codes, uniques = pd.factorize(values.astype("str").fillna(""), use_na_sentinel=False)
    shown = [
        t(f"services.reason.{u}", lang) if f"services.reason.{u}" in TS.STRINGS else str(u) for u in uniques
    ]
    return pd.Series(np.asarray(shown, dtype=object)[codes], index=values.index, dtype="str")


def _kind_array(frame: pd.DataFrame) -> np.ndarray:
    if N.SUPPRESSION in frame.columns:
        return frame[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object)
    if N.SUPPRESSED in frame.columns:
        return np.where(frame[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "").astype(object)
    return np.full(len(frame), "", dtype=object)


def _table(
    ctx: _Context,
    ws: Any,
    frame: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    *,
    hide: Mapping[str, np.ndarray] | None = None,
    flag: tuple[str, str] | None = None,
    **options: Any,
) -> TableRef:
    """:func:`write_table` with suppression kinds per column (``primary`` → ``<k``, ``secondary`` → ``*``) and
    the four-fifths flag tinting the ``flag[0]`` column from the ``flag[1]`` column."""
    frame = frame.reset_index(drop=True)
    names = [s.name for s in specs]
    if N.FLAG in frame.columns and N.FLAG in names:  # groups outside a service's eligible population
        flag_text = frame[N.FLAG].astype("str")
        frame[N.FLAG] = flag_text.where(flag_text != N.NOT_ELIGIBLE, N.label(N.NOT_ELIGIBLE, ctx.lang))
    hide = {c: np.asarray(v, dtype=object) for c, v in (hide or {}).items() if c in names}
    mask = {c: (v == S.PRIMARY) | (v == S.SECONDARY) for c, v in hide.items()}
    flags = None
    if flag is not None and flag[0] in names:
        values = frame[flag[1]].astype("str")
        flags = {flag[0]: values.where(values.isin([N.UNDER, N.OVER]))}
    ref = write_table(
        ws,
        frame,
        specs,
        lang=ctx.lang,
        suppressed_mask=mask or None,
        k=ctx.k,
        flags=flags,
        styles=ctx.book.styles,
        **options,
    )
    styles = ctx.book.styles
    primary = secondary = 0
    for col, kinds in hide.items():
        primary += int((kinds == S.PRIMARY).sum())
        rows = np.flatnonzero(kinds == S.SECONDARY)
        secondary += len(rows)
        if len(rows):
            fmt = styles.cell(ref.kinds[col], suppressed=True)
            for i in rows.tolist():
                ws.write_string(ref.first_row + i, ref.columns[col], "*", fmt)
    ctx.count(ws.name, primary, secondary)
    return ref


def _from_zero(chart: Any) -> Any:
    """Start a bar chart's value axis at 0, so a ratio of 0.94 does not look like a gap of 90 %.

    :func:`gcdb.report.rate_chart` lets the axis scale itself; xlsxwriter keeps the converted axis options in
    ``chart.x_axis`` (the value axis of a bar chart), whose ``min`` it writes as the axis minimum.
    """
    axis = getattr(chart, "x_axis", None)
    if isinstance(axis, dict) and axis.get("min") is None:
        axis["min"] = 0
    return chart


def _hide_all(frame: pd.DataFrame, columns: Iterable[str]) -> dict[str, np.ndarray]:
    kinds = _kind_array(frame)
    return {c: kinds for c in columns}


def _legend(ctx: _Context) -> list[str]:
    return [ctx.t("note.suppressed", k=ctx.k), ctx.t("services.note.secondary")]


def _inputs_frame(inputs: Iterable[Any]) -> pd.DataFrame:
    rows = []
    for item in inputs:
        role, path = item if isinstance(item, tuple) else ("", item)
        path = Path(path)
        if not path.is_file():
            raise UsageError(
                f"input file {path} does not exist (needed for its SHA-256 in the methodology sheet)"
            )
        size, digest = file_checksum(path)
        rows.append(
            {
                "role": str(role),  # labelled in the report language by _methodology
                "file": path.name,
                "bytes": size,
                "sha256": digest,
            }
        )
    return pd.DataFrame(rows, columns=["role", "file", "bytes", "sha256"])


def _latest(analysis: Any) -> int:
    return int(max(analysis.years))


def _services_in(analysis: Any, year: int) -> list[str]:
    """Service codes with users in ``year``, in catalogue order."""
    head = analysis.headline[analysis.headline[S.FISCAL_YEAR] == year]
    used = set(head.loc[head[N.USERS].fillna(1).to_numpy(dtype=np.float64) > 0, C.SERVICE_CODE].astype("str"))
    return [c for c in analysis.services[C.SERVICE_CODE].astype("str") if c in used]


def _name_map(analysis: Any) -> dict[str, str]:
    return dict(
        zip(
            analysis.services[C.SERVICE_CODE].astype("str"),
            analysis.services[C.SERVICE_NAME].astype("str"),
            strict=True,
        )
    )


# ---------------------------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------------------------
def _summary(ctx: _Context, ws: Any) -> None:
    a, lang = ctx.analysis, ctx.lang
    gaps = a.gaps
    significant = int(gaps[N.CI_EXCLUDES_ONE].fillna(False).to_numpy(dtype=bool).sum())
    kv = write_kv(
        ws,
        [
            (ctx.t("services.kv.years"), ", ".join(map(str, a.years)), "text"),
            (ctx.t("services.kv.services"), len(a.services), "count"),
            (ctx.t("services.kv.flagged"), len(gaps), "count"),
            (ctx.t("services.kv.significant"), significant, "count"),
        ],
        lang=lang,
        title=ctx.t("title.equality"),
        notes=[ctx.t("services.subtitle", years=", ".join(map(str, a.years)))],
        styles=ctx.book.styles,
    )
    top = gaps.head(SUMMARY_GAPS).copy()
    names = _name_map(a)
    top[C.SERVICE_NAME] = (
        top[C.SERVICE_CODE].astype("str").map(names).fillna(top[C.SERVICE_CODE]).astype("str")
    )
    top["_comparison"] = pd.Series(
        [C.label(d, lang) for d in top[N.DIMENSION].astype("str")], index=top.index, dtype="str"
    )
    top["_within"] = _stratum_text(top[N.STRATA], top[S.STRATUM], lang)
    top["_group"] = _display(top[N.GROUP], lang)
    top["_reference"] = _display(top[N.REFERENCE_GROUP], lang)
    specs = [  # a wide first column: the key-value block above sets its width
        ColumnSpec(C.SERVICE_NAME, "text", C.label(C.SERVICE_NAME, lang)),
        ColumnSpec(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
        ColumnSpec("_comparison", "text", ctx.t("services.column.comparison")),
        ColumnSpec("_within", "text", N.label(N.STRATA, lang)),
        ColumnSpec("_group", "text", N.label(N.GROUP, lang)),
        ColumnSpec("_reference", "text", N.label(N.REFERENCE_GROUP, lang)),
        ColumnSpec(N.USERS, "count", N.label(N.USERS, lang)),
        ColumnSpec(N.EXPECTED_USERS, "number", N.label(N.EXPECTED_USERS, lang)),
        ColumnSpec(N.USERS_MISSING, "number", N.label(N.USERS_MISSING, lang)),
        ColumnSpec(N.RATE, "rate", N.label(N.RATE, lang)),
        ColumnSpec(N.RATE_RATIO, "ratio", N.label(N.RATE_RATIO, lang)),
        ColumnSpec(N.RATIO_CI_LOW, "ratio", N.label(N.RATIO_CI_LOW, lang)),
        ColumnSpec(N.RATIO_CI_HIGH, "ratio", N.label(N.RATIO_CI_HIGH, lang)),
        ColumnSpec(N.CI_EXCLUDES_ONE, "label", N.label(N.CI_EXCLUDES_ONE, lang)),
        ColumnSpec(N.FLAG, "flag", N.label(N.FLAG, lang)),
    ]
    gaps_ref = _table(
        ctx,
        ws,
        top,
        specs,
        top=kv.last_row + 2,
        title=ctx.t("services.gaps.title"),
        notes=[ctx.t("services.gaps.note", n=SUMMARY_GAPS), ctx.t("note.flags")],
        flag=(N.RATE_RATIO, N.FLAG),
        freeze=False,
    )
    head = a.headline.copy()
    users_hidden = np.where(
        head[N.USERS].isna().to_numpy() & head[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, ""
    )
    share_hidden = np.where(
        head[S.SHARE_WOMEN].isna().to_numpy() & head[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, ""
    )
    _table(
        ctx,
        ws,
        head,
        [
            ColumnSpec(C.SERVICE_NAME, "text", C.label(C.SERVICE_NAME, lang)),
            ColumnSpec(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
            ColumnSpec(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
            ColumnSpec(C.UNIT_NAME, "text", C.label(C.UNIT_NAME, lang)),
            ColumnSpec(N.USERS, "count", N.label(N.USERS, lang)),
            ColumnSpec(N.USES, "count", N.label(N.USES, lang)),
            ColumnSpec(S.SHARE_WOMEN, "percent", ctx.t("services.column.share_women")),
            ColumnSpec(N.RATE, "rate", ctx.t("services.kv.rate")),
        ],
        hide={N.USERS: users_hidden, N.USES: users_hidden, N.RATE: users_hidden, S.SHARE_WOMEN: share_hidden},
        top=gaps_ref.last_row + 3,
        title=ctx.t("services.headline.title"),
        notes=[ctx.t("services.headline.note"), *_legend(ctx)],
        autofilter=False,
        freeze=False,
    )
    ws.freeze_panes(1, 0)


# ---------------------------------------------------------------------------------------------------------------
# One sheet per service
# ---------------------------------------------------------------------------------------------------------------
def _sex_table(ctx: _Context, rows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray], str, str]:
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
            C.AGE_BAND: _display(pd.Series(order, dtype="str"), ctx.lang).to_numpy(),
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
    frame["g_users"] = pd.array(frame["g_users"], dtype="Int64")
    frame["r_users"] = pd.array(frame["r_users"], dtype="Int64")
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


def _group_specs(ctx: _Context, first: str, first_label: str, *, representation: bool) -> list[ColumnSpec]:
    lang = ctx.lang
    specs = [
        ColumnSpec(first, "text", first_label),
        ColumnSpec(N.USERS, "count", N.label(N.USERS, lang)),
        ColumnSpec(N.POPULATION, "count", C.label(C.POPULATION, lang)),
        ColumnSpec(N.RATE, "rate", N.label(N.RATE, lang)),
        ColumnSpec(N.RATE_CI_LOW, "rate", N.label(N.RATE_CI_LOW, lang)),
        ColumnSpec(N.RATE_CI_HIGH, "rate", N.label(N.RATE_CI_HIGH, lang)),
        ColumnSpec(N.RATE_RATIO, "ratio", N.label(N.RATE_RATIO, lang)),
        ColumnSpec(N.RATIO_CI_LOW, "ratio", N.label(N.RATIO_CI_LOW, lang)),
        ColumnSpec(N.RATIO_CI_HIGH, "ratio", N.label(N.RATIO_CI_HIGH, lang)),
    ]
    if representation:
        specs.append(ColumnSpec(N.REPRESENTATION_INDEX, "ratio", N.label(N.REPRESENTATION_INDEX, lang)))
    specs.append(ColumnSpec(N.FLAG, "flag", N.label(N.FLAG, lang)))
    return specs


_HIDDEN_STATS = (N.USERS, *_RATE, *_COMPARE, N.REPRESENTATION_INDEX)


def _service_sheet(ctx: _Context, code: str, year: int) -> None:
    a, lang, book = ctx.analysis, ctx.lang, ctx.book
    name = a.service_name(code)
    ws = book.add_sheet(_sheet_title(code, name))
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

    kv = write_kv(
        ws,
        [
            (ctx.t("services.kv.unit"), unit, "text"),
            (ctx.t("services.kv.users"), value(N.USERS), "count"),
            (ctx.t("services.kv.uses"), value(N.USES), "count"),
            (ctx.t("services.kv.share_women"), value(S.SHARE_WOMEN), "percent"),
            (ctx.t("services.kv.rate"), value(N.RATE), "rate"),
        ],
        lang=lang,
        title=ctx.t("services.service.title", code=code, name=name, year=year),
        notes=[ctx.t("services.note.latest_year"), *_legend(ctx), ctx.t("note.flags")],
        styles=book.styles,
    )
    row = kv.last_row + 2
    chart_col = 13
    chart_row = row

    # sex × age band
    sex_rows = bd[bd[S.VIEW].isin(["sex_age_band", "sex"]).to_numpy()]
    if len(sex_rows):
        frame, hide, compared, shown_ref = _sex_table(ctx, sex_rows)
        g_label, r_label = C.label(compared, lang), C.label(shown_ref, lang)
        specs = [
            ColumnSpec(C.AGE_BAND, "text", C.label(C.AGE_BAND, lang)),
            ColumnSpec("g_users", "count", ctx.t("services.column.group_users", group=g_label)),
            ColumnSpec("g_rate", "rate", ctx.t("services.column.group_rate", group=g_label)),
            ColumnSpec("r_users", "count", ctx.t("services.column.group_users", group=r_label)),
            ColumnSpec("r_rate", "rate", ctx.t("services.column.group_rate", group=r_label)),
            ColumnSpec(N.RATE_RATIO, "ratio", N.label(N.RATE_RATIO, lang)),
            ColumnSpec(N.RATIO_CI_LOW, "ratio", N.label(N.RATIO_CI_LOW, lang)),
            ColumnSpec(N.RATIO_CI_HIGH, "ratio", N.label(N.RATIO_CI_HIGH, lang)),
            ColumnSpec(N.FLAG, "flag", N.label(N.FLAG, lang)),
        ]
        ref = _table(
            ctx,
            ws,
            frame,
            specs,
            hide=hide,
            flag=(N.RATE_RATIO, N.FLAG),
            top=row,
            title=ctx.t("services.section.sex_age"),
            notes=[ctx.t("services.note.sex_ratio", group=g_label, reference=r_label)],
            autofilter=False,
            freeze=False,
        )
        if np.isfinite(ref.values(N.RATE_RATIO)[:-1]).any():
            chart = rate_chart(
                book,
                ref,
                category=C.AGE_BAND,
                value=N.RATE_RATIO,
                reference=1.0,
                lang=lang,
                title=ctx.t("services.chart.group_ratio", group=g_label, reference=r_label),
                reference_label=ctx.t("services.chart.parity"),
                width=560,
            )
            place_chart(ws, _from_zero(chart), chart_row, chart_col)
            chart_row += 20
        row = ref.last_row + 3

    # districts
    districts = bd[(bd[S.VIEW] == "district").to_numpy()].copy()
    if len(districts):
        districts[C.DISTRICT] = _display(districts[C.DISTRICT], lang)
        ref = _table(
            ctx,
            ws,
            districts,
            [
                *_group_specs(ctx, C.DISTRICT, C.label(C.DISTRICT, lang), representation=True),
                ColumnSpec(S.DSR, "rate", ctx.t("services.column.dsr")),
            ],
            hide=_hide_all(districts, _HIDDEN_STATS),
            flag=(N.RATE_RATIO, N.FLAG),
            top=row,
            title=ctx.t("services.section.district"),
            notes=[ctx.t("services.note.district_ratio")],
            freeze=False,
        )
        city = value(N.RATE)
        if np.isfinite(ref.values(N.RATE)).any():
            chart = rate_chart(
                book,
                ref,
                category=C.DISTRICT,
                value=N.RATE,
                reference=float(city) if city is not None else None,
                lang=lang,
                title=ctx.t("services.chart.district_rates"),
                reference_label=ctx.t("services.chart.city_rate"),
                width=560,
            )
            place_chart(ws, _from_zero(chart), chart_row, chart_col)
        row = ref.last_row + 3

    # disability and migrant status
    for view, section, dimension in (
        ("disability", "services.section.disability", C.DISABILITY),
        ("migrant_status", "services.section.migrant", C.MIGRANT_STATUS),
    ):
        rows = bd[(bd[S.VIEW] == view).to_numpy()].copy()
        if rows.empty:
            continue
        rows["_group"] = _display(rows[N.GROUP], lang)
        reference = N.label(a.reference.get(dimension, ""), lang)
        ref = _table(
            ctx,
            ws,
            rows,
            _group_specs(ctx, "_group", C.label(dimension, lang), representation=False),
            hide=_hide_all(rows, _HIDDEN_STATS),
            flag=(N.RATE_RATIO, N.FLAG),
            top=row,
            title=ctx.t(section),
            notes=[ctx.t("services.note.status_ratio", reference=reference)],
            autofilter=False,
            freeze=False,
        )
        row = ref.last_row + 3
    ws.freeze_panes(1, 0)
    ws.set_landscape()


# ---------------------------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------------------------
def _place_specs(ctx: _Context, places: Sequence[str]) -> list[ColumnSpec]:
    lang = ctx.lang
    specs = [
        ColumnSpec(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
        ColumnSpec(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
    ]
    specs += [ColumnSpec(p, "text", C.label(p, lang)) for p in places]
    specs += _group_specs(ctx, "_unused", "", representation=True)[1:]
    specs.append(ColumnSpec(S.DSR, "rate", ctx.t("services.column.dsr")))
    return specs


def _ranking(ctx: _Context, year: int) -> pd.DataFrame:
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
    under = (rows[N.STATUS].astype("str") == N.Status.UNDER_SERVED).to_numpy()
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


def _in_catalogue_order(ctx: _Context, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows by year, then service in catalogue order, keeping the analysis order within a service."""
    order = {c: i for i, c in enumerate(ctx.analysis.services[C.SERVICE_CODE].astype("str"))}
    key = rows[C.SERVICE_CODE].astype("str").map(order).fillna(len(order)).to_numpy(dtype=np.int64)
    position = np.lexsort((np.arange(len(rows)), key, rows[S.FISCAL_YEAR].to_numpy(dtype=np.int64)))
    return rows.iloc[position].reset_index(drop=True)


def _districts(ctx: _Context) -> None:
    a, lang, book = ctx.analysis, ctx.lang, ctx.book
    rows = _in_catalogue_order(ctx, a.breakdowns[(a.breakdowns[S.VIEW] == "district").to_numpy()])
    ws = book.add_sheet(t("sheet.districts", lang))
    if rows.empty:
        write_title(ws, 0, 0, ctx.t("services.districts.title"), styles=book.styles)
        return
    rows[C.DISTRICT] = _display(rows[C.DISTRICT], lang)
    specs = _place_specs(ctx, [C.DISTRICT])
    ref = _table(
        ctx,
        ws,
        rows,
        specs,
        hide=_hide_all(rows, _HIDDEN_STATS),
        flag=(N.RATE_RATIO, N.FLAG),
        title=ctx.t("services.districts.title"),
        notes=[ctx.t("services.places.note"), *_legend(ctx)],
        freeze_columns=3,
    )
    year = _latest(a)
    ranking = _ranking(ctx, year)
    if not ranking.empty:
        left = len(specs) + 1
        ranking[C.DISTRICT] = _display(ranking[C.DISTRICT], lang)
        notes = [ctx.t("services.ranking.note")]
        rank_top = max(ref.header_row - len(notes) - 2, 0)  # header on the same row as the big table's
        rank_ref = write_table(
            ws,
            ranking,
            [
                ColumnSpec(C.DISTRICT, "text", C.label(C.DISTRICT, lang)),
                ColumnSpec(N.POPULATION, "count", C.label(C.POPULATION, lang)),
                ColumnSpec("services_analysed", "count", ctx.t("services.column.services_analysed")),
                ColumnSpec("services_under", "count", ctx.t("services.column.services_under")),
                ColumnSpec("median_ri", "ratio", ctx.t("services.column.median_ri")),
            ],
            top=rank_top,
            left=left,
            lang=lang,
            title=ctx.t("services.ranking.title", year=year),
            notes=notes,
            autofilter=False,
            freeze=False,
            styles=book.styles,
        )
        if np.isfinite(rank_ref.values("median_ri")).any():
            chart = ranking_chart(
                book,
                rank_ref,
                category=C.DISTRICT,
                value="median_ri",
                lang=lang,
                title=ctx.t("chart.district_ranking"),
                value_title=ctx.t("services.chart.median_ri"),
                width=520,
            )
            place_chart(ws, chart, rank_ref.last_row + 2, left)


def _neighbourhoods(ctx: _Context) -> None:
    a, lang, book = ctx.analysis, ctx.lang, ctx.book
    rows = _in_catalogue_order(ctx, a.breakdowns[(a.breakdowns[S.VIEW] == "neighbourhood").to_numpy()])
    ws = book.add_sheet(t("sheet.neighbourhoods", lang))
    if rows.empty:
        write_title(ws, 0, 0, ctx.t("services.neighbourhoods.title"), styles=book.styles)
        return
    rows[C.DISTRICT] = _display(rows[C.DISTRICT], lang)
    rows[C.NEIGHBOURHOOD] = _display(rows[C.NEIGHBOURHOOD], lang)
    _table(
        ctx,
        ws,
        rows,
        _place_specs(ctx, [C.DISTRICT, C.NEIGHBOURHOOD]),
        hide=_hide_all(rows, _HIDDEN_STATS),
        flag=(N.RATE_RATIO, N.FLAG),
        title=ctx.t("services.neighbourhoods.title"),
        notes=[ctx.t("services.places.note"), *_legend(ctx)],
        freeze_columns=4,
    )


# ---------------------------------------------------------------------------------------------------------------
# HEAT, incidence, indicators
# ---------------------------------------------------------------------------------------------------------------
def _heat(ctx: _Context) -> None:
    a, lang, book = ctx.analysis, ctx.lang, ctx.book
    ws = book.add_sheet(ctx.t("services.sheet.heat"))
    heat = a.heat[(a.heat[N.STRATA].astype("str") == "").to_numpy()]
    if heat.empty:
        write_title(ws, 0, 0, ctx.t("services.heat.title"), styles=book.styles)
        return
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
        ColumnSpec(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
        ColumnSpec(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
        ColumnSpec("_dimension", "text", N.label(N.DIMENSION, lang)),
        ColumnSpec(N.N_GROUPS, "count", N.label(N.N_GROUPS, lang)),
    ]
    specs += [
        ColumnSpec(m, "number", TS.pick(TS.HEAT_HEADERS[m], lang) if m in TS.HEAT_HEADERS else m)
        for m in S.HEAT_SHOWN
        if m in wide.columns
    ]
    write_table(
        ws,
        wide,
        specs,
        lang=lang,
        title=ctx.t("services.heat.title"),
        notes=[ctx.t("services.heat.note")],
        freeze_columns=3,
        styles=book.styles,
    )


def _incidence(ctx: _Context) -> None:
    a, lang, book = ctx.analysis, ctx.lang, ctx.book
    ws = book.add_sheet(t("sheet.incidence", lang))
    caveat = a.caveat.get(lang, N.INCIDENCE_CAVEAT[lang])
    if not a.has_incidence:
        write_title(
            ws,
            0,
            0,
            ctx.t("services.incidence.title"),
            [caveat, ctx.t("services.incidence.none")],
            styles=book.styles,
        )
        return
    top = write_title(
        ws,
        0,
        0,
        ctx.t("services.incidence.title"),
        [caveat, ctx.t("services.incidence.method"), ctx.t("note.money"), *_legend(ctx)],
        styles=book.styles,
    )
    year_spec = ColumnSpec(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang))
    actions = a.incidence_actions.copy()
    actions["_reason"] = _reason_text(actions[N.REASON], lang)
    hidden = np.where(
        actions[N.USERS].isna().to_numpy() & (actions[N.REASON].astype("str") == "").to_numpy(), S.PRIMARY, ""
    )
    ref = _table(
        ctx,
        ws,
        actions,
        [
            year_spec,
            ColumnSpec(C.ACTION_CODE, "code", C.label(C.ACTION_CODE, lang)),
            ColumnSpec(S.SPENDING, "money", ctx.t("services.column.spending")),
            ColumnSpec(S.SERVICES, "code", ctx.t("services.column.services")),
            ColumnSpec(N.USERS, "count", N.label(N.USERS, lang)),
            ColumnSpec(S.ALLOCATED, "label", ctx.t("services.column.allocated")),
            ColumnSpec("_reason", "text", N.label(N.REASON, lang)),
        ],
        hide={N.USERS: hidden},
        top=top,
        title=ctx.t("services.incidence.actions"),
        freeze=False,
    )
    services = a.incidence_services.copy()
    services[C.SERVICE_NAME] = (
        services[C.SERVICE_CODE].astype("str").map(_name_map(a)).fillna("").astype("str")
    )
    kinds = np.where(services[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "")
    ref = _table(
        ctx,
        ws,
        services,
        [
            year_spec,
            ColumnSpec(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
            ColumnSpec(C.SERVICE_NAME, "text", C.label(C.SERVICE_NAME, lang)),
            ColumnSpec(S.ACTION_CODES, "code", ctx.t("services.column.action_codes")),
            ColumnSpec(S.SPENDING, "money", ctx.t("services.column.spending")),
            ColumnSpec(N.USERS, "count", N.label(N.USERS, lang)),
            ColumnSpec(S.SPENDING_PER_USER, "money", ctx.t("services.column.spending_per_user")),
        ],
        hide={N.USERS: kinds, S.SPENDING_PER_USER: kinds},
        top=ref.last_row + 3,
        title=ctx.t("services.incidence.services"),
        autofilter=False,
        freeze=False,
    )
    groups = a.incidence_groups
    for by, key in ((C.SEX, "services.incidence.sex"), (C.DISTRICT, "services.incidence.district")):
        rows = groups[(groups[S.BY] == by).to_numpy()].copy()
        if rows.empty:
            continue
        rows["_group"] = _display(rows[N.GROUP], lang)
        kinds = np.where(rows[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "")
        ref = _table(
            ctx,
            ws,
            rows,
            [
                year_spec,
                ColumnSpec("_group", "text", C.label(by, lang)),
                ColumnSpec(N.USERS, "count", N.label(N.USERS, lang)),
                ColumnSpec(N.BENEFIT, "money", ctx.t("services.column.benefit")),
                ColumnSpec(N.BENEFIT_SHARE, "percent", N.label(N.BENEFIT_SHARE, lang)),
                ColumnSpec(N.POPULATION, "count", C.label(C.POPULATION, lang)),
                ColumnSpec(N.POPULATION_SHARE, "percent", N.label(N.POPULATION_SHARE, lang)),
                ColumnSpec(N.INCIDENCE_RATIO, "ratio", N.label(N.INCIDENCE_RATIO, lang)),
                ColumnSpec(N.BENEFIT_PER_USER, "money", ctx.t("services.column.benefit_per_user")),
                ColumnSpec(N.BENEFIT_PER_RESIDENT, "money", ctx.t("services.column.benefit_per_resident")),
            ],
            hide={
                c: kinds
                for c in (
                    N.USERS,
                    N.BENEFIT,
                    N.BENEFIT_SHARE,
                    N.INCIDENCE_RATIO,
                    N.BENEFIT_PER_USER,
                    N.BENEFIT_PER_RESIDENT,
                )
            },
            top=ref.last_row + 3,
            title=ctx.t(key),
            autofilter=False,
            freeze=False,
        )
    ws.freeze_panes(1, 0)


def _indicator_groups(frame: pd.DataFrame, lang: str) -> pd.Series:
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


def _indicators(ctx: _Context) -> None:
    a, lang, book = ctx.analysis, ctx.lang, ctx.book
    ws = book.add_sheet(ctx.t("services.sheet.indicators"))
    table = a.indicators
    if table.empty:
        write_title(
            ws,
            0,
            0,
            ctx.t("services.indicators.title"),
            [ctx.t("services.indicators.none")],
            styles=book.styles,
        )
        return
    rows = table.copy()
    title_col = IC.TITLE if lang == "tr" else S.TITLE_EN
    rows["_title"] = rows[title_col].astype("str").fillna(rows[IC.TITLE].astype("str"))
    proxy = (
        rows[IC.PROXY].to_numpy(dtype=bool) if IC.PROXY in rows.columns else np.zeros(len(rows), dtype=bool)
    )
    rows["_title"] = rows["_title"].where(~proxy, "≈ " + rows["_title"])  # a stand-in, visibly
    reason = (
        rows[IC.PROXY_REASON].astype("str").fillna("") if IC.PROXY_REASON in rows.columns else rows["_title"]
    )
    codes, uniques = pd.factorize(reason)
    shown = [TS.split_pair(str(u), lang) for u in uniques]
    rows["_proxy"] = pd.Series(np.asarray(shown, dtype=object)[codes], dtype="str").where(proxy, "")
    breakdown = rows[IC.BREAKDOWN].astype("str").fillna("")
    codes, uniques = pd.factorize(breakdown)
    shown = [
        " × ".join(C.label(d, lang) for d in str(u).split("|")) if u else t("total", lang) for u in uniques
    ]
    rows["_breakdown"] = pd.Series(np.asarray(shown, dtype=object)[codes], dtype="str")
    rows["_group"] = _indicator_groups(rows, lang)
    units = rows[IC.UNIT].astype("str").fillna("")
    codes, uniques = pd.factorize(units)
    shown = [ctx.t(f"services.unit.{u}") if f"services.unit.{u}" in TS.STRINGS else str(u) for u in uniques]
    rows["_unit"] = pd.Series(np.asarray(shown, dtype=object)[codes], dtype="str")
    kinds = rows[N.SUPPRESSION].astype("str").fillna("").to_numpy(dtype=object)
    specs = [
        ColumnSpec(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
        ColumnSpec(IC.CATALOGUE_INDICATOR, "code", ctx.t("services.column.catalogue_indicator")),
        ColumnSpec("_title", "text", ctx.t("services.column.indicator")),
        ColumnSpec("_breakdown", "text", ctx.t("services.column.breakdown")),
        ColumnSpec("_group", "text", N.label(N.GROUP, lang)),
        ColumnSpec(IC.NUMERATOR, "count", ctx.t("services.column.numerator")),
        ColumnSpec(IC.DENOMINATOR, "count", ctx.t("services.column.denominator")),
        ColumnSpec(IC.VALUE, "number", ctx.t("services.column.value")),
        ColumnSpec("_unit", "text", ctx.t("services.column.unit")),
        ColumnSpec(IC.PREVIOUS_VALUE, "number", ctx.t("services.column.previous_value")),
        ColumnSpec(IC.CHANGE, "number", ctx.t("services.column.change")),
        ColumnSpec(IC.CHANGE_PCT, "number", ctx.t("services.column.change_pct")),
        ColumnSpec(IC.IMPROVED, "label", ctx.t("services.column.improved")),
        ColumnSpec("_proxy", "text", ctx.t("services.column.proxy")),
    ]
    _table(
        ctx,
        ws,
        rows,
        specs,
        hide={
            c: kinds
            for c in (IC.NUMERATOR, IC.DENOMINATOR, IC.VALUE, IC.PREVIOUS_VALUE, IC.CHANGE, IC.CHANGE_PCT)
        },
        title=ctx.t("services.indicators.title"),
        notes=[ctx.t("services.indicators.note"), *_legend(ctx)],
        freeze_columns=3,
    )


# ---------------------------------------------------------------------------------------------------------------
# Methodology and data quality
# ---------------------------------------------------------------------------------------------------------------
def _methodology(ctx: _Context, inputs: pd.DataFrame, created: datetime) -> None:
    a, lang, book = ctx.analysis, ctx.lang, ctx.book
    from gcdb import __version__

    ws = book.add_sheet(t("sheet.methodology", lang))
    level = 2 * _normal_cdf(a.z) - 1
    pairs: list[tuple] = [
        (
            ctx.t("services.method.run_date"),
            run_date_text(created, created.strftime("%Y-%m-%d %H:%M UTC"), lang),
            "text",
        ),
        (ctx.t("services.method.version"), __version__, "text"),
        (ctx.t("services.kv.years"), ", ".join(map(str, a.years)), "text"),
        (ctx.t("services.method.k"), a.k, "count"),
        (ctx.t("services.method.z", level=format_number(level, 1, lang, percent=True)), a.z, "number"),
        (ctx.t("services.method.suppression"), ctx.t("services.method.suppression_rule", k=a.k), "text"),
        (
            ctx.t("services.method.audit"),
            ctx.t("services.method.yes" if a.audit else "services.method.no"),
            "text",
        ),
    ]
    for year, used in a.population_years.items():
        if used is not None:
            pairs.append((ctx.t("services.method.population_year", year=year), int(used), "year"))
    kv = write_kv(ws, pairs, lang=lang, title=ctx.t("services.method.title"), styles=book.styles)

    refs = pd.DataFrame(
        {
            N.DIMENSION: [C.label(d, lang) for d in a.reference],
            N.REFERENCE_GROUP: [
                ctx.t("services.method.rest") if g == N.REST else N.label(g, lang)
                for g in a.reference.values()
            ],
        }
    ).astype("str")
    ref = write_table(
        ws,
        refs,
        [
            ColumnSpec(N.DIMENSION, "text", N.label(N.DIMENSION, lang)),
            ColumnSpec(N.REFERENCE_GROUP, "text", N.label(N.REFERENCE_GROUP, lang)),
        ],
        top=kv.last_row + 2,
        lang=lang,
        title=ctx.t("services.method.references"),
        autofilter=False,
        freeze=False,
        styles=book.styles,
    )
    comparisons = pd.DataFrame(
        {
            "comparison": [
                C.label(e[0], lang)
                + (" | " + " × ".join(C.label(d, lang) for d in e[1:]) if len(e) > 1 else "")
                for e in a.entries
            ]
        }
    ).astype("str")
    ref = write_table(
        ws,
        comparisons,
        [ColumnSpec("comparison", "text", ctx.t("services.column.comparison"))],
        top=ref.last_row + 3,
        lang=lang,
        title=ctx.t("services.method.comparisons"),
        notes=[ctx.t("services.method.comparisons_note")],
        autofilter=False,
        freeze=False,
        styles=book.styles,
    )
    definitions = pd.DataFrame(
        {
            "measure": [TS.pick(name, lang) for name, _, _ in TS.DEFINITIONS],
            "reference": [source for _, _, source in TS.DEFINITIONS],
            "definition": [TS.pick(text, lang) for _, text, _ in TS.DEFINITIONS],
        }
    ).astype("str")
    heat = pd.DataFrame(
        {
            "measure": list(TS.HEAT_DEFINITIONS),
            "reference": "methods.md §3",
            "definition": [TS.pick(v, lang) for v in TS.HEAT_DEFINITIONS.values()],
        }
    ).astype("str")
    for frame, kind, key in (
        (definitions, "text", "services.method.definitions"),
        (heat, "code", "services.method.heat"),
    ):
        ref = write_table(  # the definition last, so long texts run on into the empty cells to its right
            ws,
            frame,
            [
                ColumnSpec("measure", kind, ctx.t("services.column.measure")),
                ColumnSpec("reference", "text", ctx.t("services.column.reference")),
                ColumnSpec("definition", "text", ctx.t("services.column.definition")),
            ],
            top=ref.last_row + 3,
            lang=lang,
            title=ctx.t(key),
            autofilter=False,
            freeze=False,
            styles=book.styles,
        )
    hidden_rows = [
        {"table": sheet, "cells": np.nan, "hidden": p + s, "primary": p, "secondary": s}
        for sheet, (p, s) in ctx.hidden.items()
        if p + s
    ]
    sheets = pd.DataFrame(hidden_rows, columns=["table", "cells", "hidden", "primary", "secondary"])
    analysis_counts = a.suppression.rename(columns={S.TABLE: "table"}).copy()
    analysis_counts["table"] = (
        analysis_counts["table"].astype("str").map(lambda name: optional(f"table.{name}", name, lang))
        + " "
        + analysis_counts[S.FISCAL_YEAR].astype("str")
    )
    counts = pd.concat(
        [sheets, analysis_counts[["table", S.CELLS, S.HIDDEN, S.PRIMARY, S.SECONDARY]]], ignore_index=True
    )
    counts["table"] = counts["table"].astype("str")
    for col in (S.CELLS, S.HIDDEN, S.PRIMARY, S.SECONDARY):
        counts[col] = pd.to_numeric(counts[col]).astype("Float64")
    ref = write_table(
        ws,
        counts,
        [
            ColumnSpec("table", "text", ctx.t("services.column.table")),
            ColumnSpec(S.CELLS, "count", ctx.t("services.column.cells")),
            ColumnSpec(S.HIDDEN, "count", ctx.t("services.column.hidden")),
            ColumnSpec(S.PRIMARY, "count", ctx.t("services.column.primary")),
            ColumnSpec(S.SECONDARY, "count", ctx.t("services.column.secondary")),
        ],
        top=ref.last_row + 3,
        lang=lang,
        title=ctx.t("services.method.hidden"),
        notes=[ctx.t("note.suppressed", k=a.k), ctx.t("services.note.secondary")],
        autofilter=False,
        freeze=False,
        styles=book.styles,
    )
    if inputs.empty:
        write_title(
            ws,
            ref.last_row + 3,
            0,
            ctx.t("services.method.inputs"),
            [ctx.t("services.method.no_inputs")],
            styles=book.styles,
        )
    else:
        inputs = inputs.assign(role=inputs["role"].map(lambda role: input_role(role, lang)).astype("str"))
        write_table(
            ws,
            inputs,
            [
                ColumnSpec("role", "text", ctx.t("services.column.role")),
                ColumnSpec("file", "text", ctx.t("services.column.file")),
                ColumnSpec("bytes", "count", ctx.t("services.column.bytes")),
                ColumnSpec("sha256", "code", ctx.t("services.column.sha256")),
            ],
            top=ref.last_row + 3,
            lang=lang,
            title=ctx.t("services.method.inputs"),
            autofilter=False,
            freeze=False,
            styles=book.styles,
        )


def _normal_cdf(z: float) -> float:
    import math

    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _quality(ctx: _Context, read_results: Sequence[Any]) -> None:
    a, lang, book = ctx.analysis, ctx.lang, ctx.book
    ws = book.add_sheet(ctx.t("services.sheet.quality"))
    status = a.unknown_status.copy()
    status["_dimension"] = pd.Series(
        [C.label(d, lang) for d in status[N.DIMENSION].astype("str")], dtype="str"
    )
    kinds = np.where(status[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "")
    top = write_title(ws, 0, 0, ctx.t("services.quality.title"), styles=book.styles)
    ref = _table(
        ctx,
        ws,
        status,
        [
            ColumnSpec(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
            ColumnSpec(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
            ColumnSpec("_dimension", "text", N.label(N.DIMENSION, lang)),
            ColumnSpec(N.USERS, "count", N.label(N.USERS, lang)),
            ColumnSpec(S.UNKNOWN_USERS, "count", ctx.t("services.column.unknown_users")),
            ColumnSpec(S.UNKNOWN_SHARE, "percent", ctx.t("services.column.unknown_share")),
        ],
        hide={S.UNKNOWN_USERS: kinds, S.UNKNOWN_SHARE: kinds},
        top=top,
        title=ctx.t("services.quality.unknown"),
        freeze=False,
    )
    if len(a.ineligible):
        outside = a.ineligible.copy()
        outside[S.CRITERION] = pd.Series(
            [C.label(c, lang) for c in outside[S.CRITERION].astype("str")], dtype="str"
        )
        outside[N.GROUP] = _display(outside[N.GROUP], lang)
        ref = _table(
            ctx,
            ws,
            outside,
            [
                ColumnSpec(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
                ColumnSpec(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
                ColumnSpec(S.CRITERION, "text", ctx.t("services.column.criterion")),
                ColumnSpec(N.GROUP, "text", N.label(N.GROUP, lang)),
                ColumnSpec(N.USERS, "count", N.label(N.USERS, lang)),
            ],
            hide={N.USERS: np.where(outside[N.SUPPRESSED].to_numpy(dtype=bool), S.PRIMARY, "")},
            top=ref.last_row + 3,
            title=ctx.t("services.quality.ineligible"),
            freeze=False,
        )
    issues, quarantine = quality_tables(read_results)
    row = ref.last_row + 3
    if issues.empty:
        row = write_title(
            ws,
            row,
            0,
            ctx.t("services.quality.issues"),
            [ctx.t("services.quality.no_issues")],
            styles=book.styles,
        )
    else:
        shown = issues.head(ISSUE_ROWS).copy()
        shown[C.ISSUE_SEVERITY] = shown[C.ISSUE_SEVERITY].astype("str")
        shown[C.ISSUE_COLUMN] = column_labels(shown[C.ISSUE_COLUMN], lang)
        shown[C.ISSUE_MESSAGE] = issue_messages(shown[C.ISSUE_CODE], shown[C.ISSUE_MESSAGE], lang)
        notes = (
            [ctx.t("services.quality.truncated", n=ISSUE_ROWS, total=len(issues))]
            if len(issues) > ISSUE_ROWS
            else []
        )
        ref = write_table(
            ws,
            shown,
            [
                ColumnSpec(S.SOURCE, "text", ctx.t("services.column.source")),
                ColumnSpec(S.KIND, "text", ctx.t("services.column.kind")),
                ColumnSpec(C.ISSUE_ROW, "count", C.label(C.ISSUE_ROW, lang)),
                ColumnSpec(C.ISSUE_COLUMN, "text", C.label(C.ISSUE_COLUMN, lang)),
                ColumnSpec(C.ISSUE_CODE, "code", C.label(C.ISSUE_CODE, lang)),
                ColumnSpec(C.ISSUE_SEVERITY, "label", C.label(C.ISSUE_SEVERITY, lang)),
                ColumnSpec(C.ISSUE_MESSAGE, "text", C.label(C.ISSUE_MESSAGE, lang), width=90),
                ColumnSpec(C.ISSUE_VALUE, "text", C.label(C.ISSUE_VALUE, lang)),
            ],
            top=row,
            lang=lang,
            title=ctx.t("services.quality.issues"),
            notes=notes,
            freeze=False,
            styles=book.styles,
        )
        row = ref.last_row + 3
    for source, frame in quarantine:
        shown = frame.head(QUARANTINE_ROWS)
        specs = []
        for col in shown.columns:
            if col == C.SOURCE_ROW:
                specs.append(ColumnSpec(col, "count", ctx.t("services.column.source_row")))
            elif col == "issue_codes":
                specs.append(ColumnSpec(col, "code", ctx.t("services.column.issue_codes")))
            else:
                specs.append(ColumnSpec(col, "text", str(col)))
        shown = shown.astype({c: "str" for c in shown.columns if c != C.SOURCE_ROW})
        ref = write_table(
            ws,
            shown,
            specs,
            top=row,
            lang=lang,
            title=ctx.t("services.quality.quarantine", source=source),
            notes=[ctx.t("services.quality.quarantine_note", n=QUARANTINE_ROWS)],
            autofilter=False,
            freeze=False,
            styles=book.styles,
        )
        row = ref.last_row + 3
    ws.freeze_panes(1, 0)


# ---------------------------------------------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------------------------------------------
def write_services_workbook(
    path: str | os.PathLike,
    analysis: Any,
    *,
    read_results: Iterable[Any] = (),
    inputs: Iterable[str | os.PathLike | tuple[str, str | os.PathLike]] = (),
    lang: str = "tr",
    created: datetime | date | None = None,
) -> Path:
    """Write the Hizmette Eşitlik workbook of ``analysis`` to ``path`` and return the path.

    ``read_results``: the :class:`gcdb.read.ReadResult` of each input, for the data-quality sheet (no personal
    data is written). ``inputs``: input files (paths, or ``(role, path)`` pairs) listed with their SHA-256 on the
    methodology sheet. ``created``: the report date written as the document date and on the methodology sheet
    (default: ``SOURCE_DATE_EPOCH``, else 2000-01-01) — identical inputs give a byte-identical file.
    """
    if lang not in ("tr", "en"):
        raise UsageError(f"lang must be 'tr' or 'en', got {lang!r}")
    if not hasattr(analysis, "breakdowns") or not hasattr(analysis, "years"):
        raise UsageError(f"write_services_workbook needs a ServiceAnalysis, got {type(analysis).__name__}")
    if not analysis.years:
        raise UsageError("the analysis has no fiscal year to report")
    read_results = list(read_results)
    input_table = _inputs_frame(inputs)
    path = Path(path)
    with ReportWorkbook(
        path, lang=lang, title=t("title.equality", lang), subject=t("subject.equality", lang), created=created
    ) as book:
        ctx = _Context(analysis, lang, book)
        summary = book.add_sheet(t("sheet.summary", lang))
        _summary(ctx, summary)
        year = _latest(analysis)
        for code in _services_in(analysis, year):
            _service_sheet(ctx, code, year)
        _districts(ctx)
        _neighbourhoods(ctx)
        _heat(ctx)
        _incidence(ctx)
        _indicators(ctx)
        _methodology(ctx, input_table, book.created)
        _quality(ctx, read_results)
    return path
