"""Plan vs money: money per active plan action, unfunded actions, department gaps and diversion signals.

An action is *active* in a fiscal year when ``year_from ≤ fiscal_year ≤ year_to``. Tagged money is the
scheme-independent ``attributed_<phase>`` of the tag parts; counted money is per scheme reading.

Departments are matched between the plan (``responsible_unit``) and the budget (``unit_name``) by
:func:`department_key`: Turkish folding, punctuation dropped, and the suffixes ``Daire(si) Başkanlığı``, ``DB``,
``(Şube) Müdürlüğü`` removed — so ``Kadın ve Aile Hizmetleri Dairesi Başkanlığı``, ``KADIN VE AİLE HİZMETLERİ DB``
and ``Kadın ve Aile Hizmetleri Müdürlüğü`` all match. An explicit ``unit_map`` (``plan_unit → budget_unit``) takes
precedence for the plan units it lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.budget.inputs import parse_action_codes
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.text import fold, map_distinct

_PUNCTUATION = re.compile(r"[^\w]+")
_SUFFIX = re.compile(
    r"\s+(?:"
    r"(?:dairesi|daire|dai)\s+(?:baskanligi|baskanlik|bsk|bskl|bask)"
    r"|d\s?b"
    r"|(?:sube\s+)?(?:mudurlugu|mudurluk|mud|mdl|md)"
    r")$"
)
_KEY = "_unit_key"
_TAGGED_IN_UNIT = "_tagged_in_unit"


@dataclass(frozen=True)
class DiversionThresholds:
    """Thresholds of the diversion signals (fractions).

    ``revised_down``: flag a tagged line whose revised appropriation is below the initial one by *more* than this
    fraction of the initial (default 20 %); a positive initial appropriation revised to 0 is always flagged.
    ``execution``: flag a tagged line whose expenditure ÷ revised appropriation is *below* this (default 50 %),
    where the revised appropriation is positive.
    """

    revised_down: float = 0.20
    execution: float = 0.50

    def __post_init__(self) -> None:
        for name in ("revised_down", "execution"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 <= value <= 1:
                raise UsageError(Message("budget.threshold", name=name, value=repr(value)))


def department_key(name: str) -> str:
    """Matching key of a department name: folded, punctuation removed, department-type suffixes stripped.

    >>> department_key("KADIN VE AİLE HİZMETLERİ DAİRESİ BAŞKANLIĞI")
    'kadin ve aile hizmetleri'
    >>> department_key("Kadın ve Aile Hizmetleri D.B.")
    'kadin ve aile hizmetleri'
    """
    text = _PUNCTUATION.sub(" ", fold(name)).strip()
    previous = None
    while previous != text:
        previous, text = text, _SUFFIX.sub("", text).strip()
    return text


def action_dims(action_code: pd.Series, plan: pd.DataFrame | None) -> pd.DataFrame:
    """Area and target of each action code: from the plan where it lists the action, else read from the code."""
    dims = parse_action_codes(action_code)
    if plan is None:
        return dims
    by_code = plan.set_index(C.ACTION_CODE)
    area = action_code.map(by_code[C.AREA]).astype("Int64")
    target = action_code.map(by_code[C.TARGET_CODE]).astype("str")
    known = action_code.isin(by_code.index).to_numpy()
    return pd.DataFrame(
        {
            C.AREA: area.where(known, dims[C.AREA]).astype("Int64"),
            C.TARGET_CODE: target.where(known, dims[C.TARGET_CODE]).astype("str"),
        },
        index=action_code.index,
    )


def active_actions(plan: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """Plan rows × fiscal years in which the action is active, ordered by year then plan order."""
    frame = pd.DataFrame({C.FISCAL_YEAR: np.asarray(years, dtype=np.int64)}).merge(plan, how="cross")
    active = (frame[N.YEAR_FROM] <= frame[C.FISCAL_YEAR]) & (frame[C.FISCAL_YEAR] <= frame[N.YEAR_TO])
    return frame[active].reset_index(drop=True)


def _tagged_money(tagged: pd.DataFrame) -> pd.DataFrame:
    """Per (fiscal year, action): attributed sums and the number of distinct tagged lines."""
    money = tagged.groupby([C.FISCAL_YEAR, C.ACTION_CODE], sort=False)[
        [N.attributed(p) for p in N.PHASES]
    ].sum()
    money[N.TAGGED_LINES] = tagged.groupby([C.FISCAL_YEAR, C.ACTION_CODE], sort=False)[C.ROW_ID].nunique()
    return money.reset_index()


def plan_money(
    active: pd.DataFrame, tagged: pd.DataFrame, facts: pd.DataFrame, reading_frame: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Money tagged to each active action, per scheme reading, and the unfunded actions.

    ``tagged``: tag parts with ``fiscal_year``; ``facts``: the parts table; ``reading_frame``: ``scheme, reading,
    _order`` of every reading. Funding is judged per phase (:func:`funding_status`): ``funded_<phase>`` says
    whether the money tagged to the action in that phase is non-zero, and ``funded`` — the action is funded in the
    year — means a non-zero *revised* appropriation, the year's final appropriation: an action whose
    appropriation was revised to 0 and never spent is not funded, whatever its initial appropriation. The
    unfunded actions are the active actions not funded in that sense.
    """
    money = active.merge(_tagged_money(tagged), on=[C.FISCAL_YEAR, C.ACTION_CODE], how="left")
    filled = [N.TAGGED_LINES, *(N.attributed(p) for p in N.PHASES)]
    money[filled] = money[filled].fillna(0).astype("int64")
    money = pd.concat([money, funding_status(money)], axis=1)
    unfunded = N.conform(money[~money[N.FUNDED]], N.UNFUNDED_ACTIONS_COLUMNS)

    counted_cols = [N.counted(p) for p in N.PHASES]
    counted = facts.groupby([C.FISCAL_YEAR, C.SCHEME, N.READING, C.ACTION_CODE], sort=False)[
        counted_cols
    ].sum()
    money["_plan_order"] = np.arange(len(money))
    table = money.merge(reading_frame, how="cross").merge(
        counted.reset_index(), on=[C.FISCAL_YEAR, C.SCHEME, N.READING, C.ACTION_CODE], how="left"
    )
    table[counted_cols] = table[counted_cols].fillna(0).astype("int64")
    table = table.sort_values([C.FISCAL_YEAR, "_order", "_plan_order"], kind="stable")
    return N.conform(table, N.PLAN_MONEY_COLUMNS), unfunded


