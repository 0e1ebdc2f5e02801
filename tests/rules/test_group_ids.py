"""gcdb.rules.compile.group_ids and first_positions against a reference: tuples numbered by pandas in order of first
appearance, with the ranges read from the data or given by the caller, narrow and wide, negative and uint64."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gcdb.rules.compile import first_positions, group_ids


def _reference(arrays: list[np.ndarray], size: int) -> tuple[list[int], list[int]]:
    if not arrays:
        return [0] * size, [0] if size else []
    tuples = pd.Series(list(zip(*(a.tolist() for a in arrays), strict=True)), dtype=object)
    ids, _ = pd.factorize(tuples)
    first = [int(np.flatnonzero(ids == k)[0]) for k in range(ids.max() + 1)] if size else []
    return ids.tolist(), first


@st.composite
def columns(draw):
    size = draw(st.integers(1, 60))
    arrays = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["narrow", "negative", "wide", "uint64"]))
        if kind == "narrow":
            values = draw(st.lists(st.integers(0, 5), min_size=size, max_size=size))
            arrays.append(np.array(values, dtype=np.int32))
        elif kind == "negative":
            values = draw(st.lists(st.integers(-3, 3), min_size=size, max_size=size))
            arrays.append(np.array(values, dtype=np.int64))
        elif kind == "wide":
            values = draw(st.lists(st.sampled_from([-(2**40), 0, 7, 2**45]), min_size=size, max_size=size))
            arrays.append(np.array(values, dtype=np.int64))
        else:
            values = draw(
                st.lists(st.sampled_from([0, 1, 2**63 + 5, 2**64 - 1]), min_size=size, max_size=size)
            )
            arrays.append(np.array(values, dtype=np.uint64))
    return arrays, size


@settings(max_examples=150, deadline=None)
@given(columns())
def test_group_ids_numbers_tuples_as_pandas_does(case):
    arrays, size = case
    kept = [a.copy() for a in arrays]
    ids, first = group_ids(arrays, size)
    expected_ids, expected_first = _reference(arrays, size)
    assert ids.tolist() == expected_ids
    assert first.tolist() == expected_first
    for before, after in zip(kept, arrays, strict=True):  # the inputs are never modified
        assert np.array_equal(before, after)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 6), min_size=1, max_size=40), min_size=1, max_size=4).filter(
        lambda lists: len({len(x) for x in lists}) == 1
    )
)
def test_group_ids_with_the_callers_widths(lists):
    arrays = [np.array(x, dtype=np.int32) for x in lists]
    size = len(lists[0])
    given_widths = group_ids(arrays, size, widths=[7] * len(arrays))
    read = group_ids(arrays, size)
    assert given_widths[0].tolist() == read[0].tolist() == _reference(arrays, size)[0]
    assert given_widths[1].tolist() == read[1].tolist()


def test_first_positions():
    assert first_positions(np.array([0, 0, 1, 0, 2, 1, 3])).tolist() == [0, 2, 4, 6]
    assert first_positions(np.array([0])).tolist() == [0]
    assert first_positions(np.zeros(0, dtype=np.int64)).tolist() == []
