"""Building blocks for registering any table: margins of a count table and its cell frame."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from gcdb.disclosure import spec as S
from gcdb.errors import UsageError


def with_margins(inner: pd.DataFrame, dims: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    """The table of ``inner`` (one row per inner cell) with every margin: each dimension also at its total
    (:data:`gcdb.disclosure.spec.TOTAL`), values summed. Rows: the grand total first, inner cells last."""
    dims, values = list(dims), list(values)
    missing = [c for c in (*dims, *values) if c not in inner.columns]
    if missing:
        raise UsageError(f"the inner cells lack the column(s) {', '.join(missing)}")
    parts = []
    for totals in itertools.product([True, False], repeat=len(dims)):
        kept = [d for d, t in zip(dims, totals, strict=True) if not t]
        if kept:
            agg = inner.groupby(kept, as_index=False, sort=True)[values].sum()
        else:
            agg = inner[values].sum().to_frame().T
        for d, t in zip(dims, totals, strict=True):
            if t:
                agg[d] = S.TOTAL
        parts.append(agg[[*dims, *values]])
    out = pd.concat(parts, ignore_index=True)
    for d in dims:
        out[d] = out[d].astype("str")
    return out


def cell_frame(
    table: pd.DataFrame,
    name: str,
    measures: Mapping[str, str],
    dimensions: Sequence[str],
    *,
    fixed: Mapping[str, str] | None = None,
    status: pd.Series | np.ndarray | None = None,
) -> pd.DataFrame:
    """The cell frame of a published table: one entry per row and measure column (``measures``: column →
    measure). Dimensions the table lacks are at their total, or at ``fixed[dimension]``; ``status``: the
    published marks (``primary``/``secondary``/``""``), default from the values (hidden where missing)."""
    fixed = dict(fixed or {})
    n = len(table)
    rows = np.arange(n, dtype=np.int64)
    parts = []
    for column, measure in measures.items():
        values = pd.to_numeric(table[column]).to_numpy(dtype=np.float64, na_value=np.nan)
        if status is None:
            mark = np.where(np.isnan(values), "hidden", S.PUBLISHED)
        else:
            mark = np.asarray(status, dtype=object)
        frame = pd.DataFrame(
            {
                S.TABLE: pd.array([name] * n, dtype="str"),
                S.ROW: rows,
                S.COLUMN: pd.array([column] * n, dtype="str"),
                S.MEASURE: pd.array([measure] * n, dtype="str"),
                S.VALUE: values,
                S.STATUS: pd.array(mark, dtype="str"),
            }
        )
        for d in dimensions:
            if d in table.columns:
                frame[d] = table[d].astype("str").fillna(S.TOTAL).to_numpy()
            else:
                frame[d] = fixed.get(d, S.TOTAL)
            frame[d] = frame[d].astype("str")
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)
