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
SII       ŷ(1) − ŷ(0)                                         rate
RII       ŷ(1) / ŷ(0)                                         ratio
========= =================================================== ==========================================

*Best* is the highest rate when higher is favourable (coverage; ``favourable="higher"``), the lowest otherwise.
PAR uses the reference group when the comparison has one (not :data:`~gcdb.equality.names.REST`), else the best
group, as HEAT does. D and R compare the highest and lowest rates for every dimension (age bands have no
"advantaged end"); their ``reference_group`` is the lowest group. SII and RII are given for ordered dimensions
(age bands) only: a weighted GLM of the group rate on the mid-point cumulative population rank
X_j = Σ_{k<j} p_k + p_j/2 in category order — binomial with logit link for persons, Poisson with log link for uses
and quantities — with population weights (statsmodels ``GLM(y, [1, X], family=Binomial(), var_weights=n)``), fitted
by IRLS in numpy; ŷ(x) is the fitted rate at rank x.

Only groups with a published rate and a positive population enter (suppressed groups are left out, so no
summary reveals a hidden count); ``n_groups`` says how many. Zero rates: the TI term p·r·ln r is 0 at r = 0 (its
limit); MLD is undefined (reason ``zero_rate``), and so is RII when a group of an ordered set has no users (a
service outside its target ages: the fitted ŷ(0) is an extrapolation towards 0 and the ratio unbounded). HEAT replaces zero estimates by 10⁻⁶ instead, and its R code
passes both the counts and ``weights = pop`` to ``glm`` (effectively population² weights); gcdb follows the
population weighting of methods.md, so SII/RII can differ from HEAT Plus when groups differ much in size.
Source: WHO HEAT technical notes; WHOequity/HEAT-Measures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gcdb.equality import names as N
from gcdb.errors import UsageError

_IRLS_MAX_ITER = 100
_IRLS_TOL = 1e-10


def _pad(index: np.ndarray, n: int) -> np.ndarray:
    return np.r_[index, np.full(n - len(index), -1)]


