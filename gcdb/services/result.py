"""The result of :func:`gcdb.services.analyse_services`: a frozen dataclass of fixed-shape tables.

Every table has the columns of its constant in :mod:`gcdb.services.names` (the indicator table:
:data:`gcdb.services.indicators.INDICATOR_TABLE_COLUMNS`), always — an analysis without a budget still has the
incidence tables, empty. Counts of persons are ``Int64`` with ``<NA>`` where disclosure control hides them
(``suppressed`` says so, ``suppression`` says whether the cell itself is small — ``primary`` — or hides
another — ``secondary``); rates are per 1,000 residents; money is int64 kuruş. No table holds a person id.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.eligibility import Eligibility
from gcdb.equality.flags import DEFAULT_RULE, UnderServedRule
from gcdb.report.tidy import FORMATS, write_tidy
from gcdb.services import names as S


@dataclass(frozen=True)
class ServiceAnalysis:
    """Equality in services (Hizmette Eşitlik) for one or more fiscal years.

    Attributes
    ----------
    years
        Fiscal years analysed, ascending.
    services
        The service catalogue: ``service_code, service_name, unit_name`` and any other columns given.
    entries
        The comparisons made: ``(compared, *within)`` tuples, e.g. ``("sex", "age_band")`` = women and men in
        each age band.
    reference
        Reference group of every dimension (a category, or ``(rest)``: all other groups pooled).
    k, z, audit
        Disclosure threshold (counts 1 … k − 1 hidden), normal quantile of the intervals, and whether hidden cells
        were also audited by linear algebra (see :mod:`gcdb.equality.suppression`).
    population_years
        For each analysed year, the population year used as denominator (the same year when the baseline has it).
    parameters
        The options of the run as ``name, value`` text rows.
    headline
        Per service and year, within the eligible population: users (distinct persons), uses (records), female
        users and their share, eligible residents, users per 1,000 eligible residents; and the users outside the
        eligible population (``ineligible_users``).
    impact
        The ratio table of every comparison, per year (:data:`~gcdb.services.names.IMPACT_COLUMNS`): users,
        uses, quantity, population, rate per 1,000 with its interval, rate ratio against the reference group
        (Katz interval), rate difference (Newcombe), representation index, expected users at the reference rate
        and the people missing, four-fifths flag (``not_eligible`` outside the eligible population), suppression
        and the ``status`` of :func:`gcdb.equality.flags.classify` (``under_served`` …).
    breakdowns
        The rows of ``impact`` that the report shows as breakdowns, with their ``view``: ``sex_age_band``,
        ``sex``, ``age_band``, ``district``, ``neighbourhood``, ``disability``, ``migrant_status``; district and
        neighbourhood rows carry their age-standardised rate (``dsr``) and ratio (``isr``) with intervals.
    gaps
        Every under-served group — the one definition, :attr:`under_served` — ranked by the people missing.
    reached_least
        Per service and year, the group it reaches least (the first of ``gaps``) with the people missing, the
        ratio and its interval; status ``no_clear_gap`` when no group is under-served.
    standardised
        Age-standardised rates (DSR, Dobson interval) and ratios (ISR) of districts and neighbourhoods.
    heat
        WHO HEAT summary measures across districts, neighbourhoods and age bands (per service, year, stratum).
    incidence_actions, incidence_services, incidence_groups, incidence_by_service
        Benefit incidence of the equality plan's executed spending (kuruş): per action, per service, per group
        (by sex and district: benefit share vs population share, spending per user and per resident), and per
        service × group. Empty without tagged budget and service tags.
    indicators
        Plan indicators by year with their change, small counts hidden.
    unknown_status
        Per service and dimension, users whose category is not recorded (these records are left out of the
        comparisons by that dimension).
    ineligible
        Users outside their service's eligible population per service, criterion broken and group (data
        quality: they are in no rate).
    suppression
        Cells with a count and hidden cells (primary, secondary) per table and year.
    eligibility
        Each service's :class:`~gcdb.equality.eligibility.Eligibility` (from the catalogue; everyone by default).
    rule, standard
        The definition of under-served (:class:`~gcdb.equality.flags.UnderServedRule`) and the standard
        population of the standardised rates (``own`` or ``esp2013``).
    caveat
        The equal-unit-cost caveat of benefit incidence, ``{"tr": …, "en": …}``.
    """

    years: tuple[int, ...]
    services: pd.DataFrame
    entries: tuple[tuple[str, ...], ...]
    reference: Mapping[str, str]
    k: int
    z: float
    audit: bool
    population_years: Mapping[int, int | None]
    parameters: pd.DataFrame
    headline: pd.DataFrame
    impact: pd.DataFrame
    breakdowns: pd.DataFrame
    gaps: pd.DataFrame
    reached_least: pd.DataFrame
    standardised: pd.DataFrame
    heat: pd.DataFrame
    incidence_actions: pd.DataFrame
    incidence_services: pd.DataFrame
    incidence_groups: pd.DataFrame
    incidence_by_service: pd.DataFrame
    indicators: pd.DataFrame
    unknown_status: pd.DataFrame
    ineligible: pd.DataFrame
    suppression: pd.DataFrame
    eligibility: Mapping[str, Eligibility] = field(default_factory=dict)
    rule: UnderServedRule = DEFAULT_RULE
    standard: str = "own"
    caveat: Mapping[str, str] = field(default_factory=lambda: dict(N.INCIDENCE_CAVEAT))
    #: the attacker's check of the published tables (:class:`gcdb.disclosure.AttackReport`), when the linked-table
    #: engine protected them
    disclosure_audit: Any = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, in export order (names: :data:`gcdb.services.names.TABLES`)."""
        return {name: getattr(self, name) for name in S.TABLES}

    def to_tidy(
        self,
        directory: str | os.PathLike,
        formats: Sequence[str] = FORMATS,
        *,
        csv_dialect: str = "plain",
        lang: str = "tr",
    ) -> list[Path]:
        """Write every table as CSV and/or Parquet into ``directory``, with ``datapackage.json`` (see
        :func:`gcdb.report.write_tidy`; ``csv_dialect="excel-tr"`` for Turkish Excel)."""
        return write_tidy(self.tables(), directory, formats, csv_dialect=csv_dialect, lang=lang)

    @property
    def under_served(self) -> pd.DataFrame:
        """The under-served groups — the one definition every output uses (console, workbook, tidy ``gaps``)."""
        return self.gaps

    def under_served_count(self, year: int | None = None) -> int:
        """How many groups are under-served (in ``year``, or in every analysed year)."""
        if year is None:
            return len(self.gaps)
        return int((self.gaps[S.FISCAL_YEAR] == year).sum())

    @property
    def has_incidence(self) -> bool:
        """True when benefit incidence was computed (tagged budget and service tags given)."""
        return not self.incidence_actions.empty

    def service_name(self, code: str) -> str:
        """The name of a service code (the code itself when the catalogue has no name)."""
        rows = self.services[self.services[C.SERVICE_CODE].astype("str") == code]
        if rows.empty:
            return code
        name = rows[C.SERVICE_NAME].iloc[0]
        return str(name) if isinstance(name, str) and name else code

    def view(self, view: str, *, service: str | None = None, year: int | None = None) -> pd.DataFrame:
        """The rows of one breakdown ``view`` (optionally of one service and year)."""
        if view not in S.VIEWS:
            from gcdb.errors import UsageError

            raise UsageError(f"unknown view {view!r}; expected one of {', '.join(S.VIEWS)}")
        rows = self.breakdowns[self.breakdowns[S.VIEW] == view]
        if service is not None:
            rows = rows[rows[C.SERVICE_CODE] == service]
        if year is not None:
            rows = rows[rows[S.FISCAL_YEAR] == year]
        return rows.reset_index(drop=True)
