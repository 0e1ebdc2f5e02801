"""Age-standardised rates: comparing places whose age structures differ (methods.md §3b).

* **Directly standardised rate** (DSR): the rate a place would have if its residents had the age structure of a
  standard population, DSR = Σ_a w_a · x_a / n_a with standard weights w_a (Σ w_a = 1), x_a users and n_a residents
  of age band a. Its interval is Dobson et al. (1991): DSR + √(V/O) · (O_limit − O), V = Σ w_a² x_a / n_a², O = Σ x_a
  and O_limit Byar's limits of the total count O. No DSR is published for O < 10 (reason ``count_below_10``), as
  UKHSA does.
* **Indirectly standardised ratio** (ISR): observed ÷ expected users, expected = Σ_a n_a · r_a with r_a the
  reference (municipal) rate of band a; exact Poisson limits of the observed count below 10 users, Byar's
  approximation from 10 on, divided by the expected count. The indirectly standardised rate is ISR × the
  reference's crude rate.

The standard population is the municipality's own (the eligible residents of every band, city-wide) or the
European Standard Population 2013 (:func:`esp2013`, shipped in ``gcdb/equality/data/esp2013.csv`` with its source),
aggregated to the analysis' age bands and restricted to a service's eligible ages pro rata by single years
(:func:`standard_weights`).

Both agree with UKHSA's PHEindicatormethods (``calculate_dsr``, ``calculate_ISRatio``) to 10⁻⁶ on its own test
workbook (``tests/testthat/testdata_DSR_ISR.xlsx``); see ``tests/equality/test_equality_standardise.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Final

import numpy as np
import pandas as pd

from gcdb import paths
from gcdb.equality import intervals as I
from gcdb.equality.eligibility import Eligibility, band_bounds
from gcdb.errors import UsageError

#: Smallest total count a DSR is published for (UKHSA).
DSR_MIN_COUNT: Final = 10
#: Reason codes of this module.
COUNT_BELOW_10: Final = "count_below_10"
ZERO_POPULATION: Final = "zero_population"
NO_STANDARD: Final = "no_standard"
ZERO_EXPECTED: Final = "zero_expected"
#: Standards :func:`standard_weights` knows.
STANDARDS: Final = ("own", "esp2013")


@cache
def esp2013() -> pd.DataFrame:
    """The European Standard Population 2013: ``age_min, age_max`` (inclusive; the last group open) and
    ``population`` per 100,000 (19 five-year groups)."""
    frame = pd.read_csv(
        paths.reference("esp2013.csv"), comment="#", dtype={"age_min": "int64", "population": "int64"}
    )
    frame["age_max"] = pd.to_numeric(frame["age_max"]).astype("Int64")
    return frame


def _groups(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Set id of every row (groups of ``by`` in order of first appearance) and the groups' key columns."""
    if not by:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=range(1 if len(frame) else 0))
    set_id = frame.groupby(list(by), sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)
    keys = frame[list(by)].drop_duplicates().reset_index(drop=True)
    return set_id, keys


