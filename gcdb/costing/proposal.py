"""Budget proposals: from costed actions to the draft budget lines a finance department enters.

Costing lines that share a fiscal year, the analytic codes (institutional, functional, financing, economic), the
plan action and the budget-line description become one proposed line (*bütçe teklifi*), with the amount the
costing asks for. The description is the costing's ``description`` — or its ``item`` — in Turkish upper case,
followed by the action code in parentheses (``KADIN DANIŞMA MERKEZİ PSİKOLOG HİZMET ALIMI (A2H3E2)``) unless
it already names it: the code is what lets the generated rule set (:mod:`gcdb.costing.rulegen`) find the line
again once it is in the adopted budget, even if the wording changes.

The lines form a canonical budget frame (:data:`gcdb.columns.BUDGET_COLUMNS`): ``line_id`` is the proposal id
(``T0001`` …, the same id for the same line in every year), the initial and revised appropriations are the
amount asked and the expenditure is 0 — the frame validates against :func:`gcdb.schemas.budget_schema` and can be
tagged and analysed like any budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.costing import names as N
from gcdb.costing.totals import costing_frame
from gcdb.schemes import DECLARED_SHARE
from gcdb.text import fold, map_distinct, tr_upper

#: Columns of :attr:`Proposal.details`: one row per proposed line and year.
DETAIL_COLUMNS = (
    C.FISCAL_YEAR,
    C.LINE_ID,
    C.ACTION_CODE,
    C.AREA,
    C.TARGET_CODE,
    C.UNIT_NAME,
    C.INSTITUTIONAL_CODE,
    C.FUNCTIONAL_CODE,
    C.FINANCING_TYPE,
    C.ECONOMIC_CODE,
    C.ACTIVITY_CODE,
    C.DESCRIPTION,
    N.COST_LINES,
    N.AMOUNT,
    *N.CATEGORY_COLUMNS,
    DECLARED_SHARE,
)
#: Columns of :attr:`Proposal.links`: which costing line went into which proposed line.
LINK_COLUMNS = (C.FISCAL_YEAR, N.COST_LINE_ID, C.LINE_ID, C.ACTION_CODE, N.AMOUNT)
_KEY = (
    C.INSTITUTIONAL_CODE,
    C.FUNCTIONAL_CODE,
    C.FINANCING_TYPE,
    C.ECONOMIC_CODE,
    C.ACTION_CODE,
    C.DESCRIPTION,
)


@dataclass(frozen=True, eq=False)
class Proposal:
    """What :func:`propose_budget` returns.

    ``lines``
        the proposed budget lines, a canonical budget frame (money in kuruş);
    ``details``
        the same lines with their action, area, target, the number of costing lines and the scheme categories
        (:data:`DETAIL_COLUMNS`) — what the generated rules give back when they tag the line;
    ``links``
        each costing line-year → its proposed line (:data:`LINK_COLUMNS`); the amounts of a line's links add up
        to the line.
    """

    lines: pd.DataFrame
    details: pd.DataFrame
    links: pd.DataFrame

    def wide(self, lang: str = "tr") -> pd.DataFrame:
        """The performance-programme view: one row per proposed line, one amount column per fiscal year (kuruş).

        Year columns are named by the year (``2024``, ``2025``); other columns keep their canonical names.
        """
        keys = [
            C.LINE_ID,
            C.UNIT_NAME,
            C.INSTITUTIONAL_CODE,
            C.FUNCTIONAL_CODE,
            C.FINANCING_TYPE,
            C.ECONOMIC_CODE,
        ]
        keys += [C.DESCRIPTION, C.ACTION_CODE]
        table = self.details.pivot_table(
            index=keys, columns=C.FISCAL_YEAR, values=N.AMOUNT, aggfunc="sum", fill_value=0, sort=True
        )
        table.columns = [str(int(y)) for y in table.columns]
        return table.reset_index().astype({c: "int64" for c in table.columns})


def proposal_description(
    description: pd.Series, item: pd.Series, action: pd.Series, *, marker: bool = True
) -> pd.Series:
    """The budget-line description of each costing line: its description or item, upper-cased the Turkish way,
    with `` (ACTION)`` appended when ``marker`` and the text does not already name the action."""
    base = description.where(description.notna(), item)
    base = map_distinct(base.astype("str"), lambda s: " ".join(tr_upper(s).split()))
    if not marker:
        return base
    pairs = pd.DataFrame({"d": base, "a": action}).drop_duplicates()
    named = [fold(a) in fold(d) for d, a in zip(pairs["d"], pairs["a"], strict=True)]  # distinct pairs only
    pairs["out"] = np.where(named, pairs["d"], pairs["d"] + " (" + pairs["a"] + ")")
    return pd.DataFrame({"d": base, "a": action}).merge(pairs, on=["d", "a"], how="left")["out"].astype("str")


def propose_budget(costing, *, marker: bool = True) -> Proposal:
    """Draft budget lines from a costing (:func:`gcdb.costing.read_costing`'s result or its ``data``).

    ``marker``: append the action code to descriptions that do not name it (default; the generated rules then
    recognise the line even when the finance department rewords it).
    """
    frame = costing_frame(costing).reset_index(drop=True)
    frame = frame.assign(
        **{
            C.DESCRIPTION: proposal_description(
                frame[C.DESCRIPTION], frame[N.ITEM], frame[C.ACTION_CODE], marker=marker
            )
        }
    )
    key = list(_KEY)
    # one proposal id per line key, in code order, the same in every year
    ids = frame[key].drop_duplicates().sort_values(key, kind="stable").reset_index(drop=True)
    ids[C.LINE_ID] = N.PROPOSAL_PREFIX + pd.Series(np.arange(1, len(ids) + 1)).astype("str").str.zfill(4)
    frame = frame.merge(ids, on=key, how="left")

    first = [C.UNIT_NAME, C.ACTIVITY_CODE, C.AREA, C.TARGET_CODE, *N.CATEGORY_COLUMNS, DECLARED_SHARE]
    grouped = frame.groupby([C.FISCAL_YEAR, C.LINE_ID], sort=True, dropna=False)
    details = grouped[first].first().join(grouped[key].first())
    details[N.AMOUNT] = grouped[N.AMOUNT].sum()
    details[N.COST_LINES] = grouped[N.COST_LINE_ID].nunique()
    details = N.conform(details.reset_index(), DETAIL_COLUMNS)

    amount = details[N.AMOUNT].to_numpy(dtype=np.int64)
    lines = pd.DataFrame(
        {
            C.FISCAL_YEAR: details[C.FISCAL_YEAR].astype("int64"),
            C.LINE_ID: details[C.LINE_ID],
            C.INSTITUTIONAL_CODE: details[C.INSTITUTIONAL_CODE],
            C.UNIT_NAME: details[C.UNIT_NAME],
            C.FUNCTIONAL_CODE: details[C.FUNCTIONAL_CODE],
            C.FINANCING_TYPE: details[C.FINANCING_TYPE],
            C.ECONOMIC_CODE: details[C.ECONOMIC_CODE],
            C.DESCRIPTION: details[C.DESCRIPTION],
            C.INITIAL_APPROPRIATION: amount,
            C.REVISED_APPROPRIATION: amount,
            C.EXPENDITURE: np.zeros(len(details), dtype=np.int64),
            C.ACTIVITY_CODE: details[C.ACTIVITY_CODE],
        }
    )
    links = N.conform(
        frame.sort_values([C.FISCAL_YEAR, C.LINE_ID, N.COST_LINE_ID], kind="stable"), LINK_COLUMNS
    )
    return Proposal(lines=lines, details=details, links=links)
