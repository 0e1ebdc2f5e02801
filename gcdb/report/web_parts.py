"""What the two web reports share: their inputs, the language context, and the frames both draw (the headline
of the gender budget, money by priority area, the largest gaps, districts' representation)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb import i18n
from gcdb.budget import names as BN
from gcdb.equality import names as N
from gcdb.report.html import label
from gcdb.report.model import Column, Figure, Report, Table
from gcdb.report.workbook import resolve_created
from gcdb.services import names as S

#: Attribution printed under every map drawn from the shipped district polygons (CC BY-IGO 3.0).
MAP_SOURCE: Final = "OCHA HDX COD-AB-TUR (CC BY-IGO 3.0)"
PHASE: Final = C.REVISED_APPROPRIATION


@dataclass
class WebInputs:
    """What the web reports are built from. ``areas``: priority area → name (the plan's); ``links``:
    (catalogue key, href) of the detailed workbooks; ``place``: the municipality's name; ``monitoring``: a
    :class:`gcdb.monitor.MonitoringAnalysis` for the council report's monitoring section (None: not collected)."""

    budget: Any
    services: Any
    scheme: str = "eu_cpr"
    areas: Mapping[int, str] = field(default_factory=dict)
    links: Sequence[tuple[str, str]] = ()
    place: str = ""
    monitoring: Any = None


class Ctx:
    def __init__(self, inputs: WebInputs, lang: str):
        i18n.check_lang(lang)
        self.x, self.lang = inputs, lang
        a = inputs.budget
        self.year = int(max(a.years))
        self.scheme = inputs.scheme if inputs.scheme in a.schemes else a.schemes[0]
        self.s_year = int(max(inputs.services.years))

    def t(self, key: str, **values: Any) -> str:
        return i18n.t(key, self.lang, **values)

    def primary(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of the latest year under the primary scheme's default reading."""
        keep = (
            (frame[C.FISCAL_YEAR] == self.year)
            & (frame[C.SCHEME] == self.scheme)
            & (frame[BN.READING] == BN.DEFAULT_READING)
        )
        return frame[keep.to_numpy()].reset_index(drop=True)

    def scheme_name(self, scheme: str) -> str:
        return i18n.optional(f"web.scheme.{scheme}", scheme, self.lang)

    def area_name(self, area: Any) -> str:
        if area is None or pd.isna(area):
            return self.t("web.no_action")
        n = int(area)
        return i18n.optional(f"web.area.{n}", self.x.areas.get(n, self.t("web.area_n", n=n)), self.lang)

    def money(self, kurus: Any) -> str:
        return i18n.format_compact_money(int(kurus), self.lang)

    def pct(self, share: Any) -> str:
        return i18n.format_percent(float(share), 1, self.lang)

    def report(self, audience: str) -> Report:
        return Report(
            title=self.t(f"web.{audience}.title"),
            subject=self.x.place or self.t(f"web.{audience}.subject"),
            lang=self.lang,
            created=resolve_created(None),
            audience=audience,
            links=[(self.t(key), href) for key, href in self.x.links],
            notes=[self.t("web.note.method"), self.t("web.note.data", year=self.year)],
        )


def headline(c: Ctx) -> dict[str, Any]:
    s = c.primary(c.x.budget.summary)
    rec = s.iloc[0] if len(s) else None
    return {
        "budget": 0 if rec is None else int(rec[BN.budget(PHASE)]),
        "counted": 0 if rec is None else int(rec[BN.counted(PHASE)]),
        "share": np.nan if rec is None else float(rec[BN.share_of_total(PHASE)]),
        "execution": np.nan if rec is None else float(rec[BN.EXECUTION_RATE]),
    }


def areas_table(c: Ctx, key: str, top: int | None = None) -> Table:
    areas = c.primary(c.x.budget.by_area)
    areas = areas[areas[BN.counted(PHASE)] > 0].sort_values(BN.counted(PHASE), ascending=False, kind="stable")
    if top is not None:
        areas = areas.head(top)
    frame = pd.DataFrame(
        {
            "area": pd.Series([c.area_name(a) for a in areas[C.AREA]], dtype="str"),
            "money": areas[BN.counted(PHASE)].to_numpy(dtype=np.int64),
            "share": areas[BN.share_of_total(PHASE)].to_numpy(dtype=np.float64),
        }
    )
    columns = [
        Column("area", "text", c.t("web.col.area")),
        Column("money", "money", c.t("web.col.money")),
        Column("share", "percent", c.t("web.col.share_of_budget")),
    ]
    return Table(key, frame, columns, title=c.t("web.table.areas", year=c.year), tidy=f"{key}_by_area")


def gaps_frame(c: Ctx, top: int) -> pd.DataFrame:
    g = c.x.services.gaps
    g = g[(g[S.FISCAL_YEAR] == c.s_year).to_numpy() & g[N.CI_EXCLUDES_ONE].fillna(False).to_numpy(dtype=bool)]
    g = g.head(top).reset_index(drop=True)
    catalogue = c.x.services.services
    names = dict(zip(catalogue[C.SERVICE_CODE].astype("str"), catalogue[C.SERVICE_NAME], strict=True))
    group = [label(str(v), c.lang) for v in g[N.GROUP].astype("str")]
    reference = [
        c.t("web.rest") if v == N.REST else label(str(v), c.lang) for v in g[N.REFERENCE_GROUP].astype("str")
    ]
    return pd.DataFrame(
        {
            "service": g[C.SERVICE_CODE].astype("str").map(names).fillna(g[C.SERVICE_CODE]).astype("str"),
            "dimension": pd.Series([label(str(d), c.lang) for d in g[N.DIMENSION]], dtype="str"),
            "group": pd.Series(group, dtype="str"),
            "reference": pd.Series(reference, dtype="str"),
            "ratio": g[N.RATE_RATIO].to_numpy(dtype=np.float64, na_value=np.nan),
            "interval": [
                f"{i18n.format_number(lo, 2, c.lang)}–{i18n.format_number(hi, 2, c.lang)}"
                for lo, hi in zip(g[N.RATIO_CI_LOW], g[N.RATIO_CI_HIGH], strict=True)
            ],
            "flag": g[N.FLAG].astype("str"),
        }
    )


def districts_frame(c: Ctx) -> pd.DataFrame:
    """Per district, latest year: the median representation index across services and the services in which it
    is significantly under-served."""
    b = c.x.services.breakdowns
    rows = b[(b[S.FISCAL_YEAR] == c.s_year).to_numpy() & (b[S.VIEW] == "district").to_numpy()]
    under = (rows[N.STATUS].astype("str") == N.Status.UNDER_SERVED).to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "district": rows[C.DISTRICT].astype("str").to_numpy(),
            "ri": rows[N.REPRESENTATION_INDEX].to_numpy(dtype=np.float64, na_value=np.nan),
            "under": under.astype(np.int64),
        }
    )
    out = frame.groupby("district", sort=True).agg(ri=("ri", "median"), under=("under", "sum")).reset_index()
    return out.sort_values(["ri", "district"], kind="stable", na_position="last").reset_index(drop=True)