def funding_status(money: pd.DataFrame) -> pd.DataFrame:
    """Per row of ``attributed_<phase>`` money: ``funded``, ``funded_<phase>`` and the ``funding_status`` code.

    ``funded_<phase>``: the phase's amount is non-zero. ``funded``: ``funded_revised_appropriation``.
    ``funding_status`` (:class:`gcdb.budget.names.FundingStatus`): ``funded`` (revised appropriation and
    expenditure), ``not_spent`` (revised appropriation, no expenditure), ``cut_to_zero`` (an initial appropriation
    revised to zero), ``spent_without_appropriation``, ``unfunded`` (no money in any phase).
    """
    has = {p: money[N.attributed(p)].to_numpy() != 0 for p in N.PHASES}
    initial, revised, spent = (has[p] for p in N.PHASES)
    status = np.select(
        [revised & spent, revised, initial, spent],
        [
            N.FundingStatus.FUNDED.value,
            N.FundingStatus.NOT_SPENT.value,
            N.FundingStatus.CUT_TO_ZERO.value,
            N.FundingStatus.SPENT_WITHOUT_APPROPRIATION.value,
        ],
        default=N.FundingStatus.UNFUNDED.value,
    )
    return pd.DataFrame(
        {
            N.FUNDED: revised,
            **{N.funded(p): has[p] for p in N.PHASES},
            N.FUNDING_STATUS: pd.Series(status, dtype="str", index=money.index),
        },
        index=money.index,
    )


