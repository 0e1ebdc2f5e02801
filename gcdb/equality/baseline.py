"""Population denominators for the cells of a breakdown (methods.md §2).

The baseline (ADNKS) counts residents by ``district`` [× ``neighbourhood``] × ``sex`` × ``age_band``, with optional
``disabled_population`` and ``migrant_population`` columns on the same rows. A cell's denominator is the sum of the
baseline rows that match it on every dimension it splits by.

Derived dimensions, and their limits:

* **disability**: ``yes`` → ``disabled_population``, ``no`` → ``population − disabled_population``; ``unknown``
  has no denominator.
* **migrant status**: ``citizen`` → ``population − migrant_population``; ``migrant`` → ``migrant_population``,
  i.e. *every* non-citizen resident the baseline counts. The baseline does not split refugees from people under
  temporary protection, so :func:`gcdb.equality.impact_table` pools the usage codes ``migrant``, ``refugee`` and
  ``temporary_protection`` into ``migrant`` before comparing (``pool_migrants=True``); unpooled, those codes have
  no denominator. ADNKS registers foreign nationals with a residence permit; people under temporary protection are
  registered by the migration authority and may be missing from ``migrant_population``, which then overstates the
  migrant rate. ``unknown`` has no denominator.
* disability × migrant status together: the baseline has no joint count, so no denominator.

Baseline rows whose district or neighbourhood is not among the analysed categories are left out (they are
outside the analysis); a sex or age band the usage records do not know is an error (mismatched age bands would
silently shrink every denominator).

Never invented: a cell the baseline cannot give gets NaN and the reason ``no_baseline:<dimension>`` — the
dimension whose category (or column) is missing from the baseline, or ``a+b`` when each category exists but not
their combination.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.equality import names as N
from gcdb.equality.breakdown import free_dims
from gcdb.equality.categories import Dim
from gcdb.errors import DataValidationError, UsageError
from gcdb.text import sorted_categorical

#: Usage codes of migrant status pooled into ``migrant`` to match ``migrant_population``.
POOLED_MIGRANT_CODES = (C.MIGRANT, C.REFUGEE, C.TEMPORARY_PROTECTION)


def pooled_migrants(status: pd.Series) -> pd.Series:
    """``status`` with the :data:`POOLED_MIGRANT_CODES` as ``migrant``: text stays text; a categorical column stays
    categorical (categories sorted as text), pooled on its categories instead of its millions of rows."""
    if isinstance(status.dtype, pd.CategoricalDtype):
        names = np.array([str(c) for c in status.cat.categories], dtype=object)
        pooled = np.where(np.isin(names, POOLED_MIGRANT_CODES), C.MIGRANT, names)
        return pd.Series(
            sorted_categorical(status.cat.codes.to_numpy(), pooled), index=status.index, name=status.name
        )
    text = status.astype("str")
    return text.where(~text.isin(POOLED_MIGRANT_CODES), C.MIGRANT)


_DIRECT = (C.SEX, C.AGE_BAND, C.DISTRICT, C.NEIGHBOURHOOD)


def select_year(
    usage: pd.DataFrame, population: pd.DataFrame, fiscal_year: int | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Restrict usage and population to one fiscal year when either frame carries ``fiscal_year``.

    Without ``fiscal_year``: a population with one year is used as is; with several, the single year of the
    usage records is used; anything else is ambiguous and raises :class:`~gcdb.errors.UsageError`.
    """
    if fiscal_year is not None:
        if C.FISCAL_YEAR in usage.columns:
            usage = usage[usage[C.FISCAL_YEAR] == fiscal_year]
        if C.FISCAL_YEAR in population.columns:
            population = population[population[C.FISCAL_YEAR] == fiscal_year]
            if population.empty:
                raise UsageError(f"the population baseline has no rows for fiscal year {fiscal_year}")
        return usage, population
    if C.FISCAL_YEAR not in population.columns:
        return usage, population
    pop_years = pd.unique(population[C.FISCAL_YEAR].dropna())
    if len(pop_years) <= 1:
        return usage, population
    use_years = pd.unique(usage[C.FISCAL_YEAR].dropna()) if C.FISCAL_YEAR in usage.columns else np.array([])
    if len(use_years) == 1 and use_years[0] in set(pop_years):
        return usage, population[population[C.FISCAL_YEAR] == use_years[0]]
    raise UsageError(
        f"the population baseline covers fiscal years {sorted(pop_years.tolist())!r} and the usage records do not "
        "name a single one of them; pass fiscal_year="
    )


def _long_rows(
    population: pd.DataFrame, names: Sequence[str], migrants_pooled: bool = True
) -> tuple[pd.DataFrame, np.ndarray, str | None]:
    """Baseline rows in long form for ``names``: derived dimensions get one row per category.

    Returns the frame (with the key columns), the population values and a reason if no denominator exists.
    """
    for name in names:
        if name in _DIRECT and name not in population.columns:
            return population, np.zeros(0), N.no_baseline(name)
        if name not in _DIRECT and name not in (C.DISABILITY, C.MIGRANT_STATUS):
            return population, np.zeros(0), N.no_baseline(name)
    if C.DISABILITY in names and C.MIGRANT_STATUS in names:
        return population, np.zeros(0), N.no_baseline(f"{C.DISABILITY}+{C.MIGRANT_STATUS}")
    total = pd.to_numeric(population[C.POPULATION]).to_numpy(dtype=np.float64, na_value=np.nan)
    for name, column, inside, outside in (
        (C.DISABILITY, C.DISABLED_POPULATION, C.YES, C.NO),
        (
            C.MIGRANT_STATUS,
            C.MIGRANT_POPULATION,
            C.MIGRANT if migrants_pooled else "(non-citizen)",
            C.CITIZEN,
        ),
    ):
        if name not in names:
            continue
        if column not in population.columns or population[column].isna().all():
            return population, np.zeros(0), N.no_baseline(name)
        part = pd.to_numeric(population[column]).to_numpy(dtype=np.float64, na_value=np.nan)
        over = part > total
        if over.any():
            raise DataValidationError(
                f"population baseline: {column!r} exceeds {C.POPULATION!r} in {int(over.sum())} rows "
                f"(first at position {int(np.flatnonzero(over)[0])})"
            )
        n = len(population)
        population = pd.concat([population, population], ignore_index=True)
        population[name] = np.repeat(np.array([inside, outside], dtype=object), n)
        total = np.concatenate([part, total - part])
    return population, total, None