def _first_per_set(set_id: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Row index of the first row per set when rows are ordered by ``keys`` (last key most significant)."""
    order = np.lexsort((*keys, set_id))
    s = set_id[order]
    first = np.r_[True, s[1:] != s[:-1]] if len(s) else np.zeros(0, dtype=bool)
    out = np.full(int(set_id.max()) + 1 if len(set_id) else 0, -1)
    out[s[first]] = order[first]
    return out


def irls(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray, set_id: np.ndarray, family: str = "binomial"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted GLM ``y ~ 1 + x`` per set by iteratively reweighted least squares, vectorised over sets.

    ``family`` is ``"binomial"`` (logit link, y a proportion) or ``"poisson"`` (log link). ``weights`` are prior
    (variance) weights — the populations. Returns intercepts, slopes and a converged flag per set.
    """
    n_sets = int(set_id.max()) + 1 if len(set_id) else 0
    if family == "binomial":
        mu = (weights * y + 0.5) / (weights + 1.0)
        eta = np.log(mu / (1.0 - mu))
    elif family == "poisson":
        mu = y + 0.5 / np.maximum(weights, 1.0)
        eta = np.log(mu)
    else:
        raise UsageError(f"unknown GLM family {family!r}")
    beta = np.zeros((n_sets, 2))
    converged = np.zeros(n_sets, dtype=bool)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        beta, converged = _irls_loop(x, y, weights, set_id, family, mu, eta, beta, converged, n_sets)
    ok = converged & np.isfinite(beta).all(axis=1)
    return beta[:, 0], beta[:, 1], ok


def _irls_loop(x, y, weights, set_id, family, mu, eta, beta, converged, n_sets):
    for _ in range(_IRLS_MAX_ITER):
        if family == "binomial":
            var = mu * (1.0 - mu)
            w = weights * var
            zz = eta + (y - mu) / var
        else:
            w = weights * mu
            zz = eta + (y - mu) / mu
        s0 = np.bincount(set_id, weights=w, minlength=n_sets)
        s1 = np.bincount(set_id, weights=w * x, minlength=n_sets)
        s2 = np.bincount(set_id, weights=w * x * x, minlength=n_sets)
        t0 = np.bincount(set_id, weights=w * zz, minlength=n_sets)
        t1 = np.bincount(set_id, weights=w * x * zz, minlength=n_sets)
        det = s0 * s2 - s1 * s1
        new = np.column_stack([(s2 * t0 - s1 * t1) / det, (s0 * t1 - s1 * t0) / det])
        converged = np.all(np.abs(new - beta) <= _IRLS_TOL * (1.0 + np.abs(new)), axis=1)
        beta = new
        eta = beta[set_id, 0] + beta[set_id, 1] * x
        if family == "binomial":
            mu = 1.0 / (1.0 + np.exp(-eta))
        else:
            mu = np.exp(eta)
        if np.all(converged | ~np.isfinite(beta).all(axis=1)):
            break
    return beta, converged


def _midpoint_rank(set_id: np.ndarray, share: np.ndarray) -> np.ndarray:
    """X_j = Σ_{k<j} p_k + p_j / 2 within each set, rows in category order."""
    if len(set_id) == 0:
        return share.copy()
    order = np.argsort(set_id, kind="stable")
    s, p = set_id[order], share[order]
    cum = np.cumsum(p)
    first_idx = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    before = cum[first_idx] - p[first_idx]  # running total before each set's first row
    offsets = np.repeat(before, np.diff(np.r_[first_idx, len(s)]))
    out = np.empty_like(share)
    out[order] = cum - offsets - p / 2.0
    return out


def _take(values: np.ndarray, index: np.ndarray, fill):
    """values[index] with ``fill`` where index < 0."""
    if len(values) == 0:
        return np.full(len(index), fill, dtype=object if isinstance(fill, str) else np.float64)
    return np.where(index >= 0, values[np.maximum(index, 0)], fill)


def _core(
    set_id: np.ndarray,
    y: np.ndarray,
    pop: np.ndarray,
    labels: np.ndarray,
    ref_row: np.ndarray,
    ordered: np.ndarray,
    higher_is_better: bool,
    family: np.ndarray,
    scale: float,
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """All measures per set: {measure: (value, reference label, reason)}. Rows must be valid groups only."""
    n_sets = len(ref_row)
    count = np.bincount(set_id, minlength=n_sets).astype(np.float64)
    total = np.bincount(set_id, weights=pop, minlength=n_sets)
    p = pop / total[set_id]
    mu = np.bincount(set_id, weights=p * y, minlength=n_sets)
    mu_j = mu[set_id]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = y / mu_j
    empty = np.full(n_sets, "", dtype=object)
    few = count < 2
    mu_zero = ~(mu > 0)

    def wsum(v):
        return np.bincount(set_id, weights=p * v, minlength=n_sets)

    def usum(v):
        return np.bincount(set_id, weights=v, minlength=n_sets) / np.maximum(count, 1)

    hi = _pad(_first_per_set(set_id, -y), n_sets)
    lo = _pad(_first_per_set(set_id, y), n_sets)
    y_hi, y_lo = _take(y, hi, np.nan), _take(y, lo, np.nan)
    best = hi if higher_is_better else lo
    y_best = _take(y, best, np.nan)
    has_ref = ref_row >= 0
    y_ref = _take(y, ref_row, np.nan)
    out: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def put(name, value, ref=None, reason=None):
        ref = empty if ref is None else np.where(few, "", ref)
        reason = empty.copy() if reason is None else reason.astype(object)
        value = np.where(few, np.nan, value)
        reason = np.where(few, N.Reason.FEWER_THAN_TWO_GROUPS, reason)
        out[name] = (value, ref, reason)

    low_label = _take(labels, lo, "")
    with np.errstate(divide="ignore", invalid="ignore"):
        put("D", y_hi - y_lo, low_label)
        put(
            "R",
            np.where(y_lo > 0, y_hi / y_lo, np.nan),
            low_label,
            np.where(y_lo > 0, "", N.Reason.ZERO_RATE),
        )
        bgv = wsum((y - mu_j) ** 2)
        put("BGV", bgv)
        put("BGSD", np.sqrt(bgv))
        zero_mean = np.where(mu_zero, N.Reason.ZERO_MEAN, "")
        put("COV", np.where(mu_zero, np.nan, 100.0 * np.sqrt(bgv) / mu), reason=zero_mean)
        put("MDMW", wsum(np.abs(y - mu_j)))
        put("MDMU", usum(np.abs(y - mu_j)))
        best_label = _take(labels, best, "")
        put("MDBW", wsum(np.abs(y - y_best[set_id])), best_label)
        put("MDBU", usum(np.abs(y - y_best[set_id])), best_label)
        ref_label = _take(labels, ref_row, "")
        no_ref = np.where(has_ref, "", N.Reason.NO_REFERENCE_GROUP)
        put("MDRW", np.where(has_ref, wsum(np.abs(y - y_ref[set_id])), np.nan), ref_label, no_ref)
        put("MDRU", np.where(has_ref, usum(np.abs(y - y_ref[set_id])), np.nan), ref_label, no_ref)
        put("IDISU", np.where(mu_zero, np.nan, 100.0 * usum(np.abs(y - mu_j)) / mu), reason=zero_mean)
        put("IDISW", np.where(mu_zero, np.nan, 100.0 * wsum(np.abs(y - mu_j)) / mu), reason=zero_mean)
        ti = wsum(np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0))
        ti = np.where(mu_zero, np.nan, ti)
        put("TI", ti, reason=zero_mean)
        put("TI_x1000", 1000.0 * ti, reason=zero_mean)
        any_zero = np.bincount(set_id, weights=(y <= 0), minlength=n_sets) > 0
        mld = np.where(any_zero | mu_zero, np.nan, wsum(-np.log(np.where(r > 0, r, 1.0))))
        mld_reason = np.where(mu_zero, N.Reason.ZERO_MEAN, np.where(any_zero, N.Reason.ZERO_RATE, ""))
        put("MLD", mld, reason=mld_reason)
        put("MLD_x1000", 1000.0 * mld, reason=mld_reason)
        par_ref = np.where(has_ref, y_ref, y_best)
        par_label = np.where(has_ref, ref_label, best_label)
        par = par_ref - mu
        par = np.where(par < 0, 0.0, par) if higher_is_better else np.where(par > 0, 0.0, par)
        put("PAR", par, par_label)
        put("PAF", np.where(mu_zero, np.nan, 100.0 * par / mu), par_label, zero_mean)

    # SII / RII for ordered sets
    rows_ordered = ordered[set_id]
    if rows_ordered.any():
        x_rank = _midpoint_rank(set_id, p)
        sii = np.full(n_sets, np.nan)
        rii = np.full(n_sets, np.nan)
        reason = np.full(n_sets, "", dtype=object)
        zero_group = np.zeros(n_sets, dtype=bool)
        for fam in ("binomial", "poisson"):
            rows = rows_ordered & (family[set_id] == fam)
            if not rows.any():
                continue
            sets_here, local = np.unique(set_id[rows], return_inverse=True)
            prop = y[rows] / scale
            b0, b1, ok = irls(x_rank[rows], prop, pop[rows], local, fam)
            with np.errstate(all="ignore"):  # sets whose fit did not converge (ok False) are masked below
                if fam == "binomial":
                    f0, f1 = 1.0 / (1.0 + np.exp(-b0)), 1.0 / (1.0 + np.exp(-(b0 + b1)))
                else:
                    f0, f1 = np.exp(b0), np.exp(b1 + b0)
            sums = np.bincount(local, weights=prop, minlength=len(sets_here))
            all_zero = sums <= 0
            zero_group[sets_here] = np.bincount(local, weights=prop <= 0, minlength=len(sets_here)) > 0
            above_one = np.bincount(local, weights=prop > 1, minlength=len(sets_here)) > 0
            if fam == "poisson":
                above_one[:] = False
            ok &= ~all_zero & ~above_one
            with np.errstate(divide="ignore", invalid="ignore"):
                sii[sets_here] = np.where(ok, (f1 - f0) * scale, np.nan)
                rii[sets_here] = np.where(ok & (f0 > 0), f1 / f0, np.nan)
            reason[sets_here] = np.where(
                all_zero,
                N.Reason.ZERO_RATE,
                np.where(
                    above_one, N.Reason.USERS_EXCEED_POPULATION, np.where(ok, "", N.Reason.NOT_CONVERGED)
                ),
            )
        first_label = _take(labels, _pad(_first_per_set(set_id, np.arange(len(set_id))), n_sets), "")
        # a group without users (a service outside its target ages) makes ŷ(0) an extrapolation towards 0 and
        # RII unbounded (home care by age band: ~10⁸); RII is undefined there, as MLD is; SII stays bounded
        rii_undefined = zero_group & (reason == "")
        put("SII", sii, first_label, reason)
        put(
            "RII",
            np.where(rii_undefined, np.nan, rii),
            first_label,
            np.where(rii_undefined, N.Reason.ZERO_RATE, reason),
        )
    return out


def _frame(out, set_keys: pd.DataFrame, count: np.ndarray, ordered: np.ndarray) -> pd.DataFrame:
    parts = []
    for measure in N.HEAT_MEASURES:
        if measure not in out:
            continue
        value, ref, reason = out[measure]
        keep = ordered if measure in ("SII", "RII") else np.ones(len(value), dtype=bool)
        part = set_keys.loc[keep].copy()
        part[N.MEASURE] = measure
        part[N.VALUE] = value[keep]
        part[N.REFERENCE_GROUP] = pd.array(np.asarray(ref, dtype=object)[keep], dtype="str")
        part[N.N_GROUPS] = count[keep]
        part[N.REASON] = pd.array(np.asarray(reason, dtype=object)[keep], dtype="str")
        part["_set"] = np.flatnonzero(keep)
        part["_m"] = N.HEAT_MEASURES.index(measure)
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True).sort_values(["_set", "_m"], kind="stable")
    frame[N.MEASURE] = frame[N.MEASURE].astype("str")
    return frame.drop(columns=["_set", "_m"]).reset_index(drop=True)


