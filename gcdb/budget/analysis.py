"""The TCDB analysis: counted gender-equality money per scheme, year and phase, its breakdowns, year-over-year
change, the floor check, plan vs money, and the reconciliation that proves it adds up.

Entry point: :func:`analyse_budget`. Breakdowns are exact int64 group sums over the parts table
(:func:`gcdb.budget.attribute.count_parts`, :mod:`gcdb.budget.aggregate`); string work runs on distinct values
only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import partial

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.budget.aggregate import FACT_MONEY, Facts, breakdown, group_codes, ratio, sum_by
from gcdb.budget.attribute import Reading, count_parts, readings
from gcdb.budget.inputs import prepare_budget, prepare_plan, prepare_tags, prepare_unit_map, resolve_schemes
from gcdb.budget.plan import (
    DiversionThresholds,
    action_dims,
    active_actions,
    department_gaps,
    diversion_signals,
    plan_money,
)
from gcdb.budget.reconcile import check_reconciliation, check_summary, reconciliation
from gcdb.budget.result import BudgetAnalysis
from gcdb.errors import UsageError
from gcdb.i18n import Message, speaks, t
from gcdb.schemes import Scheme, SchemeSet, load_schemes

_ORDER = "_order"
_ECONOMIC_1 = "_economic_1"
_ECONOMIC_2 = "_economic_2"


def truncate_code(codes: pd.Series, level: int) -> pd.Series:
    """The first ``level`` dot-separated parts of each code (``10.4.0.00``, level 2 → ``10.4``), on distinct values."""
    index, uniques = pd.factorize(codes, use_na_sentinel=True)
    cut = pd.Series(uniques, dtype="str").str.split(".").str[:level].str.join(".")
    mapped = np.append(cut.to_numpy(dtype=object), [None])
    return pd.Series(mapped[index], index=codes.index, dtype="str", name=codes.name)


def _reading_frame(all_readings: tuple[Reading, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.SCHEME: pd.Series([r.scheme.id for r in all_readings], dtype="str"),
            N.READING: pd.Series([r.name for r in all_readings], dtype="str"),
            _ORDER: np.arange(len(all_readings)),
        }
    )


def _facts(parts: pd.DataFrame, tags_in: pd.DataFrame, reading_frame: pd.DataFrame) -> Facts:
    """Dense view of the parts table; part and reading positions are looked up, not assumed from the layout."""
    readings_index = pd.MultiIndex.from_frame(reading_frame[[C.SCHEME, N.READING]])
    return Facts.build(
        part=np.searchsorted(tags_in[N.PART_ID].to_numpy(), parts[N.PART_ID].to_numpy()),
        reading=readings_index.get_indexer(pd.MultiIndex.from_frame(parts[[C.SCHEME, N.READING]])),
        values=parts[list(FACT_MONEY)].to_numpy(dtype=np.int64),
        n_parts=len(tags_in),
        readings=list(zip(reading_frame[C.SCHEME], reading_frame[N.READING], strict=True)),
    )


def _line_breakdown(
    lines_in: pd.DataFrame,
    keys: list[str],
    n_lines: int,
    part_row: np.ndarray,
    facts: Facts,
    year_totals,
    columns,
    rename=None,
):
    """Every key of the year's budget with its own totals, crossed with every reading, plus tagged money."""
    codes, table = group_codes(lines_in[[C.FISCAL_YEAR, *keys]])
    own = sum_by(codes, len(table), lines_in[list(N.PHASES)].to_numpy(dtype=np.int64))
    line_group = np.full(n_lines, -1, dtype=np.int64)
    line_group[lines_in[C.ROW_ID].to_numpy()] = codes
    return breakdown(table, line_group[part_row], facts, year_totals, columns, own_budget=own, rename=rename)


def _plan_breakdown(part_keys: pd.DataFrame, keys: list[str], facts: Facts, year_totals, columns):
    """Tagged money by plan key (parts without an action: NA key)."""
    codes, table = group_codes(part_keys[[C.FISCAL_YEAR, *keys]])
    return breakdown(table, codes, facts, year_totals, columns)


def _by_category(parts: pd.DataFrame, reading_frame: pd.DataFrame) -> pd.DataFrame:
    sums = (
        parts.groupby([C.FISCAL_YEAR, C.SCHEME, N.READING, C.CATEGORY], dropna=False, sort=False)[
            list(FACT_MONEY)
        ]
        .sum()
        .reset_index()
        .merge(reading_frame, on=[C.SCHEME, N.READING], how="left")
        .sort_values([C.FISCAL_YEAR, _ORDER, C.CATEGORY], kind="stable", na_position="last")
    )
    return N.conform(sums, N.BY_CATEGORY_COLUMNS)