def denominators(
    population: pd.DataFrame,
    dims: Sequence[Dim],
    subset: Sequence[int],
    cell_codes: np.ndarray,
    *,
    migrants_pooled: bool = True,
    fixed: tuple[str, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Denominator and reason for cells that split by the dimensions ``subset`` (positions in ``dims``).

    ``cell_codes`` is (cells × len(dims)) category codes as in :class:`~gcdb.equality.breakdown.Cube`. Returns
    float populations (NaN where the baseline cannot give one) and an object array of reasons (``""`` or
    ``no_baseline:…``). With ``migrants_pooled=False`` the usage code ``migrant`` means only the people coded
    so (not refugees or people under temporary protection), and gets no denominator.

    ``fixed`` = ``(column, labels, cell_fixed_codes)``: when the baseline has that column (a per-service eligible
    population, :func:`gcdb.equality.eligibility.eligible_population`), each cell takes the rows of its own
    service; a service the baseline lacks has no denominator.
    """
    m = len(cell_codes)
    names = [dims[d].name for d in subset]
    frame, values, reason = _long_rows(population, names, migrants_pooled)
    if reason is not None:
        return np.full(m, np.nan), np.full(m, reason, dtype=object)
    units = free_dims(subset, dims)
    row_codes = []
    shape: tuple[int, ...] = ()
    cell_keys: list[np.ndarray] = []
    if fixed is not None and fixed[0] in frame.columns:
        labels = np.asarray(fixed[1], dtype=object)
        row_codes.append(
            pd.Index(labels.astype(str)).get_indexer(frame[fixed[0]].astype("str")).astype(np.int64)
        )
        shape = (len(labels),)
        cell_keys.append(np.asarray(fixed[2], dtype=np.int64))
    if not units and not row_codes:
        total = np.nan if np.isnan(values).any() else float(values.sum())
        reason = "" if np.isfinite(total) else N.no_baseline(C.POPULATION)
        return np.full(m, total), np.full(m, reason, dtype=object)
    for d in units:
        dim = dims[d]
        if dim.parent is None:
            keys = frame[dim.name].astype("str")
            codes = pd.Index(list(dim.labels)).get_indexer(keys)
            outside = (codes < 0) & keys.notna().to_numpy()
            if dim.name in (C.SEX, C.AGE_BAND) and outside.any():
                bad = sorted(pd.unique(keys[outside]).tolist())
                raise DataValidationError(
                    f"population baseline: column {dim.name!r} has values {bad[:10]!r} that are not categories "
                    f"of the usage records {list(dim.labels)!r}; use the same codes and age bands in both"
                )
        else:
            parent = dims[dim.parent]
            pcodes = pd.Index(list(parent.labels)).get_indexer(frame[parent.name].astype("str"))
            pair_index = pd.MultiIndex.from_arrays([parent.labels[dim.parent_code], dim.labels])
            codes = pair_index.get_indexer(
                pd.MultiIndex.from_arrays([frame[parent.name].astype("str"), frame[dim.name].astype("str")])
            )
            codes = np.where(pcodes < 0, -1, codes)
        row_codes.append(np.asarray(codes, dtype=np.int64))
    known = np.all(np.stack(row_codes) >= 0, axis=0)
    shape = shape + tuple(dims[d].size for d in units)
    n_cells = int(np.prod(shape))
    key = np.ravel_multi_index(tuple(c[known] for c in row_codes), shape)
    v = values[known]
    nan = np.isnan(v)
    sums = np.bincount(key, weights=np.where(nan, 0.0, v), minlength=n_cells)
    has_nan = np.bincount(key, weights=nan, minlength=n_cells) > 0
    present = np.bincount(key, minlength=n_cells) > 0

    cell_key = np.ravel_multi_index((*cell_keys, *(cell_codes[:, d] for d in units)), shape)
    pop = np.where(present[cell_key] & ~has_nan[cell_key], sums[cell_key], np.nan)
    why = np.full(m, "", dtype=object)
    derived = [n for n in names if n in (C.DISABILITY, C.MIGRANT_STATUS)]
    why[has_nan[cell_key]] = N.no_baseline(derived[0] if derived else C.POPULATION)
    absent = ~present[cell_key]
    if absent.any():
        why[absent] = N.no_baseline("+".join(names))
        # name the dimension whose category never appears in the baseline, when there is one
        for d, codes in reversed(list(zip(units, row_codes[len(cell_keys) :], strict=True))):
            seen = np.zeros(dims[d].size, dtype=bool)
            seen[codes[codes >= 0]] = True
            lacking = absent & ~seen[cell_codes[:, d]]
            why[lacking] = N.no_baseline(dims[d].name)
    return pop, why
