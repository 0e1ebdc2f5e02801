"""WHO HEAT summary measures of inequality across the groups of a dimension (methods.md §3).

Notation, per comparison set (one dimension, one service, one stratum): y_j the rate of group j (per 1,000, as in
the ratio table), p_j = n_j / Σn its population share, μ = Σ p_j y_j, r_j = y_j / μ, n the number of groups.

========= =================================================== ==========================================
measure   definition                                          unit
========= =================================================== ==========================================
D         y_high − y_low                                      rate (per 1,000)
R         y_high / y_low                                      ratio
BGV       Σ p_j (y_j − μ)²                                    rate²
BGSD      √BGV                                                rate
COV       100 · BGSD / μ                                      %
MDMW      Σ p_j |y_j − μ|                                     rate
MDMU      (1/n) Σ |y_j − μ|                                   rate
MDBW/MDBU as MDMW/MDMU against the best group's rate            rate
MDRW/MDRU as MDMW/MDMU against the reference group's rate       rate
IDISU     100 · (1/n) Σ |y_j − μ| / μ                         %
IDISW     100 · Σ p_j |y_j − μ| / μ                           %
TI        Σ p_j r_j ln r_j  (``TI_x1000`` = 1000 · TI, as HEAT) —
MLD       Σ p_j (−ln r_j)   (``MLD_x1000`` likewise)          —
PAR       y_ref − μ, set to 0 if of the unfavourable sign      rate
PAF       100 · PAR / μ                                       %
SII       ŷ(1) − ŷ(0), individual-level weighting             rate
RII       ŷ(1) / ŷ(0), individual-level weighting             ratio
SII_HEAT  ŷ(1) − ŷ(0), WHO HEAT / healthequal weighting         rate
RII_HEAT  ŷ(1) / ŷ(0), WHO HEAT / healthequal weighting         ratio
D_ref     y_ref − lowest other group's rate                   rate (per 1,000)
R_ref     y_ref / lowest other group's rate                   ratio
ACI       Σ p_j (2X_j − 1) y_j                                rate
RCI       ACI / μ                                             —
========= =================================================== ==========================================

Every measure comes with a standard error and a confidence interval (``se``, ``ci_low``, ``ci_high``; for
ratios the standard error is of the natural log): analytic where one exists, a seeded parametric bootstrap
otherwise — see :mod:`gcdb.equality.heat_core` for the formulas and :mod:`gcdb.equality.heat_fit` for SII, RII,
ACI and RCI. ``D_ref``/``R_ref`` compare the comparison's reference group (not
:data:`~gcdb.equality.names.REST`) with the least favoured other group, as HEAT's "reference subgroup" option.

*Best* is the highest rate when higher is favourable (coverage; ``favourable="higher"``), the lowest otherwise.
PAR uses the reference group when the comparison has one (not :data:`~gcdb.equality.names.REST`), else the best
group, as HEAT does. D and R compare the highest and lowest rates for every dimension (HEAT compares the two ends
of an ordered dimension, which presumes a favoured end; age bands have none); their ``reference_group`` is the
lowest group. SII, RII, ACI and RCI are given for ordered dimensions (age bands) only: SII and RII from a GLM of
the group rate on the mid-point cumulative population rank X_j = Σ_{k<j} p_k + p_j/2 in category order — binomial
with logit link for persons, Poisson with log link for uses and quantities — weighted by population
(statsmodels ``GLM(y, [1, X], family=Binomial(), var_weights=n)``), fitted by IRLS in numpy; ŷ(x) is the fitted
rate at rank x. ``SII_HEAT``/``RII_HEAT`` weight each group by population² on rounded counts, as WHO HEAT and
healthequal do, so that users can reproduce HEAT Plus numbers.

Only groups with a published rate and a positive population enter (suppressed groups are left out, so no
summary reveals a hidden count); ``n_groups`` says how many. Zero rates: the TI term p·r·ln r is 0 at r = 0 (its
limit); MLD is undefined (reason ``zero_rate``), and so is RII when a group of an ordered set has no users (a
service outside its target ages: the fitted ŷ(0) is an extrapolation towards 0 and the ratio unbounded). HEAT replaces zero estimates by 10⁻⁶ instead.

Agreement with healthequal (WHO's R package, its own test values; ``tests/equality/test_equality_heat_who.py``):
every estimate to 10⁻⁶ (TI and MLD to healthequal's current output — its test file keeps older values, 10⁻⁵
away, within its own 10⁻⁴ tolerance); standard errors to 10⁻⁶ where the units agree. healthequal reports the
standard error of TI and MLD unscaled beside the ×1000 estimate, of PAF on the proportion scale beside a percent
estimate, and of SII unscaled beside a scaled estimate, so its intervals for these are too narrow by the same
factor; gcdb reports them in the estimate's unit (1000 ×, 100 × and scale × healthequal's). healthequal infers a
rate's scale from its largest value; gcdb knows it.
Source: WHO HEAT technical notes; WHOequity/healthequal.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gcdb.equality import names as N
from gcdb.equality.heat_boot import N_SIM, SEED
from gcdb.equality.heat_core import core
from gcdb.errors import UsageError

#: Measures given for ordered dimensions only.
ORDERED_ONLY = ("SII", "RII", "SII_HEAT", "RII_HEAT", "ACI", "RCI")


def _frame(out, set_keys: pd.DataFrame, count: np.ndarray, ordered: np.ndarray) -> pd.DataFrame:
    parts = []
    for measure in N.HEAT_MEASURES:
        if measure not in out:
            continue
        value, se, low, high, ref, reason = out[measure]
        keep = ordered if measure in ORDERED_ONLY else np.ones(len(value), dtype=bool)
        part = set_keys.loc[keep].copy()
        part[N.MEASURE] = measure
        part[N.VALUE] = value[keep]
        part[N.SE] = se[keep]
        part[N.CI_LOW] = low[keep]
        part[N.CI_HIGH] = high[keep]
        part[N.REFERENCE_GROUP] = pd.array(np.asarray(ref, dtype=object)[keep], dtype="str")
        part[N.N_GROUPS] = count[keep]
        part[N.REASON] = pd.array(np.asarray(reason, dtype=object)[keep], dtype="str")
        part["_set"] = np.flatnonzero(keep)
        part["_m"] = N.HEAT_MEASURES.index(measure)
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True).sort_values(["_set", "_m"], kind="stable")
    frame[N.MEASURE] = frame[N.MEASURE].astype("str")
    return frame.drop(columns=["_set", "_m"]).reset_index(drop=True)


def group_se(rate: np.ndarray, pop: np.ndarray, numerator: np.ndarray, scale: float) -> np.ndarray:
    """Standard error of each group's rate (rate units): binomial for persons, Poisson for uses."""
    with np.errstate(divide="ignore", invalid="ignore"):
        prop = rate / scale
        binomial = scale * np.sqrt(np.clip(prop * (1.0 - prop), 0.0, None) / pop)
        poisson = scale * np.sqrt(prop / pop)
    return np.where(numerator == N.USERS, binomial, np.where(numerator == N.USES, poisson, np.nan))


