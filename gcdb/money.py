"""Exact money: integer kuruş, and splitting amounts by shares with the largest-remainder method.

All amounts inside gcdb are ``int64`` kuruş. When a line is split into parts by shares (rule engine in ``all``
mode, weighting schemes), :func:`split_by_shares` returns integer parts that add up to the line exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KURUS_PER_LIRA = 100
INT64_MAX = int(np.iinfo(np.int64).max)


class MoneyOverflowError(ArithmeticError):
    """A sum of kuruş does not fit in 64 bits (about 92 quadrillion TL): never a silently negative total."""


def exact_sum(values: np.ndarray | pd.Series) -> int:
    """The exact sum of int64 kuruş as a Python int (vectorised, no overflow).

    Each value is split into a high and a low 32-bit half; each half sums without overflow in int64 for fewer than
    2**31 values, and the halves are combined in exact Python integers.
    """
    arr = np.asarray(values, dtype=np.int64)
    if arr.size == 0:
        return 0
    if arr.size >= 2**31:  # pragma: no cover - beyond any real table
        return sum(exact_sum(part) for part in np.array_split(arr, arr.size // 2**30 + 1))
    high = arr >> 32  # arithmetic shift: floor division by 2**32, sign kept
    low = arr & 0xFFFFFFFF
    return (int(high.sum()) << 32) + int(low.sum())


def checked_sum(values: np.ndarray | pd.Series, what: str = "total") -> int:
    """:func:`exact_sum`, raising :class:`MoneyOverflowError` when it does not fit in int64 kuruş."""
    total = exact_sum(values)
    if not -INT64_MAX - 1 <= total <= INT64_MAX:
        from gcdb.i18n import Message, format_int

        raise MoneyOverflowError(
            Message("money.overflow", what=what, total=format_int(total), limit=format_int(INT64_MAX))
        )
    return total


def largest_remainder(amounts: np.ndarray, group: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split integer ``amounts`` into integer parts proportional to ``weights``, exactly.

    Long form: part ``i`` belongs to group ``group[i]`` (an index into ``amounts``) and has weight ``weights[i]``.
    The weights of one group must sum to 1 (within float tolerance); pass an explicit remainder part (e.g. the
    unattributed share ``1 − Σ shares``) so that they do. Each part gets ``floor(amount × weight)``; the kuruş left
    over go one each to the parts with the largest fractional remainders (ties: earlier part first). The parts of
    every group sum to its amount exactly, negative amounts included (split by absolute value, sign restored).

    Vectorised: one sort over all parts, no Python loop over groups.
    """
    amounts = np.asarray(amounts, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
    if group.shape != weights.shape:
        raise ValueError("group and weights must have the same length")
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    if np.any(weights < 0) or not np.all(np.isfinite(weights)):
        raise ValueError("weights must be finite and non-negative")
    sums = np.bincount(group, weights=weights, minlength=len(amounts))
    used = np.bincount(group, minlength=len(amounts)) > 0
    if np.any(np.abs(sums[used] - 1.0) > 1e-9):
        raise ValueError("the weights of each group must sum to 1; add the remainder as an explicit part")

    sign = np.sign(amounts)[group]
    absolute = np.abs(amounts)
    exact = absolute[group].astype(np.float64) * weights
    base = np.floor(exact).astype(np.int64)
    remainder = exact - base
    deficit = absolute - np.bincount(group, weights=base, minlength=len(amounts)).astype(np.int64)

    # rank parts within their group by remainder, largest first; ties keep input order
    order = np.lexsort((np.arange(len(group)), -remainder, group))
    sorted_group = group[order]
    first_of_group = np.searchsorted(sorted_group, sorted_group, side="left")
    rank = np.arange(len(order)) - first_of_group
    bump = np.zeros(len(group), dtype=np.int64)
    need = deficit[sorted_group]
    # deficit is in [0, parts) in exact arithmetic; float rounding can push it by one either way
    bump[order] = np.where(
        need >= 0,
        (rank < need).astype(np.int64),
        -(rank >= (np.bincount(group)[sorted_group] + need)).astype(np.int64),
    )
    parts = (base + bump) * np.where(sign == 0, 1, sign)
    # float64 products are exact only below 2**53 kuruş: redo larger amounts in exact rational arithmetic
    huge = np.flatnonzero(used & (absolute >= _EXACT_LIMIT))
    for g in huge:  # only lines above ~90 trillion TL ever take this path
        idx = np.flatnonzero(group == g)
        parts[idx] = _largest_remainder_exact(int(amounts[g]), weights[idx].tolist())
    return parts


_EXACT_LIMIT = 2**53


def _largest_remainder_exact(amount: int, weights: list[float]) -> list[int]:
    """:func:`largest_remainder` for one amount in exact rational arithmetic (weights renormalised to sum to 1)."""
    from fractions import Fraction

    ratios = [Fraction(w) for w in weights]
    total = sum(ratios)
    exact = [abs(amount) * r / total for r in ratios]
    base = [e.numerator // e.denominator for e in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - base[i]), i))
    for i in order[: abs(amount) - sum(base)]:
        base[i] += 1
    return [-b if amount < 0 else b for b in base]


def split_by_shares(amount: pd.Series, line: pd.Series, shares: pd.Series) -> pd.Series:
    """Split ``amount`` (indexed by line position) into parts given in long form by ``line`` and ``shares``.

    ``shares`` of a line may sum to less than 1; the rest is treated as an unattributed part that is not returned,
    so the returned parts of a line add up to at most the line, and ``line − Σ parts`` is the exact unattributed
    remainder. Shares of one line summing to more than 1 are an error.
    """
    amount_values = amount.to_numpy(dtype=np.int64)
    line_values = line.to_numpy(dtype=np.int64)
    share_values = shares.to_numpy(dtype=np.float64)
    totals = np.bincount(line_values, weights=share_values, minlength=len(amount_values))
    if np.any(totals > 1 + 1e-9):
        raise ValueError("shares of one line sum to more than 1")
    rest = np.clip(1.0 - totals, 0.0, 1.0)
    lines_with_parts = np.flatnonzero(np.bincount(line_values, minlength=len(amount_values)) > 0)
    all_groups = np.concatenate([line_values, lines_with_parts])
    all_weights = np.concatenate([share_values, rest[lines_with_parts]])
    # renormalise against float drift so each group sums to 1 exactly enough for the check
    group_sum = np.bincount(all_groups, weights=all_weights, minlength=len(amount_values))
    all_weights = all_weights / group_sum[all_groups]
    parts = largest_remainder(amount_values, all_groups, all_weights)
    return pd.Series(parts[: len(line_values)], index=shares.index, dtype="int64")


def kurus_to_lira(kurus: pd.Series | np.ndarray | int) -> pd.Series | np.ndarray | float:
    """Convert kuruş to lira for display only (never for computation)."""
    return kurus / KURUS_PER_LIRA
