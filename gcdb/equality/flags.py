"""Flags of a group against its reference: the four-fifths rule, exact, and the one definition of *under-served*.

**Four-fifths flag** (methods.md §2): ``under`` when RR = (u_g/n_g)/(u_ref/n_ref) < 4/5, ``over`` when RR > 5/4.
It is decided without dividing: u_g·n_ref·5 against u_ref·n_g·4 — 80 of 1,000 against 100 of 1,000 is a ratio of
exactly 0.8 and not under, where the floating-point quotient 0.08/0.1 = 0.7999… would say it is. Products are
compared in float64 first; the few rows within 10⁻⁹ of the boundary are decided again with exact rational
arithmetic (:class:`fractions.Fraction`; populations given pro rata by single years are fractions of residents and
are read back as the nearest fraction with a denominator up to 10⁶).

**Under-served** (:func:`classify`, :class:`UnderServedRule`): a group is under-served when

1. it is inside the service's eligible population (else ``not_eligible``),
2. its count is published (else ``suppressed``: a status beside a hidden count would reveal it),
3. there are enough people to say anything: at least ``min_population`` eligible residents and at least
   ``min_expected`` users expected at the reference rate (else ``too_few``),
4. the rate ratio's confidence interval lies entirely below the threshold (default 0.8, the four-fifths rule):
   its upper limit is below 0.8. A group with no user at all has the interval 0 … (exact Poisson upper limit of a
   zero count) / expected users.

``over_served`` mirrors it (lower limit above 1/threshold); the reference group itself is ``reference``; a
comparison that cannot be made (no reference rate, no population) is ``undefined``; everything else is
``no_clear_gap``. Under-served groups are ranked by the people missing — expected users (the group's eligible
population at the reference rate) minus observed users — with the ratio and its interval beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from gcdb.equality import names as N
from gcdb.errors import UsageError

#: Relative distance from the boundary below which the float comparison is redone exactly.
_NEAR = 1e-9
#: Largest denominator a population is read back with (pro-rata band shares are small fractions).
_MAX_DENOMINATOR = 10**6


def _exact(value: float) -> Fraction:
    frac = Fraction(float(value))
    return frac if frac.denominator == 1 else frac.limit_denominator(_MAX_DENOMINATOR)


def compare_ratio(x1, n1, x2, n2, bound: Fraction | float) -> np.ndarray:
    """Sign of (x1/n1)/(x2/n2) − bound, decided by cross-multiplication: −1, 0 or +1 (0 also where undefined).

    Requires n1, n2 > 0 and x2 > 0 for a defined ratio; elsewhere 0 is returned.
    """
    x1, n1, x2, n2 = (np.asarray(v, dtype=np.float64) for v in (x1, n1, x2, n2))
    bound = Fraction(bound).limit_denominator(_MAX_DENOMINATOR)
    num, den = float(bound.numerator), float(bound.denominator)
    defined = (
        np.isfinite(x1) & np.isfinite(n1) & np.isfinite(x2) & np.isfinite(n2) & (n1 > 0) & (n2 > 0) & (x2 > 0)
    )
    with np.errstate(invalid="ignore", over="ignore"):
        left = x1 * n2 * den
        right = x2 * n1 * num
        sign = np.sign(left - right)
        near = defined & (np.abs(left - right) <= _NEAR * np.maximum(np.abs(left), np.abs(right)))
    for i in np.flatnonzero(near):  # the rows at the boundary only: exact rational arithmetic
        lhs = _exact(x1[i]) * _exact(n2[i]) * bound.denominator
        rhs = _exact(x2[i]) * _exact(n1[i]) * bound.numerator
        sign[i] = (lhs > rhs) - (lhs < rhs)
    return np.where(defined, sign, 0.0).astype(np.int8)


def four_fifths(x, n, x_ref, n_ref) -> np.ndarray:
    """``under`` (RR < 4/5), ``over`` (RR > 5/4) or ``""`` per row, exact at the boundaries; ``""`` where the
    ratio is undefined (the caller masks those)."""
    below = compare_ratio(x, n, x_ref, n_ref, Fraction(4, 5)) < 0
    above = compare_ratio(x, n, x_ref, n_ref, Fraction(5, 4)) > 0
    return np.where(below, N.UNDER, np.where(above, N.OVER, N.WITHIN)).astype(object)


# ---------------------------------------------------------------------------------------------------------------
# Under-served
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnderServedRule:
    """The parameters of :func:`classify` (methods.md §2, §3c).

    threshold : the rate ratio a group must be *confidently* below (upper confidence limit < threshold).
    min_population : eligible residents a group needs before it can be called under-served.
    min_expected : users the group would have at the reference rate; below it a gap cannot be told from chance.
    """

    threshold: float = N.FOUR_FIFTHS_LOW
    min_population: float = 1000.0
    min_expected: float = 10.0

    def __post_init__(self) -> None:
        if not (0 < self.threshold < 1):
            raise UsageError(f"the under-served threshold must lie between 0 and 1, got {self.threshold!r}")
        for name in ("min_population", "min_expected"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise UsageError(f"{name} must be a non-negative number, got {value!r}")


DEFAULT_RULE = UnderServedRule()


def _floats(table: pd.DataFrame, column: str) -> np.ndarray:
    return table[column].to_numpy(dtype=np.float64, na_value=np.nan)


def classify(table: pd.DataFrame, rule: UnderServedRule = DEFAULT_RULE) -> np.ndarray:
    """The :data:`~gcdb.equality.names.STATUS` of every row of a ratio table (see the module docstring)."""
    needed = [
        N.FLAG,
        N.SUPPRESSED,
        N.POPULATION,
        N.EXPECTED_USERS,
        N.RATE_RATIO,
        N.RATIO_CI_LOW,
        N.RATIO_CI_HIGH,
    ]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise UsageError(f"classify() needs a ratio table from impact_table(); missing columns {missing!r}")
    flag = table[N.FLAG].astype("str").fillna("").to_numpy(dtype=object)
    hidden = table[N.SUPPRESSED].to_numpy(dtype=bool)
    pop = _floats(table, N.POPULATION)
    expected = _floats(table, N.EXPECTED_USERS)
    rr = _floats(table, N.RATE_RATIO)
    low, high = _floats(table, N.RATIO_CI_LOW), _floats(table, N.RATIO_CI_HIGH)
    reference = (
        table[N.REASON]
        .astype("str")
        .fillna("")
        .str.contains(str(N.Reason.IS_REFERENCE), regex=False)
        .to_numpy()
        if N.REASON in table.columns
        else np.zeros(len(table), dtype=bool)
    )
    with np.errstate(invalid="ignore"):
        enough = (pop >= rule.min_population) & (expected >= rule.min_expected)
        under = high < rule.threshold
        over = low > 1.0 / rule.threshold
    status = np.full(len(table), N.Status.NO_CLEAR_GAP, dtype=object)
    status = np.where(over, N.Status.OVER_SERVED, status)
    status = np.where(under, N.Status.UNDER_SERVED, status)
    status = np.where(np.isnan(rr), N.Status.UNDEFINED, status)
    status = np.where(~np.isnan(rr) & ~enough, N.Status.TOO_FEW, status)
    status = np.where(reference, N.Status.REFERENCE, status)
    status = np.where(hidden, N.Status.SUPPRESSED, status)
    status = np.where(flag == N.NOT_ELIGIBLE, N.Status.NOT_ELIGIBLE, status)
    return status.astype(object)
