"""Names of the equality-in-services analysis: defaults, table names and their fixed column layouts.

Input columns come from :mod:`gcdb.columns`, the statistics' columns from :mod:`gcdb.equality.names`; this module
adds what the orchestration itself publishes. Every table of :class:`~gcdb.services.ServiceAnalysis` has exactly
the columns of its ``*_COLUMNS`` constant, in that order, whatever the data (an empty table included).
"""

from __future__ import annotations

from typing import Final

from gcdb import columns as C
from gcdb.equality import names as N

# ---------------------------------------------------------------------------------------------------------------
# Defaults
# ---------------------------------------------------------------------------------------------------------------
#: Dimensions compared one at a time (each against its reference group, city-wide).
DEFAULT_DIMENSIONS: Final = (C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT)

#: Crossed comparisons ``(compared, *within)``. The first two are the classic tables (women and men in each age
#: band and in each district); the others compare like with like — a district with the rest of the city in the
#: same age band (and sex), disabled with non-disabled residents of the same age, non-citizens with citizens of
#: the same district — because services target age groups and districts differ in age structure, so crude
#: ratios mix real gaps with demography.
DEFAULT_CROSSES: Final = (
    (C.SEX, C.AGE_BAND),
    (C.SEX, C.DISTRICT),
    (C.SEX, C.AGE_BAND, C.DISTRICT),
    (C.DISTRICT, C.AGE_BAND),
    (C.DISTRICT, C.SEX, C.AGE_BAND),
    (C.DISABILITY, C.AGE_BAND),
    (C.MIGRANT_STATUS, C.DISTRICT),
)

#: Dimensions whose categories are often not recorded. Comparisons involving them use the records where the
#: status is known (complete cases): a handful of "unknown" records would otherwise be a small cell in every
#: line and drag the minority group (disabled residents, non-citizens) into secondary suppression.
STATUS_DIMENSIONS: Final = (C.DISABILITY, C.MIGRANT_STATUS)

#: Dimensions the HEAT summary measures are kept for (methods.md §3).
HEAT_DIMENSIONS: Final = (C.DISTRICT, C.NEIGHBOURHOOD, C.AGE_BAND)

#: HEAT measures shown in the workbook, in order (the tidy table has all of them).
HEAT_SHOWN: Final = (
    "D",
    "R",
    "COV",
    "MDMW",
    "IDISW",
    "TI_x1000",
    "MLD_x1000",
    "PAR",
    "PAF",
    "SII",
    "RII",
    "SII_HEAT",
    "RII_HEAT",
    "ACI",
    "RCI",
)

# ---------------------------------------------------------------------------------------------------------------
# Column names added by this package
# ---------------------------------------------------------------------------------------------------------------
FISCAL_YEAR: Final = C.FISCAL_YEAR
VIEW: Final = "view"
RANK: Final = "rank"
STRATUM: Final = "stratum"  # "|"-joined values of the strata dimensions ("" city-wide)
SHARE_WOMEN: Final = "share_women"  # female users ÷ users (fraction)
FEMALE_USERS: Final = "female_users"
SPENDING: Final = N.SPENDING  # kuruş
SERVICES: Final = "services"  # "|"-joined service codes
ACTION_CODES: Final = "action_codes"  # "|"-joined action codes
ALLOCATED: Final = "allocated"
SPENDING_PER_USER: Final = "spending_per_user"  # kuruş, rounded half to even
BY: Final = "by"
UNKNOWN_USERS: Final = "unknown_users"
INELIGIBLE_USERS: Final = "ineligible_users"  # distinct users outside their service's eligible population
CRITERION: Final = "criterion"  # the eligibility criterion a record breaks: age, sex, disability, …
ELIGIBILITY: Final = "eligibility"  # a service's eligibility in words (``age 3-6; sex female``)
N_UNDER_SERVED: Final = "n_under_served"
STANDARD: Final = "standard"  # the standard population of a DSR: own | esp2013
DSR: Final = "dsr"  # directly standardised rate per 1,000 eligible residents
DSR_CI_LOW: Final = "dsr_ci_low"
DSR_CI_HIGH: Final = "dsr_ci_high"
ISR: Final = "isr"  # indirectly standardised ratio (observed ÷ expected at the city's age-band rates)
ISR_CI_LOW: Final = "isr_ci_low"
ISR_CI_HIGH: Final = "isr_ci_high"
ISR_EXPECTED: Final = "isr_expected"  # users expected at the city's rate of every age band
UNKNOWN_SHARE: Final = "unknown_share"
TITLE_EN: Final = "title_en"
TABLE: Final = "table"
CELLS: Final = "cells"
HIDDEN: Final = "hidden"
PRIMARY: Final = N.PRIMARY
SECONDARY: Final = N.SECONDARY
NAME: Final = "name"
VALUE: Final = "value"
SOURCE: Final = "source"
KIND: Final = "kind"

