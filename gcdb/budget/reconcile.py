"""Reconciliation: every kuruş of the budget is either attributed to a tag part or untagged, and every attributed
kuruş is either counted by a scheme or not.

Per fiscal year × phase × scheme reading::

    budget_total = attributed + untagged                      (attributed_difference = 0)
    budget_total = counted + not_counted + untagged           (counted_difference = 0)

The three terms are summed along separate paths (budget lines; the parts table after its joins; the per-line
remainder of the tag table), so a join that drops or duplicates a part shows up here. A failure raises
:class:`ReconciliationError`: it is a bug, never a data problem to be tolerated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N
from gcdb.budget.aggregate import sum_by
from gcdb.errors import GcdbError
from gcdb.i18n import Message, t


class ReconciliationError(GcdbError):
    """The budget analysis does not add up to the budget to the kuruş (``table`` holds the reconciliation)."""

    def __init__(self, message: str, table: pd.DataFrame):
        self.table = table
        super().__init__(message)


def untagged_remainder(lines: pd.DataFrame, tags: pd.DataFrame, phase: str) -> np.ndarray:
    """Per budget line (by ``row_id``): the line's amount minus the sum of its tag parts, exactly (int64)."""
    amount = lines[phase].to_numpy(dtype=np.int64)
    tagged = np.zeros(len(amount), dtype=np.int64)
    np.add.at(
        tagged, tags[C.ROW_ID].to_numpy(dtype=np.int64), tags[C.attributed(phase)].to_numpy(dtype=np.int64)
    )
    return amount - tagged


def reconciliation(
    lines: pd.DataFrame,
    in_years: np.ndarray,
    tags: pd.DataFrame,
    parts: pd.DataFrame,
    reading_frame: pd.DataFrame,
) -> pd.DataFrame:
    """Build the reconciliation table (:data:`gcdb.budget.names.RECONCILIATION_COLUMNS`).

    ``lines``: the whole prepared budget; ``in_years``: boolean mask of the analysed lines; ``tags``: the tag parts
    of those lines; ``parts``: the parts table; ``reading_frame``: ``scheme, reading`` of every reading, in order.
    """
    years, year_code = np.unique(lines[C.FISCAL_YEAR].to_numpy()[in_years], return_inverse=True)
    n_years, n_readings = len(years), len(reading_frame)
    budget = lines[list(N.PHASES)].to_numpy(dtype=np.int64)[in_years]
    rest = np.column_stack([untagged_remainder(lines, tags, p)[in_years] for p in N.PHASES])
    totals = sum_by(year_code, n_years, budget)
    untagged = sum_by(year_code, n_years, rest)

    readings = pd.MultiIndex.from_frame(reading_frame[[C.SCHEME, N.READING]])
    part_reading = readings.get_indexer(pd.MultiIndex.from_frame(parts[[C.SCHEME, N.READING]]))
    part_year = np.searchsorted(years, parts[C.FISCAL_YEAR].to_numpy())
    if np.any(part_reading < 0) or np.any(
        years[np.clip(part_year, 0, max(n_years - 1, 0))] != parts[C.FISCAL_YEAR]
    ):
        raise ReconciliationError(Message("budget.parts_outside"), parts)
    money = [name for p in N.PHASES for name in (N.attributed(p), N.counted(p), N.not_counted(p))]
    sums = sum_by(
        part_year * n_readings + part_reading, n_years * n_readings, parts[money].to_numpy(dtype=np.int64)
    )

    # rows: year × phase × reading
    year_idx = np.repeat(np.arange(n_years), 3 * n_readings)
    phase_idx = np.tile(np.repeat(np.arange(3), n_readings), n_years)
    reading_idx = np.tile(np.arange(n_readings), 3 * n_years)
    cell = sums[year_idx * n_readings + reading_idx].reshape(-1, 3, 3)  # (rows, phase, [att, cnt, not])
    picked = cell[np.arange(len(year_idx)), phase_idx]
    table = pd.DataFrame(
        {
            C.FISCAL_YEAR: years[year_idx],
            N.PHASE: np.asarray(N.PHASES, dtype=object)[phase_idx],
            C.SCHEME: reading_frame[C.SCHEME].to_numpy(dtype=object)[reading_idx],
            N.READING: reading_frame[N.READING].to_numpy(dtype=object)[reading_idx],
            N.BUDGET_TOTAL: totals[year_idx, phase_idx],
            N.ATTRIBUTED: picked[:, 0],
            N.UNTAGGED: untagged[year_idx, phase_idx],
            N.COUNTED: picked[:, 1],
            N.NOT_COUNTED: picked[:, 2],
        }
    )
    table[N.ATTRIBUTED_DIFFERENCE] = table[N.BUDGET_TOTAL] - table[N.ATTRIBUTED] - table[N.UNTAGGED]
    table[N.COUNTED_DIFFERENCE] = (
        table[N.BUDGET_TOTAL] - table[N.COUNTED] - table[N.NOT_COUNTED] - table[N.UNTAGGED]
    )
    table[N.BALANCED] = (table[N.ATTRIBUTED_DIFFERENCE] == 0) & (table[N.COUNTED_DIFFERENCE] == 0)
    return N.conform(table, N.RECONCILIATION_COLUMNS)


def check_reconciliation(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` if every row is balanced, else raise :class:`ReconciliationError` naming the rows."""
    failing = table[~table[N.BALANCED]]
    if failing.empty:
        return table
    shown = "; ".join(
        t("budget.off_by", year=y, phase=p, scheme=s, reading=r, attributed=a, counted=c)
        for y, p, s, r, a, c in zip(
            failing[C.FISCAL_YEAR].head(5),
            failing[N.PHASE].head(5),
            failing[C.SCHEME].head(5),
            failing[N.READING].head(5),
            failing[N.ATTRIBUTED_DIFFERENCE].head(5),
            failing[N.COUNTED_DIFFERENCE].head(5),
            strict=True,
        )
    )
    raise ReconciliationError(
        Message("budget.not_reconciled", n=len(failing), shown=shown),
        table,
    )


def check_summary(summary: pd.DataFrame, table: pd.DataFrame) -> None:
    """Cross-check the summary (built from the dense facts) against the reconciliation (built from the parts
    table): budget, attributed and counted totals must agree per year × reading × phase, else
    :class:`ReconciliationError`. Both tables are ordered by year then reading (the reconciliation by phase in
    between), so the rows of one phase line up with the summary's."""
    keys = [C.FISCAL_YEAR, C.SCHEME, N.READING]
    mine = summary[keys].to_numpy(dtype=object)
    for phase in N.PHASES:
        rec = table[(table[N.PHASE] == phase).to_numpy()]
        same_rows = len(rec) == len(summary) and (rec[keys].to_numpy(dtype=object) == mine).all()
        pairs = (
            (N.budget(phase), N.BUDGET_TOTAL),
            (N.attributed(phase), N.ATTRIBUTED),
            (N.counted(phase), N.COUNTED),
        )
        for ours, theirs in pairs:
            if not same_rows or not np.array_equal(summary[ours].to_numpy(), rec[theirs].to_numpy()):
                raise ReconciliationError(
                    Message("budget.summary_disagrees", ours=ours, theirs=theirs),
                    table,
                )
