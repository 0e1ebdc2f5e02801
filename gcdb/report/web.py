"""The two web reports, as report models: the **council report** (meclis raporu) and the **citizen budget**
(vatandaş bütçesi), built from a TCDB :class:`~gcdb.budget.BudgetAnalysis` and a
:class:`~gcdb.services.ServiceAnalysis` in any language of the catalogue (``web.*`` and ``label.*`` keys).

* The council report: the gender budget and its floor check, the actions with no appropriation, appropriation
  cuts and low spending, the largest service gaps, a map of where services reach least, the monitoring status
  (what the units reported, funded × done) when a monitoring analysis is given, and the method and sources.
* The citizen budget, short and in plain language: how much of the budget serves equality, for what, who uses
  the services, where in the city — numbers rounded as a newspaper would (``4,2 milyar TL``), with a link to the
  detailed workbook.

:func:`write_web_reports` renders both in every language asked for (:func:`gcdb.report.html.render_html`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import i18n
from gcdb.budget import names as BN
from gcdb.equality import names as N
from gcdb.report.html import label, render_html
from gcdb.report.model import Column, Figure, KeyValues, Report, Section, Sentence, Table
from gcdb.report.web_parts import (
    MAP_SOURCE,
    PHASE,
    Ctx,
    WebInputs,
    areas_table,
    district_map,
    districts_frame,
    gaps_frame,
    headline,
    monitoring_frames,
)
from gcdb.report.workbook import resolve_created
from gcdb.services import names as S

#: File stems of the two pages (``<stem>.<lang>.html``).
COUNCIL, CITIZEN = "meclis_raporu", "vatandas_butcesi"
#: Rows of the council report's lists (the workbooks hold them all).
LIST_ROWS: Final = 12


# -- the council report -------------------------------------------------------------------------------------
def council_report(inputs: WebInputs, lang: str = "tr") -> Report:
    """The council report (meclis raporu) in ``lang``."""
    c = Ctx(inputs, lang)
    report = c.report("council")
    a = inputs.budget
    h = headline(c)
    budget = Section("budget", c.t("web.council.budget"))
    scheme = c.scheme_name(c.scheme)
    budget.add(
        Sentence(
            c.t(
                "web.council.budget_sentence",
                year=c.year,
                share=c.pct(h["share"]),
                amount=c.money(h["counted"]),
                scheme=scheme,
            ),
            emphasis=c.pct(h["share"]),
        )
    )
    budget.add(
        KeyValues(
            [
                (c.t("web.kv.budget", year=c.year), h["budget"], "money"),
                (c.t("web.kv.counted"), h["counted"], "money"),
                (c.t("web.kv.share"), h["share"], "percent"),
                (c.t("web.kv.execution"), h["execution"], "percent"),
            ]
        )
    )
    floors = a.floor_check
    floors = floors[
        (floors[C.FISCAL_YEAR] == c.year).to_numpy()
        & (floors[BN.READING] == BN.DEFAULT_READING).to_numpy()
        & (floors[BN.PHASE] == PHASE).to_numpy()
    ].reset_index(drop=True)
    shares = a.summary[(a.summary[C.FISCAL_YEAR] == c.year) & (a.summary[BN.READING] == BN.DEFAULT_READING)]
    share_of = dict(zip(shares[C.SCHEME], shares[BN.share_of_total(PHASE)], strict=True))
    floor_frame = pd.DataFrame(
        {
            "scheme": pd.Series([c.scheme_name(s) for s in floors[C.SCHEME]], dtype="str"),
            "share": [float(share_of.get(s, np.nan)) for s in floors[C.SCHEME]],
            "floor": floors[BN.FLOOR].to_numpy(dtype=np.float64),
            "met": pd.Series(
                [c.t("web.floor.met" if p else "web.floor.not_met") for p in floors[BN.PASSED]], dtype="str"
            ),
        }
    )
    budget.add(
        Table(
            "floor",
            floor_frame,
            [
                Column("scheme", "text", c.t("web.col.scheme")),
                Column("share", "percent", c.t("web.col.share_of_budget")),
                Column("floor", "percent", c.t("web.col.floor")),
                Column("met", "text", c.t("web.col.floor_met")),
            ],
            title=c.t("web.table.floor", year=c.year),
            flags={
                "met": pd.Series(
                    np.where(floors[BN.PASSED].to_numpy(dtype=bool), np.array(None), "under"), dtype=object
                )
            },
            notes=[c.t("web.note.floor")],
        )
    )
    areas = areas_table(c, "areas")
    budget.add(Figure("ranking", "areas", "area", ["money"], title=areas.title, alt=c.t("web.alt.areas")))
    budget.add(areas)
    report.add(budget)

    unfunded = a.unfunded_actions
    unfunded = unfunded[(unfunded[C.FISCAL_YEAR] == c.year).to_numpy()].reset_index(drop=True)
    section = Section("unfunded", c.t("web.council.unfunded"))
    section.add(Sentence(c.t("web.council.unfunded_sentence", year=c.year, n=len(unfunded))))
    section.add(
        Table(
            "unfunded",
            unfunded.head(LIST_ROWS)[[C.ACTION_CODE, BN.TITLE, BN.RESPONSIBLE_UNIT]],
            [
                Column(C.ACTION_CODE, "code", c.t("web.col.action")),
                Column(BN.TITLE, "text", c.t("web.col.title")),
                Column(BN.RESPONSIBLE_UNIT, "text", c.t("web.col.unit")),
            ],
            notes=[c.t("web.note.more_in_workbook", shown=min(LIST_ROWS, len(unfunded)), n=len(unfunded))],
        )
    )
    report.add(section)

    warnings = a.diversion
    warnings = warnings[(warnings[C.FISCAL_YEAR] == c.year).to_numpy()]
    warnings = warnings.sort_values(BN.attributed(C.INITIAL_APPROPRIATION), ascending=False, kind="stable")
    shown = warnings.head(LIST_ROWS).reset_index(drop=True)
    section = Section("warnings", c.t("web.council.warnings"))
    section.add(Sentence(c.t("web.council.warnings_sentence", year=c.year, n=len(warnings))))
    section.add(
        Table(
            "warnings",
            shown.assign(signal=pd.Series([label(str(s), lang) for s in shown[BN.SIGNAL]], dtype="str")),
            [
                Column(C.UNIT_NAME, "text", c.t("web.col.unit")),
                Column(C.DESCRIPTION, "text", c.t("web.col.line")),
                Column(C.ACTION_CODE, "code", c.t("web.col.action")),
                Column("signal", "text", c.t("web.col.signal")),
                Column(BN.attributed(C.INITIAL_APPROPRIATION), "money", c.t("web.col.initial")),
                Column(BN.attributed(PHASE), "money", c.t("web.col.revised")),
                Column(BN.attributed(C.EXPENDITURE), "money", c.t("web.col.spent")),
            ],
            notes=[c.t("web.note.more_in_workbook", shown=len(shown), n=len(warnings))],
        )
    )
    report.add(section)

    gaps = gaps_frame(c, 10)
    section = Section("gaps", c.t("web.council.gaps"))
    section.add(Sentence(c.t("web.council.gaps_sentence", year=c.s_year)))
    gaps = gaps.assign(item=gaps["service"] + " — " + gaps["group"])
    table = Table(
        "gaps",
        gaps,
        [
            Column("service", "text", c.t("web.col.service")),
            Column("dimension", "text", c.t("web.col.dimension")),
            Column("group", "text", c.t("web.col.group")),
            Column("reference", "text", c.t("web.col.reference")),
            Column("ratio", "ratio", c.t("web.col.ratio")),
            Column("interval", "text", c.t("web.col.interval")),
        ],
        title=c.t("web.table.gaps", year=c.s_year),
        flags={"ratio": gaps["flag"]},
        notes=[c.t("web.note.ratio")],
    )
    if len(gaps):
        section.add(
            Figure(
                "rate",
                "gaps",
                "item",
                ["ratio"],
                title=table.title,
                reference=1.0,
                reference_label=c.t("web.parity"),
                alt=c.t("web.alt.gaps"),
            )
        )
    section.add(table)
    report.add(section)

    section = Section("districts", c.t("web.council.districts"))
    figure, table = district_map(c, "districts", districts_frame(c))
    section.add(figure)
    section.add(table)
    report.add(section)

    report.add(monitoring_section(c))
    return report


def monitoring_section(c: Ctx) -> Section:
    """The council report's monitoring status: what the units reported for the latest year, the actions funded
    and done against those done without a budget line or neither, and the share done per priority area."""
    section = Section("monitoring", c.t("web.council.monitoring"))
    if c.x.monitoring is None:
        section.add(Sentence(c.t("web.council.monitoring_none")))
        return section
    year, counts, money, areas = monitoring_frames(c)
    section.add(
        Sentence(
            c.t(
                "web.council.monitoring_sentence",
                year=year,
                actions=counts["actions"],
                done=counts["done"],
                in_progress=counts["in_progress"],
                not_reported=counts["not_reported"],
            ),
            emphasis=str(counts["done"]),
        )
    )
    section.add(
        Figure(
            "ranking",
            "monitoring_money",
            "category",
            ["actions"],
            title=c.t("web.table.monitoring_money", year=year),
            alt=c.t("web.alt.monitoring_money"),
            from_zero=True,
        )
    )
    section.add(
        Table(
            "monitoring_money",
            money,
            [
                Column("category", "text", c.t("web.col.monitoring_category")),
                Column("actions", "count", c.t("web.col.actions")),
                Column("money", "money", c.t("web.col.revised")),
            ],
            title=c.t("web.table.monitoring_money", year=year),
            notes=[c.t("web.note.monitoring_money")],
            tidy="monitoring_money_implementation",
        )
    )
    section.add(
        Figure(
            "ranking",
            "monitoring_areas",
            "area",
            ["share"],
            title=c.t("web.table.monitoring_areas", year=year),
            alt=c.t("web.alt.monitoring_areas"),
            from_zero=True,
        )
    )
    section.add(
        Table(
            "monitoring_areas",
            areas,
            [
                Column("area", "text", c.t("web.col.area")),
                Column("actions", "count", c.t("web.col.actions")),
                Column("done", "count", c.t("web.col.done")),
                Column("share", "percent", c.t("web.col.done_share")),
            ],
            title=c.t("web.table.monitoring_areas", year=year),
            notes=[c.t("web.note.monitoring_areas")],
            tidy="monitoring_done_by_area",
        )
    )
    return section


# -- the citizen budget -------------------------------------------------------------------------------------
def citizen_report(inputs: WebInputs, lang: str = "tr") -> Report:
    """The citizen budget (vatandaş bütçesi) in ``lang``: short, plain language, rounded numbers."""
    c = Ctx(inputs, lang)
    report = c.report("citizen")
    h = headline(c)
    section = Section("how_much", c.t("web.citizen.how_much"))
    section.add(
        Sentence(
            c.t(
                "web.citizen.how_much_sentence",
                year=c.year,
                budget=c.money(h["budget"]),
                amount=c.money(h["counted"]),
                share=c.pct(h["share"]),
            ),
            emphasis=c.money(h["counted"]),
        )
    )
    section.add(
        KeyValues(
            [
                (c.t("web.kv.budget", year=c.year), h["budget"], "money"),
                (c.t("web.kv.counted"), h["counted"], "money"),
                (c.t("web.kv.share"), h["share"], "percent"),
            ]
        )
    )
    report.add(section)

    areas = areas_table(c, "areas", top=6)
    section = Section("for_what", c.t("web.citizen.for_what"))
    if len(areas.frame):
        first = areas.frame.iloc[0]
        section.add(
            Sentence(
                c.t("web.citizen.for_what_sentence", area=first["area"], amount=c.money(first["money"])),
                emphasis=first["area"],
            )
        )
        section.add(
            Figure("ranking", "areas", "area", ["money"], title=areas.title, alt=c.t("web.alt.areas"))
        )
    section.add(areas)
    report.add(section)

    head = inputs.services.headline
    head = head[(head[S.FISCAL_YEAR] == c.s_year).to_numpy()].sort_values(
        S.SHARE_WOMEN, ascending=False, kind="stable"
    )
    head = head[head[S.SHARE_WOMEN].notna().to_numpy()].reset_index(drop=True)
    who = pd.DataFrame(
        {
            "service": head[C.SERVICE_NAME].astype("str"),
            "women": head[S.SHARE_WOMEN].to_numpy(dtype=np.float64),
            "users": head[N.USERS].to_numpy(dtype=np.float64, na_value=np.nan),
        }
    )
    section = Section("who", c.t("web.citizen.who"))
    if len(who):
        section.add(
            Sentence(
                c.t(
                    "web.citizen.who_sentence",
                    service=who["service"].iloc[0],
                    share=c.pct(who["women"].iloc[0]),
                ),
                emphasis=c.pct(who["women"].iloc[0]),
            )
        )
        section.add(
            Figure(
                "ranking",
                "who",
                "service",
                ["women"],
                title=c.t("web.table.who", year=c.s_year),
                reference=0.5,
                reference_label=c.t("web.half"),
                alt=c.t("web.alt.who"),
            )
        )
    section.add(
        Table(
            "who",
            who,
            [
                Column("service", "text", c.t("web.col.service")),
                Column("women", "percent", c.t("web.col.share_women")),
                Column("users", "count", c.t("web.col.users")),
            ],
            title=c.t("web.table.who", year=c.s_year),
        )
    )
    report.add(section)

    districts = districts_frame(c)
    section = Section("where", c.t("web.citizen.where"))
    low = districts.dropna(subset=["ri"]).head(3)["district"].tolist()
    if low:
        section.add(Sentence(c.t("web.citizen.where_sentence", districts=", ".join(low))))
    figure, table = district_map(c, "districts", districts)
    section.add(figure)
    section.add(table)
    report.add(section)

    section = Section("more", c.t("web.citizen.more"))
    section.add(Sentence(c.t("web.citizen.more_sentence")))
    report.add(section)
    return report


def write_web_reports(
    inputs: WebInputs,
    directory: str | os.PathLike,
    *,
    languages: Iterable[str] | None = None,
    created: datetime | date | None = None,
) -> list[Path]:
    """Write the council report and the citizen budget as ``<stem>.<lang>.html`` in every language (default: every
    language the catalogue has) into ``directory``; return the files written."""
    langs = list(languages) if languages is not None else list(i18n.languages())
    for lang in langs:
        i18n.check_lang(lang)
    out = Path(directory)
    written = []
    for stem, build in ((COUNCIL, council_report), (CITIZEN, citizen_report)):
        for lang in langs:
            report = build(inputs, lang)
            if created is not None:
                report.created = resolve_created(created)
            path = out / f"{stem}.{lang}.html"
            render_html(report, path, languages=langs)
            written.append(path)
    return written


__all__ = [
    "CITIZEN",
    "COUNCIL",
    "MAP_SOURCE",
    "WebInputs",
    "citizen_report",
    "council_report",
    "write_web_reports",
]
