"""Names of the equality tables: output columns, marker values, reason codes, flags and report labels.

Every table ``gcdb.equality`` returns uses these constants; nothing else spells them. Input columns come from
:mod:`gcdb.columns`.

Marker values
-------------
:data:`TOTAL` (``"(total)"``) fills a dimension column on margin rows: the row aggregates every category of that
dimension. :data:`REST` (``"(rest)"``) as a reference group means *all other groups of the dimension (within the
same stratum) that have a population baseline, pooled*. Both are in parentheses so they can never collide with a
real district or neighbourhood name; reports show them through :func:`label` as "Toplam" and "Diğer gruplar".

The fixed ratio table (:func:`gcdb.equality.impact_table`)
-----------------------------------------------------------
========================= ==================================================================================
column                    meaning
========================= ==================================================================================
``service_code``          the service, or :data:`TOTAL` when all services are pooled
``dimension``             the compared dimension (a canonical name, e.g. ``sex``)
``strata``                ``"|"``-joined dimensions the comparison is made *within* (``""`` for the whole city)
``group``                 the compared group's value of ``dimension`` (same as that dimension's column)
``sex`` … ``neighbourhood`` one column per dimension used; ``<NA>`` where the row does not split by it
``numerator``             what ``users`` counts: ``users`` (distinct persons), ``uses`` (records) or ``quantity``
``users``                 the numerator (Int64 for persons/uses, Float64 for quantity); ``<NA>`` when suppressed
``population``            denominator from the population baseline (Float64); ``<NA>`` with a ``no_baseline`` reason
``rate``                  users per ``scale`` residents (default per 1,000)
``rate_ci_low/high``      Wilson (persons) or Poisson exact/Byar (uses) interval, same unit as ``rate``
``reference_group``       value of the reference group, or :data:`REST`
``rate_ratio``            r_g / r_ref, signed (not folded to ≤ 1)
``ratio_ci_low/high``     Katz log interval (persons) or Poisson log interval (uses); with no user in the group,
                          0 … exact Poisson upper limit of a zero count ÷ expected users
``ci_excludes_one``       True when the ratio interval lies entirely above or below 1 (nullable boolean)
``rate_difference``       r_g − r_ref, in rate units (per 1,000)
``rd_ci_low/high``        Newcombe hybrid-score interval (persons) or MOVER with Poisson limits (uses)
``representation_index``  s_g / p_g = r_g / r̄, r̄ the pooled rate of the groups with a baseline
``expected_users``        users the group would have at the reference rate: population × r_ref
``users_missing``         expected_users − users (negative: more users than at the reference rate)
``flag``                  ``under`` (RR < 0.8), ``over`` (RR > 1.25), ``""`` otherwise, ``<NA>`` if RR is undefined,
                          ``not_eligible`` for a group outside the service's eligible population (decided exactly,
                          see :mod:`gcdb.equality.flags`)
``suppressed``            True when this row's count is hidden by disclosure control
``reason``                ``";"``-joined codes explaining every NaN in the row (see :class:`Reason`)
========================= ==================================================================================
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from gcdb import columns as C

# ---------------------------------------------------------------------------------------------------------------
# Marker values
# ---------------------------------------------------------------------------------------------------------------
TOTAL: Final = "(total)"
REST: Final = "(rest)"

# ---------------------------------------------------------------------------------------------------------------
# Dimensions that breakdowns and ratio tables accept, in display order
# ---------------------------------------------------------------------------------------------------------------
DIMENSIONS: Final = (C.SEX, C.AGE_BAND, C.DISABILITY, C.MIGRANT_STATUS, C.DISTRICT, C.NEIGHBOURHOOD)
#: A dimension that only makes sense inside its parent (neighbourhood names repeat across districts).
NESTED_IN: Final = {C.NEIGHBOURHOOD: C.DISTRICT}
#: Dimensions whose categories have a natural order (SII/RII apply).
ORDERED_DIMENSIONS: Final = (C.AGE_BAND,)

# ---------------------------------------------------------------------------------------------------------------
# Count columns
# ---------------------------------------------------------------------------------------------------------------
USERS: Final = "users"  # distinct persons (person_id) in the cell
USES: Final = "uses"  # records (rows) in the cell
QUANTITY: Final = C.QUANTITY  # summed quantity
MEASURES: Final = (USERS, USES, QUANTITY)

# ---------------------------------------------------------------------------------------------------------------
# Ratio table columns
# ---------------------------------------------------------------------------------------------------------------
SERVICE: Final = C.SERVICE_CODE
DIMENSION: Final = "dimension"
STRATA: Final = "strata"
GROUP: Final = "group"
NUMERATOR: Final = "numerator"
POPULATION: Final = C.POPULATION
RATE: Final = "rate"
RATE_CI_LOW: Final = "rate_ci_low"
RATE_CI_HIGH: Final = "rate_ci_high"
REFERENCE_GROUP: Final = "reference_group"
RATE_RATIO: Final = "rate_ratio"
RATIO_CI_LOW: Final = "ratio_ci_low"
RATIO_CI_HIGH: Final = "ratio_ci_high"
CI_EXCLUDES_ONE: Final = "ci_excludes_one"
RATE_DIFFERENCE: Final = "rate_difference"
RD_CI_LOW: Final = "rd_ci_low"
RD_CI_HIGH: Final = "rd_ci_high"
REPRESENTATION_INDEX: Final = "representation_index"
EXPECTED_USERS: Final = "expected_users"
USERS_MISSING: Final = "users_missing"
FLAG: Final = "flag"
STATUS: Final = "status"
SUPPRESSED: Final = "suppressed"
SUPPRESSION: Final = "suppression"  # "primary" / "secondary" / "" (suppression tables only)
REASON: Final = "reason"

#: Statistic columns of the ratio table, after the group columns, in order.
IMPACT_STATS: Final = (
    NUMERATOR,
    USERS,
    POPULATION,
    RATE,
    RATE_CI_LOW,
    RATE_CI_HIGH,
    REFERENCE_GROUP,
    RATE_RATIO,
    RATIO_CI_LOW,
    RATIO_CI_HIGH,
    CI_EXCLUDES_ONE,
    RATE_DIFFERENCE,
    RD_CI_LOW,
    RD_CI_HIGH,
    REPRESENTATION_INDEX,
    EXPECTED_USERS,
    USERS_MISSING,
    FLAG,
    SUPPRESSED,
    REASON,
)
#: Columns derived from a row's own count: hidden with it.
OWN_DERIVED: Final = (RATE, RATE_CI_LOW, RATE_CI_HIGH, REPRESENTATION_INDEX)
#: Columns derived from the comparison with the reference group.
COMPARISON_DERIVED: Final = (RATE_RATIO, RATIO_CI_LOW, RATIO_CI_HIGH, RATE_DIFFERENCE, RD_CI_LOW, RD_CI_HIGH)

# four-fifths flag
UNDER: Final = "under"
OVER: Final = "over"
WITHIN: Final = ""
NOT_ELIGIBLE: Final = "not_eligible"
FOUR_FIFTHS_LOW: Final = 0.8
FOUR_FIFTHS_HIGH: Final = 1.25

# suppression kinds
PRIMARY: Final = "primary"
SECONDARY: Final = "secondary"

# ---------------------------------------------------------------------------------------------------------------
# HEAT summary table
# ---------------------------------------------------------------------------------------------------------------
MEASURE: Final = "measure"
VALUE: Final = "value"
SE: Final = "se"  # standard error (of the natural log for ratios: R, R_ref, RII, RII_HEAT)
CI_LOW: Final = "ci_low"
CI_HIGH: Final = "ci_high"
N_GROUPS: Final = "n_groups"
HEAT_COLUMNS: Final = (
    SERVICE,
    DIMENSION,
    STRATA,
    "stratum",
    MEASURE,
    VALUE,
    SE,
    CI_LOW,
    CI_HIGH,
    REFERENCE_GROUP,
    N_GROUPS,
    REASON,
)
#: HEAT measure codes in the order the summary lists them.
HEAT_MEASURES: Final = (
    "D",
    "R",
    "D_ref",
    "R_ref",
    "BGV",
    "BGSD",
    "COV",
    "MDMW",
    "MDMU",
    "MDBW",
    "MDBU",
    "MDRW",
    "MDRU",
    "IDISU",
    "IDISW",
    "TI",
    "TI_x1000",
    "MLD",
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
# Benefit incidence
# ---------------------------------------------------------------------------------------------------------------
SPENDING: Final = "spending"  # kuruş attributed to a service (input)
BENEFIT: Final = "benefit"  # kuruş of the service's spending that reaches the group
BENEFIT_SHARE: Final = "benefit_share"
POPULATION_SHARE: Final = "population_share"
INCIDENCE_RATIO: Final = "incidence_ratio"  # benefit share / population share
BENEFIT_PER_USER: Final = "benefit_per_user"  # kuruş, rounded half to even
BENEFIT_PER_RESIDENT: Final = "benefit_per_resident"  # kuruş, rounded half to even

INCIDENCE_CAVEAT: Final = {
    "tr": (
        "Fayda dağılımı analizi (Demery), bir hizmetin harcamasını o hizmetten yararlananlara eşit paylaştırır: "
        "her yararlanıcı için birim maliyetin aynı olduğunu varsayar. Gerçekte maliyet kişiden kişiye, "
        "ilçeden ilçeye değişebilir; sonuçlar kimin ne kadar harcamaya eriştiğinin bir tahminidir, ölçümü değildir."
    ),
    "en": (
        "Benefit incidence (Demery) shares each service's spending equally among its users: it assumes the same "
        "unit cost for every user of a service. Real costs differ between persons and districts; the results "
        "estimate who the spending reaches, they do not measure it."
    ),
}


class Status(StrEnum):
    """The one classification of a group (:func:`gcdb.equality.flags.classify`), used by every table and report."""

    UNDER_SERVED = "under_served"  # enough people, and the ratio's interval lies below the threshold
    OVER_SERVED = "over_served"  # enough people, and the ratio's interval lies above 1 / threshold
    NO_CLEAR_GAP = "no_clear_gap"  # enough people, and the interval reaches the threshold
    TOO_FEW = "too_few"  # fewer eligible residents or expected users than the rule asks for
    NOT_ELIGIBLE = "not_eligible"  # outside the service's eligible population
    SUPPRESSED = "suppressed"  # the count is hidden by disclosure control
    REFERENCE = "reference"  # the reference group itself
    UNDEFINED = "undefined"  # no comparison (no reference rate, no population …)


class Reason(StrEnum):
    """Why a value is NaN. Codes are stable; ``no_baseline`` carries the dimension: ``no_baseline:disability``."""

    ZERO_POPULATION = "zero_population"  # the group's population is 0: its rate is undefined
    NO_BASELINE = "no_baseline"  # the population baseline cannot give this group's denominator
    USERS_EXCEED_POPULATION = "users_exceed_population"  # a proportion above 1: binomial intervals undefined
    NO_REFERENCE_RATE = (
        "no_reference_rate"  # the reference group has no rate (no baseline, zero population …)
    )
    ZERO_REFERENCE_RATE = "zero_reference_rate"  # the reference rate is 0: the ratio is undefined
    ZERO_USERS = "zero_users"  # a zero count on either side: the log-scale ratio interval is undefined
    IS_REFERENCE = "is_reference"  # the row is the reference group itself: no interval for 1 vs itself
    SUPPRESSED = "suppressed"  # this row's count is hidden by disclosure control
    REFERENCE_SUPPRESSED = "reference_suppressed"  # the reference group's count is hidden
    TOTAL_SUPPRESSED = "total_suppressed"  # the pooled total behind REST / representation index is hidden
    NO_INTERVAL = "no_interval"  # quantities (hours, aid amounts) have no sampling model: point values only
    NOT_ELIGIBLE = "not_eligible"  # the group is outside the service's eligible population: no rate is taken
    # HEAT summaries
    FEWER_THAN_TWO_GROUPS = "fewer_than_two_groups"
    ZERO_RATE = "zero_rate"  # a ratio or logarithm of a zero rate
    ZERO_MEAN = "zero_mean"
    NO_REFERENCE_GROUP = "no_reference_group"
    NOT_ORDERED = "not_ordered"
    NOT_CONVERGED = "not_converged"
    NOT_BINOMIAL = "not_binomial"  # the HEAT weighting of SII/RII is a binomial model: not for uses


def no_baseline(dimension: str) -> str:
    """Reason code for a group whose denominator the baseline cannot give, e.g. ``no_baseline:disability``."""
    return f"{Reason.NO_BASELINE}:{dimension}"


# ---------------------------------------------------------------------------------------------------------------
# Report labels (Turkish first)
# ---------------------------------------------------------------------------------------------------------------
LABELS: Final[dict[str, tuple[str, str]]] = {
    TOTAL: ("Toplam", "Total"),
    REST: ("Diğer gruplar", "All other groups"),
    DIMENSION: ("Boyut", "Dimension"),
    STRATA: ("Katman", "Within"),
    GROUP: ("Grup", "Group"),
    NUMERATOR: ("Sayılan", "Counted"),
    USERS: ("Yararlanıcı", "Users"),
    USES: ("Kullanım", "Uses"),
    RATE: ("Oran (binde)", "Rate (per 1,000)"),
    RATE_CI_LOW: ("Oran GA alt", "Rate CI low"),
    RATE_CI_HIGH: ("Oran GA üst", "Rate CI high"),
    REFERENCE_GROUP: ("Referans grup", "Reference group"),
    RATE_RATIO: ("Oran oranı", "Rate ratio"),
    RATIO_CI_LOW: ("Oran oranı GA alt", "Ratio CI low"),
    RATIO_CI_HIGH: ("Oran oranı GA üst", "Ratio CI high"),
    CI_EXCLUDES_ONE: ("GA 1'i dışlıyor", "CI excludes 1"),
    RATE_DIFFERENCE: ("Oran farkı (binde)", "Rate difference (per 1,000)"),
    RD_CI_LOW: ("Fark GA alt", "Difference CI low"),
    RD_CI_HIGH: ("Fark GA üst", "Difference CI high"),
    REPRESENTATION_INDEX: ("Temsil endeksi", "Representation index"),
    FLAG: ("Beşte dört işareti", "Four-fifths flag"),
    UNDER: ("Eksik hizmet", "Under-served"),
    OVER: ("Fazla hizmet", "Over-served"),
    NOT_ELIGIBLE: ("Uygun değil", "Not eligible"),
    STATUS: ("Durum", "Status"),
    EXPECTED_USERS: ("Beklenen yararlanıcı", "Expected users"),
    USERS_MISSING: ("Eksik kişi", "People missing"),
    Status.UNDER_SERVED: ("Eksik hizmet", "Under-served"),
    Status.OVER_SERVED: ("Fazla hizmet", "Over-served"),
    Status.NO_CLEAR_GAP: ("Belirgin fark yok", "No clear gap"),
    Status.TOO_FEW: ("Kişi sayısı yetersiz", "Too few people"),
    Status.REFERENCE: ("Referans grup", "Reference group"),
    Status.UNDEFINED: ("Hesaplanamaz", "Undefined"),
    SUPPRESSED: ("Gizlendi", "Suppressed"),
    REASON: ("Neden", "Reason"),
    MEASURE: ("Ölçü", "Measure"),
    VALUE: ("Değer", "Value"),
    N_GROUPS: ("Grup sayısı", "Number of groups"),
    SE: ("Standart hata", "Standard error"),
    CI_LOW: ("GA alt", "CI low"),
    CI_HIGH: ("GA üst", "CI high"),
    BENEFIT: ("Fayda (kuruş)", "Benefit (kuruş)"),
    BENEFIT_SHARE: ("Fayda payı", "Benefit share"),
    POPULATION_SHARE: ("Nüfus payı", "Population share"),
    INCIDENCE_RATIO: ("Fayda/nüfus payı oranı", "Benefit share / population share"),
    BENEFIT_PER_USER: ("Yararlanıcı başına (kuruş)", "Per user (kuruş)"),
    BENEFIT_PER_RESIDENT: ("Kişi başına (kuruş)", "Per resident (kuruş)"),
}

SUPPRESSION_LEGEND: Final = {
    "tr": "<{k}: 1–{km1} kişi, kimlik korunması için gizlendi · *: toplamlardan hesaplanmasın diye ayrıca gizlendi",
    "en": "<{k}: 1–{km1} persons, hidden to protect identities · *: also hidden so it cannot be derived from totals",
}


def label(name: str, lang: str = "tr") -> str:
    """Report label of an equality name or marker; falls back to :func:`gcdb.columns.label`."""
    pair = LABELS.get(name)
    if pair is None:
        return C.label(name, lang)
    if lang not in ("tr", "en"):
        raise ValueError(f"lang must be 'tr' or 'en', got {lang!r}")
    return pair[0] if lang == "tr" else pair[1]
