"""Names, dtypes and reason codes of the budget-analysis tables — the one place that spells them.

Every table :func:`gcdb.budget.analyse_budget` returns has the fixed columns listed here (``*_COLUMNS``), in that
order, with the dtypes of :data:`DTYPES`, whether it has rows or not. Money is ``int64`` kuruş; rates and shares are
``float64`` fractions (0.25 = 25 %), NaN where undefined, and an undefined rate carries a reason code
(:class:`Reason`) in the column next to it. Canonical names shared with the rest of gcdb (``fiscal_year``,
``unit_name``, ``action_code`` …) come from :mod:`gcdb.columns`; report labels are in the catalogue (:func:`label`).

Per-phase column families (one column for each of :data:`gcdb.columns.PHASES`):

``budget_<phase>``
    the budget's own amount (all lines of the year, or of the row's department / code);
``attributed_<phase>``
    money tagged to gender equality by the rule engine, by share (scheme-independent);
``counted_<phase>`` / ``not_counted_<phase>``
    the part of the attributed money a weighting scheme counts (weight × attributed, largest-remainder rounded)
    and the rest, so ``counted + not_counted = attributed`` to the kuruş;
``share_<phase>``
    ``counted ÷ budget`` of the same row; ``share_of_total_<phase>``: ``counted ÷`` the year's whole budget.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import pandas as pd

from gcdb import columns as C
from gcdb.i18n import Labels
from gcdb.schemes import DECLARED_SHARE

PHASES: Final = C.PHASES
APPROPRIATION_PHASES: Final = (C.INITIAL_APPROPRIATION, C.REVISED_APPROPRIATION)

# ---------------------------------------------------------------------------------------------------------------
# Column names
# ---------------------------------------------------------------------------------------------------------------
READING: Final = "reading"  # how a scheme is read: "default", or "review" (EU CPR 03* moved to 40 %)
DEFAULT_READING: Final = "default"
REVIEW_READING: Final = "review"

PART_ID: Final = "part_id"  # position of the part in the tag table (0..m-1)
WEIGHT: Final = "weight"  # the scheme's weight of a part, in [0, 1]
PHASE: Final = "phase"  # one of gcdb.columns.PHASES
PREVIOUS_YEAR: Final = "previous_year"

BUDGET_TOTAL: Final = "budget_total"
ATTRIBUTED: Final = "attributed"
COUNTED: Final = "counted"
NOT_COUNTED: Final = "not_counted"
UNTAGGED: Final = C.UNTAGGED
ATTRIBUTED_DIFFERENCE: Final = "attributed_difference"  # budget_total − attributed − untagged (must be 0)
COUNTED_DIFFERENCE: Final = (
    "counted_difference"  # budget_total − counted − not_counted − untagged (must be 0)
)
BALANCED: Final = "balanced"

EXECUTION_RATE: Final = "execution_rate"  # counted expenditure ÷ counted revised appropriation
EXECUTION_RATE_REASON: Final = "execution_rate_reason"

COUNTED_PREVIOUS: Final = "counted_previous"
CHANGE: Final = "change"  # counted − counted_previous, kuruş
RELATIVE_CHANGE: Final = "relative_change"  # change ÷ counted_previous (fraction)
RELATIVE_CHANGE_REASON: Final = "relative_change_reason"

FLOOR: Final = "floor"  # required fraction of appropriations
REQUIRED: Final = "required"  # ceil(floor × budget_total), kuruş
GAP: Final = "gap"  # max(required − counted, 0), kuruş
PASSED: Final = "passed"

TITLE: Final = "title"
YEAR_FROM: Final = "year_from"
YEAR_TO: Final = "year_to"
RESPONSIBLE_UNIT: Final = "responsible_unit"
PLAN_UNIT: Final = "plan_unit"  # unit_map: department name as the plan writes it
BUDGET_UNIT: Final = "budget_unit"  # unit_map / gaps: department name as the budget writes it
TAGGED_LINES: Final = "tagged_lines"  # distinct budget lines with a tag part for the action
TAGGED_LINES_ELSEWHERE: Final = "tagged_lines_elsewhere"  # … on lines of other departments
FUNDED: Final = "funded"  # funded in the revised (final) appropriation of the year
FUNDING_STATUS: Final = "funding_status"  # FundingStatus: what happened to the action's money, phase by phase
REASON: Final = "reason"
SIGNAL: Final = "signal"
VALUE: Final = "value"
THRESHOLD: Final = "threshold"
PARAMETER: Final = "parameter"

FOCUSED_PREFIX: Final = "focused_"
PRINCIPAL_PREFIX: Final = "principal_"


def budget(phase: str) -> str:
    """``budget_<phase>``: the budget's own amount."""
    return "budget_" + phase


