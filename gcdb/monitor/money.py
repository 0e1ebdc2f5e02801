"""Money against implementation: the TCDB analysis joined with what the units reported, per budget phase.

For every action active in a collected year and every phase (initial appropriation, revised appropriation,
expenditure) an action is *funded* when the budget lines tagged to it (:attr:`gcdb.budget.BudgetAnalysis.plan_money`,
``attributed_<phase>`` — money tagged to the action, before any weighting scheme) are above zero in that phase,
and *done* when its responsible unit reported it *tamamlandı*. The four categories:

* ``funded_done`` — funded and done;
* ``funded_not_done`` — funded, but not started, in progress, cancelled or not reported;
* ``done_without_budget_line`` — done, with no budget line tagged to it (done at no cost, or paid from lines the
  rule set does not recognise: the unit's reported economic code says which);
* ``unfunded_not_done`` — neither.

So an action whose appropriation was revised to zero and never spent is funded in the initial phase only.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.catalogue import schema as S
from gcdb.monitor import names as N
from gcdb.monitor.status import ECONOMIC_CODES, RESPONSIBLE_UNIT, SPENT_TOTAL

PHASE, ATTRIBUTED, FUNDED, DONE_FLAG, CATEGORY, SPENT_ABOVE = (
    "phase",
    "attributed",
    "funded",
    "done",
    "category",
    "spent_above_revised",
)
ACTIONS, SPENT_REPORTED = "actions", "spent_reported"
#: Columns of the per-action table.
MONEY_COLUMNS: Final = (
    C.FISCAL_YEAR,
    S.ACTION_CODE,
    S.AREA,
    S.TARGET_CODE,
    RESPONSIBLE_UNIT,
    N.STATUS,
    DONE_FLAG,
    PHASE,
    ATTRIBUTED,
    FUNDED,
    CATEGORY,
    SPENT_TOTAL,
    SPENT_ABOVE,
    ECONOMIC_CODES,
)
#: Columns of the counts table (every category of every year × phase, zeros included).
MONEY_SUMMARY_COLUMNS: Final = (C.FISCAL_YEAR, PHASE, CATEGORY, ACTIONS, ATTRIBUTED, SPENT_REPORTED)


def tagged_money(plan_money: pd.DataFrame | None) -> pd.DataFrame:
    """``fiscal_year, action_code, attributed_<phase>…`` from ``BudgetAnalysis.plan_money`` (the attributed
    amounts do not depend on the weighting scheme: one row per year and action)."""
    cols = [C.attributed(p) for p in C.PHASES]
    if plan_money is None or plan_money.empty:
        return pd.DataFrame(
            {
                C.FISCAL_YEAR: pd.Series(dtype="int64"),
                S.ACTION_CODE: pd.Series(dtype="str"),
                **{c: pd.Series(dtype="int64") for c in cols},
            }
        )
    money = plan_money[[C.FISCAL_YEAR, S.ACTION_CODE, *cols]].drop_duplicates([C.FISCAL_YEAR, S.ACTION_CODE])
    return money.reset_index(drop=True)


def money_implementation(status: pd.DataFrame, money: pd.DataFrame) -> pd.DataFrame:
    """One row per action × year × phase (:data:`MONEY_COLUMNS`); ``status`` is the action status table."""
    key = [C.FISCAL_YEAR, S.ACTION_CODE]
    joined = status.merge(money, on=key, how="left")
    frames = []
    revised = joined[C.attributed(C.REVISED_APPROPRIATION)].fillna(0).astype("int64")
    for phase in C.PHASES:
        amount = joined[C.attributed(phase)].fillna(0).astype("int64")
        funded = (amount > 0).to_numpy()
        done = (joined[N.STATUS] == N.DONE).to_numpy()
        category = np.where(
            funded,
            np.where(done, N.FUNDED_DONE, N.FUNDED_NOT_DONE),
            np.where(done, N.DONE_UNFUNDED, N.UNFUNDED_NOT_DONE),
        )
        frames.append(
            pd.DataFrame(
                {
                    C.FISCAL_YEAR: joined[C.FISCAL_YEAR].to_numpy(),
                    S.ACTION_CODE: joined[S.ACTION_CODE].to_numpy(),
                    S.AREA: joined[S.AREA].to_numpy(),
                    S.TARGET_CODE: joined[S.TARGET_CODE].to_numpy(),
                    RESPONSIBLE_UNIT: joined[RESPONSIBLE_UNIT].to_numpy(),
                    N.STATUS: joined[N.STATUS].to_numpy(),
                    DONE_FLAG: done,
                    PHASE: phase,
                    ATTRIBUTED: amount.to_numpy(),
                    FUNDED: funded,
                    CATEGORY: category,
                    SPENT_TOTAL: joined[SPENT_TOTAL].to_numpy(dtype=np.int64),
                    SPENT_ABOVE: ((revised > 0) & (joined[SPENT_TOTAL] > revised)).to_numpy(),
                    ECONOMIC_CODES: joined[ECONOMIC_CODES].to_numpy(),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    text = [S.ACTION_CODE, S.TARGET_CODE, RESPONSIBLE_UNIT, N.STATUS, PHASE, CATEGORY, ECONOMIC_CODES]
    return out.astype({c: "str" for c in text} | {C.FISCAL_YEAR: "int64", S.AREA: "int64"})[
        list(MONEY_COLUMNS)
    ]


def money_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Actions, tagged money and reported spending per year × phase × category (:data:`MONEY_SUMMARY_COLUMNS`),
    every category present (zero where no action falls in it)."""
    years = sorted(table[C.FISCAL_YEAR].unique()) if len(table) else []
    index = pd.MultiIndex.from_product(
        [years, list(C.PHASES), list(N.MONEY_CATEGORIES)], names=[C.FISCAL_YEAR, PHASE, CATEGORY]
    )
    grouped = table.groupby([C.FISCAL_YEAR, PHASE, CATEGORY]).agg(
        **{
            ACTIONS: (S.ACTION_CODE, "size"),
            ATTRIBUTED: (ATTRIBUTED, "sum"),
            SPENT_REPORTED: (SPENT_TOTAL, "sum"),
        }
    )
    out = grouped.reindex(index, fill_value=0).reset_index()
    return out.astype(
        {
            C.FISCAL_YEAR: "int64",
            PHASE: "str",
            CATEGORY: "str",
            ACTIONS: "int64",
            ATTRIBUTED: "int64",
            SPENT_REPORTED: "int64",
        }
    )[list(MONEY_SUMMARY_COLUMNS)]
