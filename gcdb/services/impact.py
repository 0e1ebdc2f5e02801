"""Ratio tables for one fiscal year: one :func:`gcdb.equality.impact_table` call per pass, with uses and quantity
per cell and the kind of suppression of every hidden cell.

A *pass* (see :func:`gcdb.services.options.plan_passes`) is a set of comparisons published together: disclosure
control runs once over all of them, so no published margin of the pass gives a hidden cell away. Passes on status
dimensions (disability, migrant status) use the records where that status is known.

The primary/secondary split: ``impact_table`` hides a cell whose count of persons is 1 … k − 1 (primary) and the
cells that would give it away (secondary). The same cells' unsuppressed counts (with uses and quantity) are read
from the cube ``impact_table`` counted them in (:func:`gcdb.equality.ratios.impact_with_cube`, built once per
pass; :func:`gcdb.equality.breakdown` only when it counted other records); a hidden cell whose own count is below k
is ``primary``, any other hidden cell ``secondary``. The unsuppressed counts never leave this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import breakdown, heat_measures
from gcdb.equality import names as N
from gcdb.equality.baseline import pooled_migrants
from gcdb.equality.breakdown import USES_WEIGHT, margin_counts
from gcdb.equality.categories import by_values, value_codes
from gcdb.equality.eligibility import CRITERIA, Eligibility
from gcdb.equality.flags import DEFAULT_RULE, UnderServedRule, classify
from gcdb.equality.ratios import impact_with_cube
from gcdb.services import names as S
from gcdb.services.options import Pass

_RAW = "_raw_users"


def known_status(usage: pd.DataFrame, dimension: str) -> np.ndarray:
    """Rows whose ``dimension`` is recorded (not missing, not ``unknown``); computed on the distinct values."""
    if dimension not in usage.columns:
        return np.zeros(len(usage), dtype=bool)
    codes, uniques = value_codes(usage[dimension])
    ok = np.asarray([str(u) != C.UNKNOWN for u in uniques] + [False], dtype=bool)
    return ok[codes]  # code -1 (missing) reads the last entry


def pass_columns(usage: pd.DataFrame, p: Pass) -> list[str]:
    """The columns of ``usage`` a pass reads (counts, its dimensions, the eligibility criteria), in their order."""
    wanted = {
        C.SERVICE_CODE,
        C.PERSON_ID,
        USES_WEIGHT,
        C.QUANTITY,
        *CRITERIA,
        *_with_parents(tuple(p.dimensions)),
    }
    if C.AGE not in usage.columns:
        wanted.add(C.AGE_BAND)  # eligibility's age check falls back on the band
    return [c for c in usage.columns if c in wanted]


def pool_migrants(usage: pd.DataFrame) -> pd.DataFrame:
    """Refugees and people under temporary protection counted as ``migrant``, as the population baseline does."""
    if C.MIGRANT_STATUS not in usage.columns:
        return usage
    return usage.assign(**{C.MIGRANT_STATUS: pooled_migrants(usage[C.MIGRANT_STATUS])})


def pass_categories(usage: pd.DataFrame, population: pd.DataFrame, p: Pass) -> dict[str, object]:
    """Explicit categories for a pass: sexes present in the records or the baseline (no empty ``other`` and
    ``unknown`` rows), and only the recorded values of the status dimensions the pass compares; categorical
    columns categorised by their values (:data:`~gcdb.equality.categories.BY_VALUES`)."""
    categories = by_values(usage)
    if C.SEX in p.dimensions:
        present = {str(v) for v in pd.unique(usage[C.SEX].dropna())}  # distinct first: millions of rows
        if C.SEX in population.columns:
            present |= set(pd.unique(population[C.SEX].dropna().astype("str")).tolist())
        if usage[C.SEX].isna().any():
            present.add(C.UNKNOWN)
        categories[C.SEX] = [c for c in C.SEX_CODES if c in present] + sorted(present - set(C.SEX_CODES))
    if C.DISABILITY in p.known:
        categories[C.DISABILITY] = [C.YES, C.NO]
    if C.MIGRANT_STATUS in p.known:
        categories[C.MIGRANT_STATUS] = [C.CITIZEN, C.MIGRANT]
    elif C.MIGRANT_STATUS in p.dimensions:
        categories[C.MIGRANT_STATUS] = [C.CITIZEN, C.MIGRANT, C.UNKNOWN]
    return categories


def _with_parents(entry: tuple[str, ...]) -> list[str]:
    out = list(entry)
    for name in entry:
        parent = N.NESTED_IN.get(name)
        if parent is not None and parent not in out:
            out.append(parent)
    return [d for d in N.DIMENSIONS if d in out]


def run_pass(
    usage: pd.DataFrame,
    population: pd.DataFrame,
    p: Pass,
    *,
    fiscal_year: int,
    reference: Mapping[str, str],
    k: int,
    z: float,
    audit: bool,
    eligibility: Mapping[str, Eligibility] | None = None,
    rule: UnderServedRule = DEFAULT_RULE,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ratio table of one pass (columns :data:`~gcdb.services.names.IMPACT_COLUMNS`) and its HEAT measures.

    ``usage`` and ``population`` are already restricted to ``fiscal_year``; ``usage`` holds the records inside
    their service's eligibility, whose population ``impact_table`` takes as denominator.
    """
    known = np.ones(len(usage), dtype=bool)
    for dimension in p.known:
        known &= known_status(usage, dimension)
    if known.all():
        records = usage
    else:  # one copy of the rows, not one per dimension, of the columns the pass reads
        records = usage.loc[known, pass_columns(usage, p)].reset_index(drop=True)
    del known
    if C.MIGRANT_STATUS in p.dimensions:
        records = pool_migrants(records)
    categories = pass_categories(records, population, p)
    refs = {e[0]: reference[e[0]] for e in p.entries}
    names = p.dimensions
    measures = [N.USERS, N.USES] + ([N.QUANTITY] if C.QUANTITY in records.columns else [])
    table, cube, counted = impact_with_cube(
        records,
        population,
        list(p.entries),
        service=C.SERVICE_CODE,
        reference=refs,
        k=k,
        z=z,
        categories=categories,
        pool_migrants=True,  # already pooled above; True gives ``migrant`` its migrant_population denominator
        audit=audit,
        eligibility=eligibility,
        also=measures,
    )
    with np.errstate(all="ignore"):  # SII/RII of all-zero sets: NaN with a reason, not a warning
        heat = heat_measures(
            table[table[N.DIMENSION].isin(S.HEAT_DIMENSIONS).to_numpy()], service=C.SERVICE_CODE
        )
    heat = heat.assign(**{S.FISCAL_YEAR: np.int64(fiscal_year)})[list(S.HEAT_COLUMNS)]

    margins = sorted({tuple(_with_parents(e)) for e in p.entries})
    keys = [C.SERVICE_CODE, *names]
    if counted == len(records) and [d.name for d in cube.dims] == names:
        counts = margin_counts(cube, [list(m) for m in margins], measures)  # the cube counted these records
    else:
        counts = breakdown(
            records,
            names,
            service=C.SERVICE_CODE,
            measure=measures,
            categories=categories,
            margins=[list(m) for m in margins],
            population=population,
        )
    counts = counts.rename(columns={N.USERS: _RAW})
    table = table.merge(counts, on=keys, how="left", validate="many_to_one", sort=False)
    return finish(table, fiscal_year, k, rule), heat.reset_index(drop=True)


