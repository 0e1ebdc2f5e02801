"""The HEAT measures of many comparison sets at once: values, standard errors and confidence intervals.

Rows are the valid groups of every set (a published rate and a positive population), in category order within
a set; every sum runs over sets with :func:`numpy.bincount`. Definitions are in :mod:`gcdb.equality.heat`;
standard errors (methods.md §3, WHO HEAT technical notes, healthequal):

========= ========================================================================================================
measure   standard error
========= ========================================================================================================
D         √(se_high² + se_low²)
R         of ln R: √((se_high² + R²·se_low²) / y_low²) / R; interval exp(ln R ± z·se)
D_ref/R_ref as D and R, reference group against the lowest (highest when lower is better) other group
BGV       √(4 Σ p²se²(y − μ)² + 2((Σ p²se²)² − Σ p⁴se⁴ + Σ p²(1 − p)²se⁴))
TI, MLD   √Σ (1 + ln r_j − Σ p r (1 + ln r))² p² se² / μ² and √Σ (1 − 1/r_j)² p² se² / μ² (unscaled; the ×1000
          versions are 1000 times both)
PAF, PAR  Walter's variance of the attributable fraction from the reference group's and the whole population's
          counts; SE(PAF) in percent points, SE(PAR) = μ · SE(attributable fraction)
ACI, RCI  convenient regression (:func:`gcdb.equality.heat_fit.concentration_index`); RCI's is ACI's / μ
SII, RII  delta method on the GLM (:func:`gcdb.equality.heat_fit.slope_index`); RII's is of ln RII
others    parametric bootstrap (:mod:`gcdb.equality.heat_boot`)
========= ========================================================================================================

A group's own standard error is the binomial √(p(1 − p)/n) of its rate for persons, the Poisson √(x)/n for uses
(in rate units).
"""

from __future__ import annotations

import numpy as np

from gcdb.equality import names as N
from gcdb.equality.heat_boot import N_SIM, SEED, bootstrap
from gcdb.equality.heat_fit import concentration_index, slope_index

Result = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]


def _pad(index: np.ndarray, n: int) -> np.ndarray:
    return np.r_[index, np.full(n - len(index), -1)]


