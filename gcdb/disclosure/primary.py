"""Primary suppression: the cells that may not be published as they are (:class:`gcdb.disclosure.spec.Policy`).

* a count of persons or records with 0 < n < k;
* a quantity with 0 < q < k units (a quantity in whole units — nights, sessions, screenings — of fewer than k
  units comes from fewer than k persons; ``Policy.quantity_k`` sets the threshold or turns the rule off);
* an amount dominated by its largest contributors (p % rule, ``Policy.dominance_p``): with x1 ≥ x2 the two
  largest contributions to a total T, the cell is sensitive when T − x1 − x2 < p/100 · x1 — the second largest
  contributor, subtracting its own share, would learn the largest within p %. Needs ``top1``/``top2``
  (:func:`top_contributions`).

A cell is hidden as a whole: every measure of it (persons, records, quantity, amount) and every number derived
from it (rate, share, amount per person).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gcdb.disclosure import spec as S
from gcdb.disclosure.cells import Cells

#: Why a cell is primary (a ``;``-joined list in the results).
SMALL_COUNT, SMALL_QUANTITY, DOMINANCE = "small_count", "small_quantity", "dominance"


def primary_cells(cells: Cells, policy: S.Policy) -> tuple[np.ndarray, np.ndarray]:
    """Primary cells (mask over the registry's cells) and the reason of each (``""`` when not primary)."""
    n = cells.n_cells
    reason = np.full(n, "", dtype=object)

    def add(mask: np.ndarray, why: str) -> None:
        nonlocal reason
        reason = np.where(mask, np.where(reason == "", why, reason + ";" + why), reason)

    measures = cells.measures()
    for m in (S.USERS, S.USES):
        if m in measures:
            v, _, _ = cells.values(m)
            add((v > 0) & (v < policy.k), SMALL_COUNT)
    q_k = policy.quantity_threshold
    if q_k is not None and S.QUANTITY in measures:
        v, _, _ = cells.values(S.QUANTITY)
        add((v > 0) & (v < q_k), SMALL_QUANTITY)
    if policy.dominance_p is not None and S.AMOUNT in measures and S.TOP1 in cells.entries.columns:
        e = cells.entries[(cells.entries[S.MEASURE] == S.AMOUNT).to_numpy()]
        total = e[S.VALUE].to_numpy(dtype=np.float64, na_value=np.nan)
        x1 = pd.to_numeric(e[S.TOP1]).to_numpy(dtype=np.float64, na_value=np.nan)
        x2 = np.nan_to_num(pd.to_numeric(e[S.TOP2]).to_numpy(dtype=np.float64, na_value=np.nan))
        sensitive = (x1 > 0) & (total - x1 - x2 < policy.dominance_p / 100.0 * x1)
        hit = np.zeros(n, dtype=bool)
        hit[e[S.CELL].to_numpy(dtype=np.int64)[sensitive]] = True
        add(hit, DOMINANCE)
    return reason != "", reason


def top_contributions(contributions: pd.DataFrame, keys: Sequence[str], value: str) -> pd.DataFrame:
    """The largest two contributions per group of ``keys``: columns ``*keys, top1, top2`` (top2 0 for one
    contributor). ``contributions``: one row per contributor (a person's total in the cell)."""
    frame = contributions[[*keys, value]].sort_values([*keys, value], ascending=[True] * len(keys) + [False])
    rank = frame.groupby(list(keys), sort=False).cumcount().to_numpy()
    first = frame[rank == 0].rename(columns={value: S.TOP1})
    second = frame[rank == 1].rename(columns={value: S.TOP2})
    out = first.merge(second, on=list(keys), how="left")
    out[S.TOP2] = out[S.TOP2].fillna(0.0)
    return out.reset_index(drop=True)