#: The standardised columns the breakdown table carries on its district and neighbourhood rows.
STANDARDISED_SHOWN: Final = (DSR, DSR_CI_LOW, DSR_CI_HIGH, ISR, ISR_CI_LOW, ISR_CI_HIGH)

#: ``view`` values of the breakdown table, each a (compared dimension, strata) pair of the ratio table.
VIEWS: Final[dict[str, tuple[str, str]]] = {
    "sex_age_band": (C.SEX, C.AGE_BAND),
    "sex": (C.SEX, ""),
    "age_band": (C.AGE_BAND, ""),
    "district": (C.DISTRICT, ""),
    "neighbourhood": (C.NEIGHBOURHOOD, ""),
    "disability": (C.DISABILITY, ""),
    "migrant_status": (C.MIGRANT_STATUS, ""),
}

# ---------------------------------------------------------------------------------------------------------------
# Table layouts
# ---------------------------------------------------------------------------------------------------------------
_GROUP_KEYS: Final = (C.SERVICE_CODE, N.DIMENSION, N.STRATA, N.GROUP, *N.DIMENSIONS)

#: The ratio table of every comparison (``gcdb.equality.impact_table`` columns), per fiscal year, with the uses and
#: quantity of each cell and the kind of suppression (``primary`` / ``secondary`` / ``""``).
IMPACT_COLUMNS: Final = (
    FISCAL_YEAR,
    *_GROUP_KEYS,
    N.NUMERATOR,
    N.USERS,
    N.USES,
    N.QUANTITY,
    *N.IMPACT_STATS[2:],  # population … reason
    N.SUPPRESSION,
    N.STATUS,
)
#: Rows of the ratio table that make the report's breakdowns, with the ``view`` they belong to; district and
#: neighbourhood rows also carry their age-standardised rate and ratio (NaN elsewhere).
BREAKDOWN_COLUMNS: Final = (FISCAL_YEAR, VIEW, *IMPACT_COLUMNS[1:], *STANDARDISED_SHOWN)
#: Under-served groups (status ``under_served``, :func:`gcdb.equality.flags.classify`), ranked by the people
#: missing — expected users at the reference rate minus observed users — most first.
GAPS_COLUMNS: Final = (
    RANK,
    FISCAL_YEAR,
    C.SERVICE_CODE,
    N.DIMENSION,
    N.STRATA,
    STRATUM,
    N.GROUP,
    N.REFERENCE_GROUP,
    N.USERS,
    N.POPULATION,
    N.EXPECTED_USERS,
    N.USERS_MISSING,
    N.RATE,
    N.RATE_RATIO,
    N.RATIO_CI_LOW,
    N.RATIO_CI_HIGH,
    N.CI_EXCLUDES_ONE,
    N.RATE_DIFFERENCE,
    N.REPRESENTATION_INDEX,
    N.FLAG,
    N.STATUS,
)
#: Per service and year, the group it reaches least (the first under-served group of the ranking) — the fields
#: of the one sentence a report writes per service; ``status`` is ``under_served``, or ``no_clear_gap`` with the
#: group columns empty when no group is under-served.
REACHED_LEAST_COLUMNS: Final = (
    FISCAL_YEAR,
    C.SERVICE_CODE,
    C.SERVICE_NAME,
    ELIGIBILITY,
    N.STATUS,
    N_UNDER_SERVED,
    N.DIMENSION,
    N.STRATA,
    STRATUM,
    N.GROUP,
    N.REFERENCE_GROUP,
    N.USERS,
    N.POPULATION,
    N.EXPECTED_USERS,
    N.USERS_MISSING,
    N.RATE,
    N.RATE_RATIO,
    N.RATIO_CI_LOW,
    N.RATIO_CI_HIGH,
)
#: Users outside their service's eligible population, per year, service, criterion broken and group (data quality).
INELIGIBLE_COLUMNS: Final = (FISCAL_YEAR, C.SERVICE_CODE, CRITERION, N.GROUP, N.USERS, N.SUPPRESSED)
#: Age-standardised rates of districts and neighbourhoods (per service and year), methods.md §3b.
STANDARDISED_COLUMNS: Final = (
    FISCAL_YEAR,
    VIEW,
    C.SERVICE_CODE,
    C.DISTRICT,
    C.NEIGHBOURHOOD,
    N.USERS,
    N.POPULATION,
    N.RATE,
    STANDARD,
    DSR,
    DSR_CI_LOW,
    DSR_CI_HIGH,
    ISR_EXPECTED,
    ISR,
    ISR_CI_LOW,
    ISR_CI_HIGH,
    N.SUPPRESSED,
    N.REASON,
)