def finish(
    table: pd.DataFrame, fiscal_year: int, k: int, rule: UnderServedRule = DEFAULT_RULE
) -> pd.DataFrame:
    """Add the suppression kind, hide uses and quantity with the persons, fill absent dimension columns with
    :data:`~gcdb.equality.names.TOTAL` and order the columns as :data:`~gcdb.services.names.IMPACT_COLUMNS`."""
    hidden = table[N.SUPPRESSED].to_numpy(dtype=bool)
    raw = (
        table[_RAW].to_numpy(dtype=np.float64, na_value=np.nan)
        if _RAW in table
        else np.full(len(table), np.nan)
    )
    primary = hidden & (raw > 0) & (raw < k)
    kind = np.where(primary, S.PRIMARY, np.where(hidden, S.SECONDARY, ""))
    out = table.drop(columns=[_RAW], errors="ignore")
    out[N.SUPPRESSION] = pd.array(kind, dtype="str")
    nullable: tuple[tuple[str, Literal["Int64", "Float64"]], ...] = (
        (N.USES, "Int64"),
        (N.QUANTITY, "Float64"),
    )
    for name, dtype in nullable:
        if name in out:
            out[name] = out[name].astype(dtype).mask(hidden)
        else:
            out[name] = pd.Series(pd.NA, index=out.index, dtype=dtype)
    for name in N.DIMENSIONS:
        if name not in out:
            out[name] = pd.array([N.TOTAL] * len(out), dtype="str")
    out[S.FISCAL_YEAR] = np.int64(fiscal_year)
    out[N.STATUS] = pd.array(classify(out, rule), dtype="str")
    return out[list(S.IMPACT_COLUMNS)]