def first_per_set(set_id: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Row index of the first row per set when rows are ordered by ``keys`` (last key most significant)."""
    order = np.lexsort((*keys, set_id))
    s = set_id[order]
    first = np.r_[True, s[1:] != s[:-1]] if len(s) else np.zeros(0, dtype=bool)
    out = np.full(int(set_id.max()) + 1 if len(set_id) else 0, -1)
    out[s[first]] = order[first]
    return out


def take(values: np.ndarray, index: np.ndarray, fill):
    """values[index] with ``fill`` where index < 0."""
    if len(values) == 0:
        return np.full(len(index), fill, dtype=object if isinstance(fill, str) else np.float64)
    return np.where(index >= 0, values[np.maximum(index, 0)], fill)


def midpoint_rank(set_id: np.ndarray, share: np.ndarray) -> np.ndarray:
    """X_j = Σ_{k<j} p_k + p_j / 2 within each set, rows in category order."""
    if len(set_id) == 0:
        return share.copy()
    order = np.argsort(set_id, kind="stable")
    s, p = set_id[order], share[order]
    cum = np.cumsum(p)
    first_idx = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    before = cum[first_idx] - p[first_idx]
    offsets = np.repeat(before, np.diff(np.r_[first_idx, len(s)]))
    out = np.empty_like(share)
    out[order] = cum - offsets - p / 2.0
    return out


class _Out:
    """Collects {measure: (value, se, low, high, reference label, reason)}; sets of fewer than two groups are NaN."""

    def __init__(self, n_sets: int, few: np.ndarray, z: float):
        self.n, self.few, self.z = n_sets, few, z
        self.items: Result = {}
        self.empty = np.full(n_sets, "", dtype=object)
        self.nan = np.full(n_sets, np.nan)

    def put(self, name, value, se=None, ref=None, reason=None, low=None, high=None, log=False):
        se = self.nan if se is None else np.asarray(se, dtype=np.float64)
        value = np.asarray(value, dtype=np.float64)
        with np.errstate(all="ignore"):
            if low is None and high is None:
                if log:
                    low, high = value * np.exp(-self.z * se), value * np.exp(self.z * se)
                else:
                    low, high = value - self.z * se, value + self.z * se
        ok = ~self.few & np.isfinite(value)
        ref = self.empty if ref is None else np.where(self.few, "", ref)
        reason = self.empty.copy() if reason is None else np.asarray(reason, dtype=object)
        reason = np.where(self.few, N.Reason.FEWER_THAN_TWO_GROUPS, reason)
        self.items[name] = tuple(np.where(ok, a, np.nan) for a in (value, se, low, high)) + (ref, reason)


def core(
    set_id: np.ndarray,
    y: np.ndarray,
    pop: np.ndarray,
    se_row: np.ndarray,
    labels: np.ndarray,
    ref_row: np.ndarray,
    ordered: np.ndarray,
    higher_is_better: bool,
    family: np.ndarray,
    scale: float,
    z: float = 1.96,
    n_sim: int = N_SIM,
    seed: int = SEED,
) -> Result:
    """Every measure per set (see the module docstring). Rows must be the valid groups only."""
    n_sets = len(ref_row)
    count = np.bincount(set_id, minlength=n_sets).astype(np.float64)
    total = np.bincount(set_id, weights=pop, minlength=n_sets)
    p = pop / total[set_id]
    mu = np.bincount(set_id, weights=p * y, minlength=n_sets)
    mu_j = mu[set_id]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = y / mu_j
    out = _Out(n_sets, count < 2, z)
    mu_zero = ~(mu > 0)
    zero_mean = np.where(mu_zero, N.Reason.ZERO_MEAN, "")

    def wsum(v):
        return np.bincount(set_id, weights=p * v, minlength=n_sets)

    def usum(v):
        return np.bincount(set_id, weights=v, minlength=n_sets) / np.maximum(count, 1)

    hi = _pad(first_per_set(set_id, -y), n_sets)
    lo = _pad(first_per_set(set_id, y), n_sets)
    y_hi, y_lo = take(y, hi, np.nan), take(y, lo, np.nan)
    se_hi, se_lo = take(se_row, hi, np.nan), take(se_row, lo, np.nan)
    best = hi if higher_is_better else lo
    has_ref = ref_row >= 0
    y_ref, se_ref = take(y, ref_row, np.nan), take(se_row, ref_row, np.nan)
    low_label = take(labels, lo, "")
    ref_label = take(labels, ref_row, "")
    best_label = take(labels, best, "")
    no_ref = np.where(has_ref, "", N.Reason.NO_REFERENCE_GROUP)

    with np.errstate(divide="ignore", invalid="ignore"):
        # difference and ratio: highest against lowest, and the reference against the least favoured other group
        out.put("D", y_hi - y_lo, np.sqrt(se_hi**2 + se_lo**2), low_label)
        ratio = np.where(y_lo > 0, y_hi / y_lo, np.nan)
        log_se = np.sqrt((se_hi**2 + ratio**2 * se_lo**2) / y_lo**2) / ratio
        out.put("R", ratio, log_se, low_label, np.where(y_lo > 0, "", N.Reason.ZERO_RATE), log=True)
        is_ref_row = np.zeros(len(y), dtype=bool)
        is_ref_row[ref_row[has_ref]] = True
        key = np.where(is_ref_row, np.inf if higher_is_better else -np.inf, y)
        other = _pad(first_per_set(set_id, key if higher_is_better else -key), n_sets)
        y_o, se_o, label_o = take(y, other, np.nan), take(se_row, other, np.nan), take(labels, other, "")
        d_ref = (y_ref - y_o) if higher_is_better else (y_o - y_ref)
        num, den = (y_ref, y_o) if higher_is_better else (y_o, y_ref)
        se_num, se_den = (se_ref, se_o) if higher_is_better else (se_o, se_ref)
        r_ref = np.where(den > 0, num / den, np.nan)
        out.put("D_ref", np.where(has_ref, d_ref, np.nan), np.sqrt(se_ref**2 + se_o**2), label_o, no_ref)
        out.put(
            "R_ref",
            np.where(has_ref, r_ref, np.nan),
            np.sqrt((se_num**2 + r_ref**2 * se_den**2) / den**2) / r_ref,
            label_o,
            np.where(has_ref, np.where(den > 0, "", N.Reason.ZERO_RATE), N.Reason.NO_REFERENCE_GROUP),
            log=True,
        )
        # between-group variance
        bgv = wsum((y - mu_j) ** 2)
        s2 = wsum(p * se_row**2)
        bgv_se = np.sqrt(
            4 * wsum(p * se_row**2 * (y - mu_j) ** 2)
            + 2 * (s2**2 - wsum(p**3 * se_row**4) + wsum(p * (1 - p) ** 2 * se_row**4))
        )
        out.put("BGV", bgv, bgv_se)
        boot = bootstrap(
            set_id, y, se_row, p, np.where(family[set_id] == "binomial", scale, np.inf), ref_row,
            higher_is_better=higher_is_better, n_sim=n_sim, seed=seed, z=z,
        )  # fmt: skip

        def put_boot(name, value, ref=None, reason=None):
            se, low, high = boot[name]
            out.put(name, value, se, ref, reason, low=low, high=high)

        put_boot("BGSD", np.sqrt(bgv))
        put_boot("COV", np.where(mu_zero, np.nan, 100.0 * np.sqrt(bgv) / mu), reason=zero_mean)
        put_boot("MDMW", wsum(np.abs(y - mu_j)))
        put_boot("MDMU", usum(np.abs(y - mu_j)))
        y_best = take(y, best, np.nan)
        put_boot("MDBW", wsum(np.abs(y - y_best[set_id])), best_label)
        put_boot("MDBU", usum(np.abs(y - y_best[set_id])), best_label)
        put_boot("MDRW", np.where(has_ref, wsum(np.abs(y - y_ref[set_id])), np.nan), ref_label, no_ref)
        put_boot("MDRU", np.where(has_ref, usum(np.abs(y - y_ref[set_id])), np.nan), ref_label, no_ref)
        put_boot("IDISU", np.where(mu_zero, np.nan, 100.0 * usum(np.abs(y - mu_j)) / mu), reason=zero_mean)
        put_boot("IDISW", np.where(mu_zero, np.nan, 100.0 * wsum(np.abs(y - mu_j)) / mu), reason=zero_mean)
        # Theil and mean log deviation
        safe_r = np.where(r > 0, r, 1.0)
        ti = np.where(mu_zero, np.nan, wsum(np.where(r > 0, r * np.log(safe_r), 0.0)))
        ti_prep = wsum(np.where(r > 0, r * (1 + np.log(safe_r)), 0.0))
        ti_se = np.sqrt(wsum(p * (1 + np.log(safe_r) - ti_prep[set_id]) ** 2 * se_row**2) / mu**2)
        out.put("TI", ti, ti_se, reason=zero_mean)
        out.put("TI_x1000", 1000.0 * ti, 1000.0 * ti_se, reason=zero_mean)
        any_zero = np.bincount(set_id, weights=(y <= 0), minlength=n_sets) > 0
        mld = np.where(any_zero | mu_zero, np.nan, wsum(-np.log(safe_r)))
        mld_se = np.sqrt(wsum(p * (1 - 1 / safe_r) ** 2 * se_row**2) / mu**2)
        mld_reason = np.where(mu_zero, N.Reason.ZERO_MEAN, np.where(any_zero, N.Reason.ZERO_RATE, ""))
        out.put("MLD", mld, mld_se, reason=mld_reason)
        out.put("MLD_x1000", 1000.0 * mld, 1000.0 * mld_se, reason=mld_reason)
        # population attributable risk and fraction
        y_best = take(y, best, np.nan)
        par_ref = np.where(has_ref, y_ref, y_best)
        par_label = np.where(has_ref, ref_label, best_label)
        par_pop = np.where(has_ref, take(pop, ref_row, np.nan), take(pop, best, np.nan))
        par = par_ref - mu
        par = np.where(par < 0, 0.0, par) if higher_is_better else np.where(par > 0, 0.0, par)
        c = par_ref / scale * par_pop
        d = par_pop - c
        a = mu / scale * total - c
        b = total - a - par_pop
        nn = a + b + c + d
        af_se = np.sqrt((c * nn * (a * d * (nn - c) + b * c**2)) / ((a + c) ** 3 * (c + d) ** 3))
        af_se = np.where(np.isin(family, ["binomial"]), af_se, np.nan)
        out.put("PAR", par, mu * af_se, par_label)
        out.put("PAF", np.where(mu_zero, np.nan, 100.0 * par / mu), 100.0 * af_se, par_label, zero_mean)

    if ordered[set_id].any():
        _ordered(out, set_id, y, pop, p, mu, labels, ordered, family, scale, count)
    return out.items


def _ordered(out: _Out, set_id, y, pop, p, mu, labels, ordered, family, scale, count) -> None:
    """SII and RII (both weightings), ACI and RCI for the ordered sets."""
    n_sets = out.n
    rows_ordered = ordered[set_id]
    x_rank = midpoint_rank(set_id, p)
    first_label = take(labels, _pad(first_per_set(set_id, np.arange(len(set_id))), n_sets), "")
    zero_group = np.bincount(set_id, weights=y <= 0, minlength=n_sets) > 0
    values = {m: np.full(n_sets, np.nan) for m in ("SII", "RII", "SII_HEAT", "RII_HEAT")}
    ses = {m: np.full(n_sets, np.nan) for m in values}
    reasons = {m: np.full(n_sets, "", dtype=object) for m in values}
    for fam in ("binomial", "poisson"):
        rows = rows_ordered & (family[set_id] == fam)
        if not rows.any():
            continue
        sets_here, local = np.unique(set_id[rows], return_inverse=True)
        prop = y[rows] / scale
        sums = np.bincount(local, weights=prop, minlength=len(sets_here))
        above_one = np.bincount(local, weights=prop > 1, minlength=len(sets_here)) > 0
        if fam == "poisson":
            above_one[:] = False
        for suffix, weighting in (("", "individual"), ("_HEAT", "heat")):
            if weighting == "heat" and fam != "binomial":
                for m in ("SII", "RII"):
                    reasons[m + suffix][sets_here] = N.Reason.NOT_BINOMIAL
                continue
            with np.errstate(all="ignore"):
                fit = slope_index(x_rank[rows], prop, pop[rows], local, fam, weighting)
            ok = fit.ok & ~(sums <= 0) & ~above_one
            why = np.where(
                sums <= 0, N.Reason.ZERO_RATE,
                np.where(above_one, N.Reason.USERS_EXCEED_POPULATION, np.where(ok, "", N.Reason.NOT_CONVERGED)),
            )  # fmt: skip
            values["SII" + suffix][sets_here] = np.where(ok, fit.sii * scale, np.nan)
            ses["SII" + suffix][sets_here] = np.where(ok, fit.sii_se * scale, np.nan)
            rii_ok = ok & (fit.fitted0 > 0) & ~zero_group[sets_here]
            values["RII" + suffix][sets_here] = np.where(rii_ok, fit.rii, np.nan)
            ses["RII" + suffix][sets_here] = np.where(rii_ok, fit.log_rii_se, np.nan)
            reasons["SII" + suffix][sets_here] = why
            # a group without users makes ŷ(0) an extrapolation towards 0 and RII unbounded: undefined, as MLD is
            reasons["RII" + suffix][sets_here] = np.where(
                (why == "") & zero_group[sets_here], N.Reason.ZERO_RATE, why
            )
    for m in ("SII", "RII", "SII_HEAT", "RII_HEAT"):
        out.put(m, values[m], ses[m], first_label, reasons[m], log=m.startswith("RII"))
    rows = rows_ordered
    aci = np.full(n_sets, np.nan)
    aci_se = np.full(n_sets, np.nan)
    if rows.any():
        sets_here, local = np.unique(set_id[rows], return_inverse=True)
        value, se = concentration_index(x_rank[rows], y[rows], pop[rows], local)
        aci[sets_here], aci_se[sets_here] = value, se
    zero_mean = np.where(~(mu > 0), N.Reason.ZERO_MEAN, "")
    out.put("ACI", aci, aci_se, first_label)
    with np.errstate(divide="ignore", invalid="ignore"):
        out.put("RCI", np.where(mu > 0, aci / mu, np.nan), aci_se / mu, first_label, zero_mean)