#: Per service and year: distinct users and records inside the eligible population, share of women, eligible
#: residents, users per 1,000 eligible residents, and users outside the eligible population.
HEADLINE_COLUMNS: Final = (
    FISCAL_YEAR,
    C.SERVICE_CODE,
    C.SERVICE_NAME,
    C.UNIT_NAME,
    N.USERS,
    N.USES,
    FEMALE_USERS,
    SHARE_WOMEN,
    N.POPULATION,
    N.RATE,
    INELIGIBLE_USERS,
    N.SUPPRESSED,
)
HEAT_COLUMNS: Final = (FISCAL_YEAR, *N.HEAT_COLUMNS)
#: Executed spending per plan action (attributed expenditure of the tagged budget) and the services linked to it.
INCIDENCE_ACTIONS_COLUMNS: Final = (
    FISCAL_YEAR,
    C.ACTION_CODE,
    SPENDING,
    SERVICES,
    N.USERS,
    ALLOCATED,
    N.REASON,
)
#: Spending attributed to each service (its actions' spending shared by the services' users).
INCIDENCE_SERVICES_COLUMNS: Final = (
    FISCAL_YEAR,
    C.SERVICE_CODE,
    ACTION_CODES,
    SPENDING,
    N.USERS,
    SPENDING_PER_USER,
    N.SUPPRESSED,
    N.REASON,
)
#: Benefit incidence by group (``by`` = ``sex`` or ``district``): Demery, methods.md §5.
INCIDENCE_GROUPS_COLUMNS: Final = (
    FISCAL_YEAR,
    BY,
    N.GROUP,
    N.USERS,
    N.BENEFIT,
    N.BENEFIT_SHARE,
    N.POPULATION,
    N.POPULATION_SHARE,
    N.INCIDENCE_RATIO,
    N.BENEFIT_PER_USER,
    N.BENEFIT_PER_RESIDENT,
    N.SUPPRESSED,
    N.REASON,
)
INCIDENCE_BY_SERVICE_COLUMNS: Final = (
    FISCAL_YEAR,
    BY,
    C.SERVICE_CODE,
    C.ACTION_CODE,
    N.GROUP,
    N.USERS,
    SPENDING,
    N.BENEFIT,
    N.SUPPRESSED,
    N.REASON,
)
#: Users whose category of a dimension is not recorded, per service and year (data quality).
STATUS_COLUMNS: Final = (
    FISCAL_YEAR,
    C.SERVICE_CODE,
    N.DIMENSION,
    N.USERS,
    UNKNOWN_USERS,
    UNKNOWN_SHARE,
    N.SUPPRESSED,
)
#: Cells published and hidden, per table and year (for the methodology sheet).
SUPPRESSION_COLUMNS: Final = (TABLE, FISCAL_YEAR, CELLS, HIDDEN, PRIMARY, SECONDARY)
#: Parameters of the run, as text.
PARAMETERS_COLUMNS: Final = (NAME, VALUE)

#: Table name → columns, in export order (``ServiceAnalysis.tables()``; the indicator table's columns are
#: :data:`gcdb.indicators.INDICATOR_COLUMNS` plus ``title_en`` and ``suppressed``).
TABLES: Final[dict[str, tuple[str, ...] | None]] = {
    "parameters": PARAMETERS_COLUMNS,
    "services": None,
    "headline": HEADLINE_COLUMNS,
    "impact": IMPACT_COLUMNS,
    "breakdowns": BREAKDOWN_COLUMNS,
    "gaps": GAPS_COLUMNS,
    "reached_least": REACHED_LEAST_COLUMNS,
    "standardised": STANDARDISED_COLUMNS,
    "heat": HEAT_COLUMNS,
    "incidence_actions": INCIDENCE_ACTIONS_COLUMNS,
    "incidence_services": INCIDENCE_SERVICES_COLUMNS,
    "incidence_groups": INCIDENCE_GROUPS_COLUMNS,
    "incidence_by_service": INCIDENCE_BY_SERVICE_COLUMNS,
    "indicators": None,
    "unknown_status": STATUS_COLUMNS,
    "ineligible": INELIGIBLE_COLUMNS,
    "suppression": SUPPRESSION_COLUMNS,
}

#: Reason for spending of an action that no service user of the year is linked to (it is not shared out).
NO_LINKED_USERS: Final = "no_linked_users"