def year_over_year(table: pd.DataFrame, extra_keys: Iterable[str] = ()) -> pd.DataFrame:
    """Change of ``counted_<phase>`` between consecutive fiscal years, long by phase.

    ``table`` has ``fiscal_year, scheme, reading``, the ``extra_keys`` and the ``counted_<phase>`` columns: the
    summary, or a breakdown with its key as ``extra_keys`` (e.g. ``by_action`` with ``["action_code"]``). A year
    appears only if the previous calendar year is in the table. ``relative_change = change ÷ |counted_previous|``;
    NaN with reason ``zero_previous_year`` when that is 0. Columns: :data:`gcdb.budget.names.YEAR_OVER_YEAR_COLUMNS`
    with the ``extra_keys`` inserted after ``reading``.
    """
    extra = list(extra_keys)
    keys = [C.SCHEME, N.READING, *extra]
    counted = [N.counted(p) for p in N.PHASES]
    current = table[[C.FISCAL_YEAR, *keys, *counted]].reset_index(drop=True)
    current["_row"] = np.arange(len(current))
    previous = current.drop(columns="_row").assign(**{C.FISCAL_YEAR: current[C.FISCAL_YEAR] + 1})
    both = current.merge(previous, on=[C.FISCAL_YEAR, *keys], how="inner", suffixes=("", "_previous"))
    frames = []
    for i, phase in enumerate(N.PHASES):
        now = both[N.counted(phase)].to_numpy(dtype=np.int64)
        before = both[N.counted(phase) + "_previous"].to_numpy(dtype=np.int64)
        change = now - before
        frames.append(
            pd.DataFrame(
                {
                    C.FISCAL_YEAR: both[C.FISCAL_YEAR].to_numpy(),
                    N.PREVIOUS_YEAR: both[C.FISCAL_YEAR].to_numpy() - 1,
                    **{k: both[k].to_numpy() for k in keys},
                    N.PHASE: phase,
                    N.COUNTED: now,
                    N.COUNTED_PREVIOUS: before,
                    N.CHANGE: change,
                    N.RELATIVE_CHANGE: ratio(change, np.abs(before)),
                    N.RELATIVE_CHANGE_REASON: pd.Series(
                        np.where(before == 0, N.Reason.ZERO_PREVIOUS_YEAR.value, np.array(None)), dtype="str"
                    ),
                    "_row": both["_row"].to_numpy(),
                    "_phase": i,
                }
            )
        )
    long = pd.concat(frames, ignore_index=True).sort_values(["_row", "_phase"], kind="stable")
    columns = N.YEAR_OVER_YEAR_COLUMNS[:4] + tuple(extra) + N.YEAR_OVER_YEAR_COLUMNS[4:]
    return N.conform(long, columns)


def _floor_of(scheme_id: str, floor, schemes: Mapping[str, Scheme]) -> float | None:
    if floor is None:
        value = schemes[scheme_id].floor if scheme_id in schemes else None
    elif isinstance(floor, Mapping):
        value = floor.get(scheme_id)
    else:
        value = floor
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1
    ):
        raise UsageError(Message("budget.floor", scheme=repr(scheme_id), value=repr(value)))
    return None if value is None else float(value)


