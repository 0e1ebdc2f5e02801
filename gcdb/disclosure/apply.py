"""Applying a protection to the published tables, and the whole run for the equality-in-services tables.

* :func:`mask_tables` hides every number of a hidden cell in every table (and, on its rows, every statistic
  made from it: rates, intervals, ratios, shares), marks the rows ``suppressed`` / ``suppression``, and hides the
  comparison statistics of rows whose reference group or stratum total is hidden (:func:`mask_comparisons`);
* :func:`protect_analysis` registers the unsuppressed tables of an analysis (``analyse_services(..., k=1)``),
  runs the engine on them with the records as inner cells, and returns the tables to publish, the protection
  and the attacker's check of those very tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.disclosure import spec as S
from gcdb.disclosure.attack import AttackReport, attack
from gcdb.disclosure.cells import Cells, register
from gcdb.disclosure.engine import Protection, protect
from gcdb.equality import names as N

#: Numeric columns that stay on a hidden row: public numbers (residents, budget money) and keys.
PUBLIC_COLUMNS = (
    C.FISCAL_YEAR,
    N.POPULATION,
    N.POPULATION_SHARE,
    "spending",
    "rank",
    "n_groups",
)


def mask_tables(tables: Mapping[str, pd.DataFrame], protection: Protection) -> dict[str, pd.DataFrame]:
    """The tables with every hidden number removed (see the module docstring); tables the registry does not
    know are returned unchanged."""
    entries = protection.entries()
    hidden = entries[entries["hidden"].to_numpy()]
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        mine = hidden[(hidden[S.TABLE] == name).to_numpy()]
        if mine.empty:
            out[name] = frame
            continue
        t = frame.reset_index(drop=True).copy()
        rows = np.unique(mine[S.ROW].to_numpy(dtype=np.int64))
        row_mask = np.zeros(len(t), dtype=bool)
        row_mask[rows] = True
        for column, part in mine.groupby(S.COLUMN, sort=False):
            m = np.zeros(len(t), dtype=bool)
            m[part[S.ROW].to_numpy(dtype=np.int64)] = True
            t[column] = t[column].mask(m)
        whole_rows = _whole_rows(t, mine, protection, name)
        for col in t.columns:
            if col in PUBLIC_COLUMNS or not pd.api.types.is_numeric_dtype(t[col]):
                continue
            if pd.api.types.is_bool_dtype(t[col]):
                continue
            t[col] = t[col].mask(whole_rows)
        primary_rows = np.zeros(len(t), dtype=bool)
        prim = mine[(mine[S.STATUS] == S.PRIMARY).to_numpy()]
        primary_rows[np.unique(prim[S.ROW].to_numpy(dtype=np.int64))] = True
        if N.SUPPRESSED in t.columns:
            t[N.SUPPRESSED] = row_mask
        if N.SUPPRESSION in t.columns:
            kind = np.where(primary_rows, S.PRIMARY, np.where(row_mask, S.SECONDARY, ""))
            t[N.SUPPRESSION] = pd.array(kind, dtype="str")
        out[name] = mask_comparisons(t)
    return out


#: Comparison statistics of a ratio table row, made of its reference group's (or its stratum's) count too.
COMPARISON_COLUMNS = (
    N.RATE_RATIO,
    N.RATIO_CI_LOW,
    N.RATIO_CI_HIGH,
    N.CI_EXCLUDES_ONE,
    N.RATE_DIFFERENCE,
    N.RD_CI_LOW,
    N.RD_CI_HIGH,
    N.EXPECTED_USERS,
    N.USERS_MISSING,
    N.FLAG,
)
_RATIO_KEYS = (C.FISCAL_YEAR, C.SERVICE_CODE, N.DIMENSION, N.STRATA)


def mask_comparisons(t: pd.DataFrame) -> pd.DataFrame:
    """Hide the comparison statistics of a ratio table (``impact``) that would give a hidden count away: the
    ratio and difference of a row whose reference group is hidden (the reference rate is the row's rate over its
    ratio), and — when the stratum's total is hidden — the ratios against ``(rest)`` (the rest is the total
    minus the group) and the representation index (the pooled rate is the row's rate over its index)."""
    needed = (*_RATIO_KEYS, N.GROUP, N.REFERENCE_GROUP, N.SUPPRESSED)
    if any(c not in t.columns for c in needed):
        return t
    dims = [d for d in N.DIMENSIONS if d in t.columns]
    keys = [*_RATIO_KEYS, *dims]
    hidden = t[[*keys, N.SUPPRESSED]].astype({d: "str" for d in dims}).drop_duplicates(keys)
    hidden = hidden.rename(columns={N.SUPPRESSED: "_ref_hidden"})
    compared = t[N.DIMENSION].astype("str").to_numpy(dtype=object)
    ref = t[N.REFERENCE_GROUP].astype("str").fillna("").to_numpy(dtype=object)
    probe = t[keys].astype({d: "str" for d in dims}).copy()
    total = probe.copy()
    for d in dims:
        mine = compared == d
        probe.loc[mine, d] = np.where(ref[mine] == N.REST, N.TOTAL, ref[mine])
        total.loc[mine, d] = N.TOTAL
    ref_hidden = probe.merge(hidden, on=keys, how="left")["_ref_hidden"].fillna(False).to_numpy(dtype=bool)
    tot_hidden = total.merge(hidden, on=keys, how="left")["_ref_hidden"].fillna(False).to_numpy(dtype=bool)
    out = t.copy()
    for col in COMPARISON_COLUMNS:
        if col in out.columns:
            out[col] = out[col].mask(ref_hidden)
    if N.REPRESENTATION_INDEX in out.columns:
        out[N.REPRESENTATION_INDEX] = out[N.REPRESENTATION_INDEX].mask(tot_hidden)
    return out


def _whole_rows(t: pd.DataFrame, mine: pd.DataFrame, protection: Protection, name: str) -> np.ndarray:
    """Rows whose every registered number is hidden: all their statistics go. A row that keeps some of its
    numbers (headline: users shown, women hidden) loses only the derived numbers made of the hidden ones."""
    e = protection.cells.entries
    e = e[(e[S.TABLE] == name).to_numpy()]
    total = e.groupby(S.ROW).size()
    gone = mine.groupby(S.ROW).size()
    full = gone[gone.index.isin(total.index)]
    full = full[full.to_numpy() == total.reindex(full.index).to_numpy()]
    mask = np.zeros(len(t), dtype=bool)
    mask[full.index.to_numpy(dtype=np.int64)] = True
    der = protection.cells.derived
    if len(der):
        d = der[(der[S.TABLE] == name).to_numpy()]
        if len(d):
            nc, dc = d["num_cell"].to_numpy(dtype=np.int64), d["den_cell"].to_numpy(dtype=np.int64)
            h = protection.hidden
            gone_d = ((nc >= 0) & h[np.maximum(nc, 0)]) | ((dc >= 0) & h[np.maximum(dc, 0)])
            for column, part in d[gone_d].groupby(S.COLUMN, sort=False):
                if column in t.columns:
                    m = np.zeros(len(t), dtype=bool)
                    m[part[S.ROW].to_numpy(dtype=np.int64)] = True
                    t[column] = t[column].mask(m)
    return mask


@dataclass(frozen=True)
class ProtectedTables:
    """The tables to publish, the protection that made them, and the attacker's report on them."""

    tables: dict[str, pd.DataFrame]
    protection: Protection
    audit: AttackReport


def protect_analysis(
    tables: Mapping[str, pd.DataFrame],
    *,
    usage: pd.DataFrame,
    service_tags: Any = None,
    indicators: Any = None,
    services: pd.DataFrame | None = None,
    policy: S.Policy | None = None,
) -> ProtectedTables:
    """Protect the tables of an unsuppressed equality-in-services analysis (``analyse_services(..., k=1)``).

    ``usage``: the analysed records (their dimension columns are the inner cells); ``service_tags``: the
    services rule set's tags (inner cells of benefit incidence pairs that are not a whole service);
    ``indicators``/``services``: the indicator definitions and the service catalogue (what filters mean).
    The returned ``audit`` is the attacker run on the returned tables themselves, registered afresh.
    """
    from gcdb.disclosure import services as DS

    policy = policy or S.Policy()
    indicators = _loaded(indicators)
    pairs = DS.pair_codes(tables)
    whole = DS.whole_universes(tables, services)
    cell_frames, derived = DS.analysis_cells(
        tables, indicators=indicators, services=services, pairs=pairs, whole=whole
    )
    if service_tags is not None:
        from gcdb.disclosure.incidence import incidence_tops, with_tops

        cell_frames = with_tops(cell_frames, incidence_tops(dict(tables), usage, service_tags))
    eligibility = DS.eligibility_from(tables, services)
    atoms = DS.usage_atoms(usage, eligibility)
    if service_tags is not None:
        atoms = pd.concat(
            [atoms, DS.incidence_atoms(usage, service_tags, pairs, eligibility)], ignore_index=True
        )
    cells = register(cell_frames, DS.dimensions(), derived=derived, atoms=atoms)
    protection = protect(cells, atoms=atoms, policy=policy, priority=DS.priority(cells))
    masked = mask_tables(tables, protection)
    published_frames, published_derived = DS.analysis_cells(
        masked, indicators=indicators, services=services, pairs=pairs, whole=whole
    )
    # the records complete the leaves as they did for the protection (a neighbourhood unknown in the records is
    # a part of its district that no table names): the same cells, so the protection's relations serve the audit
    published = register(published_frames, DS.dimensions(), derived=published_derived, atoms=atoms)
    rel = protection.relations if _same_keys(published, protection.cells) else None
    audit = attack(published, k=policy.k, seed=policy.seed + 2, rel=rel)
    return ProtectedTables(masked, protection, audit)


def _loaded(indicators: Any) -> Any:
    """Indicator definitions loaded once (a path is read here, not once per registration)."""
    from pathlib import Path

    if isinstance(indicators, str | Path):
        from gcdb.indicators import load_indicators

        return load_indicators(indicators)
    return indicators


def _same_keys(a: Cells, b: Cells) -> bool:
    """Whether two registries hold the same cells (keys and ids) and the same published zeros: the relations
    of one are then those of the other (they follow from the keys and the zeros alone)."""
    if a.n_cells != b.n_cells or len(a.dimensions) != len(b.dimensions):
        return False
    for da, db, sa, sb in zip(a.dimensions, b.dimensions, a.sets, b.sets, strict=True):
        if da.leaves != db.leaves or not np.array_equal(da.members, db.members) or not np.array_equal(sa, sb):
            return False
    return bool(np.array_equal(_zero_cells(a), _zero_cells(b)))


def _zero_cells(cells: Cells) -> np.ndarray:
    e = cells.entries
    zero = e[S.MEASURE].isin([S.USERS, S.USES]).to_numpy() & (e[S.VALUE].to_numpy(dtype=np.float64) == 0)
    return np.unique(e[S.CELL].to_numpy(dtype=np.int64)[zero])