def _plan_keys(active: pd.DataFrame, unit_map: pd.DataFrame | None) -> pd.Series:
    """Department key of each active action's responsible unit (unit_map first, then name matching)."""
    keys = map_distinct(active[N.RESPONSIBLE_UNIT], department_key)
    if unit_map is None or unit_map.empty:
        return keys
    mapped = unit_map.dropna()
    lookup = pd.Series(
        map_distinct(mapped[N.BUDGET_UNIT], department_key).to_numpy(),
        index=map_distinct(mapped[N.PLAN_UNIT], fold).to_numpy(),
    )
    lookup = lookup[~lookup.index.duplicated(keep="first")]
    explicit = map_distinct(active[N.RESPONSIBLE_UNIT], fold).map(lookup).astype("str")
    return explicit.where(explicit.notna(), keys).astype("str")


def department_gaps(
    active: pd.DataFrame, tagged: pd.DataFrame, lines: pd.DataFrame, unit_map: pd.DataFrame | None
) -> pd.DataFrame:
    """Active actions whose responsible department has no budget line tagged to them.

    ``tagged``: tag parts with ``fiscal_year`` and the line's ``unit_name``; ``lines``: the analysed budget lines.
    Reason ``department_not_in_budget`` when no budget line of that year belongs to the department,
    ``no_tagged_line_in_department`` when its lines exist but none is tagged to the action.
    """
    frame = active[active[N.RESPONSIBLE_UNIT].notna()].reset_index(drop=True)
    if frame.empty:
        return N.conform(None, N.DEPARTMENT_GAPS_COLUMNS)
    frame[_KEY] = _plan_keys(frame, unit_map)

    units = lines[[C.FISCAL_YEAR, C.UNIT_NAME]].dropna().drop_duplicates()
    units[_KEY] = map_distinct(units[C.UNIT_NAME], department_key)
    budget_units = (
        units.sort_values(C.UNIT_NAME)
        .groupby([C.FISCAL_YEAR, _KEY], sort=False)[C.UNIT_NAME]
        .agg("|".join)
        .rename(N.BUDGET_UNIT)
        .reset_index()
    )
    in_unit = tagged[[C.FISCAL_YEAR, C.ACTION_CODE, C.ROW_ID, C.UNIT_NAME]].dropna(subset=[C.ACTION_CODE])
    in_unit = in_unit.assign(**{_KEY: map_distinct(in_unit[C.UNIT_NAME], department_key)})
    per_unit = (
        in_unit.groupby([C.FISCAL_YEAR, C.ACTION_CODE, _KEY], sort=False)[C.ROW_ID]
        .nunique()
        .rename(_TAGGED_IN_UNIT)
        .reset_index()
    )
    per_action = (
        in_unit.groupby([C.FISCAL_YEAR, C.ACTION_CODE], sort=False)[C.ROW_ID]
        .nunique()
        .rename(N.TAGGED_LINES)
        .reset_index()
    )
    frame = (
        frame.merge(budget_units, on=[C.FISCAL_YEAR, _KEY], how="left")
        .merge(per_unit, on=[C.FISCAL_YEAR, C.ACTION_CODE, _KEY], how="left")
        .merge(per_action, on=[C.FISCAL_YEAR, C.ACTION_CODE], how="left")
    )
    in_dept = frame[_TAGGED_IN_UNIT].fillna(0).astype("int64")
    frame[N.TAGGED_LINES_ELSEWHERE] = frame[N.TAGGED_LINES].fillna(0).astype("int64") - in_dept
    missing_unit = frame[N.BUDGET_UNIT].isna().to_numpy()
    frame[N.REASON] = np.where(
        missing_unit,
        N.Reason.DEPARTMENT_NOT_IN_BUDGET.value,
        N.Reason.NO_TAGGED_LINE_IN_DEPARTMENT.value,
    )
    gaps = frame[missing_unit | (in_dept.to_numpy() == 0)]
    return N.conform(gaps, N.DEPARTMENT_GAPS_COLUMNS)


