"""Simulation intervals of the HEAT measures that have no analytic standard error (methods.md §3).

WHO HEAT (and healthequal) give BGSD, COV, the mean differences (MDMW, MDMU, MDBW, MDBU, MDRW, MDRU) and the
index of disparity (IDISW, IDISU) a parametric bootstrap: every group's estimate is drawn from a normal
distribution with its own standard error, truncated to the estimate's range (0 … scale for a proportion, ≥ 0 for a
rate of uses), the population shares kept; the measure is recomputed on each draw, and the 2.5 % and 97.5 %
quantiles of the draws are the interval, their standard deviation the standard error. Draws are seeded, so the
same input gives the same interval; they run vectorised over every set at once, in batches of draws to bound
memory.
"""

from __future__ import annotations

import warnings
from typing import Final

import numpy as np

from gcdb.equality.intervals import alpha_from_z

#: Measures computed here.
BOOTSTRAPPED: Final = ("BGSD", "COV", "MDMW", "MDMU", "MDBW", "MDBU", "MDRW", "MDRU", "IDISU", "IDISW")
#: Default number of draws and seed.
N_SIM: Final = 200
SEED: Final = 20240308
_BATCH_CELLS: Final = 2_000_000


def truncated_normal(
    rng: np.random.Generator, mean: np.ndarray, sd: np.ndarray, upper: np.ndarray, size: int
) -> np.ndarray:
    """(rows × size) draws of N(mean, sd) truncated to [0, upper], by rejection (redrawing only the rejects)."""
    mean, sd, upper = (np.asarray(a, dtype=np.float64)[:, None] for a in (mean, sd, upper))
    out = rng.normal(mean, sd, size=(mean.shape[0], size))
    bad = (out < 0) | (out > upper)
    for _ in range(200):
        if not bad.any():
            break
        redraw = rng.normal(np.broadcast_to(mean, out.shape)[bad], np.broadcast_to(sd, out.shape)[bad])
        out[bad] = redraw
        bad = (out < 0) | (out > upper)
    return np.clip(out, 0.0, upper)


def _measures(set_id, y, p, ref_row_of_set, higher_is_better, n_sets, n_sim):
    """The bootstrapped measures of (rows × n_sim) estimates: {measure: (n_sets × n_sim)}."""
    rows, sims = y.shape
    key = (set_id[:, None] * sims + np.arange(sims)[None, :]).ravel()
    size = n_sets * sims

    def by_set(values):
        return np.bincount(key, weights=np.asarray(values).ravel(), minlength=size).reshape(n_sets, sims)

    count = np.bincount(set_id, minlength=n_sets).astype(np.float64)[:, None]
    mu = by_set(p[:, None] * y)
    dev = y - mu[set_id]
    bgsd = np.sqrt(by_set(p[:, None] * dev * dev))
    mdmw = by_set(p[:, None] * np.abs(dev))
    mdmu = by_set(np.abs(dev)) / count
    best = np.full((n_sets, sims), -np.inf if higher_is_better else np.inf)
    if higher_is_better:
        np.maximum.at(best, set_id, y)
    else:
        np.minimum.at(best, set_id, y)
    to_best = np.abs(y - best[set_id])
    out = {
        "BGSD": bgsd,
        "COV": 100.0 * bgsd / mu,
        "MDMW": mdmw,
        "MDMU": mdmu,
        "MDBW": by_set(p[:, None] * to_best),
        "MDBU": by_set(to_best) / count,
        "IDISW": 100.0 * mdmw / mu,
        "IDISU": 100.0 * mdmu / mu,
    }
    has_ref = ref_row_of_set >= 0
    ref_values = y[np.maximum(ref_row_of_set, 0)]  # (n_sets × sims)
    to_ref = np.abs(y - ref_values[set_id])
    out["MDRW"] = np.where(has_ref[:, None], by_set(p[:, None] * to_ref), np.nan)
    out["MDRU"] = np.where(has_ref[:, None], by_set(to_ref) / count, np.nan)
    return out


def bootstrap(
    set_id: np.ndarray,
    y: np.ndarray,
    se: np.ndarray,
    p: np.ndarray,
    upper: np.ndarray,
    ref_row_of_set: np.ndarray,
    *,
    higher_is_better: bool = True,
    n_sim: int = N_SIM,
    seed: int = SEED,
    z: float = 1.96,
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """{measure: (standard error, low, high)} per set for :data:`BOOTSTRAPPED`.

    ``y``, ``se`` and ``upper`` are per row (group) of valid groups, ``p`` their population shares within the set,
    ``ref_row_of_set`` the row of each set's reference group (−1: none). Rows with an unknown ``se`` are held at
    their estimate. The interval level follows ``z`` (1.96 → 2.5 % … 97.5 %).
    """
    n_sets = len(ref_row_of_set)  # every set, also those without a valid group (NaN)
    if n_sets == 0 or len(set_id) == 0:
        nan = np.full(n_sets, np.nan)
        return {m: (nan, nan, nan) for m in BOOTSTRAPPED}
    rng = np.random.default_rng(seed)
    sd = np.where(np.isfinite(se) & (se > 0), se, 0.0)
    batch = max(1, min(n_sim, _BATCH_CELLS // max(len(y), 1)))
    draws: dict[str, list[np.ndarray]] = {m: [] for m in BOOTSTRAPPED}
    done = 0
    while done < n_sim:
        size = min(batch, n_sim - done)
        sims = truncated_normal(rng, y, sd, upper, size)
        with np.errstate(divide="ignore", invalid="ignore"):
            for name, values in _measures(
                set_id, sims, p, ref_row_of_set, higher_is_better, n_sets, size
            ).items():
                draws[name].append(values)
        done += size
    alpha = alpha_from_z(z)
    out = {}
    for name, parts in draws.items():
        values = np.concatenate(parts, axis=1)
        low, high = row_quantiles(values, (alpha / 2, 1 - alpha / 2))
        with warnings.catch_warnings(), np.errstate(invalid="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # sets whose draws are all undefined: NaN
            sd_out = np.nanstd(values, axis=1, ddof=1)
        out[name] = (sd_out, low, high)
    return out


def row_quantiles(values: np.ndarray, probabilities) -> list[np.ndarray]:
    """Quantiles of every row ignoring NaN, by linear interpolation (numpy's default method), vectorised
    (``np.nanquantile`` along an axis loops over the rows in Python when there are NaNs)."""
    ordered = np.sort(values, axis=1)  # NaN last
    count = np.sum(~np.isnan(values), axis=1)
    rows = np.arange(values.shape[0])
    out = []
    for p in probabilities:
        position = p * np.maximum(count - 1, 0)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(count - 1, 0))
        low_value, high_value = ordered[rows, below], ordered[rows, above]
        with np.errstate(invalid="ignore"):
            value = low_value + (position - below) * (high_value - low_value)
        out.append(np.where(count > 0, value, np.nan))
    return out