def heat_measures(
    table: pd.DataFrame,
    *,
    favourable: str = "higher",
    ordered: Sequence[str] = N.ORDERED_DIMENSIONS,
    scale: float = 1000.0,
    service: str | None = None,
    z: float = 1.96,
    n_sim: int = N_SIM,
    seed: int = SEED,
    se: str | None = None,
) -> pd.DataFrame:
    """HEAT summary measures for every comparison set of a ratio table from :func:`impact_table`.

    Returns a tidy frame with ``service_code, dimension, strata, stratum, measure, value, se, ci_low, ci_high,
    reference_group, n_groups, reason`` (``stratum`` is the ``"|"``-joined values of the strata dimensions, ``""``
    city-wide). Rows of an ordered dimension must be in category order, as :func:`impact_table` returns them.
    ``se`` names a column of the groups' standard errors (rate units); by default they follow from the rate and
    population (binomial for persons, Poisson for uses). ``n_sim`` draws with ``seed`` give the bootstrap
    intervals; ``z`` the interval level.
    """
    if favourable not in ("higher", "lower"):
        raise UsageError(f"favourable must be 'higher' or 'lower', got {favourable!r}")
    service = service or (N.SERVICE if N.SERVICE in table.columns else table.columns[0])
    needed = [service, N.DIMENSION, N.STRATA, N.GROUP, N.NUMERATOR, N.POPULATION, N.RATE, N.REFERENCE_GROUP]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise UsageError(
            f"heat_measures() needs a ratio table from impact_table(); missing columns {missing!r}"
        )
    if isinstance(n_sim, bool) or not isinstance(n_sim, int | np.integer) or n_sim < 2:
        raise UsageError(f"n_sim must be a whole number ≥ 2, got {n_sim!r}")
    # stratum labels: the values of each entry's strata columns
    stratum = pd.Series("", index=table.index, dtype="str")
    for strata in pd.unique(table[N.STRATA].astype("str")):
        if not strata:
            continue
        rows = table[N.STRATA] == strata
        cols = strata.split("|")
        joined = table.loc[rows, cols[0]].astype("str")
        for c in cols[1:]:
            joined = joined + "|" + table.loc[rows, c].astype("str")
        stratum[rows] = joined
    keys = pd.DataFrame(
        {
            service: table[service].astype("str"),
            N.DIMENSION: table[N.DIMENSION].astype("str"),
            N.STRATA: table[N.STRATA].astype("str"),
            "stratum": stratum,
        }
    )
    set_id = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy(dtype=np.int64)
    set_keys = keys.drop_duplicates().reset_index(drop=True)  # same first-appearance order as ngroup
    rate = table[N.RATE].to_numpy(dtype=np.float64, na_value=np.nan)
    pop = table[N.POPULATION].to_numpy(dtype=np.float64, na_value=np.nan)
    numerator = table[N.NUMERATOR].astype("str").to_numpy(dtype=object)
    if se is None:
        se_row = group_se(rate, pop, numerator, scale)
    else:
        se_row = pd.to_numeric(table[se], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    valid = np.isfinite(rate) & np.isfinite(pop) & (pop > 0)
    n_sets = len(set_keys)
    groups = table[N.GROUP].astype("str").to_numpy(dtype=object)
    refs = table[N.REFERENCE_GROUP].astype("str").to_numpy(dtype=object)
    is_ref = valid & (groups == refs) & (refs != N.REST)
    ref_row_all = np.full(n_sets, -1)
    vidx = np.flatnonzero(valid)
    remap = np.full(len(table), -1)
    remap[vidx] = np.arange(len(vidx))
    ref_row_all[set_id[is_ref]] = remap[np.flatnonzero(is_ref)]
    ordered_set = set_keys[N.DIMENSION].isin(list(ordered)).to_numpy()
    fam_rows = np.where(numerator == N.USERS, "binomial", "poisson")
    family = np.full(n_sets, "binomial", dtype=object)
    family[set_id] = fam_rows
    out = core(
        set_id[valid],
        rate[valid],
        pop[valid],
        se_row[valid],
        groups[valid],
        ref_row_all,
        ordered_set,
        favourable == "higher",
        family,
        scale,
        z=z,
        n_sim=int(n_sim),
        seed=seed,
    )
    count = np.bincount(set_id[valid], minlength=n_sets)
    return _frame(out, set_keys, count, ordered_set)


def summary_measures(
    rate: Sequence[float],
    population: Sequence[float],
    groups: Sequence[str] | None = None,
    *,
    se: Sequence[float] | None = None,
    reference: str | None = None,
    ordered: bool = False,
    favourable: str = "higher",
    numerator: str = N.USERS,
    scale: float = 1000.0,
    z: float = 1.96,
    n_sim: int = N_SIM,
    seed: int = SEED,
) -> pd.DataFrame:
    """HEAT measures for one set of groups given directly: rates (per ``scale``), populations and optionally the
    rates' standard errors (default: binomial for persons, Poisson for uses), groups in order."""
    rate_values = np.asarray(rate, dtype=np.float64)
    population_values = np.asarray(population, dtype=np.float64)
    groups = [str(i) for i in range(len(rate_values))] if groups is None else [str(g) for g in groups]
    if not (len(rate_values) == len(population_values) == len(groups)):
        raise UsageError("rate, population and groups must have the same length")
    if se is not None and len(se) != len(rate_values):
        raise UsageError("se must have one standard error per group")
    if reference is not None and reference not in groups:
        raise UsageError(f"reference group {reference!r} is not among {groups!r}")
    table = pd.DataFrame(
        {
            N.SERVICE: N.TOTAL,
            N.DIMENSION: "ordered" if ordered else "groups",
            N.STRATA: "",
            N.GROUP: groups,
            N.NUMERATOR: numerator,
            N.POPULATION: population_values,
            N.RATE: rate_values,
            N.REFERENCE_GROUP: reference if reference is not None else N.REST,
        }
    )
    if se is not None:
        table["_se"] = np.asarray(se, dtype=np.float64)
    return heat_measures(
        table,
        favourable=favourable,
        ordered=("ordered",),
        scale=scale,
        z=z,
        n_sim=n_sim,
        seed=seed,
        se="_se" if se is not None else None,
    )
