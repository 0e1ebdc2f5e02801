"""Text person ids of one width read as numbers (gcdb.persons.fixed_width_codes): exact codes, no hashing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from equality_builders import random_usage
from hypothesis import given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb import persons
from gcdb.equality import breakdown
from gcdb.persons import fixed_width, fixed_width_codes, person_codes
from gcdb.text import arrow_strings

DIMS = [C.SEX, C.AGE_BAND, C.DISTRICT]


def _text(values, *, storage: pa.Array | None = None) -> pd.Series:
    array = storage if storage is not None else pa.array(values, type=pa.large_string())
    return pd.Series(pd.array(array, dtype="str"))


def _one_to_one(codes: np.ndarray, ids: pd.Series) -> None:
    """Codes and ids name the same persons: equal codes exactly for equal ids, -1 exactly for missing ids."""
    found, _ = pd.factorize(ids, use_na_sentinel=True)
    assert np.array_equal(codes < 0, found < 0)
    pairs = pd.DataFrame({"code": codes, "id": found}).drop_duplicates()
    assert pairs["code"].is_unique and pairs["id"].is_unique


def test_padded_numbers_become_their_mixed_radix_value():
    ids = _text(["P0102", "P0007", None, "P0102", "P0013"])
    codes, n = person_codes(ids)
    # positions 0 ('P') and 1 ('0') never change and are dropped; position 2 ranges '0'..'1', 3 '0'..'1', 4 '2'..'7'
    # → radix 2·2·6 = 24; "P0102" = (1·2 + 0)·6 + 0 = 12, "P0007" = (0·2 + 0)·6 + 5 = 5, "P0013" = (0·2 + 1)·6 + 1 = 7
    assert codes.tolist() == [12, 5, -1, 12, 7] and n == 24
    assert codes.dtype == np.int64 and person_codes(ids, small=True)[0].dtype == np.int32


def test_missing_ids_with_or_without_bytes():
    without = _text(["AB1", None, "AB2", None])  # Arrow gives missing values no bytes
    offsets = pa.array([0, 3, 6, 9, 12], type=pa.int64())
    with_bytes = (
        pa.LargeStringArray.from_buffers(  # missing values that keep bytes behind them (as pandas makes)
            4,
            offsets.buffers()[1],
            pa.py_buffer(b"AB1ZZZAB2QQQ"),
            pa.array([True, False, True, False]).buffers()[1],
        )
    )
    for ids in (without, _text(None, storage=with_bytes)):
        text = fixed_width(arrow_strings(ids))
        assert text is not None
        codes, n = fixed_width_codes(text)
        assert codes.tolist()[1::2] == [-1, -1] and codes[0] != codes[2] and max(codes) < n
        _one_to_one(codes, ids)


@pytest.mark.parametrize(
    "values",
    [
        ["a", "bb", "a"],  # two widths
        ["", "", None],  # no bytes
        [None, None],  # nothing present
        ["0123456789abcdef" * 2, "fedcba9876543210" * 2],  # 32 hex digits: keys beyond 2^62
        ["x" * 65, "y" * 65],  # wider than MAX_WIDTH
    ],
)
def test_other_text_is_hashed_as_text(values):
    ids = _text(values)
    assert (fixed_width(arrow_strings(ids)) is None) or (
        fixed_width_codes(fixed_width(arrow_strings(ids))) is None
    )
    codes, n = person_codes(ids)
    _one_to_one(codes, ids)
    assert n >= 1 and (codes < n).all()


def test_wide_keys_are_hashed_as_integers():
    # eleven digits: a range of 10^11, far beyond the records — the keys are factorised, codes 0 … distinct − 1
    rng = np.random.default_rng(1)
    numbers = rng.integers(10**10, 10**11, 500)
    ids = _text([str(x) for x in np.concatenate([numbers, numbers[:100]])])
    codes, n = person_codes(ids)
    assert n == len(np.unique(numbers)) and codes.max() == n - 1
    _one_to_one(codes, ids)


def test_keys_too_wide_beyond_the_first_rows(monkeypatch):
    # 32 hex digits: the first rows already show a range beyond 2^62 (rejected before a pass over every row) …
    rng = np.random.default_rng(2)
    ids = _text(["".join(rng.choice(list("0123456789abcdef"), 32)) for _ in range(200)])
    assert fixed_width(arrow_strings(ids)) is None
    # … and when the first rows do not show it, the pass over every row does
    monkeypatch.setattr(persons, "SAMPLE_ROWS", 1)
    text = fixed_width(arrow_strings(ids))
    assert text is not None and fixed_width_codes(text) is None
    codes, n = person_codes(ids)
    _one_to_one(codes, ids)
    assert n == 200


def test_multibyte_text_of_one_width_in_bytes():
    ids = _text(["ŞİŞLİ-1", "ÇIĞIR-2", "ŞİŞLİ-1", "ÇIĞIR-3"])  # Turkish letters: two bytes each in UTF-8
    codes, _ = person_codes(ids)
    _one_to_one(codes, ids)


def test_chunked_ids():
    chunked = pa.chunked_array(
        [pa.array(["K01", "K02"], pa.large_string()), pa.array(["K02", None], pa.large_string())]
    )
    ids = pd.Series(pd.array(chunked, dtype="str"))
    codes, _ = person_codes(ids)
    assert codes.tolist()[3] == -1 and codes[1] == codes[2] and codes[0] != codes[1]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.text(alphabet="0123456789ABCDEFİış-", min_size=4, max_size=4)),
        min_size=1,
        max_size=40,
    )
)
def test_codes_name_the_same_persons_as_the_ids(values):
    ids = _text(values)
    codes, n = person_codes(ids)
    _one_to_one(codes, ids)
    assert (codes < n).all() and n >= 1


@pytest.mark.parametrize("rows", [3000, 300_000])  # one thread, and the threaded coding beside the dimensions
def test_breakdown_the_same_with_padded_and_unpadded_ids(rows):
    usage = random_usage(np.random.default_rng(8), rows, rows // 4)
    usage.loc[usage.index[::13], C.PERSON_ID] = None
    numbers, _ = pd.factorize(usage[C.PERSON_ID], use_na_sentinel=True)
    padded = usage.copy()
    padded[C.PERSON_ID] = _text([f"P{x:08d}" if x >= 0 else None for x in numbers])
    unpadded = usage.copy()
    unpadded[C.PERSON_ID] = _text(
        [f"P{x}" if x >= 0 else None for x in numbers]
    )  # widths differ: hashed as text
    assert fixed_width(arrow_strings(padded[C.PERSON_ID])) is not None
    assert fixed_width(arrow_strings(unpadded[C.PERSON_ID])) is None
    pd.testing.assert_frame_equal(breakdown(padded, DIMS), breakdown(unpadded, DIMS), check_exact=True)
    pd.testing.assert_frame_equal(
        breakdown(padded, DIMS, margins=[DIMS, []]),
        breakdown(unpadded, DIMS, margins=[DIMS, []]),
        check_exact=True,
    )