def heat_measures(
    table: pd.DataFrame,
    *,
    favourable: str = "higher",
    ordered: Sequence[str] = N.ORDERED_DIMENSIONS,
    scale: float = 1000.0,
    service: str | None = None,
) -> pd.DataFrame:
    """HEAT summary measures for every comparison set of a ratio table from :func:`impact_table`.

    Returns a tidy frame with ``service_code, dimension, strata, stratum, measure, value, reference_group,
    n_groups, reason`` (``stratum`` is the ``"|"``-joined values of the strata dimensions, ``""`` city-wide).
    Rows of an ordered dimension must be in category order, as :func:`impact_table` returns them.
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
    numerator = table[N.NUMERATOR].astype("str").to_numpy(dtype=object)
    fam_rows = np.where(numerator == N.USERS, "binomial", "poisson")
    family = np.full(n_sets, "binomial", dtype=object)
    family[set_id] = fam_rows
    out = _core(
        set_id[valid],
        rate[valid],
        pop[valid],
        groups[valid],
        ref_row_all,
        ordered_set,
        favourable == "higher",
        family,
        scale,
    )
    count = np.bincount(set_id[valid], minlength=n_sets)
    return _frame(out, set_keys, count, ordered_set)


def summary_measures(
    rate: Sequence[float],
    population: Sequence[float],
    groups: Sequence[str] | None = None,
    *,
    reference: str | None = None,
    ordered: bool = False,
    favourable: str = "higher",
    numerator: str = N.USERS,
    scale: float = 1000.0,
) -> pd.DataFrame:
    """HEAT measures for one set of groups given directly: rates (per ``scale``) and populations, in order."""
    rate = np.asarray(rate, dtype=np.float64)
    population = np.asarray(population, dtype=np.float64)
    groups = [str(i) for i in range(len(rate))] if groups is None else [str(g) for g in groups]
    if not (len(rate) == len(population) == len(groups)):
        raise UsageError("rate, population and groups must have the same length")
    if reference is not None and reference not in groups:
        raise UsageError(f"reference group {reference!r} is not among {groups!r}")
    table = pd.DataFrame(
        {
            N.SERVICE: N.TOTAL,
            N.DIMENSION: "ordered" if ordered else "groups",
            N.STRATA: "",
            N.GROUP: groups,
            N.NUMERATOR: numerator,
            N.POPULATION: population,
            N.RATE: rate,
            N.REFERENCE_GROUP: reference if reference is not None else N.REST,
        }
    )
    return heat_measures(table, favourable=favourable, ordered=("ordered",), scale=scale)
