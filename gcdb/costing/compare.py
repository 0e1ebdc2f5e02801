"""Costed vs appropriated vs executed: what the units asked for, what the council appropriated, what was left
after revisions, and what was spent — per action, target, area, unit and year, and across years.

The budget side is the money the rule engine tagged to each action (``attributed_<phase>`` of the tag table, the
full line when a rule claims it all), on the budget lines' own institutional codes. Each row gets a status
(:class:`gcdb.costing.names.Status`), judged phase by phase:

==================  ================================================================================
status              when
==================  ================================================================================
not_costed          budget money for an action nobody costed that year
not_appropriated    costed, no initial appropriation and none added during the year
added_in_year       costed, no initial appropriation, money added by revision
cut_to_zero         initial appropriation revised to zero
cut                 revised appropriation more than ``cut_threshold`` (10 %) below the initial one
under_appropriated  initial appropriation more than ``cut_threshold`` below the costed amount
not_spent           revised appropriation, no expenditure
funded              appropriated, kept and spent
==================  ================================================================================

Only the fiscal years present in both the costing and the budget are compared (the others are named in the
notes). Money is int64 kuruş; rates are fractions, NaN where the denominator is 0.

Given the proposal and the rule set generated from it, the table also has a ``line`` level: each proposed budget
line (the lines one generated rule recognises, ``|``-joined), so that a line the council did not appropriate is seen
even when its action got money on another line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget.inputs import parse_action_codes
from gcdb.costing import names as N
from gcdb.costing.proposal import Proposal
from gcdb.costing.rulegen import GeneratedRules, rule_of_lines
from gcdb.costing.totals import LEVEL_KEYS, costing_frame
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.read.numbers import format_kurus

_MONEY = [N.COSTED, *C.PHASES]
_COUNTS = [N.COST_LINES, N.TAGGED_LINES]
_BASE = (C.FISCAL_YEAR, C.ACTION_CODE, C.INSTITUTIONAL_CODE)

#: Columns of :attr:`CostComparison.key_numbers`.
ACTIONS_COSTED = "actions_costed"
ACTIONS_FOUND = "actions_found"  # costed actions with at least one tagged budget line
KEY_NUMBER_COLUMNS = (
    C.FISCAL_YEAR,
    N.COSTED,
    *C.PHASES,
    N.APPROPRIATION_RATE,
    N.EXECUTION_RATE,
    ACTIONS_COSTED,
    ACTIONS_FOUND,
    *(s.value for s in N.Status),
)


@dataclass(frozen=True, eq=False)
class CostComparison:
    """What :func:`compare_costing` returns.

    ``table``
        every level × key × year, and all years (``fiscal_year`` NA): :data:`gcdb.costing.names.COMPARISON_COLUMNS`;
    ``by_action`` / ``by_line``
        the action rows per year (the plan's actions that were costed or tagged); the proposed-line rows;
    ``not_appropriated`` / ``cut`` / ``not_spent`` / ``not_found``
        costed actions never appropriated; appropriations cut during the year (to zero or not); appropriated and
        not spent; costed and not found in the budget at all (no tagged line);
    ``key_numbers``
        per year and all years: costed, the three phases, rates, how many actions were costed, found and in each
        status (:data:`KEY_NUMBER_COLUMNS`);
    ``years`` / ``skipped_years``
        the fiscal years compared, and the costed years the budget does not cover.
    """

    table: pd.DataFrame
    key_numbers: pd.DataFrame
    years: tuple[int, ...]
    skipped_years: tuple[int, ...] = field(default=())

    @property
    def by_action(self) -> pd.DataFrame:
        """The action rows, per year (the all-years rows are in :attr:`table`)."""
        return self._level(N.Level.ACTION)

    @property
    def by_line(self) -> pd.DataFrame:
        """The proposed-line rows, per year (empty unless the proposal and its rules were given)."""
        return self._level(N.Level.LINE)

    def _level(self, level: N.Level, all_years: bool = False) -> pd.DataFrame:
        t = self.table
        rows = (t[N.LEVEL] == level.value) & (t[C.FISCAL_YEAR].isna() == all_years)
        return t[rows].reset_index(drop=True)

    def _status(self, *statuses: N.Status) -> pd.DataFrame:
        t = self.by_action
        return t[t[N.STATUS].isin([s.value for s in statuses])].reset_index(drop=True)

    @property
    def not_appropriated(self) -> pd.DataFrame:
        return self._status(N.Status.NOT_APPROPRIATED)

    @property
    def cut(self) -> pd.DataFrame:
        return self._status(N.Status.CUT, N.Status.CUT_TO_ZERO)

    @property
    def not_spent(self) -> pd.DataFrame:
        return self._status(N.Status.NOT_SPENT)

    @property
    def not_found(self) -> pd.DataFrame:
        t = self.by_action
        return t[(t[N.COSTED] > 0) & (t[N.TAGGED_LINES] == 0)].reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tidy tables by name (for CSV/Parquet export and the report model)."""
        return {"comparison": self.table, "comparison_key_numbers": self.key_numbers}

    def notes(self, lang: str = "tr") -> list[str]:
        """Sentences for a reader: what was compared, what was found, what is missing."""
        tr = lang == "tr"
        out = []
        for year in self.skipped_years:
            out.append(
                f"{year}: bütçe verisi yok; maliyet karşılaştırılmadı."
                if tr
                else f"{year}: no budget lines given; the costing was not compared."
            )
        for row in self.key_numbers.to_dict("records"):
            all_years = "Tüm yıllar" if tr else "All years"
            year_label = all_years if pd.isna(row[C.FISCAL_YEAR]) else row[C.FISCAL_YEAR]
            costed, initial = (
                format_kurus(row[N.COSTED], lang),
                format_kurus(row[C.INITIAL_APPROPRIATION], lang),
            )
            if tr:
                out.append(
                    f"{year_label}: maliyetlendirilen {row[ACTIONS_COSTED]} eylemin {row[ACTIONS_FOUND]} tanesi bütçede "
                    f"bulundu; maliyet {costed} TL, başlangıç ödeneği {initial} TL; "
                    f"{row[N.Status.NOT_APPROPRIATED.value]} eyleme hiç ödenek ayrılmadı, "
                    f"{row[N.Status.CUT.value] + row[N.Status.CUT_TO_ZERO.value]} eylemin ödeneği yıl içinde azaltıldı."
                )
            else:
                out.append(
                    f"{year_label}: {row[ACTIONS_FOUND]} of {row[ACTIONS_COSTED]} costed actions were found in the budget; "
                    f"costed {costed} TL, initial appropriation {initial} TL; "
                    f"{row[N.Status.NOT_APPROPRIATED.value]} never appropriated, "
                    f"{row[N.Status.CUT.value] + row[N.Status.CUT_TO_ZERO.value]} cut during the year."
                )
        return out


def _budget_money(budget: pd.DataFrame, tags) -> pd.DataFrame:
    table = getattr(tags, "tags", tags)
    if (
        not isinstance(table, pd.DataFrame)
        or C.ROW_ID not in table.columns
        or C.ACTION_CODE not in table.columns
    ):
        raise UsageError("tags must be a TagResult (gcdb.tag) or its tag table with row_id and action_code")
    missing = [c for c in (C.FISCAL_YEAR, C.INSTITUTIONAL_CODE, *C.PHASES) if c not in budget.columns]
    if missing:
        raise UsageError(f"the budget lacks the columns {missing}")
    parts = table[table[C.ACTION_CODE].notna()]
    row = parts[C.ROW_ID].to_numpy(dtype=np.int64)
    if len(row) and (row.max() >= len(budget) or row.min() < 0):
        raise UsageError("the tag table does not belong to this budget (row_id out of range)")
    lines = budget.reset_index(drop=True)
    frame = pd.DataFrame(
        {
            C.FISCAL_YEAR: lines[C.FISCAL_YEAR].to_numpy(dtype=np.int64)[row],
            C.ACTION_CODE: parts[C.ACTION_CODE].to_numpy(),
            C.INSTITUTIONAL_CODE: lines[C.INSTITUTIONAL_CODE].astype("str").to_numpy()[row],
            C.ROW_ID: row,
            **{p: parts[C.attributed(p)].to_numpy(dtype=np.int64) for p in C.PHASES},
        }
    )
    grouped = frame.groupby(list(_BASE), sort=False)
    money = grouped[list(C.PHASES)].sum()
    money[N.TAGGED_LINES] = grouped[C.ROW_ID].nunique()
    return money.reset_index()


def compare_costing(
    costing,
    budget: pd.DataFrame,
    tags,
    *,
    years: int | Iterable[int] | None = None,
    proposal: Proposal | None = None,
    rules: GeneratedRules | None = None,
    cut_threshold: float = 0.10,
) -> CostComparison:
    """Compare a costing with the budget that followed it.

    ``costing``: :func:`gcdb.costing.read_costing`'s result (or its data); ``budget``: the adopted and executed
    budget lines (canonical columns, money in kuruş); ``tags``: ``gcdb.tag(budget, rules)`` — with the rule set
    generated from the proposal (:func:`gcdb.costing.proposal_rules`) or any rule set that names plan actions.
    ``years``: the fiscal years to compare (default: those in both the costing and the budget).
    ``proposal`` and ``rules`` (:func:`propose_budget`, :func:`proposal_rules`): add the ``line`` level.
    ``cut_threshold``: a revised appropriation is a cut when it is more than this fraction below the initial one.
    """
    if (proposal is None) != (rules is None):
        raise UsageError("give both proposal and rules (the rule set generated from it), or neither")
    if (
        isinstance(cut_threshold, bool)
        or not isinstance(cut_threshold, int | float)
        or not 0 <= cut_threshold < 1
    ):
        raise UsageError(f"cut_threshold must be a fraction in [0, 1), got {cut_threshold!r}")
    frame = costing_frame(costing)
    if not isinstance(budget, pd.DataFrame):
        raise UsageError(f"budget must be a pandas DataFrame, got {type(budget).__name__}")
    costed_years = sorted(int(y) for y in frame[C.FISCAL_YEAR].dropna().unique())
    budget_years = sorted(int(y) for y in budget[C.FISCAL_YEAR].dropna().unique())
    if years is None:
        chosen = [y for y in costed_years if y in budget_years]
    else:
        chosen = sorted({int(years)} if isinstance(years, int | np.integer) else {int(y) for y in years})
        absent = [y for y in chosen if y not in budget_years]
        if absent:
            raise UsageError(Message("costing.compare.years", absent=str(absent), present=str(budget_years)))
    skipped = tuple(y for y in costed_years if y not in chosen)

    costed = frame[frame[C.FISCAL_YEAR].isin(chosen)]
    grouped = costed.groupby(list(_BASE), sort=False)
    asked = grouped[N.AMOUNT].sum().rename(N.COSTED).to_frame()
    asked[N.COST_LINES] = grouped[N.COST_LINE_ID].nunique()
    money = _budget_money(budget, tags)
    money = money[money[C.FISCAL_YEAR].isin(chosen)]
    base = asked.reset_index().merge(money, on=list(_BASE), how="outer")
    base[_MONEY + _COUNTS] = base[_MONEY + _COUNTS].fillna(0).astype("int64")
    base[C.FISCAL_YEAR] = base[C.FISCAL_YEAR].astype("int64")
    dims = parse_action_codes(base[C.ACTION_CODE].astype("str"))
    base[C.AREA], base[C.TARGET_CODE] = dims[C.AREA].to_numpy(), dims[C.TARGET_CODE].to_numpy()
    names = _unit_names(costed, budget)
    base[C.UNIT_NAME] = base[C.INSTITUTIONAL_CODE].map(names).astype("str")

    table = _levels(base)
    if proposal is not None and rules is not None:  # (both or neither: checked above)
        table = pd.concat([_line_level(proposal, rules, tags, budget, chosen), table], ignore_index=True)
    table = N.conform(_rates_and_status(table, cut_threshold), N.COMPARISON_COLUMNS)
    return CostComparison(
        table=table, key_numbers=_key_numbers(table), years=tuple(chosen), skipped_years=skipped
    )


def _unit_names(costed: pd.DataFrame, budget: pd.DataFrame) -> pd.Series:
    """Institutional code → unit name, from the costing first, then from the budget."""
    pairs = [costed[[C.INSTITUTIONAL_CODE, C.UNIT_NAME]]]
    if C.UNIT_NAME in budget.columns:
        pairs.append(budget[[C.INSTITUTIONAL_CODE, C.UNIT_NAME]].astype("str"))
    both = pd.concat(pairs, ignore_index=True).dropna().drop_duplicates(C.INSTITUTIONAL_CODE)
    return both.set_index(C.INSTITUTIONAL_CODE)[C.UNIT_NAME]


def _levels(base: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for level, column in (*LEVEL_KEYS.items(), (N.Level.TOTAL, None)):
        for all_years in (False, True):
            by = ([] if all_years else [C.FISCAL_YEAR]) + ([] if column is None else [column])
            if by:
                sums = base.groupby(by, sort=True, dropna=False)[_MONEY + _COUNTS].sum().reset_index()
            else:
                sums = base[_MONEY + _COUNTS].sum().to_frame().T
            if all_years:
                sums[C.FISCAL_YEAR] = pd.NA
            sums[N.LEVEL] = level.value
            sums[N.KEY] = "" if column is None else sums[column].astype("str")
            if level == N.Level.UNIT:
                sums[C.UNIT_NAME] = sums[column].map(
                    base.drop_duplicates(column).set_index(column)[C.UNIT_NAME]
                )
            else:
                sums[C.UNIT_NAME] = pd.NA
            frames.append(sums)
    return pd.concat(frames, ignore_index=True)


def _line_level(
    proposal: Proposal, rules: GeneratedRules, tags, budget: pd.DataFrame, chosen: list[int]
) -> pd.DataFrame:
    """Costed vs budget per generated rule and year: the proposed line(s) the rule recognises."""
    details = proposal.details[proposal.details[C.FISCAL_YEAR].isin(chosen)]
    rule_of = rule_of_lines(rules)
    details = details.assign(**{C.RULE_ID: details[C.LINE_ID].map(rule_of).to_numpy()})
    grouped = details.groupby([C.FISCAL_YEAR, C.RULE_ID], sort=False)
    asked = grouped.agg(
        **{
            N.COSTED: (N.AMOUNT, "sum"),
            N.COST_LINES: (N.COST_LINES, "sum"),
            N.KEY: (C.LINE_ID, lambda s: "|".join(sorted(set(s)))),
            C.UNIT_NAME: (C.UNIT_NAME, "first"),
        }
    ).reset_index()
    table = getattr(tags, "tags", tags)
    parts = (
        table[table[C.RULE_ID].isin(rules.rules[C.RULE_ID])] if C.RULE_ID in table.columns else table.iloc[:0]
    )
    row = parts[C.ROW_ID].to_numpy(dtype=np.int64)
    money = pd.DataFrame(
        {
            C.FISCAL_YEAR: budget[C.FISCAL_YEAR].to_numpy(dtype=np.int64)[row],
            C.RULE_ID: parts[C.RULE_ID].to_numpy(),
            C.ROW_ID: row,
            **{p: parts[C.attributed(p)].to_numpy(dtype=np.int64) for p in C.PHASES},
        }
    )
    money = money[money[C.FISCAL_YEAR].isin(chosen)]
    spent = money.groupby([C.FISCAL_YEAR, C.RULE_ID], sort=False)
    by_rule = spent[list(C.PHASES)].sum()
    by_rule[N.TAGGED_LINES] = spent[C.ROW_ID].nunique()
    base = asked.merge(by_rule.reset_index(), on=[C.FISCAL_YEAR, C.RULE_ID], how="outer")
    base[_MONEY + _COUNTS] = base[_MONEY + _COUNTS].fillna(0).astype("int64")
    lines_of = rules.rules.set_index(C.RULE_ID)[C.LINE_ID].map(lambda ids: "|".join(ids))  # one per rule
    base[N.KEY] = base[N.KEY].fillna(base[C.RULE_ID].map(lines_of))
    every = base.groupby(C.RULE_ID, sort=False)[_MONEY + _COUNTS].sum().reset_index()
    every[N.KEY] = every[C.RULE_ID].map(lines_of)
    every[C.UNIT_NAME] = every[C.RULE_ID].map(
        base.drop_duplicates(C.RULE_ID).set_index(C.RULE_ID)[C.UNIT_NAME]
    )
    every[C.FISCAL_YEAR] = pd.NA
    out = pd.concat(
        [base.sort_values([C.FISCAL_YEAR, N.KEY], kind="stable"), every.sort_values(N.KEY)], ignore_index=True
    )
    out[N.LEVEL] = N.Level.LINE.value
    return out


def _ratio(num: pd.Series, den: pd.Series) -> np.ndarray:
    n, d = num.to_numpy(dtype=np.float64), den.to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, n / np.where(d > 0, d, 1), np.nan)


def _rates_and_status(table: pd.DataFrame, cut_threshold: float) -> pd.DataFrame:
    costed, initial = table[N.COSTED], table[C.INITIAL_APPROPRIATION]
    revised, spent = table[C.REVISED_APPROPRIATION], table[C.EXPENDITURE]
    table[N.GAP] = costed - initial
    table[N.APPROPRIATION_RATE] = _ratio(initial, costed)
    table[N.REVISION_RATE] = _ratio(revised, initial)
    table[N.EXECUTION_RATE] = _ratio(spent, revised)
    c, i, r, s = (x.to_numpy() for x in (costed, initial, revised, spent))
    table[N.STATUS] = np.select(
        [
            (c == 0) & ((i != 0) | (r != 0) | (s != 0)),
            (i == 0) & (r == 0),
            (i == 0) & (r > 0),
            (i > 0) & (r == 0),
            r < i * (1 - cut_threshold),
            i < c * (1 - cut_threshold),
            (r > 0) & (s == 0),
        ],
        [
            N.Status.NOT_COSTED.value,
            N.Status.NOT_APPROPRIATED.value,
            N.Status.ADDED_IN_YEAR.value,
            N.Status.CUT_TO_ZERO.value,
            N.Status.CUT.value,
            N.Status.UNDER_APPROPRIATED.value,
            N.Status.NOT_SPENT.value,
        ],
        default=N.Status.FUNDED.value,
    )
    return table


def _key_numbers(table: pd.DataFrame) -> pd.DataFrame:
    actions = table[table[N.LEVEL] == N.Level.ACTION.value]
    totals = table[table[N.LEVEL] == N.Level.TOTAL.value]
    totals = totals.set_index(totals[C.FISCAL_YEAR].astype("Int64").fillna(-1))
    year = actions[C.FISCAL_YEAR].astype("Int64").fillna(-1)
    costed = actions[N.COSTED] > 0
    counts = pd.crosstab(year, actions[N.STATUS]).reindex(columns=[s.value for s in N.Status], fill_value=0)
    out = totals[[C.FISCAL_YEAR, N.COSTED, *C.PHASES]].copy()
    out[N.APPROPRIATION_RATE] = _ratio(out[C.INITIAL_APPROPRIATION], out[N.COSTED])
    out[N.EXECUTION_RATE] = _ratio(out[C.EXPENDITURE], out[C.REVISED_APPROPRIATION])
    out[ACTIONS_COSTED] = costed.groupby(year).sum().reindex(out.index, fill_value=0).astype("int64")
    found = costed & (actions[N.TAGGED_LINES] > 0)
    out[ACTIONS_FOUND] = found.groupby(year).sum().reindex(out.index, fill_value=0).astype("int64")
    out = out.join(counts.reindex(out.index, fill_value=0).astype("int64"))
    return out.reset_index(drop=True).loc[:, list(KEY_NUMBER_COLUMNS)]
