import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gcdb.money import largest_remainder, split_by_shares


def test_three_way_split_of_100_kurus():
    # 100 × 1/3 = 33.33 each; floors 33+33+33 = 99; the one kuruş left goes to the first (ties keep order)
    parts = largest_remainder(np.array([100]), np.array([0, 0, 0]), np.array([1 / 3, 1 / 3, 1 / 3]))
    assert parts.tolist() == [34, 33, 33]


def test_largest_fraction_wins_the_leftover():
    # 7 × (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4 → floors 3, 2, 1 (=6); largest remainder 0.5 → first part gets it
    parts = largest_remainder(np.array([7]), np.array([0, 0, 0]), np.array([0.5, 0.3, 0.2]))
    assert parts.tolist() == [4, 2, 1]


def test_negative_amounts_split_by_absolute_value():
    parts = largest_remainder(np.array([-10]), np.array([0, 0]), np.array([0.45, 0.55]))
    assert parts.tolist() == [-4, -6] or parts.tolist() == [-5, -5]
    assert parts.sum() == -10


def test_weights_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        largest_remainder(np.array([10]), np.array([0, 0]), np.array([0.3, 0.3]))


def test_split_by_shares_leaves_exact_unattributed_rest():
    # line 0: 101 kuruş, shares 0.4 + 0.4 (rest 0.2): exact 40.4, 40.4, 20.2 → 40, 40, 20 + 1 leftover → part 1
    parts = split_by_shares(pd.Series([101, 50]), pd.Series([0, 0, 1]), pd.Series([0.4, 0.4, 0.3]))
    assert parts.tolist() == [41, 40, 15]


def test_split_by_shares_rejects_more_than_the_line():
    with pytest.raises(ValueError, match="more than 1"):
        split_by_shares(pd.Series([100]), pd.Series([0, 0]), pd.Series([0.7, 0.4]))


@given(
    st.lists(st.integers(min_value=-(10**13), max_value=10**13), min_size=1, max_size=20),
    st.data(),
)
def test_parts_always_sum_to_the_line(amounts, data):
    n = len(amounts)
    groups, weights = [], []
    for g in range(n):
        k = data.draw(st.integers(min_value=1, max_value=5))
        raw = data.draw(st.lists(st.integers(min_value=0, max_value=1000), min_size=k, max_size=k))
        if sum(raw) == 0:
            raw[0] = 1
        groups += [g] * k
        weights += [r / sum(raw) for r in raw]
    parts = largest_remainder(np.array(amounts), np.array(groups), np.array(weights))
    assert np.bincount(groups, weights=parts.astype(float), minlength=n).tolist() == [
        float(a) for a in amounts
    ]
    sums = pd.Series(parts).groupby(groups).sum()
    assert sums.tolist() == amounts
    # no part is more than one kuruş away from its exact share
    exact = np.array(amounts)[groups] * np.array(weights)
    assert np.all(np.abs(parts - exact) < 1 + 1e-6 * np.abs(exact).max())