def floor_check(
    summary: pd.DataFrame,
    floor: float | Mapping[str, float] | None = 0.05,
    schemes: Mapping[str, Scheme] | None = None,
) -> pd.DataFrame:
    """Gender budget ≥ floor × appropriations, per fiscal year × scheme reading × appropriation phase.

    ``summary``: :attr:`BudgetAnalysis.summary`. ``floor``: one fraction for every scheme, a mapping scheme id →
    fraction (schemes not listed are not checked), or None for each scheme's own ``floor`` (``schemes``: id →
    :class:`~gcdb.schemes.Scheme`, default the shipped ones). ``required = ceil(floor × budget_total)`` and
    ``passed = counted ≥ floor × budget_total`` are computed in exact rational arithmetic (the floor read as the
    decimal it is written as); ``gap = max(required − counted, 0)`` kuruş.
    """
    if schemes is None:
        schemes = {s.id: s for s in load_schemes().schemes}
    if isinstance(floor, Mapping):
        unknown = sorted(set(floor) - set(summary[C.SCHEME]))
        if unknown:
            raise UsageError(Message("budget.floor_unknown", schemes=str(unknown)))
    ids = summary[C.SCHEME].unique().tolist()
    floors = {i: _floor_of(i, floor, schemes) for i in ids}  # one per scheme
    added: dict[str, pd.Series | np.ndarray] = {
        N.FLOOR: summary[C.SCHEME].map(floors).astype("float64"),
        "_row": np.arange(len(summary)),
    }
    base = summary.assign(**added)
    base = base[base[N.FLOOR].notna()]
    frames = [
        base[[C.FISCAL_YEAR, C.SCHEME, N.READING, N.FLOOR, "_row", N.budget(phase), N.counted(phase)]]
        .rename(columns={N.budget(phase): N.BUDGET_TOTAL, N.counted(phase): N.COUNTED})
        .assign(**{N.PHASE: phase}, _phase=i)
        for i, phase in enumerate(N.APPROPRIATION_PHASES)
    ]
    table = pd.concat(frames, ignore_index=True).sort_values(["_row", "_phase"], kind="stable")
    if table.empty:
        return N.conform(None, N.FLOOR_CHECK_COLUMNS)
    by_floor = {f: Fraction(repr(f)).limit_denominator(10**9) for f in set(floors.values()) if f is not None}
    numerator = table[N.FLOOR].map({f: q.numerator for f, q in by_floor.items()}).to_numpy(dtype=object)
    denominator = table[N.FLOOR].map({f: q.denominator for f, q in by_floor.items()}).to_numpy(dtype=object)
    total = table[N.BUDGET_TOTAL].to_numpy(dtype=object)  # Python ints: no overflow in total × numerator
    counted = table[N.COUNTED].to_numpy(dtype=object)
    required = -((-total * numerator) // denominator)
    table[N.REQUIRED] = required.astype(np.int64)
    table[N.GAP] = np.maximum(required - counted, 0).astype(np.int64)
    table[N.PASSED] = (counted * denominator >= total * numerator).astype(bool)
    return N.conform(table, N.FLOOR_CHECK_COLUMNS)


def _gender_focused(
    parts: pd.DataFrame, all_readings: tuple[Reading, ...], years: np.ndarray
) -> pd.DataFrame:
    """For full-amount schemes (OECD DAC), the full attributed amount of parts the scheme counts at all, and of
    parts scored principal (:data:`gcdb.budget.names.PRINCIPAL_CATEGORY`)."""
    ids = [r.scheme.id for r in all_readings if r.scheme.full_amount and not r.review]
    if not ids:
        return N.conform(None, N.GENDER_FOCUSED_COLUMNS)
    sub = parts[parts[C.SCHEME].isin(ids) & (parts[N.READING] == N.DEFAULT_READING)]
    counted_at_all = (sub[N.WEIGHT] > 0).to_numpy()
    is_principal = (sub[C.CATEGORY] == N.PRINCIPAL_CATEGORY).fillna(False).to_numpy(dtype=bool)
    amount = sub[[N.attributed(p) for p in N.PHASES]].to_numpy(dtype=np.int64)
    values = np.hstack([amount * counted_at_all[:, None], amount * is_principal[:, None]])
    code = np.searchsorted(years, sub[C.FISCAL_YEAR].to_numpy()) * len(ids)
    code = code + pd.Index(ids).get_indexer(pd.Index(sub[C.SCHEME]))
    sums = sum_by(code, len(years) * len(ids), values)
    out = {
        C.FISCAL_YEAR: np.repeat(years, len(ids)),
        C.SCHEME: np.tile(np.asarray(ids, dtype=object), len(years)),
    }
    for i, phase in enumerate(N.PHASES):
        out[N.focused(phase)] = sums[:, i]
        out[N.principal(phase)] = sums[:, 3 + i]
    return N.conform(pd.DataFrame(out), N.GENDER_FOCUSED_COLUMNS)


def _select_years(lines: pd.DataFrame, years) -> tuple[int, ...]:
    present = sorted(int(y) for y in lines[C.FISCAL_YEAR].unique())
    if years is None:
        if not present:
            raise UsageError(Message("budget.no_lines"))
        return tuple(present)
    given = [years] if isinstance(years, int | np.integer) else list(years)
    wanted = sorted({int(y) for y in given})
    missing = [y for y in wanted if y not in present]
    if missing or not wanted:
        raise UsageError(
            Message(
                "budget.no_year",
                years=str(missing or wanted),
                present=str(present) if present else t("validate.none"),
            )
        )
    return tuple(wanted)


@speaks
def analyse_budget(
    budget: pd.DataFrame,
    tags,
    *,
    plan_actions: pd.DataFrame | None = None,
    schemes: SchemeSet | Iterable[str | Scheme] | str | None = None,
    years: int | Iterable[int] | None = None,
    floor: float | Mapping[str, float] | None = 0.05,
    diversion: DiversionThresholds = DiversionThresholds(),  # noqa: B008 (frozen, immutable)
    unit_map: pd.DataFrame | None = None,
    functional_level: int = 2,
    lang: str | None = None,
) -> BudgetAnalysis:
    """Analyse gender-equality money in a budget of one or more fiscal years.

    Parameters
    ----------
    budget
        Budget lines (columns of :data:`gcdb.columns.BUDGET_COLUMNS`; ``fiscal_year``, ``line_id``,
        ``functional_code``, ``financing_type``, ``economic_code`` and the three phases are needed, money in
        int64 kuruş). ``row_id`` of the tag table is the position of a line in this frame.
    tags
        The rule engine's tag table (``docs/contracts.md``), or an object with a ``.tags`` attribute
        (``TagResult``). ``attributed_<phase>`` columns it lacks are computed from ``share``.
    plan_actions
        The plan (``action_code, area, target_code, title, year_from, year_to, responsible_unit``); enables plan
        vs money, unfunded actions, department gaps and the plan-year diversion signals.
    schemes
        Scheme ids, :class:`~gcdb.schemes.Scheme` objects or a :class:`~gcdb.schemes.SchemeSet`; default: every
        shipped scheme. A scheme with review weights is also read in its ``review`` (upper) reading.
    years
        Fiscal years to analyse (default: all in the budget).
    floor
        Required fraction of appropriations (default 5 %, the Philippine GAD rule); a mapping scheme id → floor;
        or None to use each scheme's own ``floor`` (only schemes that define one are checked).
    diversion
        Thresholds of the diversion signals.
    unit_map
        Optional ``plan_unit → budget_unit`` DataFrame for department names that do not match by name.
    functional_level
        Number of functional-code levels in the functional breakdown (default 2: ``10.4``).
    lang
        Language of the errors (default: the current language, :mod:`gcdb.i18n`).

    Raises
    ------
    DataValidationError
        Invalid budget, tag table or plan (the issues table names the input, column and row).
    UsageError
        Unknown scheme, year not in the budget, bad parameter.
    ReconciliationError
        The results do not add up to the budget to the kuruş (a bug).
    """
    if not isinstance(functional_level, int) or not 1 <= functional_level <= 4:
        raise UsageError(Message("budget.functional_level", value=repr(functional_level)))
    if not isinstance(diversion, DiversionThresholds):
        raise UsageError(Message("budget.diversion_type"))
    lines = prepare_budget(budget)
    scheme_list = resolve_schemes(schemes)
    scheme_map = {s.id: s for s in scheme_list}
    if isinstance(floor, Mapping) and set(floor) - set(scheme_map):
        raise UsageError(Message("budget.floor_unknown", schemes=str(sorted(set(floor) - set(scheme_map)))))
    for scheme_id in scheme_map:
        _floor_of(scheme_id, floor, scheme_map)
    all_tags = prepare_tags(tags, lines, scheme_list)
    plan = prepare_plan(plan_actions) if plan_actions is not None else None
    units = prepare_unit_map(unit_map)
    selected = _select_years(lines, years)

    in_years = lines[C.FISCAL_YEAR].isin(selected).to_numpy()
    tags_in = all_tags[in_years[all_tags[C.ROW_ID].to_numpy()]].reset_index(drop=True)
    all_readings = readings(scheme_list)
    reading_frame = _reading_frame(all_readings)
    parts = count_parts(tags_in, lines, all_readings)
    table = check_reconciliation(reconciliation(lines, in_years, tags_in, parts, reading_frame))
    facts = _facts(parts, tags_in, reading_frame)

    # line dimensions (computed on distinct values), restricted to the analysed years
    lines_in = lines[in_years].assign(
        **{
            C.FUNCTIONAL_CODE: truncate_code(lines.loc[in_years, C.FUNCTIONAL_CODE], functional_level),
            _ECONOMIC_1: truncate_code(lines.loc[in_years, C.ECONOMIC_CODE], 1),
            _ECONOMIC_2: truncate_code(lines.loc[in_years, C.ECONOMIC_CODE], 2),
        }
    )
    year_totals = lines_in.groupby(C.FISCAL_YEAR, sort=True)[list(N.PHASES)].sum()
    n_lines = len(lines)

    # headline figures and breakdowns by budget-line dimension
    part_row = tags_in[C.ROW_ID].to_numpy(dtype=np.int64)
    line = partial(
        _line_breakdown, lines_in, n_lines=n_lines, part_row=part_row, facts=facts, year_totals=year_totals
    )
    summary = line([], columns=N.SUMMARY_COLUMNS)
    tables = {
        "by_department": line([C.UNIT_NAME], columns=N.BY_DEPARTMENT_COLUMNS),
        "by_functional": line([C.FUNCTIONAL_CODE], columns=N.BY_FUNCTIONAL_COLUMNS),
        "by_economic_1": line(
            [_ECONOMIC_1], columns=N.BY_ECONOMIC_COLUMNS, rename={_ECONOMIC_1: C.ECONOMIC_CODE}
        ),
        "by_economic_2": line(
            [_ECONOMIC_2], columns=N.BY_ECONOMIC_COLUMNS, rename={_ECONOMIC_2: C.ECONOMIC_CODE}
        ),
        "by_financing": line([C.FINANCING_TYPE], columns=N.BY_FINANCING_COLUMNS),
    }
    # breakdowns by plan dimension (one row per tag part; area/target from the plan or the action code)
    part_keys = pd.concat(
        [
            pd.DataFrame({C.FISCAL_YEAR: lines[C.FISCAL_YEAR].to_numpy()[tags_in[C.ROW_ID].to_numpy()]}),
            action_dims(tags_in[C.ACTION_CODE], plan),
            tags_in[[C.ACTION_CODE]],
        ],
        axis=1,
    )
    plan_breakdown = partial(_plan_breakdown, part_keys, facts=facts, year_totals=year_totals)
    tables |= {
        "by_area": plan_breakdown([C.AREA], columns=N.BY_AREA_COLUMNS),
        "by_target": plan_breakdown([C.AREA, C.TARGET_CODE], columns=N.BY_TARGET_COLUMNS),
        "by_action": plan_breakdown([C.AREA, C.TARGET_CODE, C.ACTION_CODE], columns=N.BY_ACTION_COLUMNS),
    }

    # plan vs money
    tagged = tags_in.assign(
        **{
            C.FISCAL_YEAR: part_keys[C.FISCAL_YEAR].to_numpy(),
            C.UNIT_NAME: lines[C.UNIT_NAME].take(tags_in[C.ROW_ID].to_numpy()).reset_index(drop=True),
        }
    )
    if plan is not None:
        active = active_actions(plan, selected)
        money, unfunded = plan_money(active, tagged, parts, reading_frame)
        gaps = department_gaps(active, tagged, lines_in, units)
    else:
        money = N.conform(None, N.PLAN_MONEY_COLUMNS)
        unfunded = N.conform(None, N.UNFUNDED_ACTIONS_COLUMNS)
        gaps = N.conform(None, N.DEPARTMENT_GAPS_COLUMNS)

    check_summary(summary, table)
    return BudgetAnalysis(
        years=selected,
        schemes=tuple(s.id for s in scheme_list),
        readings=tuple((r.scheme.id, r.name) for r in all_readings),
        parameters={
            "years": ",".join(map(str, selected)),
            "schemes": ",".join(s.id for s in scheme_list),
            "floor": repr(floor if not isinstance(floor, Mapping) else dict(floor)),
            "revised_down_threshold": repr(diversion.revised_down),
            "execution_threshold": repr(diversion.execution),
            "functional_level": str(functional_level),
            "plan_actions": "yes" if plan is not None else "no",
            "unit_map": "yes" if units is not None else "no",
        },
        parts=parts,
        summary=summary,
        by_category=_by_category(parts, reading_frame),
        gender_focused=_gender_focused(parts, all_readings, np.asarray(selected, dtype=np.int64)),
        **tables,
        year_over_year=year_over_year(summary),
        floor_check=floor_check(summary, floor, scheme_map),
        plan_money=money,
        unfunded_actions=unfunded,
        department_gaps=gaps,
        diversion=diversion_signals(tagged, lines, plan, diversion),
        reconciliation=table,
    )
