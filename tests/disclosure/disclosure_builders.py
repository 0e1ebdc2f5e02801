"""Small linked tables for the disclosure tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gcdb.disclosure import DimensionSpec, cell_frame, register, with_margins
from gcdb.disclosure import spec as S


def grid(values: list[list[int]], rows: str = "r", cols: str = "c") -> pd.DataFrame:
    """Inner cells of a two-way table: row labels r0, r1 …, column labels c0, c1 …"""
    a = np.asarray(values)
    r, c = np.meshgrid(np.arange(a.shape[0]), np.arange(a.shape[1]), indexing="ij")
    return pd.DataFrame(
        {rows: [f"{rows}{i}" for i in r.ravel()], cols: [f"{cols}{j}" for j in c.ravel()], "n": a.ravel()}
    )


def table(inner: pd.DataFrame, dims: list[str], name: str = "t", value: str = "n") -> pd.DataFrame:
    return with_margins(inner, dims, [value])


def cells_of(tables: dict[str, pd.DataFrame], dims: list[str], measures=None, status=None, derived=()):
    """Register published tables (``{name: frame}``) whose value column ``n`` counts users."""
    frames = [
        cell_frame(
            t, name, measures or {"n": S.USERS}, dims, status=None if status is None else status.get(name)
        )
        for name, t in tables.items()
    ]
    return register(frames, [DimensionSpec(name=d) for d in dims], derived=list(derived))


def hide(t: pd.DataFrame, mask, kind: str = S.PRIMARY, column: str = "n"):
    """A published copy of ``t`` with the rows of ``mask`` hidden, and their status."""
    out = t.copy()
    mask = np.asarray(mask, dtype=bool)
    out[column] = out[column].astype("float64").mask(mask)
    status = np.where(mask, kind, "")
    return out, status
