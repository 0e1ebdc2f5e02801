"""Hizmette Eşitlik — equality in services: who uses each service, who does not, and where the gaps are.

The statistics core, in the order of a report:

* :func:`breakdown` — distinct users, uses and quantity by any intersection of sex, age band, disability, migrant
  status, district and neighbourhood, with margins, empty cells as zero;
* :func:`impact_table` — coverage rates per 1,000 with intervals, signed rate ratios and differences against a
  reference group, representation index, four-fifths flag, disclosure control — one fixed table shape
  (columns in :mod:`gcdb.equality.names`);
* :class:`Eligibility`, :func:`eligible_population` — who a service is for, and the denominators that follow
  (age bands pro rata by single years);
* :func:`classify` / :class:`UnderServedRule` — the one definition of an under-served group;
* :func:`heat_measures` / :func:`summary_measures` — WHO HEAT summary measures across districts, neighbourhoods
  or age bands, with standard errors and intervals (SII/RII in both weightings, ACI/RCI);
* :func:`directly_standardised` / :func:`indirectly_standardised` — DSR (Dobson) and ISR (exact/Byar), standard
  population the municipality's own or :func:`esp2013`;
* :func:`suppress` / :func:`display` — primary and secondary suppression with an audit, ``<5`` markers;
* :func:`benefit_incidence` — who receives the spending (Demery), exact to the kuruş;
* :mod:`gcdb.equality.intervals` — Wilson, Poisson exact/Byar, Katz, Newcombe, MOVER intervals.

Methods and references: ``methods.md`` §2–5 of the design notes; each module's docstring states its formulas.
"""

from gcdb.equality import intervals, names
from gcdb.equality.baseline import denominators, select_year
from gcdb.equality.breakdown import breakdown
from gcdb.equality.eligibility import Eligibility, eligible_population, eligible_rows
from gcdb.equality.flags import UnderServedRule, classify, four_fifths
from gcdb.equality.heat import heat_measures, summary_measures
from gcdb.equality.incidence import Incidence, benefit_incidence
from gcdb.equality.names import REST, TOTAL, Reason
from gcdb.equality.ratios import DEFAULT_REFERENCE, impact_table
from gcdb.equality.standardise import directly_standardised, esp2013, indirectly_standardised
from gcdb.equality.suppression import display, suppress

__all__ = [
    # tables
    "breakdown",
    "impact_table",
    "heat_measures",
    "summary_measures",
    "benefit_incidence",
    "Incidence",
    # eligibility and the one definition of under-served
    "Eligibility",
    "eligible_population",
    "eligible_rows",
    "UnderServedRule",
    "classify",
    "four_fifths",
    # standardised rates
    "directly_standardised",
    "indirectly_standardised",
    "esp2013",
    # disclosure control
    "suppress",
    "display",
    # denominators
    "denominators",
    "select_year",
    # vocabulary
    "names",
    "intervals",
    "TOTAL",
    "REST",
    "Reason",
    "DEFAULT_REFERENCE",
]