def dsr_arrays(
    set_id: np.ndarray, x, n, w, *, z: float = 1.96, min_count: int = DSR_MIN_COUNT
) -> dict[str, np.ndarray]:
    """DSR per set from rows (one per age band): counts ``x``, populations ``n``, standard populations ``w``.

    Rows with ``w == 0`` do not enter. Returns per set ``count``, ``population``, ``value`` (a proportion — multiply
    by 1,000 or 100,000), ``low``, ``high``, ``variance`` and ``reason`` (``""``, ``count_below_10``,
    ``zero_population`` when a band with standard weight has no resident, ``no_standard``).
    """
    set_id = np.asarray(set_id, dtype=np.int64)
    x = np.nan_to_num(np.asarray(x, dtype=np.float64), nan=0.0)
    n = np.asarray(n, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if (x < 0).any() or (w < 0).any():
        raise UsageError("directly standardised rates need non-negative counts and standard populations")
    n_sets = int(set_id.max()) + 1 if len(set_id) else 0
    used = w > 0
    bad_pop = used & ~(n > 0)
    sw = np.bincount(set_id, weights=np.where(used, w, 0.0), minlength=n_sets)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(used & ~bad_pop, x / n, 0.0)
        value = np.bincount(set_id, weights=np.where(used, w * rate, 0.0), minlength=n_sets) / sw
        var = np.bincount(set_id, weights=np.where(used, w * w * rate / np.where(n > 0, n, 1.0), 0.0),
                          minlength=n_sets) / sw**2  # fmt: skip
    count = np.bincount(set_id, weights=np.where(used, x, 0.0), minlength=n_sets)
    population = np.bincount(set_id, weights=np.where(used, np.nan_to_num(n, nan=0.0), 0.0), minlength=n_sets)
    zero_pop = np.bincount(set_id, weights=bad_pop, minlength=n_sets) > 0
    low_count, high_count = I.poisson_byar(np.where(count > 0, count, 1.0), z)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.sqrt(var / count)
        low = value + spread * (low_count - count)
        high = value + spread * (high_count - count)
    reason = np.full(n_sets, "", dtype=object)
    reason = np.where(
        count < min_count, COUNT_BELOW_10 if min_count == DSR_MIN_COUNT else "count_below_minimum", reason
    )
    reason = np.where(zero_pop, ZERO_POPULATION, reason)
    reason = np.where(~(sw > 0), NO_STANDARD, reason)
    ok = reason == ""
    return {
        "count": count,
        "population": population,
        "value": np.where(ok, value, np.nan),
        "low": np.where(ok, low, np.nan),
        "high": np.where(ok, high, np.nan),
        "variance": np.where(ok, var, np.nan),
        "reason": reason,
    }


def isr_arrays(set_id: np.ndarray, x, n, ref_x, ref_n, *, z: float = 1.96) -> dict[str, np.ndarray]:
    """ISR per set: observed ``x`` summed, expected Σ n · ref_x / ref_n (a missing count or population counts as 0,
    as UKHSA does); exact Poisson limits below 10 observed, Byar's above. Returns ``observed``, ``expected``,
    ``ratio``, ``low``, ``high``, ``reference_rate`` (Σ ref_x / Σ ref_n over the set's bands) and ``reason``."""
    set_id = np.asarray(set_id, dtype=np.int64)
    x = np.nan_to_num(np.asarray(x, dtype=np.float64), nan=0.0)
    n = np.nan_to_num(np.asarray(n, dtype=np.float64), nan=0.0)
    ref_x = np.nan_to_num(np.asarray(ref_x, dtype=np.float64), nan=0.0)
    ref_n = np.asarray(ref_n, dtype=np.float64)
    n_sets = int(set_id.max()) + 1 if len(set_id) else 0
    with np.errstate(divide="ignore", invalid="ignore"):
        band_rate = np.where(ref_n > 0, ref_x / ref_n, 0.0)
    observed = np.bincount(set_id, weights=x, minlength=n_sets)
    expected = np.bincount(set_id, weights=n * band_rate, minlength=n_sets)
    ref_total = np.bincount(set_id, weights=ref_x, minlength=n_sets)
    ref_pop = np.bincount(set_id, weights=np.nan_to_num(ref_n, nan=0.0), minlength=n_sets)
    low_count, high_count = I.poisson_interval(observed, z)
    ok = expected > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ok, observed / expected, np.nan)
        low = np.where(ok, low_count / expected, np.nan)
        high = np.where(ok, high_count / expected, np.nan)
        reference_rate = np.where(ref_pop > 0, ref_total / ref_pop, np.nan)
    return {
        "observed": observed,
        "expected": expected,
        "ratio": ratio,
        "low": low,
        "high": high,
        "reference_rate": reference_rate,
        "reason": np.where(ok, "", ZERO_EXPECTED).astype(object),
    }


