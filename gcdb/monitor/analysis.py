"""The monitoring analysis: :func:`analyse_monitoring` → :class:`MonitoringAnalysis`.

One call takes the collected returns, the plan, and optionally the TCDB budget analysis and the workforce table,
and returns every table of the İzleme ve Değerlendirme Raporu as documented DataFrames with fixed English column
names, the headline figures (:meth:`MonitoringAnalysis.key_numbers`) and the notes a reader needs
(:meth:`MonitoringAnalysis.notes`) — the shape a report model takes (tables + key numbers + notes).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.forms import concat_form_issues
from gcdb.monitor import names as N
from gcdb.monitor.attainment import ATTAINMENT_STATUS, attainment
from gcdb.monitor.checks import check_spending
from gcdb.monitor.collect import Collection
from gcdb.monitor.kinds import kind_counts
from gcdb.monitor.money import CATEGORY, PHASE, money_implementation, money_summary, tagged_money
from gcdb.monitor.status import RESPONSIBLE_UNIT, action_status, action_trends, status_summary
from gcdb.monitor.templates import indicator_plan
from gcdb.monitor.workforce import compute_workforce, workforce_indicators
from gcdb.report.tidy import write_tidy

KEY, VALUE = "key", "value"
#: The tables of :class:`MonitoringAnalysis`, in export order.
ANALYSIS_TABLES: Final = (
    "action_status",
    "status_summary",
    "action_trends",
    "indicator_attainment",
    "indicator_kinds",
    "money_implementation",
    "money_summary",
    "workforce",
    "units",
    "returns",
    "issues",
)
#: Columns of :meth:`MonitoringAnalysis.key_numbers`.
KEY_NUMBER_COLUMNS: Final = (KEY, C.FISCAL_YEAR, VALUE)


@dataclass(frozen=True)
class MonitoringAnalysis:
    """Plan monitoring of one or more years.

    Attributes (DataFrames; money in int64 kuruş; shares and attainments are fractions)
    ----------
    years
        The years collected.
    action_status
        :data:`gcdb.monitor.status.STATUS_COLUMNS`: every action active in a year, its responsible unit's
        status (``not_reported`` when none), progress %, what was done, money its unit and all units reported,
        the units and partners that reported, the economic codes named, and where the status was read.
    status_summary
        :data:`gcdb.monitor.status.SUMMARY_COLUMNS`: actions per status for the whole plan (``level = all``),
        each area, target and responsible unit, per year.
    action_trends
        :data:`gcdb.monitor.status.TREND_COLUMNS`: each action against the previous collected year.
    indicator_attainment
        :data:`gcdb.monitor.attainment.ATTAINMENT_COLUMNS`: every indicator per year — kind, where its value comes
        from, baseline, target, actual, direction, attainment and its status.
    indicator_kinds
        Indicators per kind: ``kind, indicators, computable, total_only, from_returns, from_workforce``.
    money_implementation
        :data:`gcdb.monitor.money.MONEY_COLUMNS` (empty without a budget analysis).
    money_summary
        :data:`gcdb.monitor.money.MONEY_SUMMARY_COLUMNS`: the joined money/implementation counts.
    workforce
        :data:`gcdb.monitor.workforce.WORKFORCE_INDICATOR_COLUMNS` (empty without a workforce table).
    units, returns
        From the collection: expected units with their return status; the files read.
    issues
        The collection's issues plus the spending checks against the budget.
    parameters
        The options of the run, as text.
    """

    years: tuple[int, ...]
    action_status: pd.DataFrame = field(repr=False)
    status_summary: pd.DataFrame = field(repr=False)
    action_trends: pd.DataFrame = field(repr=False)
    indicator_attainment: pd.DataFrame = field(repr=False)
    indicator_kinds: pd.DataFrame = field(repr=False)
    money_implementation: pd.DataFrame = field(repr=False)
    money_summary: pd.DataFrame = field(repr=False)
    workforce: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    returns: pd.DataFrame = field(repr=False)
    issues: pd.DataFrame = field(repr=False)
    parameters: dict[str, str] = field(default_factory=dict)
    has_budget: bool = False
    has_workforce: bool = False

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, then ``key_numbers`` and ``parameters``."""
        out = {name: getattr(self, name) for name in ANALYSIS_TABLES}
        out["key_numbers"] = self.key_numbers()
        out["parameters"] = pd.DataFrame(
            {"parameter": list(self.parameters), VALUE: list(self.parameters.values())}, dtype="str"
        )
        return out

    def to_tidy(self, directory: str | os.PathLike) -> list[Path]:
        """Write every table as CSV and Parquet (:func:`gcdb.report.write_tidy`)."""
        return write_tidy(self.tables(), directory)

    def key_numbers(self) -> pd.DataFrame:
        """The headline figures per year (:data:`KEY_NUMBER_COLUMNS`): units expected / complete / incomplete /
        not returned / refused; actions active, per status, and their money categories in the revised
        appropriation phase; indicators, computable, measured, achieved; money reported (kuruş)."""
        rows = []
        for year in self.years:
            units = self.units[self.units[C.FISCAL_YEAR] == year]
            rows.append(("units_expected", year, len(units)))
            for status in (N.RECEIVED, N.INCOMPLETE, N.NOT_RETURNED, N.REFUSED):
                rows.append((f"units_{status}", year, int((units[N.RETURN_STATUS] == status).sum())))
            actions = self.action_status[self.action_status[C.FISCAL_YEAR] == year]
            rows.append(("actions_active", year, len(actions)))
            for status in N.STATUS_CODES:
                rows.append((f"actions_{status}", year, int((actions[N.STATUS] == status).sum())))
            rows.append(("spent_reported", year, int(actions["spent_total"].sum())))
            money = self.money_summary[
                (self.money_summary[C.FISCAL_YEAR] == year)
                & (self.money_summary[PHASE] == C.REVISED_APPROPRIATION)
            ]
            for category in N.MONEY_CATEGORIES:
                rows.append((category, year, int(money.loc[money[CATEGORY] == category, "actions"].sum())))
            ind = self.indicator_attainment[self.indicator_attainment[C.FISCAL_YEAR] == year]
            rows.append(("indicators", year, len(ind)))
            rows.append(("indicators_computable", year, int((ind[N.VALUE_SOURCE] != N.SOURCE_NONE).sum())))
            rows.append(("indicators_measured", year, int(ind[N.ACTUAL].notna().sum())))
            rows.append(("indicators_achieved", year, int((ind[ATTAINMENT_STATUS] == N.ACHIEVED).sum())))
        return pd.DataFrame(rows, columns=list(KEY_NUMBER_COLUMNS)).astype(
            {KEY: "str", C.FISCAL_YEAR: "int64", VALUE: "int64"}
        )

    def notes(self, lang: str = "tr") -> list[str]:
        """What a reader must know to read the tables right, in ``lang``."""
        if lang not in ("tr", "en"):
            raise UsageError(f"lang must be 'tr' or 'en', got {lang!r}")
        picks = [
            "status",
            "money" if self.has_budget else "no_money",
            "attainment",
            "kinds",
            "workforce" if self.has_workforce else "no_workforce",
            "suppression",
        ]
        return [NOTES[p][0 if lang == "tr" else 1] for p in picks]