def attributed(phase: str) -> str:
    """``attributed_<phase>``: money tagged by share (same name as in the rule engine's tag table)."""
    return C.attributed(phase)


def counted(phase: str) -> str:
    """``counted_<phase>``: the part of the attributed money the scheme counts."""
    return "counted_" + phase


def not_counted(phase: str) -> str:
    """``not_counted_<phase>``: attributed money the scheme does not count."""
    return "not_counted_" + phase


def share(phase: str) -> str:
    """``share_<phase>``: counted ÷ budget of the same row."""
    return "share_" + phase


def share_of_total(phase: str) -> str:
    """``share_of_total_<phase>``: counted ÷ the fiscal year's whole budget."""
    return "share_of_total_" + phase


def focused(phase: str) -> str:
    """``focused_<phase>``: full amount of parts a full-amount scheme counts (OECD DAC scored 1 or 2)."""
    return FOCUSED_PREFIX + phase


def funded(phase: str) -> str:
    """``funded_<phase>``: whether the money tagged to the action in that phase is non-zero."""
    return "funded_" + phase


def principal(phase: str) -> str:
    """``principal_<phase>``: full amount of parts scored principal (OECD DAC 2)."""
    return PRINCIPAL_PREFIX + phase


#: OECD DAC / IATI policy-significance code of a *principal* gender objective.
PRINCIPAL_CATEGORY: Final = "2"

# ---------------------------------------------------------------------------------------------------------------
# Reason codes (stable strings)
# ---------------------------------------------------------------------------------------------------------------


class Reason(StrEnum):
    """Why a rate is undefined, or why a row was flagged. The value appears in ``*_reason``/``signal`` columns."""

    ZERO_REVISED_APPROPRIATION = "zero_revised_appropriation"  # execution rate undefined
    ZERO_PREVIOUS_YEAR = "zero_previous_year"  # relative change undefined
    # diversion signals
    REVISED_DOWN = "revised_down"  # revised appropriation below initial by more than the threshold
    REVISED_TO_ZERO = "revised_to_zero"  # positive initial appropriation revised to 0
    NOT_EXECUTED = "not_executed"  # expenditure ÷ revised appropriation below the threshold (revised > 0)
    OUTSIDE_PLAN_YEARS = "outside_plan_years"  # fiscal year outside the action's year_from–year_to
    ACTION_NOT_IN_PLAN = "action_not_in_plan"  # tagged action code absent from the plan
    # department gaps
    DEPARTMENT_NOT_IN_BUDGET = "department_not_in_budget"  # no budget line of the responsible department
    NO_TAGGED_LINE_IN_DEPARTMENT = "no_tagged_line_in_department"  # department has lines, none tagged to it


class FundingStatus(StrEnum):
    """An active action's money in one fiscal year, judged per phase (initial, revised, expenditure)."""

    FUNDED = "funded"  # revised appropriation and expenditure (with or without an initial appropriation)
    NOT_SPENT = "not_spent"  # revised appropriation, no expenditure
    CUT_TO_ZERO = "cut_to_zero"  # initial appropriation revised to zero
    SPENT_WITHOUT_APPROPRIATION = "spent_without_appropriation"  # expenditure with no appropriation left
    UNFUNDED = "unfunded"  # no money in any phase


