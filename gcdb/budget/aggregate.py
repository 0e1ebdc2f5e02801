"""Exact, vectorised group sums for the budget tables.

Tag parts are *facts*: one row per part × scheme reading, with six int64 money columns (attributed and counted,
per phase). A breakdown groups facts by a key (department, functional code, action …) within a fiscal year and
by reading. Keys are factorised once per column (sorted, missing keys last); sums are one unbuffered
``np.add.at`` over int64 — exact, no floats, no per-group Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget import names as N

#: Money columns carried by the facts, in this order.
FACT_MONEY = tuple(N.attributed(p) for p in N.PHASES) + tuple(N.counted(p) for p in N.PHASES)


def sum_by(codes: np.ndarray, n: int, values: np.ndarray) -> np.ndarray:
    """Sum the rows of int64 ``values`` (m × k) into ``n`` groups given by ``codes`` (0..n-1), exactly (int64)."""
    values = np.asarray(values, dtype=np.int64)
    if values.ndim == 1:
        values = values[:, None]
    out = np.zeros((n, values.shape[1]), dtype=np.int64)
    np.add.at(out, np.asarray(codes, dtype=np.int64), values)
    return out


def group_codes(keys: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of every row of ``keys`` and the distinct key rows, sorted by value, missing values last.

    Each column is factorised (sorted) once; the per-column codes are combined into one integer per row.
    """
    combined = np.zeros(len(keys), dtype=np.int64)
    factors = []
    for name in keys.columns:
        codes, uniques = pd.factorize(keys[name], sort=True, use_na_sentinel=True)
        size = len(uniques) + 1  # the last code stands for a missing value
        combined = combined * size + np.where(codes < 0, len(uniques), codes)
        factors.append((name, uniques, size))
    groups, inverse = np.unique(combined, return_inverse=True)
    columns = {}
    rest = groups
    for name, uniques, size in reversed(factors):
        index = rest % size
        rest = rest // size
        values = (
            pd.array(uniques, dtype=keys[name].dtype)
            if len(uniques)
            else pd.array([], dtype=keys[name].dtype)
        )
        columns[name] = values.take(np.where(index == len(uniques), -1, index), allow_fill=True)
    table = pd.DataFrame({name: columns[name] for name in keys.columns})
    return inverse.reshape(-1).astype(np.int64), table


@dataclass(frozen=True)
class Facts:
    """Dense view of the parts table used by every breakdown.

    ``money[i, r, k]``: money column ``k`` (:data:`FACT_MONEY` order) of tag part ``i`` (position in the analysed
    tag table) under reading ``r``; ``scheme``/``reading_name``: per reading index.
    """

    money: np.ndarray
    scheme: tuple[str, ...]
    reading_name: tuple[str, ...]

    @classmethod
    def build(
        cls, part: np.ndarray, reading: np.ndarray, values: np.ndarray, n_parts: int, readings
    ) -> Facts:
        """Scatter long rows (``part``, ``reading``, ``values`` m·V × 6) into the dense array."""
        money = np.zeros((n_parts, len(readings), len(FACT_MONEY)), dtype=np.int64)
        money[part, reading] = values
        return cls(money, tuple(r[0] for r in readings), tuple(r[1] for r in readings))

    @property
    def n_readings(self) -> int:
        return len(self.scheme)


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator != 0, numerator / np.where(denominator != 0, denominator, 1.0), np.nan)


def execution(counted_revised: np.ndarray, counted_expenditure: np.ndarray) -> dict[str, object]:
    """``execution_rate`` = expenditure ÷ revised appropriation; NaN with a reason where revised is 0."""
    return {
        N.EXECUTION_RATE: ratio(counted_expenditure, counted_revised),
        N.EXECUTION_RATE_REASON: pd.Series(
            np.where(counted_revised == 0, N.Reason.ZERO_REVISED_APPROPRIATION.value, np.array(None)),
            dtype="str",
        ),
    }


def breakdown(
    key_table: pd.DataFrame,
    part_group: np.ndarray,
    facts: Facts,
    year_totals: pd.DataFrame,
    columns: tuple[str, ...],
    *,
    own_budget: np.ndarray | None = None,
    rename: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per key (``key_table``, first column ``fiscal_year``) × reading, ordered by year, reading, key.

    ``part_group``: the key-table row of every tag part; ``year_totals``: budget per year (index) and phase;
    ``own_budget``: (groups × 3) budget of each key, adding ``budget_<phase>`` and ``share_<phase>`` columns.
    """
    n_groups, v = len(key_table), facts.n_readings
    k = len(FACT_MONEY)
    sums = sum_by(part_group, n_groups, facts.money.reshape(len(part_group), v * k)).reshape(n_groups * v, k)
    group = np.repeat(np.arange(n_groups), v)
    reading = np.tile(np.arange(v), n_groups)
    year = key_table[C.FISCAL_YEAR].to_numpy(dtype=np.int64)
    order = np.lexsort((group, reading, year[group]))
    group, reading, sums = group[order], reading[order], sums[order]

    out: dict[str, object] = {
        name: key_table[name].take(group).reset_index(drop=True) for name in key_table.columns
    }
    out[C.SCHEME] = pd.array(facts.scheme, dtype="str").take(reading)
    out[N.READING] = pd.array(facts.reading_name, dtype="str").take(reading)
    row_year = year[group]
    for i, name in enumerate(FACT_MONEY):
        out[name] = sums[:, i]
    for i, phase in enumerate(N.PHASES):
        counted = sums[:, 3 + i]
        if own_budget is not None:
            out[N.budget(phase)] = own_budget[group, i]
            out[N.share(phase)] = ratio(counted, own_budget[group, i])
        totals = year_totals[phase].reindex(row_year).to_numpy(dtype=np.int64)
        out[N.share_of_total(phase)] = ratio(counted, totals)
    out |= execution(sums[:, 4], sums[:, 5])
    frame = pd.DataFrame(out)
    if rename:
        frame = frame.rename(columns=rename)
    return N.conform(frame, columns)