NOTES: Final[dict[str, tuple[str, str]]] = {
    "status": (
        "Bir eylemin durumu, sorumlu biriminin izleme formunda bildirdiği durumdur; işbirliği birimleri kendi "
        "katkılarını ve harcamalarını bildirir. Tablolarda, sorumlu birimi formu doldurması beklenen birimler "
        "arasında olan eylemler yer alır; sorumlu birimi formunu göndermeyen, satırını boş bırakan ya da hatalı "
        "dolduran eylemler 'Bildirilmedi' sayılır.",
        "An action's status is the status its responsible unit reported; cooperating units report their own "
        "contribution and spending. The tables hold the actions whose responsible unit was asked for a return; "
        "actions whose responsible unit sent no return, left the row blank or filled it with errors count as "
        "'Not reported'.",
    ),
    "money": (
        "Ödenek: TCDB analizinde eyleme etiketlenen bütçe satırlarının tutarı (ağırlıklandırmadan önce). Bir eylem "
        "bir aşamada (başlangıç ödeneği, revize ödenek, harcama) bu tutar sıfırdan büyükse o aşamada ödenekli "
        "sayılır; yıl içinde ödeneği sıfırlanan eylem revize aşamada ödeneksizdir.",
        "Funding: the budget lines tagged to the action in the TCDB analysis (before weighting). An action is "
        "funded in a phase (initial, revised appropriation, expenditure) when that amount is above zero; an "
        "action whose appropriation was cut to zero during the year is unfunded in the revised phase.",
    ),
    "no_money": (
        "Bütçe verilmediği için eylemler ödeneklerle karşılaştırılmadı.",
        "No budget was given: the actions were not compared with appropriations.",
    ),
    "attainment": (
        "Hedefe ulaşma: artması iyi göstergelerde (gerçekleşen − başlangıç) ÷ (hedef − başlangıç), azalması iyi "
        "olanlarda (başlangıç − gerçekleşen) ÷ (başlangıç − hedef); başlangıç değeri yoksa gerçekleşen ÷ hedef "
        "(azalması iyi olanlarda hedef ÷ gerçekleşen). 1 ve üstü hedefe ulaşıldı demektir.",
        "Attainment: for higher-is-better indicators (actual − baseline) ÷ (target − baseline), for "
        "lower-is-better ones (baseline − actual) ÷ (baseline − target); without a baseline actual ÷ target "
        "(target ÷ actual). 1 or more means the target was reached.",
    ),
    "kinds": (
        "Göstergelerin türü metinlerinden okunur (sayı, yüzde, tamamlanma oranı, değişim oranı, evet/hayır …). "
        "Birden çok ölçü içeren, liste isteyen ya da ölçüsü belirsiz göstergeler tek bir değerle ölçülemez.",
        "Indicator kinds are read from their wording (count, percentage, completion rate, rate of change, "
        "yes/no …). Indicators with several measures, lists or no clear measure cannot be measured by one value.",
    ),
    "workforce": (
        "Personelle ilgili göstergeler (kadın çalışan ve yönetici oranları, engelli çalışan oranı) birimlerin "
        "formlarından değil, personel tablosundan hesaplanır.",
        "Indicators on staff (women's share of staff and managers, disabled staff) are computed from the "
        "workforce table, not from the units' returns.",
    ),
    "no_workforce": (
        "Personel tablosu verilmediği için personelle ilgili göstergeler hesaplanmadı.",
        "No workforce table was given: the indicators on staff were not computed.",
    ),
    "suppression": (
        "Personel sayıları 5'in altında olan hücreler (ve bu sayılardan hesaplanan oranlar) gizlenmiştir.",
        "Staff counts below 5 (and shares computed from them) are hidden.",
    ),
}


