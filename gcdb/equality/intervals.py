"""Confidence intervals for rates and for comparisons of two rates (methods.md §2).

Every function takes numpy arrays (or scalars) and returns arrays; undefined values are NaN, never clipped. The
caller attaches the reason. ``z`` is the standard-normal quantile (1.96 for 95 %); the Poisson exact interval needs
the matching two-sided level α = erfc(z/√2).

References: Wilson (1927); Newcombe (1998), *Stat Med* 17:873, method 10; Katz et al. (1978), *Biometrics* 34:469;
Garwood (1936) exact Poisson limits; Byar's approximation as given by Breslow & Day (1987), vol. II, p. 69;
Li, Tang & Wong (2014), *Stat Med* 33:1192 (MOVER for Poisson rate differences).

Only numpy is needed at run time; scipy and statsmodels appear in the tests as independent references.
"""

from __future__ import annotations

import math

import numpy as np

#: Counts below this use the exact (Garwood) Poisson interval, others Byar's approximation.
POISSON_EXACT_BELOW = 10


def _arrays(*values):
    return [np.asarray(v, dtype=np.float64) for v in values]


def alpha_from_z(z: float) -> float:
    """Two-sided level α with P(|Z| > z) = α."""
    return math.erfc(z / math.sqrt(2.0))


def wilson(x, n, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for the proportion x/n.

    (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)). NaN where n ≤ 0, x < 0 or x > n.
    """
    x, n = _arrays(x, n)
    ok = (n > 0) & (x >= 0) & (x <= n)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = z * np.sqrt(z * z + 4.0 * x * (1.0 - x / n))
        denom = 2.0 * (n + z * z)
        low = (2.0 * x + z * z - root) / denom
        high = (2.0 * x + z * z + root) / denom
    low = np.where(ok, np.clip(low, 0.0, None), np.nan)  # clip only float noise at x = 0
    high = np.where(ok, np.clip(high, None, 1.0), np.nan)
    return low, high


# ---------------------------------------------------------------------------------------------------------------
# Poisson counts
# ---------------------------------------------------------------------------------------------------------------
def _poisson_cdf(m: np.ndarray, lam: np.ndarray, max_m: int) -> np.ndarray:
    """P(K ≤ m) for K ~ Poisson(lam), m integer in [0, max_m], vectorised over the arrays."""
    k = np.arange(max_m + 1, dtype=np.float64)
    log_fact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, max_m + 1, dtype=np.float64)))])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_lam = np.log(lam)
        log_terms = -lam[:, None] + k[None, :] * log_lam[:, None] - log_fact[None, :]
    log_terms = np.where(k[None, :] <= m[:, None], log_terms, -np.inf)
    log_terms[:, 0] = np.where(m >= 0, -lam, -np.inf)  # 0·log 0 = 0 at lam = 0
    return np.exp(log_terms).sum(axis=1)


def _solve_poisson(m: np.ndarray, target: float) -> np.ndarray:
    """λ with P(K ≤ m | λ) = target (decreasing in λ), by bisection; vectorised."""
    if m.size == 0:
        return m.astype(np.float64)
    max_m = int(m.max())
    lo = np.zeros(m.shape)
    hi = np.full(m.shape, 10.0 * (max_m + 10.0))
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        above = _poisson_cdf(m, mid, max_m) > target  # λ too small
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
        if np.all(hi - lo <= 1e-13 * np.maximum(hi, 1.0)):
            break
    return 0.5 * (lo + hi)


def poisson_exact(x, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson count x: (χ²_{α/2, 2x}/2, χ²_{1−α/2, 2x+2}/2); lower = 0 at x = 0.

    Computed without scipy: χ²_{q, 2x}/2 is the λ where P(Poisson(λ) ≥ x) = q, found by bisection. Meant for
    small counts (gcdb uses it below :data:`POISSON_EXACT_BELOW`); x must be a non-negative integer.
    """
    (x,) = _arrays(x)
    alpha = alpha_from_z(z)
    shape = x.shape
    flat = x.ravel()
    ok = np.isfinite(flat) & (flat >= 0) & (flat == np.floor(flat))
    low = np.full(flat.shape, np.nan)
    high = np.full(flat.shape, np.nan)
    xi = flat[ok].astype(np.int64)
    lows = np.zeros(xi.shape)
    pos = xi > 0
    # lower: P(K ≥ x) = α/2  ⇔  P(K ≤ x − 1) = 1 − α/2
    lows[pos] = _solve_poisson(xi[pos] - 1, 1.0 - alpha / 2.0)
    # upper: P(K ≤ x) = α/2
    highs = _solve_poisson(xi, alpha / 2.0)
    low[ok], high[ok] = lows, highs
    return low.reshape(shape), high.reshape(shape)