#: Order in which diversion signals are listed.
SIGNAL_ORDER: Final = (
    Reason.REVISED_TO_ZERO,
    Reason.REVISED_DOWN,
    Reason.NOT_EXECUTED,
    Reason.OUTSIDE_PLAN_YEARS,
    Reason.ACTION_NOT_IN_PLAN,
)

# ---------------------------------------------------------------------------------------------------------------
# Table layouts
# ---------------------------------------------------------------------------------------------------------------
KEYS: Final = (C.FISCAL_YEAR, C.SCHEME, READING)
_ATTRIBUTED: Final = tuple(attributed(p) for p in PHASES)
_COUNTED: Final = tuple(counted(p) for p in PHASES)
_NOT_COUNTED: Final = tuple(not_counted(p) for p in PHASES)
_BUDGET: Final = tuple(budget(p) for p in PHASES)
_SHARE: Final = tuple(share(p) for p in PHASES)
_SHARE_OF_TOTAL: Final = tuple(share_of_total(p) for p in PHASES)
_EXECUTION: Final = (EXECUTION_RATE, EXECUTION_RATE_REASON)
_PLAN_ACTION: Final = (C.ACTION_CODE, C.AREA, C.TARGET_CODE, TITLE, RESPONSIBLE_UNIT, YEAR_FROM, YEAR_TO)

#: One row per tag part × scheme reading: the weight and the counted split of the part's money.
PARTS_COLUMNS: Final = (
    C.FISCAL_YEAR,
    C.SCHEME,
    READING,
    PART_ID,
    C.ROW_ID,
    C.LINE_ID,
    C.RULE_ID,
    C.ACTION_CODE,
    C.CATEGORY,
    DECLARED_SHARE,
    C.SHARE,
    WEIGHT,
    *_ATTRIBUTED,
    *_COUNTED,
    *_NOT_COUNTED,
)

#: One row per fiscal year × scheme reading: the headline figures.
SUMMARY_COLUMNS: Final = (*KEYS, *_BUDGET, *_ATTRIBUTED, *_COUNTED, *_SHARE_OF_TOTAL, *_EXECUTION)

#: One row per fiscal year × scheme reading × category of that scheme (NA: parts the scheme gives no category).
BY_CATEGORY_COLUMNS: Final = (*KEYS, C.CATEGORY, *_ATTRIBUTED, *_COUNTED)

#: One row per fiscal year × full-amount scheme (OECD DAC): gender-focused and principal totals, in full.
GENDER_FOCUSED_COLUMNS: Final = (
    C.FISCAL_YEAR,
    C.SCHEME,
    *(focused(p) for p in PHASES),
    *(principal(p) for p in PHASES),
)

_PLAN_BREAKDOWN_TAIL: Final = (*_ATTRIBUTED, *_COUNTED, *_SHARE_OF_TOTAL, *_EXECUTION)
_LINE_BREAKDOWN_TAIL: Final = (*_BUDGET, *_ATTRIBUTED, *_COUNTED, *_SHARE, *_SHARE_OF_TOTAL, *_EXECUTION)