def diversion_signals(
    tagged: pd.DataFrame,
    lines: pd.DataFrame,
    plan: pd.DataFrame | None,
    thresholds: DiversionThresholds,
) -> pd.DataFrame:
    """One row per tagged (line, action) and signal; see :class:`gcdb.budget.names.Reason` for the codes.

    Appropriation and execution signals are measured on the line's own amounts; the amounts shown are the
    money tagged to the action on that line. Plan-year signals need the plan.
    """
    money_cols = [N.attributed(p) for p in N.PHASES]
    pairs = tagged.groupby([C.ROW_ID, C.ACTION_CODE], dropna=False, sort=True)[money_cols].sum().reset_index()
    row = pairs[C.ROW_ID].to_numpy(dtype=np.int64)
    for name in (C.FISCAL_YEAR, C.LINE_ID, C.UNIT_NAME, C.DESCRIPTION):
        pairs[name] = lines[name].take(row).reset_index(drop=True)
    initial = lines[C.INITIAL_APPROPRIATION].to_numpy(dtype=np.int64)[row]
    revised = lines[C.REVISED_APPROPRIATION].to_numpy(dtype=np.int64)[row]
    spent = lines[C.EXPENDITURE].to_numpy(dtype=np.int64)[row]
    with np.errstate(divide="ignore", invalid="ignore"):
        fall = np.where(initial > 0, (initial - revised) / np.where(initial > 0, initial, 1), np.nan)
        rate = np.where(revised > 0, spent / np.where(revised > 0, revised, 1), np.nan)

    if plan is not None:
        years = plan.set_index(C.ACTION_CODE)[[N.YEAR_FROM, N.YEAR_TO]]
        pairs[N.YEAR_FROM] = pairs[C.ACTION_CODE].map(years[N.YEAR_FROM]).astype("Int64")
        pairs[N.YEAR_TO] = pairs[C.ACTION_CODE].map(years[N.YEAR_TO]).astype("Int64")
    else:
        pairs[N.YEAR_FROM] = pd.Series(pd.NA, index=pairs.index, dtype="Int64")
        pairs[N.YEAR_TO] = pd.Series(pd.NA, index=pairs.index, dtype="Int64")
    year = pairs[C.FISCAL_YEAR].to_numpy(dtype=np.int64)
    known = pairs[N.YEAR_FROM].notna().to_numpy()
    start = pairs[N.YEAR_FROM].fillna(0).to_numpy(dtype=np.int64)
    end = pairs[N.YEAR_TO].fillna(0).to_numpy(dtype=np.int64)
    has_action = pairs[C.ACTION_CODE].notna().to_numpy()

    nan = np.full(len(pairs), np.nan)
    checks = [
        (N.Reason.REVISED_TO_ZERO, (initial > 0) & (revised == 0), fall, thresholds.revised_down),
        (
            N.Reason.REVISED_DOWN,
            (initial > 0) & (revised > 0) & (fall > thresholds.revised_down),
            fall,
            thresholds.revised_down,
        ),
        (N.Reason.NOT_EXECUTED, (revised > 0) & (rate < thresholds.execution), rate, thresholds.execution),
    ]
    if plan is not None:
        checks += [
            (N.Reason.OUTSIDE_PLAN_YEARS, known & ((year < start) | (year > end)), nan, np.nan),
            (N.Reason.ACTION_NOT_IN_PLAN, has_action & ~known, nan, np.nan),
        ]
    frames = []
    for reason, mask, value, threshold in checks:
        hit = pairs[mask].assign(**{N.SIGNAL: reason.value, N.VALUE: value[mask], N.THRESHOLD: threshold})
        hit["_signal"] = N.SIGNAL_ORDER.index(reason)
        frames.append(hit)
    signals = pd.concat(frames, ignore_index=True)
    signals = signals.sort_values(
        [C.FISCAL_YEAR, "_signal", C.ROW_ID, C.ACTION_CODE], kind="stable", na_position="last"
    )
    return N.conform(signals, N.DIVERSION_COLUMNS)
