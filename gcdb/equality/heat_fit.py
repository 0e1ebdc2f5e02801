"""Regression-based HEAT measures for ordered dimensions, vectorised over many sets of groups.

* **SII / RII** from a GLM of the group rate on the mid-point cumulative rank X_j (binomial-logit for persons,
  Poisson-log for uses), fitted by IRLS (:func:`irls`). Two weightings (methods.md §3):

  - ``individual`` (gcdb's default, ``SII``/``RII``): each group weighted by its population once — the
    individual-level regression (statsmodels ``GLM(rate, [1, X], family=Binomial(), var_weights=pop)``); standard
    errors from the model's information matrix (delta method);
  - ``heat`` (``SII_HEAT``/``RII_HEAT``): WHO HEAT / healthequal's ``glm(cbind(y, pop − y) ~ rank, weights = pop,
    family = quasibinomial)`` on ``pop = ceiling(pop)`` and ``y = round(rate × pop)``, where R multiplies the
    weights by the trials (each group weighted by population²); standard errors from the HC1 sandwich and the delta
    method, as healthequal's ``marginaleffects::avg_comparisons(vcov = "HC1")``.

  SII = ŷ(1) − ŷ(0) (in rate units), RII = ŷ(1) / ŷ(0); the standard error of RII is that of ln RII.
* **ACI / RCI**: ACI = Σ p_j (2X_j − 1) y_j, RCI = ACI / μ; standard errors from the convenient regression of
  2σ²_R · y_j on X_j weighted by population (Kakwani, Wagstaff & van Doorslaer 1997; σ²_R = Σ p_j (X_j − ½)²), as
  healthequal's ``aci``/``rci`` compute them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gcdb.errors import UsageError

_IRLS_MAX_ITER = 100
_IRLS_TOL = 1e-10


def _sum(set_id: np.ndarray, values: np.ndarray, n_sets: int) -> np.ndarray:
    return np.bincount(set_id, weights=values, minlength=n_sets)


def irls(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray, set_id: np.ndarray, family: str = "binomial"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted GLM ``y ~ 1 + x`` per set by iteratively reweighted least squares, vectorised over sets.

    ``family`` is ``"binomial"`` (logit link, y a proportion) or ``"poisson"`` (log link). ``weights`` are prior
    (variance) weights. Returns intercepts, slopes and a converged flag per set.
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
        for _ in range(_IRLS_MAX_ITER):
            if family == "binomial":
                var = mu * (1.0 - mu)
                w = weights * var
                zz = eta + (y - mu) / var
            else:
                w = weights * mu
                zz = eta + (y - mu) / mu
            s0, s1, s2 = _sum(set_id, w, n_sets), _sum(set_id, w * x, n_sets), _sum(set_id, w * x * x, n_sets)
            t0, t1 = _sum(set_id, w * zz, n_sets), _sum(set_id, w * x * zz, n_sets)
            det = s0 * s2 - s1 * s1
            new = np.column_stack([(s2 * t0 - s1 * t1) / det, (s0 * t1 - s1 * t0) / det])
            converged = np.all(np.abs(new - beta) <= _IRLS_TOL * (1.0 + np.abs(new)), axis=1)
            beta = new
            eta = beta[set_id, 0] + beta[set_id, 1] * x
            mu = 1.0 / (1.0 + np.exp(-eta)) if family == "binomial" else np.exp(eta)
            if np.all(converged | ~np.isfinite(beta).all(axis=1)):
                break
    ok = converged & np.isfinite(beta).all(axis=1)
    return beta[:, 0], beta[:, 1], ok


@dataclass(frozen=True)
class Fit:
    """Per set: SII and RII (RII's ``se`` is of ln RII), their standard errors, and whether the fit is usable."""

    sii: np.ndarray
    sii_se: np.ndarray
    rii: np.ndarray
    log_rii_se: np.ndarray
    ok: np.ndarray
    fitted0: np.ndarray


def _inverse_2x2(a00, a01, a11):
    det = a00 * a11 - a01 * a01
    return a11 / det, -a01 / det, a00 / det


def slope_index(
    x: np.ndarray,
    prop: np.ndarray,
    pop: np.ndarray,
    set_id: np.ndarray,
    family: str,
    weighting: str = "individual",
) -> Fit:
    """SII and RII per set (``prop`` the groups' rates as proportions, rows in rank order; see the module doc)."""
    n_sets = int(set_id.max()) + 1 if len(set_id) else 0
    if weighting == "individual":
        weights, y = pop, prop
    elif weighting == "heat":
        if family != "binomial":
            raise UsageError("the HEAT weighting is a binomial model (persons), not one of uses")
        trials = np.ceil(pop)
        y = np.rint(prop * trials) / np.where(trials > 0, trials, 1.0)
        weights = trials * trials
    else:
        raise UsageError(f"unknown SII weighting {weighting!r}; expected 'individual' or 'heat'")
    b0, b1, ok = irls(x, y, weights, set_id, family)
    with np.errstate(all="ignore"):
        eta = b0[set_id] + b1[set_id] * x
        if family == "binomial":
            mu = 1.0 / (1.0 + np.exp(-eta))
            f0, f1 = 1.0 / (1.0 + np.exp(-b0)), 1.0 / (1.0 + np.exp(-(b0 + b1)))
            v = mu * (1.0 - mu)
            d0, d1 = f0 * (1.0 - f0), f1 * (1.0 - f1)  # dŷ/dη at X = 0, 1
            dl0, dl1 = 1.0 - f0, 1.0 - f1  # d ln ŷ / dη
        else:
            mu = np.exp(eta)
            f0, f1 = np.exp(b0), np.exp(b0 + b1)
            v = mu
            d0, d1, dl0, dl1 = f0, f1, np.ones(n_sets), np.ones(n_sets)
        w = weights * v
        i00, i01, i11 = _inverse_2x2(
            _sum(set_id, w, n_sets), _sum(set_id, w * x, n_sets), _sum(set_id, w * x * x, n_sets)
        )
        if weighting == "individual":
            c00, c01, c11 = i00, i01, i11  # model-based: the inverse information
        else:  # HC1 sandwich: bread · meat · bread · n / (n − 2)
            score = weights * (y - mu)
            m00, m01, m11 = (_sum(set_id, score**2 * t, n_sets) for t in (np.ones_like(x), x, x * x))
            groups = _sum(set_id, np.ones_like(x), n_sets)
            adjust = groups / np.maximum(groups - 2.0, 1.0)
            c00 = adjust * (i00 * i00 * m00 + 2 * i00 * i01 * m01 + i01 * i01 * m11)
            c01 = adjust * (i00 * i01 * m00 + (i00 * i11 + i01 * i01) * m01 + i01 * i11 * m11)
            c11 = adjust * (i01 * i01 * m00 + 2 * i01 * i11 * m01 + i11 * i11 * m11)
        # gradients with respect to (b0, b1)
        g0, g1 = d1 - d0, d1
        sii_se = np.sqrt(g0 * g0 * c00 + 2 * g0 * g1 * c01 + g1 * g1 * c11)
        h0, h1 = dl1 - dl0, dl1
        log_rii_se = np.sqrt(h0 * h0 * c00 + 2 * h0 * h1 * c01 + h1 * h1 * c11)
        rii = f1 / f0
    return Fit(f1 - f0, sii_se, rii, log_rii_se, ok, f0)


def concentration_index(
    x: np.ndarray, y: np.ndarray, pop: np.ndarray, set_id: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """ACI and its standard error per set (``y`` in rate units, ``x`` the mid-point ranks, rows of one set
    weighted by ``pop``): the convenient regression of 2σ²_R·y on the rank, weights ``pop``, residual variance on
    n − 2 degrees of freedom."""
    n_sets = int(set_id.max()) + 1 if len(set_id) else 0
    total = _sum(set_id, pop, n_sets)
    p = pop / total[set_id]
    sigma2 = _sum(set_id, p * (x - 0.5) ** 2, n_sets)
    lhs = 2.0 * sigma2[set_id] * y
    with np.errstate(all="ignore"):
        i00, i01, i11 = _inverse_2x2(_sum(set_id, pop * x * x, n_sets), _sum(set_id, pop * x, n_sets), total)
        r0, r1 = _sum(set_id, pop * x * lhs, n_sets), _sum(set_id, pop * lhs, n_sets)
        slope, intercept = i00 * r0 + i01 * r1, i01 * r0 + i11 * r1
        residual = lhs - slope[set_id] * x - intercept[set_id]
        groups = _sum(set_id, np.ones_like(x), n_sets)
        dispersion = _sum(set_id, pop * residual * residual, n_sets) / (groups - 2.0)
        se = np.sqrt(dispersion * i00)
    aci = _sum(set_id, p * (2.0 * x - 1.0) * y, n_sets)
    return aci, np.where(groups > 2, se, np.nan)