def district_map(c: Ctx, key: str, frame: pd.DataFrame) -> tuple[Figure, Table]:
    table = Table(
        key,
        frame,
        [
            Column("district", "text", c.t("web.col.district")),
            Column("ri", "ratio", c.t("web.col.median_ri")),
            Column("under", "count", c.t("web.col.services_under")),
        ],
        title=c.t("web.table.districts", year=c.s_year),
        notes=[c.t("web.note.ri")],
        tidy="district_representation",
    )
    figure = Figure(
        "map",
        key,
        "district",
        ["ri"],
        title=c.t("web.figure.map", year=c.s_year),
        value_title=c.t("web.col.median_ri"),
        reference=1.0,
        alt=c.t("web.alt.map", low=", ".join(frame["district"].head(3))),
        source=MAP_SOURCE,
    )
    return figure, table


def monitoring_frames(c: Ctx) -> tuple[int, dict[str, int], pd.DataFrame, pd.DataFrame]:
    """The latest monitored year, its action counts per status, the money × implementation table (revised
    appropriation: category, actions, money tagged) and the share of actions done per priority area."""
    from gcdb.monitor import names as MN

    m = c.x.monitoring
    year = int(max(m.years))
    status = m.action_status[(m.action_status[C.FISCAL_YEAR] == year).to_numpy()]
    counts = {code: int((status[MN.STATUS] == code).sum()) for code in MN.STATUS_CODES}
    counts["actions"] = len(status)
    money = m.money_summary
    money = money[(money[C.FISCAL_YEAR] == year).to_numpy() & (money["phase"] == PHASE).to_numpy()]
    money_frame = pd.DataFrame(
        {
            "category": pd.Series([c.t(f"web.monitoring.{k}") for k in money["category"]], dtype="str"),
            "actions": money["actions"].to_numpy(dtype=np.int64),
            "money": money["attributed"].to_numpy(dtype=np.int64),
        }
    )
    flags = status.assign(_done=(status[MN.STATUS] == MN.DONE).to_numpy(dtype=np.int64))
    by_area = flags.groupby(C.AREA, sort=True).agg(actions=("_done", "size"), done=("_done", "sum"))
    areas = pd.DataFrame(
        {
            "area": pd.Series([c.area_name(a) for a in by_area.index], dtype="str"),
            "actions": by_area["actions"].to_numpy(dtype=np.int64),
            "done": by_area["done"].to_numpy(dtype=np.int64),
        }
    )
    areas["share"] = areas["done"] / areas["actions"]
    areas = areas.sort_values(["share", "area"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    return year, counts, money_frame, areas
