"""The result of :func:`gcdb.budget.analyse_budget`: a frozen dataclass of fixed-shape tables.

Every table has the columns of the matching ``*_COLUMNS`` constant in :mod:`gcdb.budget.names`, always — an
analysis without a plan still has ``plan_money`` etc., empty. Money is int64 kuruş; rates are fractions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gcdb.budget import names as N
from gcdb.errors import UsageError
from gcdb.i18n import Message

#: Table names in export order, each with its column layout.
TABLES: dict[str, tuple[str, ...]] = {
    "summary": N.SUMMARY_COLUMNS,
    "by_category": N.BY_CATEGORY_COLUMNS,
    "gender_focused": N.GENDER_FOCUSED_COLUMNS,
    "by_area": N.BY_AREA_COLUMNS,
    "by_target": N.BY_TARGET_COLUMNS,
    "by_action": N.BY_ACTION_COLUMNS,
    "by_department": N.BY_DEPARTMENT_COLUMNS,
    "by_functional": N.BY_FUNCTIONAL_COLUMNS,
    "by_economic_1": N.BY_ECONOMIC_COLUMNS,
    "by_economic_2": N.BY_ECONOMIC_COLUMNS,
    "by_financing": N.BY_FINANCING_COLUMNS,
    "year_over_year": N.YEAR_OVER_YEAR_COLUMNS,
    "floor_check": N.FLOOR_CHECK_COLUMNS,
    "plan_money": N.PLAN_MONEY_COLUMNS,
    "unfunded_actions": N.UNFUNDED_ACTIONS_COLUMNS,
    "department_gaps": N.DEPARTMENT_GAPS_COLUMNS,
    "diversion": N.DIVERSION_COLUMNS,
    "reconciliation": N.RECONCILIATION_COLUMNS,
    "parts": N.PARTS_COLUMNS,
}
FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class BudgetAnalysis:
    """Gender-budget (TCDB) analysis of one or more fiscal years.

    Keys of most tables: ``fiscal_year, scheme, reading`` — ``reading`` is ``default``, or ``review`` for the upper
    reading of a scheme with review weights (EU CPR ``03*`` at 40 %).

    Attributes
    ----------
    years, schemes, readings
        Fiscal years analysed; scheme ids; ``(scheme, reading)`` pairs in report order.
    parameters
        The analysis options, as text (exported as the ``parameters`` table).
    parts
        Every tag part × reading: weight, ``attributed_/counted_/not_counted_<phase>`` (kuruş).
    summary
        Per year × reading: ``budget_<phase>`` (whole budget), ``attributed_<phase>``, ``counted_<phase>``,
        ``share_of_total_<phase>`` (counted ÷ budget), ``execution_rate`` (counted expenditure ÷ counted revised
        appropriation; NaN with ``execution_rate_reason`` when that is 0).
    by_category
        Attributed and counted money per category of each scheme (NA: parts the scheme gives no category).
    gender_focused
        Full-amount schemes (OECD DAC): ``focused_<phase>`` = full amount of parts scored 1 or 2,
        ``principal_<phase>`` = of parts scored 2.
    by_area, by_target, by_action
        Tagged money by plan area / target / action (NA key: parts without an action), with shares of the year's
        budget and execution rate.
    by_department, by_functional, by_economic_1, by_economic_2, by_financing
        Every department (``unit_name``) / functional code (at ``functional_level``) / economic code (level 1, 2)
        / financing type of the budget, with its own ``budget_<phase>``, counted money, ``share_<phase>`` of its
        own budget and ``share_of_total_<phase>``.
    year_over_year
        Counted money vs the previous fiscal year (consecutive years only), per reading and phase.
    floor_check
        ``counted ≥ floor × budget_total`` per year × reading × appropriation phase, with the gap in kuruş.
    plan_money
        Each plan action active in the year × reading: tagged lines, attributed and counted money, ``funded``.
    unfunded_actions
        Active actions with no money tagged (no tagged line, or only zero amounts).
    department_gaps
        Active actions whose responsible department has no budget line tagged to them, with a reason.
    diversion
        Diversion signals per tagged line × action (``revised_to_zero``, ``revised_down``, ``not_executed``,
        ``outside_plan_years``, ``action_not_in_plan``).
    reconciliation
        Budget = attributed + untagged = counted + not counted + untagged, per year × phase × reading; all
        ``balanced`` (else :class:`gcdb.budget.ReconciliationError` was raised).
    """

    years: tuple[int, ...]
    schemes: tuple[str, ...]
    readings: tuple[tuple[str, str], ...]
    parameters: dict[str, str] = field(repr=False)
    parts: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    by_category: pd.DataFrame = field(repr=False)
    gender_focused: pd.DataFrame = field(repr=False)
    by_area: pd.DataFrame = field(repr=False)
    by_target: pd.DataFrame = field(repr=False)
    by_action: pd.DataFrame = field(repr=False)
    by_department: pd.DataFrame = field(repr=False)
    by_functional: pd.DataFrame = field(repr=False)
    by_economic_1: pd.DataFrame = field(repr=False)
    by_economic_2: pd.DataFrame = field(repr=False)
    by_financing: pd.DataFrame = field(repr=False)
    year_over_year: pd.DataFrame = field(repr=False)
    floor_check: pd.DataFrame = field(repr=False)
    plan_money: pd.DataFrame = field(repr=False)
    unfunded_actions: pd.DataFrame = field(repr=False)
    department_gaps: pd.DataFrame = field(repr=False)
    diversion: pd.DataFrame = field(repr=False)
    reconciliation: pd.DataFrame = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, in export order, plus ``parameters`` (``parameter, value`` as text)."""
        out = {name: getattr(self, name) for name in TABLES}
        out["parameters"] = pd.DataFrame(
            {
                N.PARAMETER: pd.Series(list(self.parameters), dtype="str"),
                N.VALUE: pd.Series(list(self.parameters.values()), dtype="str"),
            }
        )
        return out

    def to_tidy(
        self,
        directory: str | Path,
        formats: tuple[str, ...] | str = FORMATS,
        *,
        csv_dialect: str = "plain",
        lang: str = "tr",
    ) -> list[Path]:
        """Write every table of :meth:`tables` as ``<directory>/<name>.<format>`` with ``datapackage.json``; return
        the table files written (see :func:`gcdb.report.write_tidy`).

        ``formats``: any of ``"csv"`` (UTF-8, no index, empty cell for missing) and ``"parquet"``;
        ``csv_dialect``: ``"plain"`` or ``"excel-tr"`` (for Turkish Excel).
        """
        from gcdb.report.tidy import write_tidy

        formats = (formats,) if isinstance(formats, str) else tuple(formats)
        unknown = [f for f in formats if f not in FORMATS]
        if unknown or not formats:
            raise UsageError(
                Message("budget.formats", formats=str(unknown or formats), known=", ".join(FORMATS))
            )
        return write_tidy(self.tables(), directory, formats, csv_dialect=csv_dialect, lang=lang)
