"""Costing totals: what each action, target, area and unit asks for, per year, and the share that serves gender
equality under each weighting scheme — exact to the kuruş and reconciled across levels.

The counted part of a costing line under a scheme is ``weight × amount`` (the scheme's weight of the line's
category, ``methods.md`` §1), split from the line by the largest-remainder method so that counted + not counted =
the line, to the kuruş. Totals are integer sums of those per-line parts, so every level adds up to the same grand
total; :func:`check_totals` proves it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.budget.reconcile import ReconciliationError
from gcdb.costing import names as N
from gcdb.errors import UsageError
from gcdb.money import split_by_shares
from gcdb.schemes import DECLARED_SHARE, Scheme, SchemeSet, category_column, load_schemes

#: Schemes a costing line can be counted under by default.
DEFAULT_SCHEMES = ("eu_cpr", "ph_hgdg", "declared")
_ALL_YEARS = pd.NA

#: Level → the column holding its key.
LEVEL_KEYS = {
    N.Level.ACTION: C.ACTION_CODE,
    N.Level.TARGET: C.TARGET_CODE,
    N.Level.AREA: C.AREA,
    N.Level.UNIT: C.INSTITUTIONAL_CODE,
}


def costing_frame(costing) -> pd.DataFrame:
    """The per-year costing table of a :class:`~gcdb.costing.read.CostingRead` (or that table itself)."""
    frame = getattr(costing, "data", costing)
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(
            f"expected a costing read (gcdb.costing.read_costing) or its data, got {type(costing).__name__}"
        )
    missing = [c for c in (C.FISCAL_YEAR, C.ACTION_CODE, N.AMOUNT, N.EU_CPR) if c not in frame.columns]
    if missing:
        raise UsageError(f"the costing table lacks {missing}; read it with gcdb.costing.read_costing")
    return frame


def counted_parts(frame: pd.DataFrame, scheme: Scheme) -> np.ndarray:
    """Counted kuruş of each costing line-year under ``scheme`` (largest remainder; 0 without a category)."""
    if scheme.kind == "declared":
        category = pd.Series(np.where(frame[DECLARED_SHARE].notna(), "declared", np.array(None)), dtype="str")
    else:
        column = category_column(scheme.id)
        category = (
            frame[column] if column in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="str")
        )
    declared = frame[DECLARED_SHARE] if DECLARED_SHARE in frame.columns else None
    weights = scheme.weights(
        category.reset_index(drop=True), None if declared is None else declared.reset_index(drop=True)
    )
    n = len(frame)
    line = pd.Series(np.arange(n))
    return split_by_shares(frame[N.AMOUNT].reset_index(drop=True), line, pd.Series(weights)).to_numpy(
        dtype=np.int64
    )


def _categorised(frame: pd.DataFrame, scheme: Scheme) -> np.ndarray:
    if scheme.kind == "declared":
        return frame[DECLARED_SHARE].notna().to_numpy()
    column = category_column(scheme.id)
    return frame[column].notna().to_numpy() if column in frame.columns else np.zeros(len(frame), dtype=bool)


def costing_totals(
    costing,
    schemes: Iterable[str] = DEFAULT_SCHEMES,
    *,
    scheme_set: SchemeSet | None = None,
) -> pd.DataFrame:
    """Totals per level (action, target, area, unit = institutional code, total) × key × fiscal year × scheme,
    plus all years together (``fiscal_year`` NA). Columns :data:`gcdb.costing.names.TOTALS_COLUMNS`;
    ``categorised`` is the costed amount of the lines that carry a category under the scheme.
    """
    frame = costing_frame(costing).reset_index(drop=True)
    scheme_set = scheme_set or load_schemes()
    ids = list(schemes)
    unknown = [s for s in ids if s not in scheme_set]
    if unknown:
        raise UsageError(f"unknown weighting scheme(s) {unknown}; known: {', '.join(scheme_set.ids)}")
    frames = []
    for scheme_id in ids:
        scheme = scheme_set[scheme_id]
        added: dict[str, np.ndarray | str] = {
            N.COUNTED: counted_parts(frame, scheme),
            N.CATEGORISED: np.where(_categorised(frame, scheme), frame[N.AMOUNT].to_numpy(), 0),
            N.SCHEME: scheme_id,
        }
        parts = frame.assign(**added)
        frames.append(_levels(parts))
    if not frames:
        return N.conform(None, N.TOTALS_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[N.SHARE_COUNTED] = np.where(
            out[N.COSTED] > 0, out[N.COUNTED] / out[N.COSTED].where(out[N.COSTED] > 0, 1), np.nan
        )
    return check_totals(N.conform(out, N.TOTALS_COLUMNS))


def _levels(parts: pd.DataFrame) -> pd.DataFrame:
    """Sum costed and counted per level × key × year (and all years) for one scheme."""
    costed: dict[str, pd.Series | int] = {N.COSTED: parts[N.AMOUNT], N.COST_LINES: 1}
    parts = parts.assign(**costed)
    frames = []
    for level, column in (*LEVEL_KEYS.items(), (N.Level.TOTAL, None)):
        keys = [C.FISCAL_YEAR] if column is None else [C.FISCAL_YEAR, column]
        for all_years in (False, True):
            by = keys[1:] if all_years else keys
            if by:
                sums = parts.groupby(by, sort=True, dropna=False)[
                    [N.COST_LINES, N.COSTED, N.COUNTED, N.CATEGORISED]
                ].sum()
                sums = sums.reset_index()
                names = _unit_names(parts, by) if column is not None else None
                sums = sums.merge(names, on=by, how="left") if names is not None else sums
            else:
                sums = parts[[N.COST_LINES, N.COSTED, N.COUNTED, N.CATEGORISED]].sum().to_frame().T
            if all_years:
                sums[C.FISCAL_YEAR] = _ALL_YEARS
            sums[N.LEVEL] = level.value
            sums[N.KEY] = "" if column is None else sums[column].astype("str")
            if C.UNIT_NAME not in sums.columns:
                sums[C.UNIT_NAME] = pd.NA
            frames.append(sums)
    out = pd.concat(frames, ignore_index=True)
    out[N.SCHEME] = parts[N.SCHEME].iloc[0] if len(parts) else ""
    return out


def _unit_names(parts: pd.DataFrame, by: list[str]) -> pd.DataFrame | None:
    """The unit names of each key (``|``-joined, sorted), from the distinct key × unit pairs."""
    if C.UNIT_NAME not in parts.columns:
        return None
    pairs = parts[[*by, C.UNIT_NAME]].drop_duplicates().sort_values(C.UNIT_NAME)
    return pairs.groupby(by, sort=False, dropna=False)[C.UNIT_NAME].agg("|".join).reset_index()


def check_totals(totals: pd.DataFrame) -> pd.DataFrame:
    """Raise :class:`gcdb.budget.ReconciliationError` unless, per scheme and year (and all years), the actions,
    targets, areas and units each add up to the total, for the costed and the counted amounts."""
    money = [N.COSTED, N.COUNTED]
    year = totals[C.FISCAL_YEAR].astype("Int64").fillna(-1)
    sums = totals.assign(_y=year).groupby([N.SCHEME, "_y", N.LEVEL], sort=False)[money].sum()
    wide = sums.unstack(N.LEVEL)
    for amount in money:
        table = wide[amount]
        total = table[N.Level.TOTAL.value]
        for level in LEVEL_KEYS:
            if level.value in table.columns and not (table[level.value] == total).all():
                raise ReconciliationError(
                    f"costing totals by {level.value} do not add up to the total ({amount})", totals
                )
    return totals