def directly_standardised(
    frame: pd.DataFrame,
    *,
    count: str,
    population: str,
    standard: str,
    by: Sequence[str] = (),
    z: float = 1.96,
    scale: float = 100_000.0,
    min_count: int = DSR_MIN_COUNT,
) -> pd.DataFrame:
    """DSR per group of ``by`` from one row per group × age band (columns ``count``, ``population``, ``standard``).

    Returns ``*by, total_count, total_population, value, ci_low, ci_high, reason`` with the rate per ``scale``.
    """
    missing = [c for c in (count, population, standard, *by) if c not in frame.columns]
    if missing:
        raise UsageError(f"directly_standardised() needs the column(s) {missing!r}")
    set_id, result = _groups(frame, by)
    out = dsr_arrays(set_id, frame[count], frame[population], frame[standard], z=z, min_count=min_count)
    result["total_count"] = out["count"]
    result["total_population"] = out["population"]
    result["value"] = out["value"] * scale
    result["ci_low"] = out["low"] * scale
    result["ci_high"] = out["high"] * scale
    result["reason"] = pd.array(out["reason"], dtype="str")
    return result


def indirectly_standardised(
    frame: pd.DataFrame,
    *,
    count: str,
    population: str,
    ref_count: str,
    ref_population: str,
    by: Sequence[str] = (),
    z: float = 1.96,
) -> pd.DataFrame:
    """ISR per group of ``by`` from one row per group × age band; returns ``*by, observed, expected, ratio,
    ci_low, ci_high, reference_rate, reason`` (the indirectly standardised rate is ratio × reference_rate)."""
    missing = [c for c in (count, population, ref_count, ref_population, *by) if c not in frame.columns]
    if missing:
        raise UsageError(f"indirectly_standardised() needs the column(s) {missing!r}")
    set_id, result = _groups(frame, by)
    out = isr_arrays(set_id, frame[count], frame[population], frame[ref_count], frame[ref_population], z=z)
    for name in ("observed", "expected", "ratio"):
        result[name] = out[name]
    result["ci_low"], result["ci_high"] = out["low"], out["high"]
    result["reference_rate"] = out["reference_rate"]
    result["reason"] = pd.array(out["reason"], dtype="str")
    return result


def _overlap(lo1: float, hi1: float, lo2: float, hi2: float) -> float:
    return max(0.0, min(hi1, hi2) - max(lo1, lo2) + 1.0)


def standard_weights(
    bands: Sequence[str],
    eligibility: Eligibility,
    standard: str = "esp2013",
    own: Sequence[float] | None = None,
) -> np.ndarray:
    """Standard population of each age band, restricted to the eligible ages pro rata by single years.

    ``standard="own"`` takes ``own`` (the eligible residents of each band, city-wide) as given; ``"esp2013"``
    aggregates the ESP 2013 five-year groups into the bands (a group split between bands or cut by the eligible
    ages contributes the share of its years inside, its residents spread evenly over its years).
    """
    if standard not in STANDARDS:
        raise UsageError(f"unknown standard population {standard!r}; expected one of {', '.join(STANDARDS)}")
    if standard == "own":
        if own is None or len(own) != len(bands):
            raise UsageError("standard='own' needs the eligible residents of every band")
        return np.asarray(own, dtype=np.float64)
    esp = esp2013()
    top = 120.0
    g_lo = esp["age_min"].to_numpy(dtype=np.float64)
    g_hi = esp["age_max"].to_numpy(dtype=np.float64, na_value=top)
    g_pop = esp["population"].to_numpy(dtype=np.float64)
    a = 0.0 if eligibility.age_min is None else float(eligibility.age_min)
    c = top if eligibility.age_max is None else float(eligibility.age_max)
    out = []
    for label in bands:  # a handful of bands × 19 groups
        lo, band_hi, open_ = band_bounds(label)
        hi = top if open_ else band_hi
        b_lo, b_hi = max(lo, a), min(hi, c)
        if b_hi < b_lo:
            out.append(0.0)
            continue
        shares = [_overlap(gl, gh, b_lo, b_hi) / (gh - gl + 1.0) for gl, gh in zip(g_lo, g_hi, strict=True)]
        out.append(float(np.dot(shares, g_pop)))
    return np.asarray(out, dtype=np.float64)
