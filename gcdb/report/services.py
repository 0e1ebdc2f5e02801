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
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.eligibility import EVERYONE, Eligibility
from gcdb.errors import UsageError
from gcdb.i18n import t
from gcdb.report import services_method as M
from gcdb.report import services_sheets as V
from gcdb.report import services_tables as X
from gcdb.report.i18n import format_number
from gcdb.report.model import Block, Column, Heading, KeyValues, Place, Print, Report, Section
from gcdb.report.services_common import (
    Context,
    display,
    inputs_frame,
    latest,
    legend,
    name_map,
    services_in,
    stratum_text,
    table,
)
from gcdb.report.services_sheets import _sheet_title  # noqa: F401  (the sheet-name rule, tested on its own)
from gcdb.report.workbook import resolve_created
from gcdb.report.xlsx import render_xlsx
from gcdb.services import names as S

#: Rows of the largest-gaps table on the summary sheet.
SUMMARY_GAPS = 30


def summary(ctx: Context) -> Section:
    a, lang = ctx.analysis, ctx.lang
    gaps = a.gaps
    significant = int(gaps[N.CI_EXCLUDES_ONE].fillna(False).to_numpy(dtype=bool).sum())
    key_figures = KeyValues(
        [
            (ctx.t("services.kv.years"), ", ".join(map(str, a.years)), "text"),
            (ctx.t("services.kv.services"), len(a.services), "count"),
            (ctx.t("services.kv.flagged"), len(gaps), "count"),
            (ctx.t("services.kv.significant"), significant, "count"),
        ],
        title=ctx.t("title.equality"),
        notes=[ctx.t("services.subtitle", years=", ".join(map(str, a.years)))],
    )
    top = gaps.head(SUMMARY_GAPS).copy()
    names = name_map(a)
    top[C.SERVICE_NAME] = (
        top[C.SERVICE_CODE].astype("str").map(names).fillna(top[C.SERVICE_CODE]).astype("str")
    )
    top["_comparison"] = pd.Series(
        [C.label(d, lang) for d in top[N.DIMENSION].astype("str")], index=top.index, dtype="str"
    )
    top["_within"] = stratum_text(top[N.STRATA], top[S.STRATUM], lang)
    top["_group"] = display(top[N.GROUP], lang)
    top["_reference"] = display(top[N.REFERENCE_GROUP], lang)
    specs = [  # a wide first column: the key-value block above sets its width
        Column(C.SERVICE_NAME, "text", C.label(C.SERVICE_NAME, lang)),
        Column(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
        Column("_comparison", "text", ctx.t("services.column.comparison")),
        Column("_within", "text", N.label(N.STRATA, lang)),
        Column("_group", "text", N.label(N.GROUP, lang)),
        Column("_reference", "text", N.label(N.REFERENCE_GROUP, lang)),
        Column(N.USERS, "count", N.label(N.USERS, lang)),
        Column(N.RATE, "rate", N.label(N.RATE, lang)),
        Column(N.RATE_RATIO, "ratio", N.label(N.RATE_RATIO, lang)),
        Column(N.RATIO_CI_LOW, "ratio", N.label(N.RATIO_CI_LOW, lang)),
        Column(N.RATIO_CI_HIGH, "ratio", N.label(N.RATIO_CI_HIGH, lang)),
        Column(N.CI_EXCLUDES_ONE, "label", N.label(N.CI_EXCLUDES_ONE, lang)),
        Column(N.FLAG, "flag", N.label(N.FLAG, lang)),
    ]
    gaps_table = table(
        ctx,
        "summary_gaps",
        top,
        specs,
        title=ctx.t("services.gaps.title"),
        notes=[ctx.t("services.gaps.note", n=SUMMARY_GAPS), ctx.t("note.flags")],
        flag=(N.RATE_RATIO, N.FLAG),
        freeze=False,
    )
    head = a.headline.copy()
    suppressed = head[N.SUPPRESSED].to_numpy(dtype=bool)
    users_hidden = np.where(head[N.USERS].isna().to_numpy() & suppressed, S.PRIMARY, "")
    share_hidden = np.where(head[S.SHARE_WOMEN].isna().to_numpy() & suppressed, S.PRIMARY, "")
    headline = table(
        ctx,
        "summary_headline",
        head,
        [
            Column(C.SERVICE_NAME, "text", C.label(C.SERVICE_NAME, lang)),
            Column(S.FISCAL_YEAR, "year", C.label(C.FISCAL_YEAR, lang)),
            Column(C.SERVICE_CODE, "code", C.label(C.SERVICE_CODE, lang)),
            Column(C.UNIT_NAME, "text", C.label(C.UNIT_NAME, lang)),
            Column(N.USERS, "count", N.label(N.USERS, lang)),
            Column(N.USES, "count", N.label(N.USES, lang)),
            Column(S.SHARE_WOMEN, "percent", ctx.t("services.column.share_women")),
            Column(N.RATE, "rate", ctx.t("services.kv.rate")),
        ],
        hide={N.USERS: users_hidden, N.USES: users_hidden, N.RATE: users_hidden, S.SHARE_WOMEN: share_hidden},
        gap=2,
        title=ctx.t("services.headline.title"),
        notes=[ctx.t("services.headline.note"), *legend(ctx)],
        autofilter=False,
        freeze=False,
    )
    blocks: list[Block] = [key_figures, reached_least(ctx), gaps_table, headline]
    return Section("summary", t("sheet.summary", lang), blocks, print=Print(freeze=(1, 0)))


def eligibility_text(eligibility: Eligibility, lang: str) -> str:
    """Who a service is for, in words of ``lang`` (``3–6 yaş``; ``Cinsiyet: Kadın``)."""
    parts = []
    lo, hi = eligibility.age_min, eligibility.age_max
    if lo is not None and hi is not None:
        parts.append(t("services.eligibility.age_range", lang, lo=lo, hi=hi))
    elif lo is not None:
        parts.append(t("services.eligibility.age_min", lang, lo=lo))
    elif hi is not None:
        parts.append(t("services.eligibility.age_max", lang, hi=hi))
    for name, dimension in (
        ("sexes", C.SEX),
        ("disability", C.DISABILITY),
        ("migrant", C.MIGRANT_STATUS),
        ("districts", C.DISTRICT),
    ):
        values = getattr(eligibility, name)
        if values is not None:
            shown = ", ".join(N.label(v, lang) for v in sorted(values))
            parts.append(f"{C.label(dimension, lang)}: {shown}")
    return "; ".join(parts) if parts else t("services.eligibility.all", lang)


def reached_least(ctx: Context) -> Heading:
    """One sentence per service (latest year): the group it reaches least and how many people that is."""
    a, lang = ctx.analysis, ctx.lang
    year = latest(a)
    rows = a.reached_least[(a.reached_least[S.FISCAL_YEAR] == year).to_numpy()].reset_index(drop=True)
    under = rows[N.STATUS].astype("str").to_numpy() == N.Status.UNDER_SERVED
    eligibility = [
        eligibility_text(a.eligibility.get(code, EVERYONE), lang)
        for code in rows[C.SERVICE_CODE].astype("str")
    ]
    groups = display(rows[N.GROUP], lang)
    references = [
        ctx.t("services.method.rest") if str(r) == N.REST else N.label(str(r), lang)
        for r in rows[N.REFERENCE_GROUP].astype("str")
    ]
    within = stratum_text(rows[N.STRATA], rows[S.STRATUM], lang)
    sentences = []
    for i in range(len(rows)):  # one sentence per service: a handful of rows
        service = str(rows[C.SERVICE_NAME].iloc[i])
        if not under[i]:
            sentences.append(ctx.t("services.reached.none", service=service, eligibility=eligibility[i]))
            continue
        sentences.append(
            ctx.t(
                "services.reached.sentence",
                service=service,
                group=groups.iloc[i],
                comparison=C.label(str(rows[N.DIMENSION].iloc[i]), lang),
                within=ctx.t("services.reached.within", within=within.iloc[i]) if within.iloc[i] else "",
                reference=references[i],
                ratio=format_number(float(rows[N.RATE_RATIO].iloc[i]), 2, lang),
                missing=format_number(float(rows[N.USERS_MISSING].iloc[i]), 0, lang),
            )
        )
    return Heading(
        ctx.t("services.reached.title", year=year),
        [ctx.t("services.reached.note"), *sentences],
        key="summary_reached_least",
        place=Place(gap=2),
    )


def services_report(
    analysis: Any,
    *,
    read_results: Iterable[Any] = (),
    inputs: Iterable[str | os.PathLike | tuple[str, str | os.PathLike]] = (),
    lang: str = "tr",
    created: datetime | date | None = None,
) -> Report:
    """The Hizmette Eşitlik report model of ``analysis`` (see :func:`write_services_workbook`)."""
    if lang not in ("tr", "en"):
        raise UsageError(f"lang must be 'tr' or 'en', got {lang!r}")
    if not hasattr(analysis, "breakdowns") or not hasattr(analysis, "years"):
        raise UsageError(f"write_services_workbook needs a ServiceAnalysis, got {type(analysis).__name__}")
    if not analysis.years:
        raise UsageError("the analysis has no fiscal year to report")
    read_results = list(read_results)
    input_table = inputs_frame(inputs)
    stamp = resolve_created(created)
    ctx = Context(analysis, lang)
    report = Report(
        title=t("title.equality", lang),
        subject=t("subject.equality", lang),
        lang=lang,
        created=stamp,
        k=ctx.k,
        audience="analyst",
    )
    report.add(summary(ctx))
    year = latest(analysis)
    for code in services_in(analysis, year):
        report.add(V.service_sheet(ctx, code, year))
    report.add(V.districts(ctx))
    report.add(V.neighbourhoods(ctx))
    report.add(X.heat(ctx))
    report.add(X.incidence(ctx))
    report.add(X.indicators(ctx))
    report.add(M.methodology(ctx, input_table, stamp, report.sections))
    report.add(M.quality(ctx, read_results))
    return report


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
    report = services_report(analysis, read_results=read_results, inputs=inputs, lang=lang, created=created)
    return render_xlsx(report, Path(path))


__all__ = ["SUMMARY_GAPS", "services_report", "write_services_workbook"]