def analyse_monitoring(
    collection: Collection,
    catalogue,
    *,
    budget=None,
    workforce: pd.DataFrame | None = None,
    k: int = 5,
    lang: str = "tr",
) -> MonitoringAnalysis:
    """Analyse collected returns (see :class:`MonitoringAnalysis`).

    ``budget``: a :class:`gcdb.budget.BudgetAnalysis` (its ``plan_money``) to join money with implementation;
    ``workforce``: the valid rows of :func:`gcdb.read.workforce.read_workforce`; ``k``: staff counts below it
    are hidden."""
    if k < 1:
        raise UsageError(f"k must be 1 or more, got {k}")
    years = collection.years
    status = action_status(catalogue, collection.actions, years)
    asked = collection.units[[C.FISCAL_YEAR, N.UNIT_ID]].rename(columns={N.UNIT_ID: RESPONSIBLE_UNIT})
    status = status.merge(asked, on=[C.FISCAL_YEAR, RESPONSIBLE_UNIT], how="inner")  # actions of units asked
    plan = indicator_plan(catalogue)
    wf = (
        compute_workforce(workforce, catalogue, k=k)
        if workforce is not None
        else compute_workforce(pd.DataFrame(), catalogue, k=k)
    )
    if len(wf):
        wf = wf[wf[C.FISCAL_YEAR].isin(years)].reset_index(drop=True)
    attained = attainment(
        plan, collection.indicators, years, workforce=wf, definitions=workforce_indicators(catalogue)
    )
    money = tagged_money(budget.plan_money if budget is not None else None)
    money_table = (
        money_implementation(status, money)
        if budget is not None
        else money_implementation(status.iloc[:0], money)
    )
    issues = [collection.issues]
    if budget is not None:
        issues.append(check_spending(collection.actions[collection.actions["filled"]], money, lang))
    kinds = kind_counts(plan)
    source_counts = pd.crosstab(plan[N.KIND], plan[N.VALUE_SOURCE]).reindex(index=kinds[N.KIND], fill_value=0)
    # a source no indicator uses has no column in the crosstab: 0 for every kind
    for column, source in (("from_returns", N.SOURCE_RETURNS), ("from_workforce", N.SOURCE_WORKFORCE)):
        kinds[column] = source_counts[source].to_numpy() if source in source_counts.columns else 0
    kinds = kinds.astype({"from_returns": "int64", "from_workforce": "int64"})
    return MonitoringAnalysis(
        years=years,
        action_status=status,
        status_summary=status_summary(status),
        action_trends=action_trends(status),
        indicator_attainment=attained,
        indicator_kinds=kinds,
        money_implementation=money_table,
        money_summary=money_summary(money_table),
        workforce=wf,
        units=collection.units,
        returns=collection.returns,
        issues=concat_form_issues(issues),
        parameters={
            "years": ", ".join(map(str, years)),
            "plan_id": collection.plan_id,
            "plan_version": collection.plan_version,
            "k": str(k),
            "budget": "yes" if budget is not None else "no",
            "workforce": "yes" if workforce is not None else "no",
        },
        has_budget=budget is not None,
        has_workforce=workforce is not None,
    )