#: Breakdowns by plan dimension (tagged money only; NA key = parts without an action).
BY_AREA_COLUMNS: Final = (*KEYS, C.AREA, *_PLAN_BREAKDOWN_TAIL)
BY_TARGET_COLUMNS: Final = (*KEYS, C.AREA, C.TARGET_CODE, *_PLAN_BREAKDOWN_TAIL)
BY_ACTION_COLUMNS: Final = (*KEYS, C.AREA, C.TARGET_CODE, C.ACTION_CODE, *_PLAN_BREAKDOWN_TAIL)
#: Breakdowns by budget-line dimension: every key of the year's budget, with its own budget totals.
BY_DEPARTMENT_COLUMNS: Final = (*KEYS, C.UNIT_NAME, *_LINE_BREAKDOWN_TAIL)
BY_FUNCTIONAL_COLUMNS: Final = (*KEYS, C.FUNCTIONAL_CODE, *_LINE_BREAKDOWN_TAIL)
BY_ECONOMIC_COLUMNS: Final = (*KEYS, C.ECONOMIC_CODE, *_LINE_BREAKDOWN_TAIL)
BY_FINANCING_COLUMNS: Final = (*KEYS, C.FINANCING_TYPE, *_LINE_BREAKDOWN_TAIL)

#: Consecutive years only: one row per fiscal year × scheme reading × phase.
YEAR_OVER_YEAR_COLUMNS: Final = (
    C.FISCAL_YEAR,
    PREVIOUS_YEAR,
    C.SCHEME,
    READING,
    PHASE,
    COUNTED,
    COUNTED_PREVIOUS,
    CHANGE,
    RELATIVE_CHANGE,
    RELATIVE_CHANGE_REASON,
)

#: Floor check on appropriations: one row per fiscal year × scheme reading × appropriation phase.
FLOOR_CHECK_COLUMNS: Final = (*KEYS, PHASE, BUDGET_TOTAL, COUNTED, FLOOR, REQUIRED, GAP, PASSED)

#: Plan vs money: one row per fiscal year × action active that year × scheme reading.
_FUNDED: Final = (FUNDED, *(funded(p) for p in PHASES), FUNDING_STATUS)
PLAN_MONEY_COLUMNS: Final = (*KEYS, *_PLAN_ACTION, TAGGED_LINES, *_ATTRIBUTED, *_COUNTED, *_FUNDED)
#: Actions active in the fiscal year with no revised appropriation tagged to them (no part, only zero amounts, or
#: an initial appropriation revised to zero), with the money of each phase and the funding status.
UNFUNDED_ACTIONS_COLUMNS: Final = (C.FISCAL_YEAR, *_PLAN_ACTION, TAGGED_LINES, *_ATTRIBUTED, *_FUNDED)
#: Responsible departments whose budget has no line tagged to their active action.
DEPARTMENT_GAPS_COLUMNS: Final = (
    C.FISCAL_YEAR,
    RESPONSIBLE_UNIT,
    BUDGET_UNIT,
    C.ACTION_CODE,
    C.AREA,
    C.TARGET_CODE,
    TITLE,
    REASON,
    TAGGED_LINES_ELSEWHERE,
)
#: Diversion signals: one row per tagged line × action × signal. ``value`` is the measured fraction (fall of the
#: appropriation, execution rate) on the line's own amounts; NaN for plan-year signals.
DIVERSION_COLUMNS: Final = (
    C.FISCAL_YEAR,
    C.ROW_ID,
    C.LINE_ID,
    C.UNIT_NAME,
    C.DESCRIPTION,
    C.ACTION_CODE,
    SIGNAL,
    *_ATTRIBUTED,
    VALUE,
    THRESHOLD,
    YEAR_FROM,
    YEAR_TO,
)

#: Per fiscal year × phase × scheme reading: budget = attributed + untagged = counted + not counted + untagged.
RECONCILIATION_COLUMNS: Final = (
    C.FISCAL_YEAR,
    PHASE,
    C.SCHEME,
    READING,
    BUDGET_TOTAL,
    ATTRIBUTED,
    UNTAGGED,
    COUNTED,
    NOT_COUNTED,
    ATTRIBUTED_DIFFERENCE,
    COUNTED_DIFFERENCE,
    BALANCED,
)

#: The analysis parameters, as text (for the export's provenance).
PARAMETERS_COLUMNS: Final = (PARAMETER, VALUE)