def poisson_byar(x, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the exact Poisson interval for a count x > 0.

    lower = x(1 − 1/(9x) − z/(3√x))³, upper = (x + 1)(1 − 1/(9(x + 1)) + z/(3√(x + 1)))³.
    """
    (x,) = _arrays(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * np.sqrt(x))) ** 3
        x1 = x + 1.0
        high = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * np.sqrt(x1))) ** 3
    bad = ~np.isfinite(x) | (x <= 0)
    return np.where(bad, np.nan, np.maximum(low, 0.0)), np.where(bad, np.nan, high)


def poisson_interval(x, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """Interval for a Poisson count: exact when x < 10, Byar's approximation otherwise (methods.md §2)."""
    (x,) = _arrays(x)
    small = np.isfinite(x) & (x < POISSON_EXACT_BELOW)
    low, high = poisson_byar(np.where(small, 1.0, x), z)
    if small.any():
        exact_low, exact_high = poisson_exact(x[small], z)
        low[small], high[small] = exact_low, exact_high
    return low, high


# ---------------------------------------------------------------------------------------------------------------
# Two-group comparisons
# ---------------------------------------------------------------------------------------------------------------
def katz_ratio(x1, n1, x2, n2, z: float = 1.96) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Risk ratio (x1/n1)/(x2/n2) with the Katz log interval, SE(ln RR) = √(1/x1 − 1/n1 + 1/x2 − 1/n2).

    Returns (ratio, low, high). The ratio is NaN when x2 = 0 or a population is ≤ 0; it is 0 when x1 = 0, with a
    NaN interval (the log scale is undefined at a zero count). Matches statsmodels'
    ``confint_proportions_2indep(compare="ratio", method="log")``.
    """
    x1, n1, x2, n2 = _arrays(x1, n1, x2, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (x1 / n1) / (x2 / n2)
        var = 1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2
        half = z * np.sqrt(var)
        log_ratio = np.log(ratio)
        low = np.exp(log_ratio - half)
        high = np.exp(log_ratio + half)
    defined = (n1 > 0) & (n2 > 0) & (x2 > 0) & (x1 >= 0)
    ratio = np.where(defined, ratio, np.nan)
    ci_ok = defined & (x1 > 0) & (var >= 0)
    return ratio, np.where(ci_ok, low, np.nan), np.where(ci_ok, high, np.nan)


def mover_difference(p1, low1, high1, p2, low2, high2) -> tuple[np.ndarray, np.ndarray]:
    """MOVER interval for p1 − p2 from each estimate's own interval (Newcombe's square-and-add).

    lower = d − √((p1 − l1)² + (u2 − p2)²), upper = d + √((u1 − p1)² + (p2 − l2)²).
    """
    p1, low1, high1, p2, low2, high2 = _arrays(p1, low1, high1, p2, low2, high2)
    d = p1 - p2
    return d - np.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2), d + np.sqrt(
        (high1 - p1) ** 2 + (p2 - low2) ** 2
    )


def newcombe_difference(x1, n1, x2, n2, z: float = 1.96) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference of proportions x1/n1 − x2/n2 with Newcombe's hybrid score interval (method 10).

    Wilson limits of each proportion combined by :func:`mover_difference`. Returns (difference, low, high).
    Matches statsmodels' ``confint_proportions_2indep(compare="diff", method="newcomb")``.
    """
    x1, n1, x2, n2 = _arrays(x1, n1, x2, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    low, high = mover_difference(p1, l1, u1, p2, l2, u2)
    defined = (n1 > 0) & (n2 > 0)
    return np.where(defined, p1 - p2, np.nan), low, high


def poisson_ratio(x1, t1, x2, t2, z: float = 1.96) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio of Poisson rates (x1/t1)/(x2/t2) with the log interval, SE(ln RR) = √(1/x1 + 1/x2)."""
    x1, t1, x2, t2 = _arrays(x1, t1, x2, t2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (x1 / t1) / (x2 / t2)
        half = z * np.sqrt(1.0 / x1 + 1.0 / x2)
        low = np.exp(np.log(ratio) - half)
        high = np.exp(np.log(ratio) + half)
    defined = (t1 > 0) & (t2 > 0) & (x2 > 0) & (x1 >= 0)
    ci_ok = defined & (x1 > 0)
    return np.where(defined, ratio, np.nan), np.where(ci_ok, low, np.nan), np.where(ci_ok, high, np.nan)


def poisson_difference(x1, t1, x2, t2, z: float = 1.96) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference of Poisson rates x1/t1 − x2/t2 with the MOVER interval from :func:`poisson_interval` limits."""
    x1, t1, x2, t2 = _arrays(x1, t1, x2, t2)
    l1, u1 = poisson_interval(x1, z)
    l2, u2 = poisson_interval(x2, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        r1, r2 = x1 / t1, x2 / t2
        low, high = mover_difference(r1, l1 / t1, u1 / t1, r2, l2 / t2, u2 / t2)
    defined = (t1 > 0) & (t2 > 0)
    return np.where(defined, r1 - r2, np.nan), np.where(defined, low, np.nan), np.where(defined, high, np.nan)