# ---------------------------------------------------------------------------------------------------------------
# Dtypes
# ---------------------------------------------------------------------------------------------------------------
_MONEY = (
    *_ATTRIBUTED,
    *_COUNTED,
    *_NOT_COUNTED,
    *_BUDGET,
    *(focused(p) for p in PHASES),
    *(principal(p) for p in PHASES),
    BUDGET_TOTAL,
    ATTRIBUTED,
    UNTAGGED,
    COUNTED,
    NOT_COUNTED,
    ATTRIBUTED_DIFFERENCE,
    COUNTED_DIFFERENCE,
    COUNTED_PREVIOUS,
    CHANGE,
    REQUIRED,
    GAP,
)
_FLOAT = (
    *_SHARE,
    *_SHARE_OF_TOTAL,
    EXECUTION_RATE,
    RELATIVE_CHANGE,
    FLOOR,
    WEIGHT,
    C.SHARE,
    DECLARED_SHARE,
    THRESHOLD,
)
_TEXT = (
    C.SCHEME,
    READING,
    C.RULE_ID,
    C.ACTION_CODE,
    C.TARGET_CODE,
    C.CATEGORY,
    TITLE,
    RESPONSIBLE_UNIT,
    BUDGET_UNIT,
    C.UNIT_NAME,
    C.DESCRIPTION,
    C.FUNCTIONAL_CODE,
    C.ECONOMIC_CODE,
    C.FINANCING_TYPE,
    PHASE,
    EXECUTION_RATE_REASON,
    RELATIVE_CHANGE_REASON,
    REASON,
    SIGNAL,
    PARAMETER,
    FUNDING_STATUS,
)

#: dtype of every column name used in the tables. ``line_id`` keeps the budget's own dtype; ``value`` is float64
#: except in the parameters table (text).
DTYPES: Final[dict[str, str]] = {
    **dict.fromkeys(_MONEY, "int64"),
    **dict.fromkeys(_FLOAT, "float64"),
    **dict.fromkeys(_TEXT, "str"),
    C.FISCAL_YEAR: "int64",
    PREVIOUS_YEAR: "int64",
    PART_ID: "int64",
    C.ROW_ID: "int64",
    TAGGED_LINES: "int64",
    TAGGED_LINES_ELSEWHERE: "int64",
    C.AREA: "Int64",
    YEAR_FROM: "Int64",
    YEAR_TO: "Int64",
    FUNDED: "bool",
    **{funded(p): "bool" for p in PHASES},
    PASSED: "bool",
    BALANCED: "bool",
    VALUE: "float64",
}

# ---------------------------------------------------------------------------------------------------------------
# Report labels (Turkish, English): in the translation catalogue
# ---------------------------------------------------------------------------------------------------------------
#: Report labels ``name → (Turkish, English)``, read from the translation catalogue (``budget.label.<name>`` keys of
#: ``gcdb/locale/*/LC_MESSAGES/gcdb.po``).
LABELS: Final = Labels("budget.label")


def label(name: str, lang: str | None = None) -> str:
    """The report label of a budget-analysis name in ``lang`` (default: the current language); the name itself
    when it has none."""
    from gcdb.i18n import optional

    return optional(f"budget.label.{name}", str(name), lang)


def conform(frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """Return ``frame`` with exactly ``columns``, in order, cast to :data:`DTYPES` (an empty table if None)."""
    if frame is None:
        frame = pd.DataFrame({name: pd.Series([], dtype=DTYPES.get(name, "object")) for name in columns})
    missing = [name for name in columns if name not in frame.columns]
    if missing:  # programming error inside gcdb.budget, not a user error
        raise KeyError(f"table is missing columns {missing}")
    out = frame.loc[:, list(columns)].reset_index(drop=True)
    current = dict(zip(out.columns, map(str, out.dtypes), strict=True))
    casts = {name: DTYPES[name] for name in columns if name in DTYPES and current[name] != DTYPES[name]}
    return out.astype(casts) if casts else out
